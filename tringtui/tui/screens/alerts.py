"""The Alerts view: every firing alert, what and where, its value against the threshold, since when.

A ✓ after the severity marks an acknowledged alert. Enter closes the view and jumps to the alert's object (its pane, its row);
``a`` acknowledges the selected alert: it stays listed, marked, and stops the
header flashing once every alert is acknowledged; the app journals it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from tringtui.alert_rules import Compare, default_name, format_number
from tringtui.live.alerts import Alert, Target
from tringtui.tui.widgets.header import format_clock
from tringtui.tui.widgets.keyed_table import Cell, Column, KeyedTable


COMPARE_SIGNS = {Compare.AT_LEAST: "≥", Compare.BELOW: "<", Compare.AT_MOST: "≤"}


def _severity_style(alert: Alert) -> str:
    if alert.acknowledged:
        return "keyed-table--muted"
    return "keyed-table--error" if alert.severity.value == "critical" else "keyed-table--warning"


class AlertsScreen(ModalScreen[Target | None]):
    """Lists ``alerts()``; dismisses with the target to jump to (Enter) or None (Esc)."""

    BINDINGS = [
        Binding("escape,7", "close", "Close"),
        Binding("a", "acknowledge", "Acknowledge"),
    ]

    def __init__(
        self,
        alerts: Callable[[], Sequence[Alert]],
        acknowledge: Callable[[Alert], object],
    ) -> None:
        super().__init__()
        self._alerts = alerts
        self._acknowledge = acknowledge

    def compose(self) -> ComposeResult:
        with Vertical(id="alerts-dialog", classes="dialog"):
            yield Label("Alerts", id="alerts-title", classes="dialog-title")
            yield KeyedTable[Alert](
                [
                    Column("severity", "Sev", width=5),
                    Column("rule", "Alert", max_width=19),
                    Column("where", "Where", flex=1, max_width=20),
                    Column("value", "Value", max_width=18, sort_key=lambda alert: alert.value),
                    Column("since", "Since", sort_key=lambda alert: alert.since),
                ],
                row_key=lambda alert: alert.key,
                cells=self._cells,
                row_style=_severity_style,
                empty_text="No alert is firing",
                id="alerts-table",
            )
            yield Label("Enter: go to it   a: acknowledge   Esc: close", classes="dialog-hint")

    def _cells(self, alert: Alert) -> Sequence[Cell]:
        severity = "CRIT" if alert.severity.value == "critical" else "WARN"
        rule = alert.rule
        # A rule's default name repeats its selectors, which the Where column shows anyway.
        name = rule.condition if rule.name == default_name(rule.condition, rule.selectors) else rule.name
        return (
            severity + ("✓" if alert.acknowledged else ""),
            name,
            alert.where,
            f"{format_number(alert.value)} {COMPARE_SIGNS[rule.spec.compare]} {format_number(rule.threshold)} {rule.spec.unit}",
            format_clock(alert.since),
        )

    def on_mount(self) -> None:
        self.refresh_alerts()
        self.query_one(KeyedTable).focus()

    def refresh_alerts(self) -> None:
        """Show the alerts as they are now (called as they fire, resolve or are acknowledged, and each second)."""
        alerts = self._alerts()
        table = self.query_one(KeyedTable)
        table.set_rows(alerts)
        waiting = sum(1 for alert in alerts if not alert.acknowledged)
        title = f"Alerts: {len(alerts)} firing" + (f", {waiting} not acknowledged" if waiting else "") if alerts else "Alerts"
        self.query_one("#alerts-title", Label).update(title)

    def on_keyed_table_row_selected(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        alert = event.row
        self.dismiss(alert.target if isinstance(alert, Alert) else None)

    def action_acknowledge(self) -> None:
        alert = self.query_one(KeyedTable).cursor_row
        if isinstance(alert, Alert) and not alert.acknowledged:
            self._acknowledge(alert)
            self.refresh_alerts()

    def action_close(self) -> None:
        self.dismiss(None)
