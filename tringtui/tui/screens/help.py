"""The help screen: every key of the monitor, gathered from the bindings themselves.

Built from the app's, the panes' and the tables' ``BINDINGS`` plus the
registered pane commands, so it can never fall behind what the keys do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tringtui.tui.registry import VIEWS, CommandRegistry, View


def _key_label(keys: str) -> str:
    names = {"slash": "/", "question_mark": "?", "escape": "Esc", "enter": "Enter", "ctrl+p": "Ctrl+P",
             "less_than_sign": "<", "greater_than_sign": ">"}
    return ", ".join(names.get(key.strip(), key.strip()) for key in keys.split(","))


def _described(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            if binding.description:
                rows.append((_key_label(binding.key), binding.description))
        else:
            keys, _action, *rest = binding
            if rest:
                rows.append((_key_label(keys), rest[0]))
    return rows


def help_table(sections: list[tuple[str, list[tuple[str, str]]]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, min_width=10)
    table.add_column()
    for title, rows in sections:
        table.add_row(Text(title, style="bold underline"), "")
        for key, description in rows:
            table.add_row(Text(key, style="bold"), description)
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the global keys, the table keys, and each pane's keys and commands."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_table(self.sections))
            yield Label("Esc: close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


def help_sections(
    app_bindings, pane_bindings, table_bindings, commands: CommandRegistry, shown_views: Sequence[View] = VIEWS,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sections for the help screen, from the bindings of the app, the panes and the tables (``shown_views``:
    the panes there are, all of them in the single monitor)."""
    views = [(view.key, f"Show {view.title.lower()}: {view.description}") for view in shown_views]
    sections = [
        ("Everywhere", _described(app_bindings) + [
            ("Ctrl+P", "Command palette: every view and command"),
            ("Ctrl+Q", "Quit, also from a dialog or while typing"),
        ]),
        ("Views", views),
        ("Tables", _described(table_bindings) + [("Tab", "Next table / pane")]),
        ("Every pane", _described(pane_bindings)),
    ]
    for view in shown_views:
        keys = [(_key_label(command.key), command.description or command.title) for command in commands.for_pane(view.pane_id)]
        if keys:
            sections.append((view.title, keys))
    sections.append(("Writes", [
        ("A-Z, ^key", "Change the PBX: always confirmed first (focus on Cancel, Esc cancels)"),
        ("", "Hidden in read-only sessions; every attempt is in `tringtui audit`"),
    ]))
    return sections
