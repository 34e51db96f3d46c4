"""Nodes pane: registered peers and active channels per PBX node, with trends (recorded ones first).

The session keeps each node's history and flags the nodes losing phones
(``tringtui.live.derived.advance_nodes``: a sharp drop, zero, gone from
COUNTPEERS, or NO COUNT); this pane shows them with a marker word and the
theme's alert colour. Its totals are the summary line's own figures.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from tringtui.live.derived import NodeRow, Totals
from tringtui.live.sources.nodes import NodesData
from tringtui.tui.monitor import monitor_of
from tringtui.tui.panes.base import Pane
from tringtui.tui.widgets.keyed_table import Column, KeyedTable
from tringtui.tui.widgets.sparkline_text import sparkline_text
from tringtui.tui.widgets.state_table import STATE_ALERT, StateTable
from tringtui.tui.widgets.trend_sparkline import TrendSparkline

TREND_WIDTH = 10


def _figure(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


class NodesPane(Pane):
    """Per-node registrations and channels with sparklines, totals, and alerts for nodes losing phones."""

    pane_id = "nodes"

    def compose_body(self) -> ComposeResult:
        yield StateTable(
            [
                Column("node", "Node", flex=1, max_width=20),
                Column("peers", "Peers", align="right", sort_key=lambda row: row.peers),
                Column("peer_trend", "Trend", width=TREND_WIDTH),
                Column("channels", "Chans", align="right", sort_key=lambda row: row.channels),
                Column("channel_trend", "Trend", width=TREND_WIDTH),
                Column("alert", "Alert"),
            ],
            row_key=lambda row: row.node,
            cells=node_cells,
            row_style=lambda row: STATE_ALERT if row.alert else None,
            empty_text="No nodes reported",
            id="nodes-table",
        )
        with Horizontal(id="nodes-totals"):
            yield Label("Peers –", id="nodes-total-peers")
            # Hidden until the first counts: an empty sparkline draws a flat line, which reads as zero.
            yield TrendSparkline([], id="nodes-peers-sparkline", classes="-no-data")
            yield Label("Channels –", id="nodes-total-channels")
            yield TrendSparkline([], id="nodes-channels-sparkline", classes="-no-data")

    def apply(self, data: NodesData) -> None:
        trends = self.live.node_trends
        self.query_one(StateTable).set_rows(trends.rows)
        for sparkline_id, history in (("#nodes-peers-sparkline", trends.total_peers),
                                      ("#nodes-channels-sparkline", trends.total_channels)):
            sparkline = self.query_one(sparkline_id, TrendSparkline)
            sparkline.data = list(history)
            sparkline.remove_class("-no-data")

    @on(KeyedTable.RowSelected, "#nodes-table")
    def _chart(self, event: KeyedTable.RowSelected) -> None:
        """Enter on a node: a larger chart of its recorded peers and channels."""
        event.stop()
        if event.key is not None:
            monitor_of(self).open_chart("node", str(event.key))

    def show_totals(self, totals: Totals) -> None:
        """The pane's totals line: the same figures as the summary line's."""
        self.query_one("#nodes-total-peers", Label).update(f"Peers {_figure(totals.peers_registered)}")
        self.query_one("#nodes-total-channels", Label).update(f"Channels {_figure(totals.channels)}")


def node_cells(row: NodeRow) -> tuple[str, ...]:
    return (
        row.node,
        _figure(row.peers),
        sparkline_text(row.peer_history, TREND_WIDTH),
        _figure(row.channels),
        sparkline_text(row.channel_history, TREND_WIDTH),
        row.alert,
    )
