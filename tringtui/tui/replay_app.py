"""Replay: the monitor's panes on recorded data, with a time cursor instead of a live session.

``ReplayApp`` is the monitor with its live session swapped for a
``ReplaySession`` (``tringtui.store.replay``): the same panes, summary and
header render what the store rebuilds at the cursor. There is no client, the
session is read-only (no write key is offered), and nothing is recorded. The
header says REPLAY and the replayed time; the time bar shows where the events
are. Keys: ``[`` / ``]`` one poll back / on, ``{`` / ``}`` the previous / next
event, ``g`` go to a time, Space play / pause, ``<`` / ``>`` slower / faster.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer

from tringtui.settings import Settings
from tringtui.store.replay import SPEEDS, ReplayCursor, ReplaySession
from tringtui.timeparse import format_time
from tringtui.tui.app import TringApp
from tringtui.tui.panes import PANE_CLASSES
from tringtui.tui.panes.events import KEEP as EVENTS_KEPT
from tringtui.tui.panes.events import EventsPane
from tringtui.tui.screens.goto import GotoScreen
from tringtui.tui.widgets.header import StatusHeader
from tringtui.tui.widgets.time_bar import TimeBar

PLAY_TICK = 0.5


class _NoClient:
    """Stands where the monitor keeps its API thread: a replay has no client, so nothing can be sent."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    async def call(self, request: Any) -> Any:
        raise RuntimeError("a replay has no connection to any PBX")


class ReplayApp(TringApp):
    """The monitor on a recording; see the module docstring."""

    BINDINGS = [
        *TringApp.BINDINGS,
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

    def __init__(self, settings: Settings, cursor: ReplayCursor, **kwargs: Any) -> None:
        self.cursor = cursor
        self.playing = False
        self.speed = SPEEDS[0]
        self._play_timer: Timer | None = None
        super().__init__(replace(settings, readonly=True, record=False), clock=lambda: cursor.at, **kwargs)

    def _set_session(self, settings: Settings, pane_tenant: str = "") -> None:
        super()._set_session(settings, pane_tenant)
        # The live session the monitor built never starts: a replay session takes its place.
        self._unsubscribe()
        self.api = _NoClient()  # type: ignore[assignment]
        self.live = ReplaySession(self.cursor, self.live.intervals, tenant=self.pane_tenant)  # type: ignore[assignment]
        self._unsubscribe = self.live.subscribe(self._show_snapshot)
        self.panes = {cls.pane_id: cls(clock=self.clock, live=self.live, commands=self.commands)  # type: ignore[arg-type]
                      for cls in PANE_CLASSES}

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield TimeBar(self.cursor)

    def _start_session(self) -> None:
        self._apply_layout(self.size)
        self.query_one(StatusHeader).show_replay(format_time(self.cursor.at))
        self.panes[self.active_pane].focus_table()
        # The panes take snapshots once the app runs (during mount it does not yet).
        self.call_after_refresh(self._moved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.REPLAY_ACTIONS and self.keys_go_to_input:
            return False
        if action in ("toggle_pause", "refresh_now", "choose_tenant", "switch_profile"):
            return False  # a recording is what it is
        return super().check_action(action, parameters)

    def _moved(self) -> None:
        self.live.publish()  # type: ignore[attr-defined]
        events = self.panes["events"]
        if isinstance(events, EventsPane):
            events.show_events(self.cursor.events(limit=EVENTS_KEPT)[::-1])  # the Events pane follows the cursor
        self.query_one(StatusHeader).show_replay(format_time(self.cursor.at))
        self.query_one(TimeBar).show(playing=self.playing, speed=self.speed)
        self.refresh_chrome()

    def action_step(self, polls: int) -> None:
        self.cursor.step(polls)
        self._moved()

    def action_event(self, direction: int) -> None:
        moved = self.cursor.next_event() if direction > 0 else self.cursor.previous_event()
        if moved is None:
            self.notify("No later event." if direction > 0 else "No earlier event.", timeout=2)
        self._moved()

    def action_goto(self) -> None:
        def go(at: float | None) -> None:
            if at is not None:
                self.cursor.goto(at)
                self._moved()

        self.push_screen(GotoScreen(self.cursor.at, self.cursor.end), go)

    def action_play(self) -> None:
        self.playing = not self.playing
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None
        if self.playing:
            if self.cursor.at >= self.cursor.end:
                self.cursor.goto(self.cursor.start)
            self._play_timer = self.set_interval(PLAY_TICK, self._play_tick)
        self._moved()

    def _play_tick(self) -> None:
        if not self.cursor.play(PLAY_TICK, self.speed):
            self.action_play()  # the end of the recording: stop there
            return
        self._moved()

    def action_speed(self, direction: int) -> None:
        index = SPEEDS.index(self.speed) + direction
        self.speed = SPEEDS[min(max(index, 0), len(SPEEDS) - 1)]
        self._moved()
