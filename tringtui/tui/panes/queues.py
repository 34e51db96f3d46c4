"""Queues pane: every queue's live figures with trends (recorded ones first), and the agents of the queue under the cursor.

The trends of calls waiting and service level are the session's
``queue_trends``: the recorded hour when the monitor starts (or, in replay,
the hour before the moment shown), then every poll since.

The queues source (``tringtui.live.sources.queues``) fetches the agents of
the queue this pane tells the session about: moving the cursor to another
queue selects it, and the session asks for its agents at once.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Label

from tringtui.api.models import Agent
from tringtui.live.derived import QueueTrend, queue_available, queue_waiting
from tringtui.live.identity import agent_key, queue_key
from tringtui.live.sources.queues import QueueRow, QueuesData
from tringtui.tui.monitor import monitor_of
from tringtui.tui.panes.base import Pane, format_duration
from tringtui.tui.widgets.keyed_table import Column, KeyedTable
from tringtui.tui.widgets.sparkline_text import sparkline_text
from tringtui.tui.widgets.state_table import (
    STATE_ALERT,
    STATE_PAUSED,
    STATE_RINGING,
    STATE_UNREACHABLE,
    STATE_UP,
    StateTable,
)

AGENT_STYLES = {
    "busy": STATE_UP,
    "ringing": STATE_RINGING,
    "paused": STATE_PAUSED,
    "unavailable": STATE_UNREACHABLE,
}


TREND_WIDTH = 8


def queue_cells(row: QueueRow, trend: QueueTrend) -> tuple[str, ...]:
    """A queue's cells; ``trend`` is its recorded and live history (the Trend columns)."""
    stats = row.stats
    waiting_trend = sparkline_text(trend.waiting, TREND_WIDTH)
    level_trend = sparkline_text(trend.service_level, TREND_WIDTH)
    if stats is None:
        return (row.queue.name, row.queue.id, "–", waiting_trend, "–", "–", "–", "–", "–", level_trend)
    return (
        row.queue.name,
        row.queue.id,
        str(queue_waiting(row)),
        waiting_trend,
        format_duration(stats.longest_wait) if stats.calls_in_queue else "",
        str(queue_available(row)),
        str(stats.agents_paused),
        str(stats.agents_online),
        f"{stats.service_level:.0f}%",
        level_trend,
    )


def queue_style(row: QueueRow) -> str | None:
    stats = row.stats
    if stats is None or not stats.calls_in_queue:
        return None
    return STATE_ALERT if stats.agents_available == 0 else STATE_RINGING


def agent_style(agent: Agent) -> str | None:
    return STATE_PAUSED if agent.paused else AGENT_STYLES.get(agent.status.lower())


def _stat(row: QueueRow, name: str) -> int | float | None:
    return getattr(row.stats, name) if row.stats else None


class QueuesPane(Pane):
    """Queues (calls waiting, longest wait, agents available/paused, service level) and their agents."""

    pane_id = "queues"
    tenant_scoped = True

    def compose_body(self) -> ComposeResult:
        yield StateTable(
            [
                # Where the pane is narrow (80 columns, the dashboard's half) the SL trend gives way first,
                # then the room the figures keep for a sort arrow, then a long name, then the waiting trend.
                Column("name", "Queue", flex=1, max_width=24, min_width=12, give_way=2),
                Column("id", "ID", align="right"),
                Column("waiting", "Wait", align="right", sort_key=lambda row: _stat(row, "calls_in_queue")),
                Column("waiting_trend", "Trend", width=TREND_WIDTH, min_width=0, give_way=1),
                Column("longest", "Longest", align="right", sort_key=lambda row: _stat(row, "first_waiting"),
                       min_width=7, give_way=3),
                Column("available", "Avail", align="right", sort_key=lambda row: _stat(row, "agents_available"),
                       min_width=5, give_way=3),
                Column("paused", "Paused", align="right", sort_key=lambda row: _stat(row, "agents_paused"),
                       min_width=6, give_way=3),
                Column("online", "Online", align="right", sort_key=lambda row: _stat(row, "agents_online"),
                       min_width=6, give_way=3),
                Column("service", "SL", align="right", sort_key=lambda row: _stat(row, "service_level")),
                Column("service_trend", "Trend", width=TREND_WIDTH, min_width=0, give_way=4),
            ],
            row_key=queue_key,
            cells=lambda row: queue_cells(row, self.live.queue_trends.of(row.queue.id)),
            row_style=queue_style,
            empty_text="No queues",
            id="queues-table",
        )
        yield Label("Agents", id="agents-heading", classes="sub-heading", markup=False)
        yield StateTable(
            [
                Column("agent", "Agent", max_width=20),
                Column("name", "Name", max_width=20, flex=1),
                Column("status", "Status"),
                Column("device", "Device"),
                Column("reason", "Pause reason", max_width=20),
                Column("calls", "Calls", align="right", sort_key=lambda agent: agent.calls_taken),
            ],
            row_key=agent_key,
            cells=lambda agent: (
                agent.member,
                agent.display_name,
                "paused" if agent.paused else agent.status,
                agent.device_state,
                agent.pause_reason,
                str(agent.calls_taken),
            ),
            row_style=agent_style,
            empty_text="No agents",
            id="agents-table",
        )

    def apply(self, data: QueuesData) -> None:
        queues = self.query_one("#queues-table", StateTable)
        queues.set_rows(data.queues)
        # The trends moved on with this poll even where a queue's own figures did not: draw its cells afresh.
        queues.redraw_cells()
        self.query_one("#agents-table", StateTable).set_rows(data.agents)
        self._show_agents_heading(data)

    def _show_agents_heading(self, data: QueuesData) -> None:
        names = {row.queue.id: row.queue.name for row in data.queues}
        heading = self.query_one("#agents-heading", Label)
        if data.agents_queue_id is None:
            heading.update("Agents")
        else:
            name = names.get(data.agents_queue_id, "")
            asked = self.live.agents_queue
            waiting = "" if asked in (None, data.agents_queue_id) else "  (loading…)"
            heading.update(f"Agents of {name} ({data.agents_queue_id}){waiting}")

    def agents_loading(self) -> str:
        """The name of the selected queue while its agents have not arrived yet ("" once they have)."""
        asked = self.live.agents_queue
        data = self.snapshot.data
        if asked is None or data is None or asked == data.agents_queue_id:
            return ""
        return {row.queue.id: row.queue.name for row in data.queues}.get(asked, asked)

    def clear(self) -> None:
        # Another tenant: the old tenant's queue must not stay named above the (emptied) agents.
        self.query_one("#agents-heading", Label).update("Agents")
        super().clear()

    def counts_text(self) -> str:
        """The queues' count, or the agents' (said so) while the agents table is the active one."""
        counts = super().counts_text()
        return f"{counts} agents" if self.active_table.id == "agents-table" else counts

    @on(KeyedTable.RowSelected, "#queues-table")
    def _chart(self, event: KeyedTable.RowSelected) -> None:
        """Enter on a queue: a larger chart of its recorded calls waiting and service level."""
        event.stop()
        if event.key is not None:
            monitor_of(self).open_chart("queue", str(event.key))

    @on(KeyedTable.CursorMoved, "#queues-table")
    def _queue_selected(self, event: KeyedTable.CursorMoved) -> None:
        event.stop()
        if event.key is None or event.key == self.live.agents_queue:
            return
        self.live.select_queue(str(event.key))
        if self.snapshot.data is not None:
            self._show_agents_heading(self.snapshot.data)

