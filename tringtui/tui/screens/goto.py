"""Asks for the time a replay goes to (``g``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tringtui.timeparse import TimeParseError, format_time, parse_time


class GotoScreen(ModalScreen[float | None]):
    """A one-line prompt: ``03:12``, ``2026-12-01 03:12``, or an age before the recording's end (``5m``)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: float, end: float) -> None:
        super().__init__()
        self.current = current
        self.end = end

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-dialog", classes="dialog"):
            yield Label("Go to time", classes="dialog-title")
            yield Input(value=format_time(self.current), id="goto-input")
            yield Label("03:12, \"2026-12-01 03:12\", or 5m (before the end)   Enter: go   Esc: cancel",
                        id="goto-hint", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.dismiss(parse_time(event.value, self.end))
        except TimeParseError as error:
            self.query_one("#goto-hint", Label).update(str(error))

    def action_cancel(self) -> None:
        self.dismiss(None)
