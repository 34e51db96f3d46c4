"""Fixtures every test package may use: a simulated PBX served on a loopback port, and clients for it.

``sim_server`` is fresh for each test, with a ``ManualClock`` that stands
still until the test advances it (``sim_clock.advance(30)``), so what the
server answers is deterministic. ``client`` holds the DEVEL tenant's
read-write demo key; ``admin_client`` the admin read-write key (no tenant).
This is the one family of simulator fixtures: the test packages' own
conftest files only give these shorter names, never a second simulator.
"""

import pytest

from tringtui.api.client import TringClient
from tringtui.sim import ManualClock, SimServer, SimulatedPBX

SIM_SEED = 7
SIM_TENANT = "DEVEL"
SIM_TENANT_KEY = "demo-devel"
SIM_ADMIN_KEY = "demo-admin"


@pytest.fixture(autouse=True)
def private_state_home(tmp_path, monkeypatch):
    """The API layer journals every write (to the XDG default unless told otherwise): never into the
    home of whoever runs the tests."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


@pytest.fixture
def sim_clock():
    return ManualClock()


@pytest.fixture
def sim_pbx(sim_clock):
    return SimulatedPBX(seed=SIM_SEED, size="small", clock=sim_clock)


@pytest.fixture
def sim_server(sim_pbx):
    server = SimServer(sim_pbx, host="127.0.0.1", port=0).start()
    yield server
    server.stop()
    assert server.handler_errors == [], "the simulator failed while serving a request"


@pytest.fixture
async def client(sim_server):
    async with TringClient(sim_server.url, SIM_TENANT_KEY, SIM_TENANT, timeout=10.0) as tenant_client:
        yield tenant_client


@pytest.fixture
async def admin_client(sim_server):
    async with TringClient(sim_server.url, SIM_ADMIN_KEY, timeout=10.0) as admin:
        yield admin
