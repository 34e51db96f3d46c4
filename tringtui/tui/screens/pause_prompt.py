"""``PausePrompt``: why an agent is paused, and whether in every queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, Select

from tringtui.api import validate
from tringtui.tui.screens.prompt import PromptScreen
from tringtui.tui.widgets.marked_checkbox import MarkedCheckbox

# Offered first; anything else can be typed.
DEFAULT_PAUSE_REASONS = ("Break", "Lunch", "Meeting", "Training", "Admin work", "Technical issue")


@dataclass(frozen=True, slots=True)
class PauseRequest:
    """A pause's reason, and whether it applies to every queue (only when ticked explicitly)."""

    reason: str
    all_queues: bool = False


class PausePrompt(PromptScreen[PauseRequest]):
    """Asks for a pause reason (picked or typed) and, explicitly, whether to pause in all queues."""

    def __init__(self, subject: str, *, queue_name: str, reasons: Sequence[str] = DEFAULT_PAUSE_REASONS) -> None:
        super().__init__("Pause agent", subject)
        self.queue_name = queue_name
        self.reasons = tuple(reasons)

    def compose_fields(self) -> ComposeResult:
        yield Label("Reason")
        yield Select([(reason, reason) for reason in self.reasons], prompt="Pick a reason", id="reason-choice")
        yield Input(placeholder="…or type one (wins over the pick)", id="reason-typed")
        yield MarkedCheckbox(f"Pause in ALL queues, not only {self.queue_name}", id="all-queues")

    def on_mount(self) -> None:
        self.query_one("#reason-choice", Select).focus()

    def collect(self) -> PauseRequest:
        typed = self.query_one("#reason-typed", Input).value
        choice = self.query_one("#reason-choice", Select)
        picked = "" if choice.is_blank() else str(choice.value)
        reason = validate.pause_reason(typed if typed.strip() else picked)
        return PauseRequest(reason, self.query_one("#all-queues", Checkbox).value)
