"""Flows & BLFs pane: each flow's number, name, state and value, and every extension's BLF state."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.widgets import Label

from tringtui.live.identity import blf_key, flow_key, numbered_blfs
from tringtui.live.sources.flows import FlowsData
from tringtui.tui.panes.base import Pane
from tringtui.tui.widgets.keyed_table import Column
from tringtui.tui.widgets.state_table import STATE_PAUSED, STATE_RINGING, STATE_UNREACHABLE, STATE_UP, StateTable

# Asterisk device states (BLFs, and the state a flow follows) to row colours.
DEVICE_STATE_STYLES = {
    "INUSE": STATE_UP,
    "BUSY": STATE_UP,
    "RINGING": STATE_RINGING,
    "RINGINUSE": STATE_RINGING,
    "ONHOLD": STATE_PAUSED,
    "UNAVAILABLE": STATE_UNREACHABLE,
    "INVALID": STATE_UNREACHABLE,
}


def _since(timestamp: datetime | None) -> str:
    return timestamp.strftime("%Y-%m-%d %H:%M:%S") if timestamp else ""


class FlowsPane(Pane):
    """Flows (day/night style switches) and BLF device states per extension."""

    pane_id = "flows"
    tenant_scoped = True

    def compose_body(self) -> ComposeResult:
        yield StateTable(
            [
                Column("number", "Number"),
                Column("name", "Flow", flex=1, max_width=28),
                Column("state", "State"),
                Column("value", "Value", max_width=20),
                Column("extension", "Follows", max_width=16),
            ],
            row_key=flow_key,
            cells=lambda flow: (flow.number, flow.name, flow.state, flow.value, flow.extension),
            row_style=lambda flow: DEVICE_STATE_STYLES.get(flow.state.upper()),
            empty_text="No flows",
            id="flows-table",
        )
        yield Label("BLFs", id="blfs-heading", classes="sub-heading")
        yield StateTable(
            [
                Column("extension", "Extension", flex=1, max_width=24),
                Column("state", "State"),
                Column("since", "Since", sort_key=lambda row: row.blf.timestamp),
            ],
            row_key=blf_key,
            cells=lambda row: (row.blf.extension, row.blf.state, _since(row.blf.timestamp)),
            row_style=lambda row: DEVICE_STATE_STYLES.get(row.blf.state.upper()),
            empty_text="No BLFs",
            id="blfs-table",
        )

    def apply(self, data: FlowsData) -> None:
        self.query_one("#flows-table", StateTable).set_rows(data.flows)
        self.query_one("#blfs-table", StateTable).set_rows(numbered_blfs(data.blfs))
