"""``FlowPrompt``: the state and value to set on a flow (SETFLOW)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from tringtui.api import validate
from tringtui.tui.screens.prompt import PromptScreen

FLOW_STATE_CHOICES = ("NOT_INUSE", "INUSE", "RINGING", "UNAVAILABLE")


@dataclass(frozen=True, slots=True)
class FlowRequest:
    """SETFLOW: a new state and/or value; ``None`` leaves that part as it is."""

    state: str | None
    value: str | None


class FlowPrompt(PromptScreen[FlowRequest]):
    """Asks for a flow's new state (or keep it) and value (prefilled with the current one)."""

    def __init__(self, subject: str, *, current_value: str) -> None:
        super().__init__("Set flow", subject)
        self.current_value = current_value

    def compose_fields(self) -> ComposeResult:
        yield Label("State")
        yield Select([(state, state) for state in FLOW_STATE_CHOICES], prompt="Keep the current state", id="state")
        yield Label("Value")
        yield Input(value=self.current_value, id="value")

    def on_mount(self) -> None:
        self.query_one("#state", Select).focus()

    def collect(self) -> FlowRequest:
        choice = self.query_one("#state", Select)
        state = None if choice.is_blank() else validate.flow_state(choice.value)
        typed = self.query_one("#value", Input).value.strip()
        value = typed if typed != self.current_value else None
        if state is None and value is None:
            raise ValueError("Nothing to change: pick a state or type a new value.")
        return FlowRequest(state, value)
