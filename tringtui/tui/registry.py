"""The monitor's views and pane commands, in one place the help screen and command palette read.

Views are the five panes, switched with the number keys. Pane commands are
what a user can do with the row under a pane's cursor ("Show channel
details", later "Hang up call", "Pause agent", …). A command registered here
is bound to its key on every instance of its pane, listed in the footer when
that pane has focus, shown on the help screen and offered by the command
palette, without editing the pane's module.
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


_COMMANDS: dict[tuple[str, str], PaneCommand] = {}


def register_command(command: PaneCommand) -> PaneCommand:
    """Add (or replace, by pane and name) a pane command. Register before the app starts."""
    _COMMANDS[(command.pane_id, command.name)] = command
    return command


def commands_for(pane_id: str) -> list[PaneCommand]:
    return [command for (pane, _), command in _COMMANDS.items() if pane == pane_id]


def find_command(pane_id: str, name: str) -> PaneCommand | None:
    return _COMMANDS.get((pane_id, name))


def all_commands() -> list[PaneCommand]:
    return list(_COMMANDS.values())
