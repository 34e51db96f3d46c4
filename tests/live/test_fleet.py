"""Several PBXs at once, headless: two simulators on loopback, one session each, on a manual clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tringtui.api.client import TringClient
from tringtui.live import SOURCES, ManualClock, direct
from tringtui.live.fleet import OVERVIEW_INTERVAL, PEERS_OVERVIEW_INTERVAL, Fleet, FleetMember, member_session
from tringtui.settings import Secret, Settings
from tringtui.sim import ManualClock as SimClock
from tringtui.sim import SimServer, SimulatedPBX

SHOWN_INTERVAL = 20.0


async def until(predicate: Callable[[], bool], what: str) -> None:
    """Wait for real HTTP round trips to finish (a bound on waiting, not a timing assertion)."""
    for _ in range(1000):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def two_sims():
    servers = [SimServer(SimulatedPBX(seed=seed, size="small", clock=SimClock())).start() for seed in (3, 4)]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
async def fleet(two_sims):
    clock = ManualClock()
    clients, members = [], []
    for name, server, key in (("eu", two_sims[0], "demo-devel"), ("us", two_sims[1], "demo-admin-ro")):
        settings = Settings(server=server.url, key=Secret(key), tenant="DEVEL" if key == "demo-devel" else "",
                            profile=name, label=name.upper(), readonly=key.endswith("-ro"),
                            intervals={source: SHOWN_INTERVAL for source in SOURCES})
        client = TringClient.from_settings(settings)
        clients.append(client)
        members.append(FleetMember(name, settings, member_session(settings, direct(client), clock, tenant="DEVEL")))
    running = Fleet(members, clock=clock)
    running.start()
    yield running
    await running.aclose()
    for client in clients:
        await client.aclose()


def types_asked(server: SimServer) -> list[str]:
    return [record.reqtype for record in server.request_log]


def polled(fleet: Fleet) -> bool:
    return all(not any(s.in_flight for s in m.session.snapshots.values()) and m.session.last_fetched() for m in fleet.members)


async def test_the_overview_polls_only_what_its_rows_need(fleet: Fleet, two_sims) -> None:
    await until(lambda: polled(fleet) and all(row.peers_total for row in fleet.rows()), "first overview polls")
    for server in two_sims:
        assert set(types_asked(server)) == {"COUNTPEERS", "COUNTCHANNELS", "PEERS", "INFO"}
    eu, us = fleet.rows()
    assert (eu.label, us.label) == ("EU", "US")
    for row, server in zip((eu, us), two_sims):
        assert row.health == "OK" and row.age == 0.0
        assert row.nodes == len(server.pbx.nodes)
        assert 0 < row.peers_registered <= row.peers_total
        assert row.channels is not None and row.calls_waiting is not None
        assert row.alerts is None


async def test_the_shown_tab_polls_everything_and_the_hidden_ones_slow_down(fleet: Fleet, two_sims) -> None:
    await until(lambda: polled(fleet), "first overview polls")
    fleet.show("eu")
    await until(lambda: all(fleet.member("eu").session.snapshot(s).data is not None for s in ("channels", "flows")),
                "eu's channels and flows")
    assert "CHANNELS" in types_asked(two_sims[0]) and "FLOWS" in types_asked(two_sims[0])
    assert "CHANNELS" not in types_asked(two_sims[1])
    for server in two_sims:
        server.clear_log()
    # Thirty seconds on: eu polled on its own intervals, us only its nodes and queues.
    await fleet.clock.advance(OVERVIEW_INTERVAL)
    await until(lambda: polled(fleet) and "INFO" in types_asked(two_sims[1]), "the next round")
    assert set(types_asked(two_sims[1])) == {"COUNTPEERS", "COUNTCHANNELS", "INFO"}
    assert "CHANNELS" in types_asked(two_sims[0])
    # PEERS of a hidden PBX only every five minutes.
    await fleet.clock.advance(PEERS_OVERVIEW_INTERVAL - OVERVIEW_INTERVAL)
    await until(lambda: polled(fleet) and "PEERS" in types_asked(two_sims[1]), "the hidden PEERS poll")


async def test_one_pbx_failing_leaves_the_other_untouched(fleet: Fleet, two_sims) -> None:
    await until(lambda: polled(fleet), "first overview polls")
    fleet.show("eu")
    await until(lambda: fleet.member("eu").session.snapshot("channels").data is not None, "eu's channels")
    two_sims[1].stop()
    await fleet.clock.advance(OVERVIEW_INTERVAL)
    await until(lambda: polled(fleet) and fleet.rows()[1].health.startswith("FAILING"), "us failing")
    eu, us = fleet.rows()
    assert eu.health == "OK"
    assert us.health.startswith("FAILING nodes")
    assert us.peers_total is not None  # the last good figures stay
    assert fleet.member("eu").session.snapshot("channels").error is None


def test_a_pbx_listed_twice_is_refused() -> None:
    settings = Settings(server="http://127.0.0.1:1", key=Secret("k"))
    member = FleetMember("eu", settings, member_session(settings, direct(None), ManualClock()))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="listed twice: eu"):
        Fleet([member, member])
