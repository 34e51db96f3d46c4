"""``ConfirmScreen``: the last stop before a write is sent.

It names the target fully (the ``WriteAction``'s detail lines), states the
impact where it is known, and for bulk targets asks for the tenant code to be
typed. Focus starts on Cancel (on the code field when one must be typed),
Esc cancels, and Confirm stays disabled until any required text matches
exactly: an Enter pressed out of habit cancels or moves on to Cancel.
The screen dismisses with ``True`` only when Confirm is pressed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tringtui.tui.actions.write_action import WriteAction


class ConfirmScreen(ModalScreen[bool]):
    """Asks the operator to confirm one ``WriteAction``; dismisses with ``True`` to send it."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $error;
        background: $surface;
        padding: 0 1;
    }
    ConfirmScreen #confirm-title {
        dock: top;
        text-style: bold;
        color: $error;
        width: 100%;
        content-align: center middle;
    }
    ConfirmScreen #confirm-body {
        height: auto;
    }
    ConfirmScreen #confirm-details {
        grid-size: 2;
        grid-columns: auto 1fr;
        grid-gutter: 0 2;
        height: auto;
        margin: 1 0 0 0;
    }
    ConfirmScreen .detail-label {
        color: $text-muted;
    }
    ConfirmScreen #confirm-footer {
        dock: bottom;
        height: auto;
    }
    ConfirmScreen #confirm-impact {
        color: $warning;
        text-style: bold;
        margin: 1 0 0 0;
    }
    ConfirmScreen #confirm-changed {
        color: $warning;
        text-style: bold;
        margin: 1 0 0 0;
    }
    ConfirmScreen #confirm-typed {
        margin: 1 0 0 0;
    }
    ConfirmScreen #confirm-buttons {
        height: auto;
        align: center middle;
        margin: 1 0 0 0;
    }
    ConfirmScreen #confirm-buttons Button {
        margin: 0 2;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("left", "app.focus_previous", "Previous", show=False),
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, action: WriteAction) -> None:
        super().__init__()
        self.action_to_confirm = action
        self._answered = False

    def compose(self) -> ComposeResult:
        action = self.action_to_confirm
        with Vertical():
            yield Label(action.title, id="confirm-title")
            # Title, impact and buttons are docked: a short terminal scrolls the details, never hides those.
            with VerticalScroll(id="confirm-body"):
                if action.changed:
                    yield Static(action.changed, id="confirm-changed", markup=False)
                with Grid(id="confirm-details"):
                    for label, value in action.details:
                        yield Label(label, classes="detail-label")
                        # Values come from the PBX: show them literally, never as markup.
                        yield Static(value, markup=False)
                if action.typed_confirmation:
                    yield Input(
                        placeholder=f"Type {action.typed_confirmation} to confirm",
                        id="confirm-typed",
                    )
            with Vertical(id="confirm-footer"):
                if action.impact:
                    yield Static(action.impact, id="confirm-impact", markup=False)
                with Horizontal(id="confirm-buttons"):
                    yield Button("Cancel", id="cancel", variant="primary")
                    yield Button(action.verb, id="confirm", variant="error",
                                 disabled=bool(action.typed_confirmation))

    def on_mount(self) -> None:
        # With a code to type, the field takes the keys (Confirm stays disabled until it matches);
        # otherwise keys typed there would land on Cancel and an Enter would cancel without a word.
        if self.action_to_confirm.typed_confirmation:
            self.query_one("#confirm-typed", Input).focus()
        else:
            self.query_one("#cancel", Button).focus()

    @on(Input.Changed, "#confirm-typed")
    def _typed(self, event: Input.Changed) -> None:
        # Exact match, case included: a tenant code is typed, not guessed.
        matches = event.value == self.action_to_confirm.typed_confirmation
        self.query_one("#confirm", Button).disabled = not matches

    @on(Input.Submitted, "#confirm-typed")
    def _submitted(self) -> None:
        # Enter in the code field moves on to the buttons; it never confirms by itself.
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self._answer(False)

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self._answer(True)

    def _answer(self, confirmed: bool) -> None:
        # A second press already queued behind the first must not answer again.
        if not self._answered:
            self._answered = True
            self.dismiss(confirmed)
