"""``WaitingScreen``: shown while an action being prepared waits for the PBX (nothing sent yet).

Preparing a write reads the target's current state first (the call's
CHANNEL detail, the queue's figures, the tenant's phones), and the real API
can take seconds to answer. Without this screen the key press would seem
ignored; with it the operator sees what is awaited and for how long, can
stop waiting with Esc, and keys typed meanwhile land here instead of moving
the monitor underneath.
"""

from __future__ import annotations

import asyncio
import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class WaitingScreen(ModalScreen[None]):
    """"<action>: asking the PBX… 3 s", with Esc to stop waiting; ``stopped`` is set on Esc."""

    DEFAULT_CSS = """
    WaitingScreen {
        align: center middle;
    }
    WaitingScreen > Vertical {
        width: 56;
        max-width: 100%;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    WaitingScreen #waiting-title {
        text-style: bold;
    }
    WaitingScreen #waiting-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "stop", "Stop waiting")]

    def __init__(self, title: str, what: str = "asking the PBX for the target's current state") -> None:
        super().__init__()
        self._title = title
        self._what = what
        self._started = time.monotonic()
        self.stopped = asyncio.Event()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, id="waiting-title", markup=False)
            yield Label(self._progress_text(), id="waiting-progress", markup=False)
            yield Label("Esc: stop waiting (nothing has been sent)", id="waiting-hint")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _progress_text(self) -> str:
        return f"{self._what}… {time.monotonic() - self._started:.0f} s"

    def _tick(self) -> None:
        self.query_one("#waiting-progress", Label).update(self._progress_text())

    def action_stop(self) -> None:
        self.stopped.set()
