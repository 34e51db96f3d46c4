"""Fixtures for the deploy examples: the simulator with the shipped nginx cache in front of it."""

from __future__ import annotations

import pytest
from nginx_runner import NginxCache, nginx_binary

from tringtui.sim import ManualClock, SimServer, SimulatedPBX

# Long enough that the ten operators' identical requests overlap at the PBX, which is what
# proxy_cache_lock is for; the real API takes seconds.
READ_LATENCY = 0.1


@pytest.fixture
def slow_sim():
    server = SimServer(SimulatedPBX(seed=7, size="small", clock=ManualClock())).start()
    server.faults.set_latency("default", READ_LATENCY)
    yield server
    server.stop()


@pytest.fixture
def nginx_cache(slow_sim: SimServer):
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed (.ci/run installs the distribution's nginx with apt-get when run as root)")
    try:
        cache = NginxCache(binary, slow_sim.url)
    except KeyError:
        pytest.skip("running as root, but there is no user 'nobody' to run nginx as")
    with cache as running:
        yield running
