"""``QueueAddPrompt``: which extension joins a queue, and as what kind of agent."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from tringtui.api import validate
from tringtui.tui.screens.prompt import PromptScreen

# The vendor's agent types, with the meaning it documents.
AGENT_TYPE_CHOICES = (
    ("NF", "Not following"),
    ("AD", "Additional destinations"),
    ("NFR", "Not following, with ring"),
    ("ADR", "Additional destinations, with ring"),
    ("EA", "External agent"),
    ("EANM", "External, no monitoring"),
    ("EAC", "External, with confirm"),
    ("EANMC", "External, no monitoring, with confirm"),
    ("CU", "Custom destination"),
    ("CUNM", "Custom destination, no monitoring"),
    ("CC", "Custom destination, with confirm"),
    ("CUFF", "Custom destination, full features"),
)


@dataclass(frozen=True, slots=True)
class QueueAddRequest:
    """QUEUE add: the extension to add and its agent type (empty: the PBX's default)."""

    extension: str
    agent_type: str = ""


class QueueAddPrompt(PromptScreen[QueueAddRequest]):
    """Asks for the extension to add to the selected queue and, optionally, its agent type."""

    def __init__(self, subject: str) -> None:
        super().__init__("Add agent to queue", subject)

    def compose_fields(self) -> ComposeResult:
        yield Label("Extension")
        yield Input(placeholder="e.g. 103", id="extension")
        yield Label("Agent type (optional)")
        yield Select(
            [(f"{code} – {meaning}", code) for code, meaning in AGENT_TYPE_CHOICES],
            prompt="PBX default",
            id="agent-type",
        )

    def on_mount(self) -> None:
        self.query_one("#extension", Input).focus()

    def collect(self) -> QueueAddRequest:
        extension = validate.extension(self.query_one("#extension", Input).value)
        choice = self.query_one("#agent-type", Select)
        return QueueAddRequest(extension, "" if choice.is_blank() else str(choice.value))
