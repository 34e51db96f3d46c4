"""The store rebuilds any moment as the live session saw it, and keeps within its retention."""

from __future__ import annotations

from tringtui.live import SOURCES
from tringtui.store import PollKind, Retention, Store
from tringtui.store.snapshots import data_of, snapshot_of

from tests.conftest import SIM_ADMIN_KEY
from tests.store.conftest import make_recording


def _same(live, rebuilt) -> None:
    """The rebuilt data equals the live data, row for row (order aside: deltas append new rows)."""
    for field in live.__dataclass_fields__:
        value = getattr(live, field)
        again = getattr(rebuilt, field)
        if isinstance(value, tuple):
            assert sorted(map(repr, value)) == sorted(map(repr, again)), field
        else:
            assert value == again, field


async def test_any_past_moment_rebuilds_what_the_session_saw_then(admin_client, sim_clock, tmp_path):
    recording = make_recording(admin_client, sim_clock, tmp_path / "r.sqlite", keyframe_every=30.0)
    try:
        seen = {}
        for step in range(20):
            snapshots = await recording.step(0 if step == 0 else 5)
            seen[sim_clock()] = snapshots
        kinds = {mark.kind for mark in recording.store.polls()}
        assert {PollKind.KEYFRAME, PollKind.DELTA, PollKind.SAME} <= kinds
        for moment in list(seen)[1::3]:
            states = recording.store.state_at(moment)
            assert set(states) == set(SOURCES)
            for source in SOURCES:
                live = seen[moment][source]
                rebuilt = snapshot_of(states[source])
                assert rebuilt.fetched_at == live.fetched_at == moment
                _same(live.data, rebuilt.data)
        # Between two polls, a moment is what the last poll before it said.
        middle = list(seen)[4] + 2.5
        assert recording.store.state_at(middle)["peers"].fetched_at == list(seen)[4]
    finally:
        recording.recorder.close()
    assert SIM_ADMIN_KEY.encode() not in (tmp_path / "r.sqlite").read_bytes()


async def test_a_failed_poll_keeps_the_data_and_says_why(admin_client, sim_clock, tmp_path, sim_server):
    recording = make_recording(admin_client, sim_clock, tmp_path / "f.sqlite")
    try:
        first = await recording.step(0)
        sim_server.faults.mode, sim_server.faults.rate = "html", 1.0
        await recording.step()
        state = recording.store.state_at(sim_clock())["peers"]
        assert state.error and state.fetched_at == first["peers"].fetched_at
        assert [e.kind for e in recording.events("api.failed") if e.object == "PEERS"] == ["api.failed"]
        sim_server.faults.mode = None
        await recording.step()
        assert [e.before for e in recording.events("api.recovered") if e.object == "PEERS"] == [state.error]
    finally:
        recording.recorder.close()


async def test_the_store_keeps_within_its_age_and_every_moment_kept_still_rebuilds(admin_client, sim_clock, tmp_path):
    recording = make_recording(admin_client, sim_clock, tmp_path / "a.sqlite", keyframe_every=60.0, prune_every=10.0,
                               retention=Retention(max_age=60.0, max_bytes=None))
    try:
        for step in range(30):
            await recording.step(0 if step == 0 else 5)
        first, last = recording.store.time_range()
        assert last - first <= 60.0 + 10.0  # the age, plus at most one pruning period
        assert all(e.at >= first for e in recording.store.events())
        oldest = recording.store.state_at(first)
        assert set(oldest) == set(SOURCES)  # the oldest poll kept became a keyframe
        assert data_of("peers", oldest["peers"].tables, first).peers
    finally:
        recording.recorder.close()


async def test_the_store_keeps_within_its_size(admin_client, sim_clock, tmp_path):
    limit = 160 * 1024
    recording = make_recording(admin_client, sim_clock, tmp_path / "s.sqlite", keyframe_every=30.0, prune_every=5.0,
                               retention=Retention(max_age=None, max_bytes=limit))
    try:
        for step in range(40):
            await recording.step(0 if step == 0 else 5)
        assert recording.store.used_bytes() <= limit
        first, last = recording.store.time_range()
        assert first > sim_clock() - 40 * 5  # the oldest went
        assert set(recording.store.state_at(first)) == set(SOURCES)
    finally:
        recording.recorder.close()
    assert (tmp_path / "s.sqlite").stat().st_size <= 2 * limit  # pages given back, not only freed


def test_a_file_that_is_not_a_store_is_refused_with_its_name(tmp_path):
    import pytest

    from tringtui.store import StoreError

    path = tmp_path / "notes.txt"
    path.write_text("hello\n" * 100)
    with pytest.raises(StoreError, match="notes.txt"):
        Store(path, readonly=True)
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.sqlite", readonly=True)


async def test_a_replay_cursor_steps_by_poll_and_by_event_and_shows_the_past(recording, admin_client):
    from tringtui.store.replay import ReplayCursor

    phone = next(p for p in recording.session.snapshot("peers").data.peers if p.tenant == "DEVEL" and p.registered)
    before = recording.sim_clock()
    await recording.step()
    await admin_client.unregister(phone.name)
    await recording.step()
    unregistered_at = recording.sim_clock()
    await recording.step()

    cursor = ReplayCursor(Store(recording.path, readonly=True))
    assert (cursor.start, cursor.at) == (before, recording.sim_clock())
    assert cursor.step(-1) == unregistered_at and cursor.step(-1) == before + 5 and cursor.step(-5) == before
    assert cursor.step(1) == before + 5

    def status_of_phone() -> str:
        peers = cursor.snapshots()["peers"].data.peers
        return next(p.status_text for p in peers if p.name == phone.name and p.node == phone.node)

    assert status_of_phone() == phone.status_text  # a minute ago, still registered
    while cursor.next_event() is not None and not any(e.object == phone.name for e in cursor.events(limit=50)):
        pass
    assert cursor.at == unregistered_at
    assert cursor.events(limit=50, kinds=["peer.unregistered"])[0].object == phone.name
    assert status_of_phone() != phone.status_text
    assert cursor.goto(0) == cursor.start and cursor.previous_event() is None
    assert cursor.play(1.0, 5.0) and cursor.at == cursor.start + 5
    assert cursor.cursor_position(10) == int(5 / (cursor.end - cursor.start) * 10)
    cursor.store.close()


async def test_history_gives_each_nodes_and_queues_figures_over_the_window(recording):
    from tringtui.store.history import node_history, queue_history

    seen = [recording.session.snapshot("nodes").data]
    queues_seen = [recording.session.snapshot("queues").data]
    for _ in range(6):
        snapshots = await recording.step()
        seen.append(snapshots["nodes"].data)
        queues_seen.append(snapshots["queues"].data)
    start = recording.sim_clock() - 30
    history = node_history(recording.store, start + 10, recording.sim_clock())
    node = seen[0].peers.nodes[0].node
    assert history.peers[node] == [(start + 5 * i, float(data.peers.as_dict()[node])) for i, data in enumerate(seen)][2:]
    assert history.channels[node][-1] == (recording.sim_clock(), float(seen[-1].channels.as_dict()[node]))
    queue = queues_seen[0].queues[0].queue.id
    waiting = queue_history(recording.store, queue, start, recording.sim_clock()).waiting
    assert waiting == [(start + 5 * i, float(next(r.stats.calls_in_queue for r in data.queues if r.queue.id == queue)))
                       for i, data in enumerate(queues_seen)]

