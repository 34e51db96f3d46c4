"""Determinism by seed and clock, life over time, and scale."""

from __future__ import annotations


from sim_http import fetch

from tringtui.sim import ManualClock, SimulatedPBX

SNAPSHOT_REQUESTS = [
    {"reqtype": "COUNTPEERS", "format": "json"},
    {"reqtype": "CHANNELS", "format": "json"},
    {"reqtype": "CHANNELS"},
    {"reqtype": "PEERS", "format": "json"},
    {"reqtype": "BLFS", "format": "json", "tenant": "DEVEL"},
    {"reqtype": "FLOWS", "format": "json", "tenant": "DEVEL"},
    {"reqtype": "INFO", "info": "agents", "format": "json", "tenant": "DEVEL"},
    {"reqtype": "INFO", "info": "queue", "id": "281", "format": "json", "tenant": "DEVEL"},
    {"reqtype": "INFO", "info": "extensions", "format": "json", "tenant": "ACME"},
]


def bodies(serve, seed: int, advance: float = 0.0) -> list[str]:
    clock = ManualClock(1_764_230_400.0)
    server = serve(SimulatedPBX(seed=seed, size="small", clock=clock))
    clock.advance(advance)
    return [fetch(server, key="demo-admin", **params).body for params in SNAPSHOT_REQUESTS]


def test_same_seed_and_clock_give_identical_bodies(serve):
    assert bodies(serve, 7) == bodies(serve, 7)
    assert bodies(serve, 7, advance=600) == bodies(serve, 7, advance=600)


def test_different_seed_gives_different_bodies(serve):
    first, other = bodies(serve, 7), bodies(serve, 8)
    assert first[1] != other[1] and first[3] != other[3]


def test_state_does_not_depend_on_how_often_it_is_looked_at():
    often_clock, once_clock = ManualClock(), ManualClock()
    often = SimulatedPBX(seed=3, clock=often_clock)
    once = SimulatedPBX(seed=3, clock=once_clock)
    for _ in range(60):
        often_clock.advance(5)
        often.channels_snapshot()
    once_clock.advance(300)
    assert often.channels_snapshot() == once.channels_snapshot()
    assert often.peers_snapshot() == once.peers_snapshot()


def test_frozen_clock_means_frozen_state(api, pbx):
    first = api(reqtype="CHANNELS", format="json").body
    assert api(reqtype="CHANNELS", format="json").body == first


def test_calls_ring_answer_and_end_over_time(pbx, clock):
    start = {c.uniqueid: c for c in pbx.channels_snapshot()}
    seen_states: set[str] = set()
    for _ in range(120):
        clock.advance(5)
        seen_states |= {c.state for c in pbx.channels_snapshot()}
    now = {c.uniqueid: c for c in pbx.channels_snapshot()}
    assert set(start) - set(now), "calls should end"
    assert set(now) - set(start), "calls should arrive"
    assert {"Up", "Ringing"} <= seen_states
    assert 15 <= len(now) <= 80  # hovers around the small size's ~40 channels
    kept = set(start) & set(now)
    assert all(now[uid].duration == start[uid].duration + 600 for uid in kept)


def test_queues_agents_flows_and_peers_change_over_time(pbx, clock):
    def picture():
        return ([(q.stats["CALLSRECEIVED"], q.members) for q in map(pbx.queue, pbx.queues)],
                [(a.paused) for q in pbx.queues.values() for a in map(lambda m: pbx.agent(q.id, m), q.members)],
                [pbx.flow(f.number, f.tenant).state for f in pbx.flows],
                [p.status for p in pbx.peers_snapshot()])
    before = picture()
    clock.advance(900)
    after = picture()
    for index, what in enumerate(("queue stats", "agent pauses", "flows", "peer statuses")):
        assert before[index] != after[index], f"{what} should change"


def test_a_long_gap_redraws_instead_of_replaying(pbx, clock):
    clock.advance(7 * 24 * 3600)
    channels = pbx.channels_snapshot()
    assert 20 <= len(channels) <= 60
    assert all(c.duration < 7 * 24 * 3600 for c in channels)


def test_explicit_counts():
    pbx = SimulatedPBX(seed=1, clock=ManualClock(), channels=123, peers=300)
    assert len(pbx.channels_snapshot()) == 123 and len(pbx.peers) == 300


def test_huge_serves_10k_channels_and_every_registration(serve):
    # How fast is measured by bench/, not asserted here (the machine may be busy).
    clock = ManualClock()
    pbx = SimulatedPBX(seed=1, size="huge", clock=clock)
    assert len(pbx.peers) == 20_000 and len(pbx.legs) == 10_000
    server = serve(pbx)
    rows = fetch(server, key="demo-admin", reqtype="CHANNELS", format="json").json()
    assert len(rows) == 10_000
    clock.advance(1)
    assert len(fetch(server, key="demo-admin", reqtype="CHANNELS", format="json").json()) == len(pbx.legs)
    # One row per registration: a huge PBX has a few names registered on two nodes.
    assert len(fetch(server, key="demo-admin", reqtype="PEERS", format="json").json()) == 20_000 + 40
