"""The summary line: the PBX's key totals, always visible whatever pane is shown."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from tringtui.live.derived import Totals


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

    def show(self, totals: Totals, title: Callable[[str], str] = str) -> None:
        """Show ``totals``; ``title`` names a source as its pane is named ("channels" -> "Channels")."""
        failing = [title(source) for source in totals.failing_sources]
        stale = [title(source) for source in totals.stale_sources]
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
        if failing:
            parts.append("ERROR " + _names(failing, "pane"))
        stale_only = [name for name in stale if name not in failing]
        if stale_only:
            parts.append("STALE " + _names(stale_only, "pane"))
        trouble.update(" ".join(parts) if parts else "OK")
        trouble.set_class(bool(failing or totals.alerting_nodes), "-error")
        trouble.set_class(bool(stale) and not trouble.has_class("-error"), "-stale")
        trouble.set_class(not parts, "-ok")
