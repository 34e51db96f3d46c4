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

from tringtui.settings import Settings
from tringtui.store.replay import ReplayCursor, ReplaySession
from tringtui.timeparse import format_time
from tringtui.tui.app import TringApp
from tringtui.tui.panes import PANE_CLASSES
from tringtui.tui.widgets.header import StatusHeader
from tringtui.tui.widgets.time_bar import TimeBar


class _NoClient:
    """Stands where the monitor keeps its API thread: a replay has no client, so nothing can be sent."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    async def call(self, request: Any) -> Any:
        raise RuntimeError("a replay has no connection to any PBX")


class ReplayApp(TringApp):
    """The monitor on a recording; see the module docstring."""

    def __init__(self, settings: Settings, cursor: ReplayCursor, **kwargs: Any) -> None:
        self.cursor = cursor
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
        if action in ("toggle_pause", "refresh_now", "choose_tenant", "switch_profile", "rewind", "back_to_live"):
            return False  # a recording is what it is, and there is no live session to go back to
        return super().check_action(action, parameters)
