"""Queues pane: every queue's live figures, and the agents of the queue under the cursor.

One poll fetches INFO queues, then INFO queue for each queue (one after the
other: the pane never has two requests in flight), then INFO agents for the
selected queue. Moving the cursor to another queue asks for a refresh so its
agents arrive without waiting for the next interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.widgets import Label

from tringtui.api.models import Agent, Queue, QueueStats
from tringtui.tui.panes.base import Pane, format_duration
from tringtui.tui.widgets.keyed_table import Column, KeyedTable
from tringtui.tui.widgets.state_table import (
    STATE_ALERT,
    STATE_PAUSED,
    STATE_RINGING,
    STATE_UNREACHABLE,
    STATE_UP,
    StateTable,
)

if TYPE_CHECKING:
    from tringtui.api.client import TringClient

AGENT_STYLES = {
    "busy": STATE_UP,
    "ringing": STATE_RINGING,
    "paused": STATE_PAUSED,
    "unavailable": STATE_UNREACHABLE,
}


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A queue and its statistics (None when INFO queue returned nothing for it)."""

    queue: Queue
    stats: QueueStats | None

    @property
    def waiting(self) -> int:
        return self.stats.calls_in_queue if self.stats else 0


@dataclass(frozen=True, slots=True)
class QueuesSnapshot:
    """One poll: all queues with their statistics, and the agents of one queue."""

    queues: tuple[QueueRow, ...]
    agents_queue_id: str | None
    agents: tuple[Agent, ...]

    @property
    def calls_waiting(self) -> int:
        return sum(row.waiting for row in self.queues)

    @property
    def agents_available(self) -> int:
        return sum(row.stats.agents_available for row in self.queues if row.stats)


def queue_cells(row: QueueRow) -> tuple[str, ...]:
    stats = row.stats
    if stats is None:
        return (row.queue.name, row.queue.id, "–", "–", "–", "–", "–", "–")
    return (
        row.queue.name,
        row.queue.id,
        str(stats.calls_in_queue),
        format_duration(stats.longest_wait) if stats.calls_in_queue else "",
        str(stats.agents_available),
        str(stats.agents_paused),
        str(stats.agents_online),
        f"{stats.service_level:.0f}%",
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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._selected_queue_id: str | None = None
        self._shown_agents_queue: str | None = None

    def compose_body(self) -> ComposeResult:
        yield StateTable(
            [
                Column("name", "Queue", flex=1, max_width=24),
                Column("id", "ID", align="right"),
                Column("waiting", "Wait", align="right", sort_key=lambda row: _stat(row, "calls_in_queue")),
                Column("longest", "Longest", align="right", sort_key=lambda row: _stat(row, "first_waiting")),
                Column("available", "Avail", align="right", sort_key=lambda row: _stat(row, "agents_available")),
                Column("paused", "Paused", align="right", sort_key=lambda row: _stat(row, "agents_paused")),
                Column("online", "Online", align="right", sort_key=lambda row: _stat(row, "agents_online")),
                Column("service", "SL", align="right", sort_key=lambda row: _stat(row, "service_level")),
            ],
            row_key=lambda row: row.queue.id,
            cells=queue_cells,
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
            row_key=lambda agent: agent.key,
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

    async def fetch(self, client: TringClient) -> QueuesSnapshot:
        queues = await client.queues()
        rows = []
        for queue in queues:
            rows.append(QueueRow(queue, await client.queue_stats(queue.id)))
        ids = [queue.id for queue in queues]
        selected = self._selected_queue_id if self._selected_queue_id in ids else (ids[0] if ids else None)
        agents = await client.agents(selected) if selected is not None else []
        return QueuesSnapshot(queues=tuple(rows), agents_queue_id=selected, agents=tuple(agents))

    def apply(self, data: QueuesSnapshot) -> None:
        self._shown_agents_queue = data.agents_queue_id
        self.query_one("#queues-table", StateTable).set_rows(data.queues)
        self.query_one("#agents-table", StateTable).set_rows(data.agents)
        self._show_agents_heading(data)

    def _show_agents_heading(self, data: QueuesSnapshot) -> None:
        names = {row.queue.id: row.queue.name for row in data.queues}
        heading = self.query_one("#agents-heading", Label)
        if data.agents_queue_id is None:
            heading.update("Agents")
        else:
            name = names.get(data.agents_queue_id, "")
            waiting = "" if self._selected_queue_id in (None, data.agents_queue_id) else "  (loading…)"
            heading.update(f"Agents of {name} ({data.agents_queue_id}){waiting}")

    def agents_loading(self) -> str:
        """The name of the selected queue while its agents have not arrived yet ("" once they have)."""
        selected = self._selected_queue_id
        if selected is None or selected == self._shown_agents_queue:
            return ""
        names = {row.queue.id: row.queue.name for row in self.state.data.queues} if self.state.data else {}
        return names.get(selected, selected)

    def restart(self) -> None:
        # Another tenant: the old tenant's queue must not stay named above the (emptied) agents.
        self._selected_queue_id = None
        self._shown_agents_queue = None
        self.query_one("#agents-heading", Label).update("Agents")
        super().restart()

    def counts_text(self) -> str:
        """The queues' count, or the agents' (said so) while the agents table is the active one."""
        counts = super().counts_text()
        return f"{counts} agents" if self.active_table.id == "agents-table" else counts

    @on(KeyedTable.CursorMoved, "#queues-table")
    def _queue_selected(self, event: KeyedTable.CursorMoved) -> None:
        event.stop()
        self._selected_queue_id = event.key
        if event.key is not None and event.key != self._shown_agents_queue and self.poller is not None:
            if self.state.data is not None:
                self._show_agents_heading(self.state.data)
            self.poller.refresh_now()
