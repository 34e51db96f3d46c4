"""Channels pane: the active calls, with durations that keep ticking between refreshes.

Rows are keyed by the channel's uniqueid, so the cursor stays on its call
across refreshes. The duration shown is the server's duration plus the time
since that snapshot was fetched, so it moves every second even when CHANNELS
is polled every few seconds. Enter opens the channel's full CHANNEL detail.
"""

from __future__ import annotations

from typing import NamedTuple

from textual import on
from textual.app import ComposeResult

from tringtui.api.models import Channel
from tringtui.live.identity import channel_key
from tringtui.live.sources.channels import ChannelsData
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


class ChannelsPane(Pane):
    """Active calls: channel, caller, destination, state, duration, node, tenant, bridged-to channel."""

    pane_id = "channels"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: dict[str, ChannelRow] = {}
        self._elapsed = 0

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

    def apply(self, data: ChannelsData) -> None:
        self._elapsed = 0
        self._rows = {channel_key(channel): ChannelRow(channel, 0) for channel in data.channels}
        self.query_one(StateTable).set_rows(self._rows.values())

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
        table = self.query_one(StateTable)
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
