"""Channels pane: the active calls, with durations that keep ticking between refreshes.

Rows are keyed by the channel's uniqueid, so the cursor stays on its call
across refreshes. The duration shown is the server's duration plus the time
since that snapshot was fetched, so it moves every second even when CHANNELS
is polled every few seconds. Enter opens the channel's full CHANNEL detail.

``c`` shows calls instead of channels (``tringtui.live.calls`` groups the
legs; the choice is remembered in the state file): one row per call, both
parties, direction, state and duration; ``e`` expands a call into its legs,
Enter opens its story. The title counts both, channels and calls.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from tringtui.api.models import Channel
from tringtui.config.paths import state_file
from tringtui.config.state import remember_view, remembered_view
from tringtui.live.calls import Call, party
from tringtui.live.identity import channel_key
from tringtui.live.sources.channels import ChannelsData, calls_of
from tringtui.tui.monitor import monitor_of
from tringtui.tui.panes.base import Pane, format_duration
from tringtui.tui.widgets.keyed_table import Column, KeyedTable
from tringtui.tui.widgets.state_table import STATE_RINGING, STATE_UNREACHABLE, STATE_UP, StateTable

STATE_STYLES = {
    "up": STATE_UP,
    "ring": STATE_RINGING,
    "ringing": STATE_RINGING,
    "dialing": STATE_RINGING,
    "busy": STATE_UNREACHABLE,
}


class ChannelRow(NamedTuple):
    """A channel plus the whole seconds elapsed since its snapshot was fetched.

    A tuple, not a dataclass: every second 10,000 of them are rebuilt so the
    durations tick, and tuples are many times cheaper to create.
    """

    channel: Channel
    elapsed: int

    @property
    def duration(self) -> int:
        return self.channel.duration + self.elapsed


def channel_cells(row: ChannelRow) -> tuple[str, ...]:
    channel = row.channel
    return (
        channel.channel,
        channel.state,
        format_duration(row.duration),
        channel.caller_id,
        channel.exten,
        channel.node,
        channel.tenant,
        channel.bridged_to,
    )


class CallRow(NamedTuple):
    """A call (its legs grouped) plus the seconds since its snapshot; ``channel`` is its first leg,
    which the channel commands (details, transfer) act on."""

    call: Call
    elapsed: int
    expanded: bool

    @property
    def channel(self) -> Channel:
        return self.call.first

    @property
    def duration(self) -> int:
        return self.call.duration + self.elapsed


class LegRow(NamedTuple):
    """One leg of an expanded call, shown under it; commands act on this leg alone."""

    channel: Channel
    elapsed: int
    parent: Call

    @property
    def duration(self) -> int:
        return self.channel.duration + self.elapsed


def call_key(row: CallRow | LegRow) -> str:
    return row.call.key if isinstance(row, CallRow) else "leg:" + channel_key(row.channel)


def call_cells(row: CallRow | LegRow) -> tuple[str, ...]:
    if isinstance(row, LegRow):
        leg = row.channel
        return ("└ " + leg.channel, party(leg), "", leg.state, format_duration(row.duration), leg.node,
                leg.tenant, "")
    call = row.call
    marker = "▾ " if row.expanded else ("▸ " if len(call.legs) > 1 else "· ")
    return (marker + call.caller, call.callee, call.direction, call.state, format_duration(row.duration), call.node,
            call.tenant, str(len(call.legs)))


def _by_call(value: Callable[[Call], Any]) -> Callable[[CallRow | LegRow], Any]:
    """A sort key that keeps a call's legs right under it: the call's value, then the leg's place."""

    def key(row: CallRow | LegRow) -> Any:
        if isinstance(row, CallRow):
            return (value(row.call), 0, "")
        return (value(row.parent), 1, row.channel.uniqueid)

    return key


GROUPING_STATE = "channels_grouping"
"""The state file's name for the choice: ``calls`` or ``channels``."""


class ChannelsPane(Pane):
    """Active calls: channel, caller, destination, state, duration, node, tenant, bridged-to channel;
    or (``c``) one row per call."""

    pane_id = "channels"
    BINDINGS = [
        Binding("c", "toggle_calls", "Calls", priority=True),
        Binding("e", "expand_call", "Expand", show=False, priority=True),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: dict[str, ChannelRow] = {}
        self._elapsed = 0
        self._calls: list[Call] = []
        self._expanded: set[str] = set()
        self.grouped = remembered_view(state_file(os.environ), GROUPING_STATE) == "calls"

    def compose_body(self) -> ComposeResult:
        yield StateTable(
            # State and duration next to the channel: at 80 columns the later ones need scrolling (left/right).
            [
                Column("channel", "Channel", max_width=28),
                Column("state", "State"),
                # Sorted by the fetched duration: rows tick at different moments (see tick).
                Column("duration", "Duration", align="right", sort_key=lambda row: row.channel.duration),
                Column("caller", "Caller", max_width=14),
                Column("destination", "Dest", max_width=14),
                Column("node", "Node", max_width=16),
                Column("tenant", "Tenant", max_width=12),
                Column("bridged", "Bridged to", max_width=26, flex=1),
            ],
            row_key=lambda row: channel_key(row.channel),
            cells=channel_cells,
            row_style=lambda row: STATE_STYLES.get(row.channel.state.lower()),
            empty_text="No active calls",
            select_description="Details",
            id="channels-table",
        )
        yield StateTable(
            [
                Column("caller", "Caller", max_width=28, sort_key=_by_call(lambda c: c.caller)),
                Column("callee", "Other party", max_width=22, sort_key=_by_call(lambda c: c.callee)),
                Column("direction", "Dir", sort_key=_by_call(lambda c: c.direction)),
                Column("state", "State", sort_key=_by_call(lambda c: c.state)),
                Column("duration", "Duration", align="right", sort_key=_by_call(lambda c: c.duration)),
                Column("node", "Node", max_width=16, sort_key=_by_call(lambda c: c.node)),
                Column("tenant", "Tenant", max_width=12, sort_key=_by_call(lambda c: c.tenant)),
                Column("legs", "Legs", align="right", sort_key=_by_call(lambda c: len(c.legs))),
            ],
            row_key=call_key,
            cells=call_cells,
            row_style=lambda row: STATE_STYLES.get((row.call.state if isinstance(row, CallRow)
                                                     else row.channel.state).lower()),
            empty_text="No active calls",
            select_description="Story",
            id="calls-table",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._show_grouping()

    @property
    def channels_table(self) -> StateTable:
        return self.query_one("#channels-table", StateTable)

    @property
    def calls_table(self) -> StateTable:
        return self.query_one("#calls-table", StateTable)

    @property
    def active_table(self) -> StateTable:
        return self.calls_table if self.grouped else self.channels_table

    @property
    def calls(self) -> list[Call]:
        """The calls of the last snapshot, oldest first."""
        return self._calls

    @on(KeyedTable.CursorRowGone, "#channels-table")
    def _selected_call_ended(self, event: KeyedTable.CursorRowGone) -> None:
        # The cursor now sits on another call: say so, so that the next H is never a surprise. A session
        # that cannot write (read-only, a replay stepping through calls) has no H to surprise.
        if monitor_of(self).readonly:
            return
        now = event.row.channel.channel if event.row is not None else "no call"
        self.app.notify(f"The selected call has ended; the cursor moved to {now}.",
                        title="Selection moved", severity="warning", timeout=6, markup=False)

    def show_best_match(self, table: KeyedTable[Any], text: str) -> None:
        """The filter also matches the "Bridged to" column: a row whose *own* channel matches comes
        first (exactly, then starting with it, then containing it), not the other leg of that call."""
        needle = text.strip().lower()
        if not needle:
            table.action_cursor_first()
            return
        ranked = [
            (0 if name == needle else 1 if name.startswith(needle) else 2, position, row)
            for position, row in enumerate(table.visible_rows())
            if needle in (name := row.channel.channel.lower())
        ]
        if ranked:
            table.move_cursor(channel_key(min(ranked, key=lambda item: item[:2])[2].channel))
        else:
            table.action_cursor_first()

    def apply(self, data: ChannelsData) -> None:
        self._elapsed = 0
        self._rows = {channel_key(channel): ChannelRow(channel, 0) for channel in data.channels}
        self.channels_table.set_rows(self._rows.values())
        self._calls = list(calls_of(data))
        self._expanded &= {call.key for call in self._calls}
        self._show_calls()

    def _show_calls(self) -> None:
        rows: list[CallRow | LegRow] = []
        for call in self._calls:
            expanded = call.key in self._expanded
            rows.append(CallRow(call, self._elapsed, expanded))
            if expanded:
                rows.extend(LegRow(leg, self._elapsed, call) for leg in call.legs)
        self.calls_table.set_rows(rows)

    def counts_text(self) -> str:
        """Both counts: ``12 calls · 25 ch`` (the shown view first; a filter shows shown/total)."""
        if self.snapshot.data is None:
            return "–"
        channels, calls = len(self._rows), len(self._calls)
        table = self.active_table
        shown = f"{table.row_count:,}/" if table.filter_text else ""
        if self.grouped:
            return f"{shown}{calls:,} calls · {channels:,} ch"
        return f"{shown}{channels:,} ch · {calls:,} calls"

    def action_toggle_calls(self) -> None:
        """Calls or channels; the choice is remembered for the next start."""
        self.grouped = not self.grouped
        self._show_grouping()
        try:
            remember_view(state_file(os.environ), GROUPING_STATE, "calls" if self.grouped else "channels")
        except OSError as exc:
            self.app.notify(f"Could not remember the choice: {exc.strerror}", severity="warning")

    def _show_grouping(self) -> None:
        self.calls_table.display = self.grouped
        self.channels_table.display = not self.grouped
        if self.is_attached and self.app.focused in (self.calls_table, self.channels_table):
            self.focus_now(self.active_table)
        self.refresh_title()
        self.refresh_bindings()

    def action_expand_call(self) -> None:
        """Show (or hide) the legs of the call under the cursor."""
        if not self.grouped:
            return
        row = self.calls_table.cursor_row
        call = row.call if isinstance(row, CallRow) else row.parent if isinstance(row, LegRow) else None
        if call is None:
            return
        self._expanded.symmetric_difference_update({call.key})
        self._show_calls()
        self.calls_table.move_cursor(call.key)

    def tick(self) -> None:
        """Advance the durations of the calls on screen.

        Only the rows in view get a new value: the table re-renders (and
        re-filters) just those, so ticking costs the same at 40 calls or
        10,000. A row scrolled into view catches up at the next tick.
        """
        super().tick()
        fetched_at = self.snapshot.fetched_at
        if fetched_at is None:
            return
        elapsed = int(self.clock() - fetched_at)
        if elapsed == self._elapsed:
            return
        self._elapsed = elapsed
        if self.grouped:
            self._show_calls()
            return
        table = self.channels_table
        top = table.scroll_offset.y
        rows = self._rows
        for row in table.visible_rows()[top : top + table.size.height]:
            key = channel_key(row.channel)
            if key in rows:
                rows[key] = ChannelRow(row.channel, elapsed)
        table.set_rows(rows.values())

    @on(KeyedTable.RowSelected, "#channels-table")
    async def _show_details(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        await self.action_command("details")

    @on(KeyedTable.RowSelected, "#calls-table")
    async def _show_story(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        await self.action_command("story" if isinstance(event.row, CallRow) else "details")
