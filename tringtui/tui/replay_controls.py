"""The time keys of a replay, shared by ``tringtui replay`` and a monitor rewound into its own recording.

``[`` / ``]`` one poll back / on, ``{`` / ``}`` the previous / next event,
``g`` go to a time, Space play / pause, ``<`` / ``>`` slower / faster. The
app that mixes this in keeps a ``ReplayCursor`` in ``self.cursor`` (None while
live, when these keys are off), a ``ReplaySession`` as ``self.live``, and a
``TimeBar`` on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.timer import Timer

from tringtui.store.replay import SPEEDS, ReplayCursor
from tringtui.timeparse import format_time
from tringtui.tui.panes.events import KEEP as EVENTS_KEPT
from tringtui.tui.panes.events import EventsPane
from tringtui.tui.screens.goto import GotoScreen
from tringtui.tui.widgets.header import StatusHeader
from tringtui.tui.widgets.time_bar import TimeBar

if TYPE_CHECKING:
    from textual.app import App

PLAY_TICK = 0.5

REPLAY_BINDINGS = [
    Binding("left_square_bracket", "step(-1)", "Poll back", priority=True),
    Binding("right_square_bracket", "step(1)", "Poll on", priority=True),
    Binding("left_curly_bracket", "event(-1)", "Event back", priority=True),
    Binding("right_curly_bracket", "event(1)", "Event on", priority=True),
    Binding("g", "goto", "Go to", priority=True),
    Binding("space", "play", "Play", priority=True),
    Binding("less_than_sign", "speed(-1)", "Slower", show=False, priority=True),
    Binding("greater_than_sign", "speed(1)", "Faster", show=False, priority=True),
]
REPLAY_ACTIONS = frozenset({"step", "event", "goto", "play", "speed"})


class ReplayControls:
    """The time-key actions; see the module docstring."""

    cursor: ReplayCursor | None
    playing: bool = False
    speed: float = SPEEDS[0]
    _play_timer: Timer | None = None
    live: Any
    panes: dict[str, Any]

    if TYPE_CHECKING:
        query_one = App.query_one
        notify = App.notify
        push_screen = App.push_screen
        set_interval = App.set_interval

        def refresh_chrome(self) -> None: ...

    @property
    def replay_cursor(self) -> ReplayCursor:
        assert self.cursor is not None, "a time key while live"
        return self.cursor

    def _moved(self) -> None:
        cursor = self.replay_cursor
        self.live.publish()
        events = self.panes["events"]
        if isinstance(events, EventsPane):
            events.show_events(cursor.events(limit=EVENTS_KEPT)[::-1])  # the Events pane follows the cursor
        self.query_one(StatusHeader).show_replay(format_time(cursor.at))
        self.query_one(TimeBar).show(playing=self.playing, speed=self.speed)
        self.refresh_chrome()

    def action_step(self, polls: int) -> None:
        self.replay_cursor.step(polls)
        self._moved()

    def action_event(self, direction: int) -> None:
        cursor = self.replay_cursor
        moved = cursor.next_event() if direction > 0 else cursor.previous_event()
        if moved is None:
            self.notify("No later event." if direction > 0 else "No earlier event.", timeout=2)
        self._moved()

    def action_goto(self) -> None:
        cursor = self.replay_cursor

        def go(at: float | None) -> None:
            if at is not None:
                cursor.goto(at)
                self._moved()

        self.push_screen(GotoScreen(cursor.at, cursor.end), go)

    def action_play(self) -> None:
        self.playing = not self.playing
        self._stop_playing_timer()
        if self.playing:
            cursor = self.replay_cursor
            if cursor.at >= cursor.end:
                cursor.goto(cursor.start)
            self._play_timer = self.set_interval(PLAY_TICK, self._play_tick)
        self._moved()

    def _stop_playing_timer(self) -> None:
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None

    def _play_tick(self) -> None:
        if not self.replay_cursor.play(PLAY_TICK, self.speed):
            self.action_play()  # the end of the recording: stop there
            return
        self._moved()

    def action_speed(self, direction: int) -> None:
        index = SPEEDS.index(self.speed) + direction
        self.speed = SPEEDS[min(max(index, 0), len(SPEEDS) - 1)]
        self._moved()
