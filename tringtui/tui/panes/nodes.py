"""Nodes pane: registered peers and active channels per PBX node, with trends since start.

A node whose registrations fall sharply (more than ``DROP_ALERT_FRACTION``
below its recent maximum), reach zero, that vanishes from COUNTPEERS, or that
is listed without a number (NO COUNT: its Asterisk did not answer) is
flagged with a marker word and the theme's alert colour: phones falling off a
node is the first sign of a node or network problem. With a tenant's key the
counts are that tenant's: nodes hosting none of its phones are normal then,
and flagged only once they have had some of them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Sparkline

from tringtui.api.models import NodeCounts
from tringtui.tui.panes.base import Pane
from tringtui.tui.widgets.keyed_table import Column
from tringtui.tui.widgets.sparkline_text import sparkline_text
from tringtui.tui.widgets.state_table import STATE_ALERT, StateTable

if TYPE_CHECKING:
    from tringtui.api.client import TringClient

HISTORY_LENGTH = 120
"""Samples kept per node for the trend columns and totals (2 h at the default 60 s… 30 min at 15 s)."""
RECENT_SAMPLES = 20
"""Samples the drop alert compares against: the recent maximum, not the all-time one."""
DROP_ALERT_FRACTION = 0.2
TREND_WIDTH = 10


@dataclass(frozen=True, slots=True)
class NodesSnapshot:
    """One poll of the nodes pane: COUNTPEERS and COUNTCHANNELS."""

    peers: NodeCounts
    channels: NodeCounts
    tenant_scoped: bool = False  # the counts are one tenant's, not the whole PBX's


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One node's line: current counts, their history, and why it is flagged ("" when fine)."""

    node: str
    peers: int | None
    channels: int | None
    peer_trend: str
    channel_trend: str
    alert: str


def peer_alert(current: int | None, recent: list[int], *, had_peers: bool = True) -> str:
    """The marker for a node's registrations: gone, zero, or a sharp drop against its recent maximum.

    ``had_peers=False`` says zero is this node's normal (a tenant's view of a node without its phones).
    """
    if not had_peers and not current:
        return ""
    if current is None:
        return "MISSING"
    if current == 0:
        return "NO PEERS"
    peak = max(recent, default=0)
    if peak and current < peak * (1 - DROP_ALERT_FRACTION):
        return f"DROP -{round(100 * (peak - current) / peak)}%"
    return ""


def _figure(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


class NodesPane(Pane):
    """Per-node registrations and channels with sparklines, totals, and alerts for nodes losing phones."""

    pane_id = "nodes"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._peer_history: dict[str, deque[int]] = {}
        self._channel_history: dict[str, deque[int]] = {}
        self._total_peers: deque[int] = deque(maxlen=HISTORY_LENGTH)
        self._total_channels: deque[int] = deque(maxlen=HISTORY_LENGTH)

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
            cells=lambda row: (
                row.node,
                _figure(row.peers),
                row.peer_trend,
                _figure(row.channels),
                row.channel_trend,
                row.alert,
            ),
            row_style=lambda row: STATE_ALERT if row.alert else None,
            empty_text="No nodes reported",
            id="nodes-table",
        )
        with Horizontal(id="nodes-totals"):
            yield Label("Peers –", id="nodes-total-peers")
            # Hidden until the first counts: an empty sparkline draws a flat line, which reads as zero.
            yield Sparkline([], id="nodes-peers-sparkline", classes="-no-data")
            yield Label("Channels –", id="nodes-total-channels")
            yield Sparkline([], id="nodes-channels-sparkline", classes="-no-data")

    async def fetch(self, client: TringClient) -> NodesSnapshot:
        peers = await client.count_peers()
        channels = await client.count_channels()
        return NodesSnapshot(peers=peers, channels=channels, tenant_scoped=bool(client.tenant))

    def apply(self, data: NodesSnapshot) -> None:
        peers = data.peers.as_dict()
        channels = data.channels.as_dict()
        for node in (*peers, *channels):
            self._peer_history.setdefault(node, deque(maxlen=HISTORY_LENGTH))
            self._channel_history.setdefault(node, deque(maxlen=HISTORY_LENGTH))
        rows = []
        uncounted = set(data.peers.uncounted)
        for node, peer_history in self._peer_history.items():
            current = peers.get(node)
            recent = list(peer_history)[-RECENT_SAMPLES:]
            had_peers = not data.tenant_scoped or any(peer_history)
            alert = "NO COUNT" if node in uncounted else peer_alert(current, recent, had_peers=had_peers)
            if current is not None:
                peer_history.append(current)
            channel_history = self._channel_history[node]
            if channels.get(node) is not None:
                channel_history.append(channels[node])
            rows.append(
                NodeRow(
                    node=node,
                    peers=current,
                    channels=channels.get(node),
                    peer_trend=sparkline_text(peer_history, TREND_WIDTH),
                    channel_trend=sparkline_text(channel_history, TREND_WIDTH),
                    alert=alert,
                )
            )
        self.query_one(StateTable).set_rows(rows)
        self._total_peers.append(data.peers.total)
        self._total_channels.append(data.channels.total)
        self.query_one("#nodes-total-peers", Label).update(f"Peers {data.peers.total:,}")
        self.query_one("#nodes-total-channels", Label).update(f"Channels {data.channels.total:,}")
        for sparkline_id, history in (("#nodes-peers-sparkline", self._total_peers),
                                      ("#nodes-channels-sparkline", self._total_channels)):
            sparkline = self.query_one(sparkline_id, Sparkline)
            sparkline.data = list(history)
            sparkline.remove_class("-no-data")

    @property
    def alerting_nodes(self) -> list[str]:
        return [row.node for row in self.query_one(StateTable).visible_rows() if row.alert]
