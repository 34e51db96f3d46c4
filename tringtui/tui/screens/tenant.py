"""Asks which tenant the tenant-scoped panes (queues, flows) show, for sessions with an admin key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class TenantScreen(ModalScreen[str | None]):
    """A one-line prompt for a tenant code; Enter returns it, Esc returns None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="tenant-dialog", classes="dialog"):
            yield Label("Tenant for the queues and flows panes", classes="dialog-title")
            yield Input(value=self.current, placeholder="tenant code, e.g. DEVEL", id="tenant-input")
            yield Label("Enter: show this tenant   Esc: cancel", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
