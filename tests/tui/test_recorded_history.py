"""The Nodes and Queues trends start with what the store recorded before the monitor started, and in replay
(``tringtui replay``, or ``R`` in a running monitor) they are the recorded hour before the moment shown."""

from __future__ import annotations

import pytest

from tringtui.settings import PANES, Secret, Settings
from tringtui.store import Store
from tringtui.store.history import node_history, queue_histories, recorded_node_trends, recorded_trends
from tringtui.store.replay import ReplayCursor
from tringtui.tui.panes.queues import TREND_WIDTH
from tringtui.tui.replay_app import ReplayApp
from tringtui.tui.widgets.sparkline_text import sparkline_text

from tests.store.conftest import make_recording
from tests.tui.conftest import DISPLAY_SERVER, TEST_INTERVAL, first_data, refresh, table, wait_until

RECORDED_POLLS = 4


async def _record(admin_client, sim_clock, path, polls: int = RECORDED_POLLS, seconds: float = 30.0):
    """``polls`` polls of every source, ``seconds`` apart, with supportQ's agents paused so callers pile up."""
    recording = make_recording(admin_client, sim_clock, path)
    await recording.step(0)
    queues = recording.session.snapshot("queues").data
    for agent in queues.agents:
        await admin_client.with_tenant("DEVEL").pause_agent(agent.extension, queues.agents_queue_id)
    for _ in range(polls - 1):
        await recording.step(seconds)
    recording.recorder.close()


def _trend_cell(app, queue_id: str) -> str:
    """The waiting trend as drawn in the Queues pane's row of ``queue_id``."""
    queues = table(app, "queues")
    index = [row.queue.id for row in queues.visible_rows()].index(queue_id)
    line = queues.render_line(index + 1).text  # line 0 is the header
    return next(part for part in line.split() if set(part) <= set("▁▂▃▄▅▆▇█"))


async def test_nodes_trends_begin_with_the_recorded_window(make_app, admin_client, sim_clock, tmp_path):
    path = tmp_path / "earlier.sqlite"
    await _record(admin_client, sim_clock, path)
    with Store(path, readonly=True) as store:
        recorded = node_history(store, 0, sim_clock())
    node, series = next(iter(recorded.peers.items()))
    assert len(series) == RECORDED_POLLS

    sim_clock.advance(5)
    app = make_app(record=True, store_path=str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await wait_until(lambda: app.live.node_trends.rows)
        row = next(r for r in app.live.node_trends.rows if r.node == node)
        # The recorded polls, then this session's first.
        assert row.peer_history[:RECORDED_POLLS] == tuple(int(v) for _at, v in series)
        assert len(row.peer_history) == RECORDED_POLLS + 1
        assert len(app.live.node_trends.total_peers) == RECORDED_POLLS + 1
        assert app.panes["nodes"].query_one("#nodes-peers-sparkline").data == list(app.live.node_trends.total_peers)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_queues_trends_begin_with_the_recorded_window_and_go_on_live(make_app, admin_client, sim_clock, tmp_path,
                                                                         size):
    path = tmp_path / "queues.sqlite"
    await _record(admin_client, sim_clock, path)
    with Store(path, readonly=True) as store:
        recorded = queue_histories(store, 0, sim_clock())
    queue_id, history = next((q, h) for q, h in recorded.items() if len({v for _at, v in h.waiting}) > 1)
    assert len(history.waiting) == RECORDED_POLLS  # callers piled up: the series moves

    sim_clock.advance(5)
    app = make_app(record=True, store_path=str(path))
    async with app.run_test(size=size) as pilot:
        await first_data(pilot)
        await pilot.press("3")
        await wait_until(lambda: len(app.live.queue_trends.of(queue_id).waiting) == RECORDED_POLLS + 1)
        trend = app.live.queue_trends.of(queue_id)
        assert trend.waiting[:RECORDED_POLLS] == tuple(int(v) for _at, v in history.waiting)
        assert trend.service_level[:RECORDED_POLLS] == tuple(v for _at, v in history.service_level)
        await pilot.pause()
        assert _trend_cell(app, queue_id) == sparkline_text(trend.waiting, TREND_WIDTH)

        # Each live poll adds its sample to the recorded ones.
        sim_clock.advance(5)
        await refresh(pilot)
        await wait_until(lambda: len(app.live.queue_trends.of(queue_id).waiting) == RECORDED_POLLS + 2)
        await pilot.pause()
        assert _trend_cell(app, queue_id) == sparkline_text(app.live.queue_trends.of(queue_id).waiting, TREND_WIDTH)


async def test_without_recording_the_trends_start_empty(make_app, tmp_path):
    app = make_app(record=False, store_path=str(tmp_path / "none.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert all(len(row.peer_history) == 1 for row in app.live.node_trends.rows)
        assert all(len(trend.waiting) == 1 for trend in app.live.queue_trends.queues.values())


def test_an_empty_store_gives_empty_trends(tmp_path):
    with Store(tmp_path / "empty.sqlite") as store:
        trends = recorded_trends(store, until=1e9)
        assert recorded_node_trends(store, until=1e9) == trends.nodes
    assert trends.nodes.rows == () and trends.nodes.total_peers == () and not trends.queues.queues


def _replay_app(path, at: float) -> ReplayApp:
    settings = Settings(server=DISPLAY_SERVER, key=Secret(""), profile="test",
                        intervals={pane: TEST_INTERVAL for pane in PANES})
    return ReplayApp(settings, ReplayCursor(Store(path, readonly=True), at), tick_interval=0)


async def test_replay_at_a_time_draws_the_trends_recorded_before_it(admin_client, sim_clock, tmp_path):
    path = tmp_path / "replay.sqlite"
    polls = 6
    await _record(admin_client, sim_clock, path, polls=polls)
    with Store(path, readonly=True) as store:
        nodes = node_history(store, 0, sim_clock())
        queues = queue_histories(store, 0, sim_clock())
    node, peers = next(iter(nodes.peers.items()))
    queue_id, history = next((q, h) for q, h in queues.items() if len({v for _at, v in h.waiting}) > 1)
    shown = 3  # the replay opens on the fourth poll: three were recorded before it
    at = peers[shown][0]

    app = _replay_app(path, at)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: app.live.node_trends.rows)
        row = next(r for r in app.live.node_trends.rows if r.node == node)
        assert row.peer_history == tuple(int(v) for _at, v in peers[:shown + 1])
        assert app.live.queue_trends.of(queue_id).waiting == tuple(int(v) for _at, v in history.waiting[:shown + 1])
        # A step back: the trends are those before that moment, not the steps taken since the replay opened.
        await pilot.press("left_square_bracket")
        await pilot.pause()
        row = next(r for r in app.live.node_trends.rows if r.node == node)
        assert row.peer_history == tuple(int(v) for _at, v in peers[:shown])
        await pilot.press("3")
        await wait_until(lambda: table(app, "queues").visible_rows())
        await pilot.pause()
        expected = tuple(int(v) for _at, v in history.waiting[:shown])
        assert app.live.queue_trends.of(queue_id).waiting == expected
        assert _trend_cell(app, queue_id) == sparkline_text(expected, TREND_WIDTH)


async def test_rewind_draws_the_trends_recorded_before_the_moment_shown(make_app, sim_clock, tmp_path):
    app = make_app(record=True, store_path=str(tmp_path / "monitor.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        for _ in range(3):
            sim_clock.advance(5)
            await refresh(pilot)
        live_rows = {row.node: row.peer_history for row in app.live.node_trends.rows}
        assert all(len(history) == 4 for history in live_rows.values())

        await pilot.press("R")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        await pilot.pause()
        # One poll back: the recorded history up to it, the latest live sample not yet there.
        rewound = {row.node: row.peer_history for row in app.live.node_trends.rows}
        assert rewound == {node: history[:-1] for node, history in live_rows.items()}
        await pilot.press("escape")
        await pilot.pause()
        assert {row.node: row.peer_history for row in app.live.node_trends.rows} == live_rows
