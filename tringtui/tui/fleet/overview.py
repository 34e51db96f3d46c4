"""``FleetOverview``: the fleet monitor's first tab, one row per PBX, Enter opens that PBX's tab.

Rows are ``tringtui.live.fleet.FleetRow``s: nodes, registered/total peers,
channels, waiting calls, alerts firing, API health and data age, each from
the core's derived figures. A failing PBX's row turns red and a stale one
amber, in words too (FAILING, STALE), so it reads on 16 colours and in a
screenshot.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from tringtui.live.fleet import FleetRow
from tringtui.tui.panes.base import format_age
from tringtui.tui.widgets.keyed_table import Column, KeyedTable


def figure(value: int | None) -> str:
    """A count as the monitor writes it: ``1,234``, or ``–`` while unknown."""
    return "–" if value is None else f"{value:,}"


def _age(seconds: float | None) -> str:
    return "–" if seconds is None else format_age(seconds)


def _peers(row: FleetRow) -> str:
    if row.peers_total is None:
        return figure(row.peers_registered)
    return f"{figure(row.peers_registered)}/{figure(row.peers_total)}"


def _style(row: FleetRow) -> str | None:
    if row.health.startswith("FAILING"):
        return "keyed-table--error"
    if row.health.startswith("STALE") or row.health == "NO DATA":
        return "keyed-table--warning"
    return None


class FleetTable(KeyedTable[FleetRow]):
    """The overview's rows, keyed by profile name."""


class FleetOverview(Vertical):
    """The fleet's one-row-per-PBX table, with a line saying how to open a PBX."""

    DEFAULT_CSS = """
    FleetOverview { height: 1fr; }
    FleetOverview #fleet-hint { height: 1; color: $text-muted; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield FleetTable(
            [
                Column("pbx", "PBX", max_width=16, flex=1),
                Column("nodes", "Nodes", align="right"),
                Column("peers", "Peers", align="right"),
                Column("channels", "Chans", align="right"),
                Column("waiting", "Wait", align="right"),
                Column("alerts", "Alerts", align="right"),
                Column("api", "API", width=16),
                Column("age", "Age", align="right", sort_key=lambda row: -1 if row.age is None else row.age),
            ],
            row_key=lambda row: row.name,
            cells=lambda row: (row.label, figure(row.nodes), _peers(row), figure(row.channels),
                               figure(row.calls_waiting), figure(row.alerts), row.health, _age(row.age)),
            row_style=_style,
            empty_text="No PBX",
            id="fleet-table",
        )
        yield Label("Enter opens the PBX · Alt+1…9 or < > switch tabs · Alt+0 this overview", id="fleet-hint")

    def show(self, rows: list[FleetRow]) -> None:
        self.query_one(FleetTable).set_rows(rows)
