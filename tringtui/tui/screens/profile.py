"""The profile picker: which profile of the config file the monitor should watch instead.

Modal and keyboard-first: arrows and Enter pick, Escape cancels. It only
returns the choice; the app resolves and applies it, so a broken profile or
a failing key command is reported there without leaving half a switch.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tringtui.config.switcher import ProfileSummary


class ProfilePicker(ModalScreen[str | None]):
    """Lists the config file's profiles (server, tenant, label, read-only); returns the name picked."""

    DEFAULT_CSS = """
    ProfilePicker {
        align: center middle;
    }
    ProfilePicker > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    ProfilePicker .picker-title {
        text-style: bold;
        color: $primary;
        width: 100%;
    }
    ProfilePicker .picker-hint {
        color: $text-muted;
        width: 100%;
    }
    ProfilePicker OptionList {
        height: auto;
        max-height: 14;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

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

    def action_cancel(self) -> None:
        self.dismiss(None)

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
