"""``WriteInFlightScreen``: asked when the operator quits or switches profile while a write awaits the PBX.

Leaving then would abandon the outcome: the PBX may well act, but the
operator would never see what it answered. The screen says so and offers to
wait (the default, focused; Esc too) or to go anyway. When the write's answer
arrives meanwhile, the screen closes by itself as "wait", and the outcome is
shown as usual.
"""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class WriteInFlightScreen(ModalScreen[bool]):
    """"A write is in flight: wait / <go> anyway"; dismisses with ``True`` to go anyway."""

    DEFAULT_CSS = """
    WriteInFlightScreen {
        align: center middle;
    }
    WriteInFlightScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    WriteInFlightScreen #in-flight-title {
        text-style: bold;
        color: $warning;
    }
    WriteInFlightScreen #in-flight-buttons {
        height: auto;
        align: center middle;
        margin: 1 0 0 0;
    }
    WriteInFlightScreen #in-flight-buttons Button {
        margin: 0 2;
    }
    """

    BINDINGS = [
        Binding("escape", "wait", "Wait"),
        Binding("left", "app.focus_previous", "Previous", show=False),
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, write_title: str, go_label: str, finished: asyncio.Event) -> None:
        super().__init__()
        self._write_title = write_title
        self._go_label = go_label
        self._finished = finished
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("A write is in flight", id="in-flight-title")
            yield Static(
                f"{self._write_title}: sent, the PBX has not answered yet. Leaving now means never "
                "seeing its outcome (it is journalled as attempted).",
                markup=False,
            )
            with Horizontal(id="in-flight-buttons"):
                yield Button("Wait", id="wait", variant="primary")
                yield Button(self._go_label, id="go", variant="error")

    def on_mount(self) -> None:
        self.query_one("#wait", Button).focus()
        self.run_worker(self._close_when_answered(), exclusive=True)

    async def _close_when_answered(self) -> None:
        await self._finished.wait()
        self._answer(False)

    @on(Button.Pressed, "#wait")
    def action_wait(self) -> None:
        self._answer(False)

    @on(Button.Pressed, "#go")
    def _go(self) -> None:
        self._answer(True)

    def _answer(self, go: bool) -> None:
        if not self._answered:  # the answer may arrive as a button is pressed
            self._answered = True
            self.dismiss(go)
