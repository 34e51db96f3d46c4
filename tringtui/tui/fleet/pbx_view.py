"""``PbxView``: one PBX's tab in the fleet monitor, drawn from its live session's snapshots.

The header names the PBX (its profile's label in its colour, host, tenant,
READ-ONLY), the summary line has the same figures as the single-PBX monitor
(from the core's derived functions), and three tables show its nodes, queues
and calls. ``H`` hangs up the selected call after a confirmation that names
this PBX; read-only PBXs have no such key.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tringtui.api.models import Channel
from tringtui.live.derived import NodeRow, queue_available, queue_waiting
from tringtui.live.fleet import FleetMember
from tringtui.live.sources.queues import QueueRow
from tringtui.tui.panes.base import format_duration
from tringtui.tui.fleet.overview import figure
from tringtui.tui.widgets.header import StatusHeader
from tringtui.tui.widgets.keyed_table import Column, KeyedTable
from tringtui.tui.widgets.summary import SummaryBar


class ChannelsTable(KeyedTable[Channel]):
    """The PBX's calls; ``H`` hangs up the selected one (the fleet app decides whether it may)."""

    BINDINGS = [Binding("H", "app.hang_up", "Hang up")]


class PbxView(Vertical):
    """Everything one PBX's tab shows; ``refresh_from_session`` redraws it from the latest snapshots."""

    DEFAULT_CSS = """
    PbxView { height: 1fr; }
    PbxView .pbx-heading { height: 1; color: $text-muted; text-style: bold; padding: 0 1; }
    PbxView #pbx-nodes { height: auto; max-height: 7; }
    PbxView #pbx-queues { height: auto; max-height: 6; }
    PbxView #pbx-channels { height: 1fr; }
    """

    def __init__(self, member: FleetMember, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.member = member

    def compose(self) -> ComposeResult:
        settings = self.member.settings
        yield StatusHeader(profile=self.member.name, host=settings.server_host, tenant=self.member.session.tenant,
                           demo=settings.demo, readonly=settings.readonly, label=settings.label,
                           label_color=settings.label_color)
        yield SummaryBar(id="summary")
        yield Label("Nodes", classes="pbx-heading", id="pbx-nodes-heading")
        yield KeyedTable[NodeRow](
            [Column("node", "Node", flex=1), Column("peers", "Peers", align="right"),
             Column("channels", "Chans", align="right"), Column("alert", "Alert", width=12)],
            row_key=lambda row: row.node,
            cells=lambda row: (row.node, figure(row.peers), figure(row.channels), row.alert),
            row_style=lambda row: "keyed-table--error" if row.alert else None,
            empty_text="No nodes", id="pbx-nodes",
        )
        yield Label("Queues", classes="pbx-heading", id="pbx-queues-heading")
        yield KeyedTable[QueueRow](
            [Column("queue", "Queue", flex=1), Column("waiting", "Waiting", align="right"),
             Column("available", "Available", align="right"), Column("paused", "Paused", align="right")],
            row_key=lambda row: row.queue.id,
            cells=lambda row: (row.queue.name, str(queue_waiting(row)), figure(queue_available(row)),
                               figure(row.stats.agents_paused if row.stats else None)),
            row_style=lambda row: "keyed-table--warning" if queue_waiting(row) else None,
            empty_text="No queues", id="pbx-queues",
        )
        yield Label("Calls", classes="pbx-heading", id="pbx-channels-heading")
        yield ChannelsTable(
            [Column("channel", "Channel", max_width=28), Column("state", "State", width=8),
             Column("caller", "Caller", max_width=16), Column("exten", "Exten", max_width=12),
             Column("duration", "Dur", align="right", sort_key=lambda c: c.duration),
             Column("node", "Node", flex=1)],
            row_key=lambda channel: channel.uniqueid,
            cells=lambda c: (c.channel, c.state, c.caller_id, c.exten, format_duration(c.duration), c.node),
            row_style=lambda c: "keyed-table--warning" if c.state.lower().startswith("ring") else None,
            empty_text="No calls", id="pbx-channels",
        )

    def on_mount(self) -> None:
        for table in self.query(KeyedTable):
            table.no_data_text = "Waiting for the PBX…"

    def refresh_from_session(self, now: float) -> None:
        session = self.member.session
        self.query_one(SummaryBar).show(session.totals(), str.capitalize)
        self.query_one(StatusHeader).show_last_refresh(session.last_fetched())
        self._fill("pbx-nodes", session.snapshot("nodes"), lambda _data: session.node_trends.rows)
        self._fill("pbx-queues", session.snapshot("queues"), lambda data: data.queues,
                   idle=session.idle_reason("queues"))
        self._fill("pbx-channels", session.snapshot("channels"), lambda data: data.channels)

    def _fill(self, table_id: str, snapshot: Any, rows: Any, idle: str | None = None) -> None:
        table = self.query_one(f"#{table_id}", KeyedTable)
        if snapshot.data is None:
            table.no_data_text = f"No data: {idle or (snapshot.error.marker if snapshot.error else 'waiting for the PBX…')}"
            return
        table.no_data_text = None
        table.set_rows(rows(snapshot.data))

    @property
    def channels_table(self) -> ChannelsTable:
        return self.query_one(ChannelsTable)
