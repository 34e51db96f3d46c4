"""Toasts never cover a dialog: while a modal screen is open they are held, and shown when it closes.

An outcome toast ("Hang up call: done") stays up to 20 s and sits bottom
right, which at 80x24 is where the next confirmation has its confirm button,
channel names and impact line. So when a modal screen (a confirmation, a
prompt, the help, the palette) comes up, the toasts on screen are taken down
with the time they had left, toasts raised meanwhile wait, and all of them
are shown again, in order, once the monitor itself is back on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen

from tringtui.tui.textual_compat import current_notifications

if TYPE_CHECKING:
    from textual.app import App

# A held toast shown again gets at least this long, so it can be read.
MIN_SHOWN_AGAIN = 4.0


@dataclass(frozen=True)
class HeldToast:
    message: str
    title: str
    severity: Any
    timeout: float
    markup: bool


class ToastHold:
    """Holds the app's notifications while a modal screen is on top; see the module docstring."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self.held: list[HeldToast] = []

    def install(self) -> None:
        self._app.screen_change_signal.subscribe(self._app, self._screen_changed)

    @property
    def holding(self) -> bool:
        """True while a modal screen is on top."""
        stack = self._app.screen_stack
        return bool(stack) and isinstance(stack[-1], ModalScreen)

    def hold(self, toast: HeldToast) -> None:
        self.held.append(toast)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if isinstance(screen, ModalScreen):
            showing = [n for n in current_notifications(self._app) if not n.has_expired]
            if showing:
                self.held[:0] = [HeldToast(n.message, n.title, n.severity, n.time_left, n.markup) for n in showing]
                self._app.clear_notifications()
        elif self.held:
            held, self.held = self.held, []
            for toast in held:
                self._app.notify(toast.message, title=toast.title, severity=toast.severity,
                                 timeout=max(toast.timeout, MIN_SHOWN_AGAIN), markup=toast.markup)
