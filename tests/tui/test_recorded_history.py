"""The Nodes pane's trends start with what the store recorded before the monitor started."""

from __future__ import annotations

from tringtui.store import Store
from tringtui.store.history import node_history, recorded_node_trends

from tests.store.conftest import make_recording
from tests.tui.conftest import first_data, wait_until

RECORDED_POLLS = 4


async def test_nodes_trends_begin_with_the_recorded_window(make_app, admin_client, sim_clock, sim_pbx, tmp_path):
    path = tmp_path / "earlier.sqlite"
    recording = make_recording(admin_client, sim_clock, path)
    await recording.step(0)
    for _ in range(RECORDED_POLLS - 1):
        await recording.step()
    recording.recorder.close()
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


async def test_without_recording_the_trends_start_empty(make_app, tmp_path):
    app = make_app(record=False, store_path=str(tmp_path / "none.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert all(len(row.peer_history) == 1 for row in app.live.node_trends.rows)


def test_an_empty_store_gives_empty_trends(tmp_path):
    with Store(tmp_path / "empty.sqlite") as store:
        trends = recorded_node_trends(store, until=1e9)
    assert trends.rows == () and trends.total_peers == ()
