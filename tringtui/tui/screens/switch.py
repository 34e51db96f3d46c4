"""Small pickers for switching the session: another profile, or another tenant (admin keys).

Both are modal and keyboard-first: arrows and Enter pick, Escape cancels.
They only return the choice; the app resolves and applies it, so a broken
profile or a rejected key is reported there without leaving half a switch.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tringtui.config.switcher import ProfileSummary

ALL_TENANTS = ""


class PickerScreen(ModalScreen[str | None]):
    """A titled box centred on the screen; Escape dismisses it with ``None``."""

    DEFAULT_CSS = """
    PickerScreen {
        align: center middle;
    }
    PickerScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    PickerScreen .picker-title {
        text-style: bold;
        color: $primary;
        width: 100%;
    }
    PickerScreen .picker-hint {
        color: $text-muted;
        width: 100%;
    }
    PickerScreen OptionList {
        height: auto;
        max-height: 14;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProfilePicker(PickerScreen):
    """Lists the config file's profiles (server, tenant, label, read-only); returns the name picked."""

    def __init__(self, profiles: Sequence[ProfileSummary], current: str) -> None:
        super().__init__()
        self.profiles = list(profiles)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Switch profile", classes="picker-title")
            options = [Option(self._describe(profile), id=profile.name) for profile in self.profiles]
            yield OptionList(*options, id="profiles")
            yield Label("Enter: switch   Esc: cancel", classes="picker-hint")

    def _describe(self, profile: ProfileSummary) -> Text:
        text = Text()
        text.append("● " if profile.name == self.current else "  ")
        text.append(profile.name, style="bold")
        if profile.label:
            text.append(f"  [{profile.label}]", style="bold")
        where = profile.server.split("://", 1)[-1] or "(no server)"
        text.append(f"  {where}")
        text.append(f"  tenant {profile.tenant}" if profile.tenant else "  all tenants")
        if profile.readonly:
            text.append("  read-only")
        return text

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [profile.name for profile in self.profiles]
        if self.current in names:
            options.highlighted = names.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


class TenantPicker(PickerScreen):
    """Type a tenant code (or pick one seen in the data); empty means all tenants. Returns the code."""

    def __init__(self, current: str, known: Sequence[str] = ()) -> None:
        super().__init__()
        self.current = current
        self.known = sorted(set(known))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Switch tenant (admin keys)", classes="picker-title")
            yield Input(value=self.current, placeholder="tenant code; empty for all tenants", id="tenant")
            if self.known:
                options = [Option("all tenants", id="\0all")] + [Option(code, id=code) for code in self.known]
                yield OptionList(*options, id="tenants")
            yield Label("Enter: switch   ↓: known tenants   Esc: cancel", classes="picker-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(ALL_TENANTS if event.option.id == "\0all" else event.option.id)

    def on_key(self, event) -> None:
        if event.key == "down" and isinstance(self.focused, Input) and self.known:
            event.stop()
            self.query_one(OptionList).focus()
