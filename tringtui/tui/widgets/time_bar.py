"""The replay's time bar: where the cursor is in the recording, where the events are, and how it plays."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tringtui.store.replay import ReplayCursor
from tringtui.timeparse import format_time

EVENT_MARK = "┃"
CURSOR_MARK = "●"
TRACK = "─"


class TimeBar(Static):
    """One line: start time, the track with event marks and the cursor, end time, play state."""

    DEFAULT_CSS = """
    TimeBar {
        height: 1;
        background: $panel;
    }
    """

    def __init__(self, cursor: ReplayCursor) -> None:
        super().__init__(id="time-bar")
        self.cursor = cursor
        self.playing = False
        self.speed = 1.0

    def show(self, *, playing: bool, speed: float) -> None:
        self.playing, self.speed = playing, speed
        self.refresh()

    def render(self) -> Text:
        cursor = self.cursor
        start, end = format_time(cursor.start, date=False), format_time(cursor.end, date=False)
        state = f" {'▶' if self.playing else '❚❚'} {self.speed:g}x "
        width = max(10, self.size.width - len(start) - len(end) - len(state) - 4)
        track = [TRACK] * width
        for column in cursor.event_positions(width):
            track[column] = EVENT_MARK
        position = cursor.cursor_position(width)
        text = Text(f" {start} ", style="dim")
        text.append("".join(track[:position]), style="bold")
        text.append(CURSOR_MARK, style="bold reverse")
        text.append("".join(track[position + 1:]), style="dim")
        text.append(f" {end} ", style="dim")
        text.append(state, style="bold")
        return text
