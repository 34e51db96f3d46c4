"""``TransferPrompt``: where to transfer a call, and whether the other leg goes too."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label

from tringtui.api import validate
from tringtui.tui.screens.prompt import PromptScreen
from tringtui.tui.widgets.marked_checkbox import MarkedCheckbox


@dataclass(frozen=True, slots=True)
class TransferRequest:
    """A blind or attended transfer's destination; ``with_other_leg`` sends the bridged leg too."""

    destination: str
    with_other_leg: bool = False


class TransferPrompt(PromptScreen[TransferRequest]):
    """Asks for the destination of a blind (TRANSFER) or attended (ATXTRANSFER) transfer.

    A blind transfer of a bridged call may move the other leg as well
    (TRANSFER's ``extrachannel``); that is off unless ticked.
    """

    def __init__(self, subject: str, *, attended: bool, other_leg: str = "") -> None:
        super().__init__("Attended transfer" if attended else "Transfer call", subject)
        self.attended = attended
        self.other_leg = other_leg

    def compose_fields(self) -> ComposeResult:
        yield Label("Destination number")
        yield Input(placeholder="e.g. 201 or +31201234567", id="destination")
        if self.other_leg and not self.attended:
            yield MarkedCheckbox(f"Also transfer the other leg ({self.other_leg})", id="other-leg")

    def on_mount(self) -> None:
        self.query_one("#destination", Input).focus()

    def collect(self) -> TransferRequest:
        destination = validate.destination(self.query_one("#destination", Input).value)
        boxes = self.query("#other-leg")
        with_other_leg = bool(boxes) and boxes.first(Checkbox).value
        return TransferRequest(destination, with_other_leg)
