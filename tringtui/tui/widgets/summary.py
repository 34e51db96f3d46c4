"""The summary line: the PBX's key totals, always visible whatever pane is shown."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label


@dataclass(frozen=True, slots=True)
class Totals:
    """The figures a NOC engineer checks first; ``None`` means not known yet."""

    peers_registered: int | None = None
    peers_total: int | None = None
    channels: int | None = None
    calls_waiting: int | None = None
    agents_available: int | None = None
    queue_scope: str = ""
    """The tenant the queue figures are for, when the session watches all tenants (else "")."""
    stale_panes: tuple[str, ...] = ()
    failing_panes: tuple[str, ...] = ()
    alerting_nodes: tuple[str, ...] = ()


# Past this length a list of names becomes a count, so the line fits 80 columns.
NAMES_MAX_CHARS = 20


def _names(names: tuple[str, ...] | list[str], noun: str) -> str:
    joined = ",".join(names)
    if len(joined) <= NAMES_MAX_CHARS:
        return joined
    return f"{len(names)} {noun}s" if len(names) > 1 else joined[: NAMES_MAX_CHARS - 1] + "…"


def _figure(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


class SummaryBar(Horizontal):
    """Peers registered/total, active channels, calls waiting, agents available, and trouble."""

    def compose(self) -> ComposeResult:
        yield Label("", id="summary-peers")
        yield Label("", id="summary-channels")
        yield Label("", id="summary-waiting")
        yield Label("", id="summary-agents")
        yield Label("", id="summary-trouble", markup=False)

    def on_mount(self) -> None:
        self.show(Totals())

    def show(self, totals: Totals) -> None:
        peers = _figure(totals.peers_registered)
        if totals.peers_total is not None:
            peers += f"/{_figure(totals.peers_total)}"
        self.query_one("#summary-peers", Label).update(f"Peers {peers}")
        self.query_one("#summary-channels", Label).update(f"Channels {_figure(totals.channels)}")
        waiting = self.query_one("#summary-waiting", Label)
        # In an all-tenants session the queue figures are one tenant's: say whose.
        scope = f"{totals.queue_scope}: " if totals.queue_scope else ""
        waiting.update(f"{scope}Waiting {_figure(totals.calls_waiting)}")
        waiting.set_class(bool(totals.calls_waiting), "-attention")
        self.query_one("#summary-agents", Label).update(f"Agents free {_figure(totals.agents_available)}")
        trouble = self.query_one("#summary-trouble", Label)
        parts = []
        if totals.alerting_nodes:
            parts.append("NODE " + _names(totals.alerting_nodes, "node"))
        if totals.failing_panes:
            parts.append("ERROR " + _names(totals.failing_panes, "pane"))
        stale_only = [name for name in totals.stale_panes if name not in totals.failing_panes]
        if stale_only:
            parts.append("STALE " + _names(stale_only, "pane"))
        trouble.update(" ".join(parts) if parts else "OK")
        trouble.set_class(bool(totals.failing_panes or totals.alerting_nodes), "-error")
        trouble.set_class(bool(totals.stale_panes) and not trouble.has_class("-error"), "-stale")
        trouble.set_class(not parts, "-ok")
