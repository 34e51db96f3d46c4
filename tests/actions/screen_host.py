"""A tiny app that shows one screen and keeps whatever it dismissed with."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

UNANSWERED = object()


class ScreenHost(App[None]):
    """Pushes ``screen`` on mount; ``answer`` holds its dismissal value (``UNANSWERED`` until then)."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.screen_under_test = screen
        self.answer: Any = UNANSWERED

    def compose(self) -> ComposeResult:
        yield Static("monitor")

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, self._keep)

    def _keep(self, answer: Any) -> None:
        self.answer = answer
