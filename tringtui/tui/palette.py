"""Command palette entries (Ctrl+P): every view, every registered pane command (no writes when read-only),
alerts, pause and refresh, rewind and back to live."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tringtui.tui.registry import VIEWS, view


Entry = tuple[str, Callable[[], object], str]
"""A palette entry: its title, what it runs, and a line of help."""


class EntriesProvider(Provider):
    """A palette provider over a fixed list of entries: subclasses only say what the entries are."""

    @abstractmethod
    def _entries(self) -> Iterator[Entry]:
        """The entries this provider offers, in the order they are listed."""

    async def discover(self) -> Hits:
        for title, callback, help_text in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


def show_errors_in_full(app) -> None:
    """Notify every failing pane's last error in full: a pane's title at 80 columns cuts it short."""
    errors = [
        f"{view(source).title}: {snapshot.error.message}"
        for source, snapshot in app.live.snapshots.items()
        if snapshot.error is not None
    ]
    if errors:
        app.notify("\n".join(errors), title="Last errors", severity="error", timeout=60, markup=False)
    else:
        app.notify("No pane is failing.", title="Last errors")


class MonitorCommands(EntriesProvider):
    """Offers "Show channels", "Show peers", … and the commands registered for each pane."""

    def _entries(self) -> Iterator[Entry]:
        app = self.app
        for item in VIEWS:
            yield (f"Show {item.title.lower()}", partial(app.action_show_pane, item.pane_id), item.description)
        for command in app.commands.all():
            if command.writes and (app.operator_actions.readonly or app.readonly):
                continue  # hidden in a read-only session or while rewound, as their keys are
            title = f"{view(command.pane_id).title}: {command.title}"
            yield (title, partial(app.run_pane_command, command.pane_id, command.name), command.description)
        yield ("Show alerts", app.action_show_alerts, "The firing alerts: what, where, since when (key 7)")
        if app.rewound:
            yield ("Back to live", app.action_back_to_live, "Leave the recording (Esc)")
        elif app.cursor is None:  # live (a replay has neither a live session nor anything to rewind)
            yield ("Rewind into the recording", app.action_rewind, "This session's recording, with the time keys (R)")
            yield ("Pause / resume refreshing", app.action_toggle_pause, "Stop or restart every pane's polling")
            yield ("Refresh now", app.action_refresh_now, "Poll every pane at once")
        yield ("Show keys", app.action_help, "Every key of the monitor")
        yield ("Show errors in full", partial(show_errors_in_full, app), "Each failing pane's last error, uncut")
        if not app.settings.tenant:
            yield ("Choose tenant for queues and flows", app.action_choose_tenant, "Queues and flows are per tenant")
        yield ("Tenant overview", app.action_tenant_overview,
               "Per tenant: peers, channels against limits, balance, calls waiting (o)")
