"""Peers pane: is phone 103 registered? Status, latency, host and node of every peer.

A peer is its node and name: the same name registered on two nodes is two rows.

Sorted by peer name in natural order, and while a filter is typed the peers
whose extension *is* the filter come first, then names starting with it,
then any other match (an IP address containing ``103``): ``/103`` puts
``103-DEVEL`` on the first line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from textual import on
from textual.app import ComposeResult

from tringtui.api.models import Peer, PeerStatus
from tringtui.live.identity import peer_key
from tringtui.live.sources.peers import PeersData
from tringtui.tui.panes.base import Pane
from tringtui.tui.widgets.keyed_table import Column, KeyedTable
from tringtui.tui.widgets.state_table import STATE_IDLE, STATE_RINGING, STATE_UNREACHABLE, StateTable

STATUS_STYLES = {
    PeerStatus.LAGGED: STATE_RINGING,
    PeerStatus.UNREACHABLE: STATE_UNREACHABLE,
    PeerStatus.UNREGISTERED: STATE_IDLE,
    PeerStatus.UNKNOWN: STATE_IDLE,
}


_DIGIT_RUNS = re.compile(r"(\d+)")


@lru_cache(maxsize=65536)
def natural_key(name: str) -> str:
    """``103-DEVEL`` before ``1103-ACME``: digit runs zero-padded so plain string order is natural order.

    A string, not a tuple, because sorting 20,000 peers compares keys in C
    that way; cached because the same names come back every poll.
    """
    return _DIGIT_RUNS.sub(lambda run: run.group(1).rjust(12, "0"), name.lower())


def peer_cells(peer: Peer) -> tuple[str, ...]:
    # "OK (23 ms)": the latency has its own column, so the status shows the word only.
    return (
        peer.name,
        peer.status_text.split(" (")[0],
        "" if peer.latency_ms is None else f"{peer.latency_ms} ms",
        peer.host,
        peer.node,
    )


class PeersPane(Pane):
    """Registration of every phone: status, latency, host, node."""

    pane_id = "peers"

    def compose_body(self) -> ComposeResult:
        yield StateTable(
            [
                Column("name", "Peer", max_width=28, sort_key=self._name_rank),
                Column("status", "Status", max_width=18),
                Column("latency", "Latency", align="right", sort_key=lambda peer: peer.latency_ms),
                Column("host", "Host", max_width=22),
                Column("node", "Node", max_width=20, flex=1),
            ],
            row_key=peer_key,
            cells=peer_cells,
            row_style=lambda peer: STATUS_STYLES.get(peer.status),
            empty_text="No peers",
            id="peers-table",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(StateTable).sort_by("name", reverse=False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._needle = ""

    def _name_rank(self, peer: Peer) -> tuple[int, str]:
        needle = self._needle
        if not needle:
            return (0, natural_key(peer.name))
        name = peer.name.lower()
        rank = 0 if peer.extension == needle or name == needle else 1 if name.startswith(needle) else 2
        return (rank, natural_key(peer.name))

    def filter_text_changed(self, text: str) -> None:
        self._needle = text.strip().lower()
        table = self.query_one(StateTable)
        if table.sort_column == "name":
            table.sort_by("name", reverse=table.sort_reverse)

    def apply(self, data: PeersData) -> None:
        self.query_one(StateTable).set_rows(data.peers)

    @on(KeyedTable.RowSelected)
    async def _show_story(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        await self.action_command("story")
