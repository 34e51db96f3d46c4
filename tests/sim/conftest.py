"""Fixtures for the simulator tests: a small PBX on a manual clock, served on a loopback port."""

from __future__ import annotations

import pytest
from sim_http import Answer, fetch

from tringtui.sim import ManualClock, SimServer, SimulatedPBX


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def pbx(clock: ManualClock) -> SimulatedPBX:
    return SimulatedPBX(seed=7, size="small", clock=clock)


@pytest.fixture
def server(pbx: SimulatedPBX):
    with SimServer(pbx) as running:
        yield running
    assert running.handler_errors == [], "the simulator failed while serving a request"


@pytest.fixture
def api(server: SimServer):
    """``api(**params)``: an admin read-write request (override ``key=`` to change role)."""
    def call(**params: str) -> Answer:
        params.setdefault("key", "demo-admin")
        return fetch(server, **params)
    return call


@pytest.fixture
def serve():
    """``serve(pbx, **kwargs)``: start another server for the test; stopped at teardown."""
    started: list[SimServer] = []

    def start(pbx: SimulatedPBX, **kwargs) -> SimServer:
        server = SimServer(pbx, **kwargs).start()
        started.append(server)
        return server
    yield start
    for server in started:
        server.stop()
