"""``OriginatePrompt``: who calls whom for a DIAL (originate)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label

from tringtui.api import validate
from tringtui.tui.screens.prompt import PromptScreen
from tringtui.tui.widgets.marked_checkbox import MarkedCheckbox


@dataclass(frozen=True, slots=True)
class OriginateRequest:
    """DIAL: ring ``source`` (an extension, or ``ACCOUNT``), then connect it to ``destination``."""

    source: str
    destination: str
    account: str = ""
    autoanswer: bool = False  # the source phone answers by itself (DIAL autoanswer=yes)


class OriginatePrompt(PromptScreen[OriginateRequest]):
    """Asks for the source extension (or an account) and the destination of a new call."""

    def __init__(self, subject: str, *, source: str = "", tenant: str = "") -> None:
        super().__init__("Originate call", subject)
        self.default_source = source
        self.tenant = tenant  # the session's (or chosen) tenant: the source must be one of its phones

    def compose_fields(self) -> ComposeResult:
        yield Label("Source extension (rings first)")
        yield Input(value=self.default_source, placeholder="e.g. 103", id="source")
        yield Label("Destination number")
        yield Input(placeholder="e.g. 201 or +31201234567", id="destination")
        yield Label("Account (optional; with source ACCOUNT, its number rings)")
        yield Input(placeholder="leave empty to call from the source extension", id="account")
        yield MarkedCheckbox("Source phone answers by itself (auto answer)", id="autoanswer")

    def on_mount(self) -> None:
        self.query_one("#destination" if self.default_source else "#source", Input).focus()

    def collect(self) -> OriginateRequest:
        source = self.query_one("#source", Input).value.strip()
        account = self.query_one("#account", Input).value.strip()
        if account:
            account = validate.destination(account)
        if source.upper() == "ACCOUNT":
            if not account:
                raise ValueError("Source ACCOUNT needs an account number.")
            source = "ACCOUNT"
        else:
            source = validate.extension(source)
            _, _, source_tenant = source.partition("-")
            if source_tenant and self.tenant and source_tenant.upper() != self.tenant.upper():
                raise ValueError(f"{source} is a phone of tenant {source_tenant}, not of {self.tenant}.")
        destination = validate.destination(self.query_one("#destination", Input).value)
        autoanswer = self.query_one("#autoanswer", Checkbox).value
        return OriginateRequest(source, destination, account, autoanswer)
