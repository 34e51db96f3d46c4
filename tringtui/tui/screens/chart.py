"""A larger chart of one node's or queue's recorded figures (Enter on a node or queue): the last hour or day."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tringtui.store.history import Series
from tringtui.timeparse import format_time

WINDOWS = {"hour": 3600.0, "day": 86400.0}
BLOCKS = " ▁▂▃▄▅▆▇█"


def columns_over_time(series: Series, start: float, end: float, width: int) -> list[float | None]:
    """One value per column, time running from ``start`` to ``end``: the highest polled in the column,
    else the last one before it (a figure holds until the next poll); None before the first poll."""
    columns: list[float | None] = [None] * width
    span = max(end - start, 1e-9)
    for at, value in series:
        index = min(width - 1, max(0, int((at - start) / span * width)))
        held = columns[index]
        columns[index] = value if held is None else max(held, value)
    last: float | None = None
    for index, value in enumerate(columns):
        if value is None:
            columns[index] = last
        else:
            last = value
    return columns


def bar_rows(columns: list[float | None], height: int) -> list[str]:
    """Columns as bars of block characters, ``height`` lines, scaled from zero to the highest value."""
    top = max((value for value in columns if value is not None), default=0.0) or 1.0
    eighths = [-1 if value is None else round(value / top * height * 8) for value in columns]
    return ["".join(" " if level < 0 else BLOCKS[min(max(level - line * 8, 0), 8)] for level in eighths)
            for line in reversed(range(height))]


class Chart(Static):
    """One figure's series, drawn as bars, with its latest, lowest and highest values."""

    def __init__(self, label: str, series: Series, start: float, end: float) -> None:
        super().__init__(classes="chart")
        self.label = label
        self.series = series
        self.start = start
        self.end = end

    def render(self) -> Text:
        values = [value for _at, value in self.series]
        heading = f"{self.label}: no data recorded in this window"
        if values:
            heading = f"{self.label}  now {values[-1]:,.0f}  min {min(values):,.0f}  max {max(values):,.0f}"
        text = Text(heading + "\n", style="bold")
        columns = columns_over_time(self.series, self.start, self.end, self.size.width)
        text.append("\n".join(bar_rows(columns, max(self.size.height - 1, 1))))
        return text


class ChartScreen(ModalScreen[None]):
    """Charts of ``load(window)`` (label → series) up to ``until``; ``d`` / ``h`` switch day and hour."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("d", "window('day')", "Day"),
        Binding("h", "window('hour')", "Hour"),
    ]

    def __init__(self, title: str, until: float, load: Callable[[float], Mapping[str, Series]]) -> None:
        super().__init__()
        self.chart_title = title
        self.until = until
        self.load = load
        self.window = "hour"

    def compose(self) -> ComposeResult:
        with Vertical(id="chart-dialog", classes="dialog"):
            yield Label("", id="chart-title", classes="dialog-title")
            yield Vertical(id="chart-body")
            yield Label("h: last hour   d: last day   Esc: close", classes="dialog-hint")

    async def on_mount(self) -> None:
        await self._draw()

    async def action_window(self, window: str) -> None:
        self.window = window
        await self._draw()

    async def _draw(self) -> None:
        span = WINDOWS[self.window]
        charts = self.load(span)
        # A recording shorter than the window fills the width: from its first poll, said in the title.
        first = min((series[0][0] for series in charts.values() if series), default=self.until - span)
        start = max(self.until - span, first)
        self.query_one("#chart-title", Label).update(
            f"{self.chart_title} — last {self.window}: {format_time(start)} to {format_time(self.until, date=False)}")
        body = self.query_one("#chart-body", Vertical)
        await body.remove_children()
        await body.mount_all([Chart(label, series, start, self.until) for label, series in charts.items()])
