"""``NumberPrompt``: the number to trace (a phone's extension or an outside number)."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.widgets import Input, Label

from tringtui.tui.screens.prompt import PromptScreen

_NUMBER = re.compile(r"\+?[0-9*#]{2,20}")


def looks_like_number(text: str) -> bool:
    return _NUMBER.fullmatch(text.strip().replace(" ", "")) is not None


class NumberPrompt(PromptScreen[str]):
    """Asks for a number; dismisses with it (spaces removed)."""

    def __init__(self, number: str = "") -> None:
        super().__init__("Trace a number", "Its live calls and its call records of the last hour")
        self.number = number

    def compose_fields(self) -> ComposeResult:
        yield Label("Number (extension or outside number)")
        yield Input(value=self.number, id="number")

    def on_mount(self) -> None:
        self.query_one("#number", Input).focus()

    def collect(self) -> str:
        typed = self.query_one("#number", Input).value.strip().replace(" ", "")
        if not looks_like_number(typed):
            raise ValueError("Type digits (an extension like 103, or a number like +31201234567).")
        return typed
