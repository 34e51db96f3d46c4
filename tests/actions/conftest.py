"""Fixtures for action tests: a frozen simulated PBX over real HTTP, a client for tenant DEVEL, a journal."""

from __future__ import annotations

import pytest

from tringtui.api.client import TringClient
from tringtui.api.journal import WriteJournal
from tringtui.audit import AuditJournal
from tringtui.settings import Secret, Settings
from tringtui.sim import ManualClock, SimServer, SimulatedPBX

TENANT = "DEVEL"
# Client timeout for action tests: short, so the "outcome unknown" test is quick.
CLIENT_TIMEOUT = 1.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock):
    server = SimServer(SimulatedPBX(seed=7, size="small", clock=clock), host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


def make_settings(sim: SimServer, *, readonly: bool = False, key: str = "demo-devel") -> Settings:
    return Settings(
        server=sim.url, key=Secret(key), tenant=TENANT, profile="test", readonly=readonly, timeout=CLIENT_TIMEOUT,
    )


@pytest.fixture
def settings(sim) -> Settings:
    return make_settings(sim)


@pytest.fixture
def journal(tmp_path) -> AuditJournal:
    return AuditJournal(tmp_path / "audit.jsonl")


@pytest.fixture
async def client(settings, journal):
    # The API layer journals every write it sends: into the same journal the runner writes to.
    async with TringClient(
        settings.server, settings.key.reveal(), settings.tenant, readonly=settings.readonly, timeout=settings.timeout,
        journal=WriteJournal(journal, profile=settings.profile),
    ) as tring:
        yield tring


def writes_sent(sim: SimServer, *reqtypes: str) -> list:
    """The requests of the given types that reached the simulator."""
    return [record for record in sim.request_log if record.reqtype in reqtypes]
