"""Fixtures for the simulator tests: the root simulator family (a small PBX on a manual clock, served on a
loopback port) under short names, plus request helpers."""

from __future__ import annotations

import pytest
from sim_http import Answer, fetch

from tringtui.sim import ManualClock, SimServer, SimulatedPBX


# The root conftest's simulator family under the short names these tests use.
@pytest.fixture
def clock(sim_clock: ManualClock) -> ManualClock:
    return sim_clock


@pytest.fixture
def pbx(sim_pbx: SimulatedPBX) -> SimulatedPBX:
    return sim_pbx


@pytest.fixture
def server(sim_server: SimServer) -> SimServer:
    return sim_server


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
