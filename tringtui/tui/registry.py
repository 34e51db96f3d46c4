"""The monitor's views and pane commands, in one place the help screen and command palette read.

Views are the five panes, switched with the number keys. Pane commands are
what a user can do with the row under a pane's cursor ("Show channel
details", "Hang up call", "Pause agent", …). The app builds one
``CommandRegistry`` when it starts (nothing registers itself on import); a
command in it is bound to its key on every instance of its pane, listed in
the footer when that pane has focus, shown on the help screen and offered by
the command palette, without editing the pane's module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tringtui.tui.panes.base import Pane


@dataclass(frozen=True, slots=True)
class View:
    """One pane the user can switch to: ``key`` is its number key."""

    pane_id: str
    title: str
    key: str
    description: str


VIEWS: tuple[View, ...] = (
    View("nodes", "Nodes", "1", "Registered peers and active channels per PBX node"),
    View("channels", "Channels", "2", "Active calls with caller, destination, state and duration"),
    View("queues", "Queues", "3", "Queues, calls waiting, and the selected queue's agents"),
    View("flows", "Flows", "4", "Flows (day/night switches) and BLF states per extension"),
    View("peers", "Peers", "5", "Phone registrations: status, latency, host, node"),
    View("events", "Events", "6", "What changed and when, newest first (the session's recording)"),
)


def view(pane_id: str) -> View:
    for candidate in VIEWS:
        if candidate.pane_id == pane_id:
            return candidate
    raise KeyError(pane_id)


CommandHandler = Callable[["Pane"], Awaitable[Any] | Any]


@dataclass(frozen=True, slots=True)
class PaneCommand:
    """Something to do with a pane's selected row.

    ``handler(pane)`` runs when the key is pressed or the palette entry is
    chosen; it reads the target from ``pane.selected_row``. Commands with
    ``writes=True`` are disabled in read-only sessions.
    """

    pane_id: str
    name: str
    key: str
    title: str
    handler: CommandHandler
    description: str = ""
    writes: bool = False
    show_in_footer: bool = True
    footer_title: str = ""  # a shorter label for the footer (80 columns are few); the title when empty


class CommandRegistry:
    """The pane commands of one app, registered explicitly when the app is built."""

    def __init__(self) -> None:
        self._commands: dict[tuple[str, str], PaneCommand] = {}

    def add(self, command: PaneCommand) -> PaneCommand:
        """Add (or replace, by pane and name) a pane command; before the panes are built."""
        self._commands[(command.pane_id, command.name)] = command
        return command

    def for_pane(self, pane_id: str) -> list[PaneCommand]:
        return [command for (pane, _), command in self._commands.items() if pane == pane_id]

    def find(self, pane_id: str, name: str) -> PaneCommand | None:
        return self._commands.get((pane_id, name))

    def all(self) -> list[PaneCommand]:
        return list(self._commands.values())
