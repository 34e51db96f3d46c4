"""Enter on a node or a queue: a larger chart of its recorded figures, the last hour or (d) day."""

from __future__ import annotations

from tringtui.tui.screens.chart import Chart, ChartScreen, bar_rows, columns_over_time

from tests.tui.conftest import first_data, table, wait_until
from tests.tui.test_replay import recorded, replay_app  # noqa: F401 - the fixture is used by name

__all__ = ["recorded"]


async def test_enter_on_a_node_charts_its_recorded_peers_and_d_switches_to_the_day(recorded):  # noqa: F811
    path, _phone, end = recorded
    app = replay_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: table(app, "nodes").visible_rows())
        node = table(app, "nodes").visible_rows()[0].node
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ChartScreen) and app.screen.query(Chart))
        charts = {chart.label: chart.series for chart in app.screen.query(Chart)}
        assert len(charts["Registered peers"]) == 4  # the four recorded polls
        assert charts["Registered peers"][-1][1] == float(table(app, "nodes").visible_rows()[0].peers)
        assert "last hour" in str(app.screen.query_one("#chart-title").content) and node in str(
            app.screen.query_one("#chart-title").content)
        await pilot.press("d")
        await pilot.pause()
        assert "last day" in str(app.screen.query_one("#chart-title").content)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ChartScreen) and app.cursor is not None


async def test_enter_on_a_queue_in_the_live_monitor_charts_it_from_its_own_recording(make_app, tmp_path):
    app = make_app(record=True, store_path=str(tmp_path / "monitor.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("3")
        await wait_until(lambda: table(app, "queues").visible_rows())
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ChartScreen) and app.screen.query(Chart))
        charts = {chart.label: chart.series for chart in app.screen.query(Chart)}
        assert len(charts["Calls waiting"]) == 1 and len(charts["Service level %"]) == 1


async def test_without_recording_enter_on_a_node_says_there_is_no_chart(make_app, tmp_path):
    app = make_app(record=False, store_path=str(tmp_path / "none.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ChartScreen)
        assert any("not recorded" in str(n.message) for n in app._notifications)


def test_bars_scale_to_the_highest_value_and_blank_before_the_first_poll():
    assert bar_rows([None, 0, 4, 8], 1) == ["  ▄█"]
    assert bar_rows([8.0, 8.0], 2) == ["██", "██"]
    assert bar_rows([None, None], 2) == ["  ", "  "]


def test_columns_follow_time_and_hold_a_figure_until_the_next_poll():
    assert columns_over_time([(0, 1.0), (5, 3.0), (10, 2.0)], 0, 10, 4) == [1.0, 1.0, 3.0, 2.0]
    assert columns_over_time([(5, 1.0), (6, 4.0)], 0, 10, 2) == [None, 4.0]  # the highest in a column
    assert columns_over_time([], 0, 10, 3) == [None, None, None]


def test_node_chart_at_80x24(snap_compare, recorded, utc):  # noqa: F811
    """The first node's recorded peers and channels, the last hour, at 80x24."""
    path, _phone, _end = recorded

    async def shown(pilot) -> None:
        await wait_until(lambda: table(pilot.app, "nodes").visible_rows())
        await pilot.press("enter")
        await wait_until(lambda: isinstance(pilot.app.screen, ChartScreen) and pilot.app.screen.query(Chart))
        await pilot.pause()

    assert snap_compare(replay_app(path), terminal_size=(80, 24), run_before=shown)
