"""Fixtures for the deploy examples: the simulator with the shipped nginx cache in front of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from nginx_runner import NginxCache, nginx_binary, why_nginx_cannot_run

from tringtui.sim import DEMO_KEYS, ApiKey, ManualClock, SimServer, SimulatedPBX, merge_keys

# Long enough that the ten operators' identical requests overlap at the PBX, which is what
# proxy_cache_lock is for; the real API takes seconds.
READ_LATENCY = 0.1

# Two teams' shared NOC keys, unlike anything else a file could hold, so that a search for them finds
# only a leak. Each ends in characters a URL encodes ("+/="); the long run before them reads the same
# however a client or nginx encodes the key, so that is what the tests search for.
TEAM_KEYS = {"DEVEL": "noc-devel-Q7w9zKp3xLmR2cT8+/=", "ACME": "noc-acme-V2d8rTy6nBqW4hJ1+/="}


@pytest.fixture
def team_keys() -> dict[str, str]:
    """Tenant -> its team's key, which the simulator accepts beside the demo keys."""
    return dict(TEAM_KEYS)


@pytest.fixture
def slow_sim():
    teams = [ApiKey(key, "tenant", tenant) for tenant, key in TEAM_KEYS.items()]
    server = SimServer(SimulatedPBX(seed=7, size="small", clock=ManualClock()), keys=merge_keys(DEMO_KEYS, teams)).start()
    server.faults.set_latency("default", READ_LATENCY)
    yield server
    server.stop()


@pytest.fixture
def start_nginx() -> Iterator[Callable[..., NginxCache]]:
    """``start_nginx(upstream, **options)`` runs the shipped configuration in front of ``upstream`` until the
    test ends. Skips, saying why, when it cannot run on this machine."""
    reason = why_nginx_cannot_run()
    if reason is not None:
        pytest.skip(reason)
    binary = nginx_binary()
    assert binary is not None
    started: list[NginxCache] = []

    def start(upstream: str, **options: Any) -> NginxCache:
        try:
            cache = NginxCache(binary, upstream, **options)
        except KeyError:
            pytest.skip("running as root, but there is no user 'nobody' to run nginx as")
        started.append(cache)
        return cache.start()

    yield start
    for cache in started:
        cache.cleanup()


@pytest.fixture
def nginx_cache(slow_sim: SimServer, start_nginx: Callable[..., NginxCache]) -> NginxCache:
    return start_nginx(slow_sim.url)
