"""Fixtures for action tests: a frozen simulated PBX over real HTTP, a client for tenant DEVEL, a journal."""

from __future__ import annotations

import pytest

from tringtui.api.client import TringClient
from tringtui.api.journal import WriteJournal
from tringtui.audit import AuditJournal
from tringtui.settings import Secret, Settings
from tringtui.sim import ManualClock, SimServer

TENANT = "DEVEL"
# Client timeout for action tests: only a hung request reaches it, so it may be generous (a loaded CI
# machine is slow); the "outcome unknown" test hangs its request and uses a short timeout of its own.
CLIENT_TIMEOUT = 30.0


# The root conftest's simulator family (seed 7, small, frozen clock) under the names these tests use.
@pytest.fixture
def clock(sim_clock: ManualClock) -> ManualClock:
    return sim_clock


@pytest.fixture
def sim(sim_server: SimServer) -> SimServer:
    return sim_server


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
