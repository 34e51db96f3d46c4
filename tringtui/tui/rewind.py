"""Rewinding a running monitor into its own recording, and back to live with Esc.

While rewound, the screen shows a ``ReplaySession`` on the store the monitor
is writing; the live session goes on polling and recording behind it, so
nothing is lost and going back is instant. Writes are impossible meanwhile:
the session is read-only (no write key is offered) and ``call_api`` refuses
every request (the pollers have their own path to the API thread).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tringtui.live.session import LiveSession
from tringtui.store import Store
from tringtui.store.replay import ReplayCursor, ReplaySession
from tringtui.store.timeline import recorded_writes
from tringtui.tui.widgets.header import StatusHeader
from tringtui.tui.widgets.time_bar import TimeBar

if TYPE_CHECKING:
    from tringtui.tui.app import TringApp


class Rewind:
    """What a rewind changed on the app, to be put back by ``stop``."""

    def __init__(self, live: LiveSession, store: Store, readonly: bool) -> None:
        self.live = live
        self.store = store
        self.readonly = readonly

    @classmethod
    def start(cls, app: TringApp) -> Rewind:
        app.recording.flush()  # the latest poll is on screen: it must be in the store too
        store = Store(app.recording.path, readonly=True)  # its own connection: the writer thread has the other
        try:
            cursor = ReplayCursor(store, writes=recorded_writes(store, app.settings.audit_path or None))
        except Exception:
            store.close()
            raise
        rewind = cls(app.live, store, app.readonly)
        app._unsubscribe()
        replay = ReplaySession(cursor, app.live.intervals, tenant=app.pane_tenant)
        app.cursor = cursor
        app.live = replay  # type: ignore[assignment]
        app.readonly = True
        app._unsubscribe = replay.subscribe(app._show_snapshot)
        for pane in app.panes.values():
            pane.live = replay  # type: ignore[assignment]
            pane.clock = lambda: cursor.at  # ages as they were at the moment shown
        app.mount(TimeBar(cursor), before=app.query_one("MonitorFooter"))
        return rewind

    def stop(self, app: TringApp) -> None:
        """Back to live: the live session's panes, subscription and rights; the time bar goes."""
        app._unsubscribe()
        app.cursor = None
        app.live = self.live
        app.readonly = self.readonly
        app._unsubscribe = self.live.subscribe(app._show_snapshot)
        for pane in app.panes.values():
            pane.live = self.live
            pane.clock = app.clock
        app.query_one(TimeBar).remove()
        app.query_one(StatusHeader).show_replay(None)
        for source in self.live.sources:
            app._show_snapshot(self.live.snapshot(source))
        self.close()

    def close(self) -> None:
        self.store.close()
