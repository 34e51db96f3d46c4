"""What every pane shares: its title bar, the filter, sorting and registered commands.

A pane renders the snapshots of one source of the live session
(``tringtui.live``): it never fetches. The app hands it each new
``Snapshot`` (``show_snapshot``), and the pane applies new data to its keyed
tables (``apply``). The title bar says what is shown (filtered / total), how
old it is, and what went wrong if the last poll failed (EMPTY ANSWER when the
server answered nothing where a live PBX always has data); data older than
three intervals is marked STALE in words and in the theme's stale colour.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label

from tringtui.live.clock import WallClock
from tringtui.live.session import LiveSession
from tringtui.live.snapshot import Snapshot
from tringtui.tui.monitor import monitor_of
from tringtui.tui.registry import CommandRegistry, view
from tringtui.tui.textual_compat import bind_key
from tringtui.tui.widgets.keyed_table import KeyedTable

# Error texts in a title are cut to this many characters; the help line and
# the summary still say which pane is failing.
TITLE_ERROR_CHARS = 60


def format_age(seconds: float) -> str:
    """``12s ago``, ``4m ago``, ``2h ago``: short enough for a title bar."""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


def format_duration(seconds: int) -> str:
    """``0:07``, ``12:05``, ``1:02:03`` — call durations and waiting times."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class FilterInput(Input):
    """The pane's filter box: typing filters live; the pane's Enter and Esc keys close it."""


class PaneTitle(Horizontal):
    """The pane's title bar: number and name, counts and sort, then data age / error / STALE."""

    def __init__(self, number: str, title: str) -> None:
        super().__init__(classes="pane-title")
        self._heading = f"{number} {title}"

    def compose(self) -> ComposeResult:
        # Server text (errors, tenant codes) may hold "[": never parse it as markup.
        yield Label(self._heading, classes="pane-name", markup=False)
        yield Label("", classes="pane-counts", markup=False)
        yield Label("", classes="pane-status", markup=False)

    def show_scope(self, tenant: str) -> None:
        self.query_one(".pane-name", Label).update(f"{self._heading} · {tenant}" if tenant else self._heading)

    def show_counts(self, text: str) -> None:
        self.query_one(".pane-counts", Label).update(text)

    def show_status(self, text: str, *, error: bool, stale: bool, loading: bool) -> None:
        status = self.query_one(".pane-status", Label)
        status.update(text)
        status.set_class(error, "-error")
        status.set_class(stale and not error, "-stale")
        status.set_class(loading, "-loading")


class Pane(Vertical):
    """Base class of the five panes. Subclasses set ``pane_id`` and implement the hooks below."""

    pane_id: ClassVar[str]
    tenant_scoped: ClassVar[bool] = False
    """True for panes whose request types need a tenant even with an admin key (INFO, FLOWS, BLFS)."""

    # Priority, like the app's keys (see TringApp.BINDINGS), and off while typing in the filter.
    BINDINGS = [
        Binding("slash", "open_filter", "Filter", priority=True),
        Binding("enter", "accept_filter", "Keep filter", priority=True),
        Binding("escape", "clear_filter", "Clear filter", priority=True),
        Binding("s", "sort_next", "Sort", priority=True),
        Binding("S", "sort_reverse", "Reverse sort", show=False, priority=True),
    ]

    def __init__(self, *, clock: WallClock, live: LiveSession, commands: CommandRegistry) -> None:
        super().__init__(id=self.pane_id, classes="pane")
        self.clock = clock
        self.live = live
        self.commands = commands
        self.view = view(self.pane_id)
        self.interval = live.intervals.get(self.pane_id, 0.0)
        self.snapshot: Snapshot[Any] = Snapshot(self.pane_id)
        self.idle_reason: str | None = None
        self._applied_generation = 0
        self._active_table: KeyedTable | None = None
        # Commands other modules registered for this pane get their keys here,
        # so adding "Hang up call" never means editing the pane's module.
        # Not priority: a command acts on the row under the cursor, and the
        # cursor keys before it wait in the table's own queue. A priority key
        # would jump that queue, so "Down Down H" typed in one burst would
        # confirm against the call the cursor was leaving. Going through the
        # focused table keeps the order the operator typed.
        for command in commands.for_pane(self.pane_id):
            bind_key(
                self,
                command.key,
                f"command('{command.name}')",
                command.footer_title or command.title,
                show=command.show_in_footer,
            )

    # -- hooks for subclasses -------------------------------------------------

    def compose_body(self) -> ComposeResult:
        """The pane's own widgets below the title and filter."""
        raise NotImplementedError

    def apply(self, data: Any) -> None:
        """Show a new snapshot; must be fast (a keyed diff into the tables)."""
        raise NotImplementedError

    @property
    def tables(self) -> Sequence[KeyedTable]:
        return list(self.query(KeyedTable))

    def tick(self) -> None:
        """Called every second: refresh the age in the title; panes with timers redraw them."""
        self.refresh_title()

    # -- selection -------------------------------------------------------------

    @property
    def active_table(self) -> KeyedTable:
        """The table the filter and sort keys act on: the focused one, else the last one focused in this pane."""
        tables = self.tables
        # The focused table first: the focus message that updates _active_table may still be queued
        # behind a key typed in the same burst ("Tab Z" must pause the agent Tab reached).
        focused = self.screen.focused if self.is_attached else None
        if isinstance(focused, KeyedTable) and focused in tables:
            return focused
        if self._active_table is not None and self._active_table in tables:
            return self._active_table
        return tables[0]

    @property
    def selected_row(self) -> Any:
        """The model under the cursor of the active table (commands act on it), or None."""
        return self.active_table.cursor_row

    def focus_table(self) -> None:
        self.focus_now(self.active_table)

    def focus_now(self, widget: Widget) -> None:
        """Move focus before the next key is handled (``Widget.focus`` defers it, and a fast
        typist's ``2/103`` would then send ``/`` and the digits to the wrong place)."""
        self.screen.set_focus(widget)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, KeyedTable) and event.widget is not self._active_table:
            self._active_table = event.widget
            # One filter box serves the pane's tables: show the filter of the table now in use.
            box = self.query_one(FilterInput)
            box.value = event.widget.filter_text
            box.display = bool(event.widget.filter_text)
            self.refresh_title()

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PaneTitle(self.view.key, self.view.title)
        yield FilterInput(placeholder="filter (Enter: keep, Esc: clear)", classes="pane-filter")
        yield from self.compose_body()

    def on_mount(self) -> None:
        self.query_one(FilterInput).display = False
        self._show_no_data_reason()
        self.refresh_title()

    # -- snapshots -----------------------------------------------------------------

    def set_idle_reason(self, reason: str | None) -> None:
        """Say why this pane does not poll (shown instead of age and errors); None when it does."""
        self.idle_reason = reason
        self._show_no_data_reason()
        self.refresh_title()

    def _show_no_data_reason(self) -> None:
        """Until the first answer, the tables say why they are empty instead of "No calls"."""
        if not self.is_mounted:
            return
        snapshot = self.snapshot
        if self.idle_reason is not None:
            reason: str | None = self.idle_reason[0].upper() + self.idle_reason[1:]
        elif snapshot.data is not None:
            reason = None
        elif snapshot.error:
            reason = f"No data yet: {snapshot.error.marker}"
        else:
            reason = "Waiting for the PBX…"
        for table in self.tables:
            table.no_data_text = reason

    def clear(self) -> None:
        """Drop what is shown: the source now means something else (another tenant)."""
        for table in self.tables:
            table.set_rows([])

    def show_scope(self, tenant: str) -> None:
        """Name the tenant a tenant-scoped pane shows, in its title."""
        self.query_one(PaneTitle).show_scope(tenant)

    def rescope(self, tenant: str) -> None:
        """The user chose another tenant: a tenant-scoped pane names it and drops the previous one's rows."""
        if self.tenant_scoped:
            self.show_scope(tenant)
            self.clear()
            self.set_idle_reason(None)

    @property
    def is_stale(self) -> bool:
        return self.idle_reason is None and self.snapshot.is_stale(self.clock(), self.interval)

    def show_snapshot(self, snapshot: Snapshot[Any]) -> None:
        """Render the source's new snapshot: new data into the tables, and the title."""
        generation_changed = snapshot.generation != self.snapshot.generation
        self.snapshot = snapshot
        if generation_changed and snapshot.data is not None:
            self.apply(snapshot.data)
        self._show_no_data_reason()
        self.refresh_title()

    # -- title -------------------------------------------------------------------

    def counts_text(self) -> str:
        """``shown/total`` rows of the active table (the header's arrow shows the sort); "–" before any data."""
        if self.snapshot.data is None:
            return "–"  # not "0": nothing is known yet
        table = self.active_table
        shown, total = table.row_count, table.total_count
        return f"{shown:,}/{total:,}" if table.filter_text else f"{total:,}"

    def refresh_title(self) -> None:
        # Also called by the once-a-second tick, which may fire while the app quits and the
        # pane's children are already being removed.
        if not self.is_mounted or not self.query(PaneTitle) or not self.tables:
            return
        title = self.query_one(PaneTitle)
        title.show_counts(self.counts_text())
        if self.idle_reason is not None:
            title.show_status(self.idle_reason, error=False, stale=False, loading=False)
            return
        state = self.snapshot
        now = self.clock()
        age = state.age(now)
        stale = state.is_stale(now, self.interval) if self.interval else False
        # Most important first, since a narrow title cuts the end off: STALE, the age, then the error.
        parts: list[str] = []
        if stale:
            # Nothing shown is old when nothing was ever shown: say so, rather than STALE.
            parts.append("STALE" if age is not None else "NO DATA")
        if age is not None:
            parts.append(format_age(age) + (" ⟳" if state.in_flight else ""))
        elif not state.error:
            parts.append("loading…")
        if state.error:
            error = state.error.marker
            if len(error) > TITLE_ERROR_CHARS:
                error = error[: TITLE_ERROR_CHARS - 1] + "…"
            parts.append(f"✗ {error}")
        title.show_status(
            " · ".join(parts), error=state.error is not None, stale=stale, loading=state.in_flight
        )

    # -- filter and sort ---------------------------------------------------------

    def action_open_filter(self) -> None:
        box = self.query_one(FilterInput)
        box.display = True
        self.focus_now(box)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        monitor = monitor_of(self)
        if action in ("open_filter", "sort_next", "sort_reverse", "command") and monitor.keys_go_to_input:
            return False
        if action == "accept_filter":
            return self.app.focused is self.query_one(FilterInput)
        if action == "clear_filter":
            box = self.query_one(FilterInput)
            return self.app.focused is box or (box.value != "" and self.app.screen is self.screen)
        if action == "command" and parameters:
            command = self.commands.find(self.pane_id, str(parameters[0]))
            if command is not None and command.writes:
                if monitor.readonly:
                    return False
                # Greyed out while another write is being confirmed or sent: no double sends.
                if monitor.operator_actions.busy:
                    return None
        return True

    def action_clear_filter(self) -> None:
        self._close_filter()

    def filter_text_changed(self, text: str) -> None:
        """Hook for panes that rank rows by how well they match the filter."""

    def show_best_match(self, table: KeyedTable[Any], text: str) -> None:
        """Put the cursor on the row that best matches a new filter: by default the first one shown
        (the cursor would otherwise keep an old row in view)."""
        table.action_cursor_first()

    @on(Input.Changed, ".pane-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        table = self.active_table
        if event.value == table.filter_text:
            return  # the box was set to the table's own filter (focus moved between tables)
        table.set_filter(event.value)
        self.filter_text_changed(event.value)
        self.show_best_match(table, event.value)
        self.refresh_title()
        self.refresh_bindings()

    def action_accept_filter(self) -> None:
        """Back to the table, keeping the filter (and its box, which shows it) unless it is empty."""
        box = self.query_one(FilterInput)
        if not box.value:
            box.display = False
        self.focus_table()

    def _close_filter(self) -> None:
        box = self.query_one(FilterInput)
        table = self.active_table
        box.value = ""
        box.display = False
        table.set_filter("")
        self.filter_text_changed("")
        self.focus_now(table)
        self.refresh_title()

    def action_sort_next(self) -> None:
        """Sort by the next column, cycling through all of them and back to the data's order."""
        table = self.active_table
        keys = [column.key for column in table.columns]
        current = table.sort_column
        following = keys[0] if current is None else (keys + [None])[keys.index(current) + 1]
        table.sort_by(following, reverse=table.sort_reverse)
        # Sorting asks "what is at the top?": show it (the cursor would otherwise keep its row in view).
        table.action_cursor_first()

    def action_sort_reverse(self) -> None:
        table = self.active_table
        table.sort_by(table.sort_column or table.columns[0].key, reverse=not table.sort_reverse)
        table.action_cursor_first()

    # -- registered commands -------------------------------------------------------

    async def action_command(self, name: str) -> None:
        command = self.commands.find(self.pane_id, name)
        if command is None:
            return
        result = command.handler(self)
        if inspect.isawaitable(result):
            await result
