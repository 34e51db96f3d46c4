"""Sparklines draw what the samples say: one sample or a steady figure is a level line, not a peak."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tringtui.tui.widgets.sparkline_text import BLOCKS, LEVEL_BLOCK, sparkline_text
from tringtui.tui.widgets.trend_sparkline import TrendSparkline

FULL = BLOCKS[-1]


def test_one_sample_draws_a_level_block_not_a_full_bar():
    assert sparkline_text([42], 10) == LEVEL_BLOCK
    assert LEVEL_BLOCK not in (FULL, BLOCKS[0])


def test_a_steady_series_draws_a_flat_line_half_way_up():
    assert sparkline_text([7, 7, 7, 7], 10) == LEVEL_BLOCK * 4
    # Only the shown part counts: older different values scrolled out.
    assert sparkline_text([1, 9, 5, 5], 2) == LEVEL_BLOCK * 2


def test_zeros_stay_at_the_bottom_and_a_real_trend_is_scaled_from_zero():
    assert sparkline_text([0, 0, 0], 10) == BLOCKS[0] * 3
    assert sparkline_text([0], 10) == BLOCKS[0]
    assert sparkline_text([8, 4, 0], 10) == FULL + BLOCKS[4] + BLOCKS[0]
    assert sparkline_text([], 10) == ""


class _SparklineApp(App[None]):
    def __init__(self, data: list[float]) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        yield TrendSparkline(self.data, id="spark")


def _drawn(app: App[None]) -> str:
    return "".join(segment.text for segment in app.query_one(TrendSparkline).render_line(0))


async def test_the_widget_draws_one_sample_as_a_level_line():
    app = _SparklineApp([120])
    async with app.run_test(size=(30, 3)) as pilot:
        await pilot.pause()
        drawn = _drawn(app)
        assert drawn == LEVEL_BLOCK * 30
        assert FULL not in drawn


async def test_the_widget_draws_a_moving_series_as_textual_does():
    app = _SparklineApp([1, 5, 10])
    async with app.run_test(size=(30, 3)) as pilot:
        await pilot.pause()
        drawn = _drawn(app)
        assert FULL in drawn and BLOCKS[0] in drawn  # the highest sample at the top, the lowest at the bottom
