"""Events pane (key 6): what changed, and when — newest first.

Every event the recorder derives from successive polls (a phone lost its
registration, an agent paused, a queue crossed its threshold, a flow was
set, a call got stuck, the API failed), as it is written; at start, the
recording's latest events; in replay, the events up to the time cursor.
``/`` filters by any column (kind, node, tenant, object); Enter jumps to the
event's object in its pane, filtered to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import on
from textual.app import ComposeResult

from tringtui.live.snapshot import Snapshot
from tringtui.store.events import Event
from tringtui.store.snapshots import SOURCE_REQUESTS
from tringtui.timeparse import format_time
from tringtui.tui.monitor import monitor_of
from tringtui.tui.panes.base import FilterInput, Pane
from tringtui.tui.widgets.keyed_table import Column, KeyedTable
from tringtui.tui.widgets.state_table import STATE_IDLE, STATE_RINGING, STATE_UNREACHABLE, StateTable

# How many events the pane keeps (newest first); older ones stay in the store (tringtui events).
KEEP = 2000

# Where Enter takes an event's object, by the kind's family.
_TARGET_PANE = {"peer": "peers", "agent": "queues", "queue": "queues", "flow": "flows", "call": "channels",
                "node": "nodes"}
_STYLES = {"peer.unregistered": STATE_UNREACHABLE, "node.peers_dropped": STATE_UNREACHABLE,
           "node.channels_zero": STATE_UNREACHABLE, "api.failed": STATE_UNREACHABLE, "call.long": STATE_RINGING,
           "queue.waiting": STATE_RINGING, "queue.longest_wait": STATE_RINGING, "queue.service_level": STATE_RINGING,
           "api.slow": STATE_RINGING, "peer.lagged": STATE_RINGING, "agent.paused": STATE_IDLE}


def event_key(event: Event) -> tuple[float, str, str, str, str]:
    return (event.at, event.kind, event.node, event.object, event.after)


def event_cells(event: Event) -> tuple[str, ...]:
    change = f"{event.before} → {event.after}" if event.before else event.after
    where = "/".join(part for part in (event.node, event.tenant) if part)
    return (format_time(event.at, date=False), event.kind, where, event.object, change, event.detail)


def jump_target(event: Event) -> tuple[str, str] | None:
    """The pane showing an event's object and the filter that finds it there, or None."""
    family = event.kind.partition(".")[0]
    if family == "api":
        source = next((name for name, requests in SOURCE_REQUESTS.items() if requests == event.object), None)
        return (source, "") if source else None
    pane = _TARGET_PANE.get(family)
    if pane is None:
        return None
    needle = event.object.rsplit(" (", 1)[0] if family in ("queue", "flow") else event.object
    return pane, needle


class EventsPane(Pane):
    """The time line of the session: events newest first."""

    pane_id = "events"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._events: list[Event] = []
        self._generation = 0

    def compose_body(self) -> ComposeResult:
        yield StateTable(
            [
                # Narrow (80 columns, the dashboard's half), what changed stays whole: the detail and the
                # node/tenant give way first (the filter still finds them, Enter still goes to the object),
                # then a long object and kind.
                Column("time", "Time", sort_key=lambda e: e.at),
                Column("kind", "Kind", max_width=20, min_width=12, give_way=1),
                Column("where", "Node/Tenant", max_width=24, min_width=0, give_way=3),
                Column("object", "Object", max_width=28, min_width=10, give_way=2),
                Column("change", "Before → after", max_width=40),
                Column("detail", "Detail", flex=1, min_width=0, give_way=4),
            ],
            row_key=event_key,
            cells=event_cells,
            row_style=lambda e: _STYLES.get(e.kind),
            empty_text="No events",
            id="events-table",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(StateTable).sort_by("time", reverse=True)

    def add_events(self, events: Iterable[Event]) -> None:
        """New events (from the recorder): shown at the top."""
        self.show_events([*self._events, *events][-KEEP:])

    def show_events(self, events: Sequence[Event]) -> None:
        """Show exactly these events (at start, and in replay where the cursor decides)."""
        self._events = sorted(events, key=lambda e: e.at)[-KEEP:]
        self._generation += 1
        newest = self._events[-1].at if self._events else None
        self.show_snapshot(Snapshot(self.pane_id, data=tuple(self._events), fetched_at=newest,
                                    generation=self._generation, completed=self._generation))

    def apply(self, data: tuple[Event, ...]) -> None:
        self.query_one(StateTable).set_rows(data)

    @on(KeyedTable.RowSelected, "#events-table")
    def _jump(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        chosen = event.row
        target = jump_target(chosen) if isinstance(chosen, Event) else None
        if target is None:
            self.notify("This event has no object in a pane.", timeout=3)
            return
        pane_id, needle = target
        monitor_of(self).action_show_pane(pane_id)
        if needle:
            pane = self.app.query_one(f"#{pane_id}", Pane)
            # The table first, so the box's change (same text) finds the filter already applied.
            pane.active_table.set_filter(needle)
            pane.filter_text_changed(needle)
            box = pane.query_one(FilterInput)
            box.value = needle
            box.display = True
            pane.refresh_title()
