"""Every operator action: its plain name, key, pane and what it does.

The single list the pane commands are registered from, so the footer, the
help screen and the command palette (which all read the monitor's command
registry) show the same names and keys.

How the keys were chosen: a write never sits on a lowercase letter (a filter
typed while the table has focus would hit it, and the monitor's harmless keys
are lowercase: ``s`` sort, ``r`` refresh, ``p`` pause polling, ``t`` tenant,
``q`` quit, ``i`` details). Every write is a capital letter, and each capital
means one thing only, whichever pane is focused; ``S`` stays the monitor's
reverse sort. The bulk actions (every phone of a tenant, an agent in every
queue) are on control keys; the phone ones then ask for the tenant code. ``ctrl+b`` is avoided: it is
tmux's prefix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One operator action as the UI offers it."""

    name: str  # the journal's action name and the registered command's name
    title: str  # the plain name the palette, the footer and the help screen show
    key: str  # Textual key name
    pane: str  # the pane that offers it
    help: str  # one line for the help screen and the palette


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("hangup", "Hang up call", "H", "channels",
               "Hang up the selected call (re-checked by uniqueid before sending)"),
    ActionSpec("transfer", "Transfer call", "T", "channels",
               "Blind-transfer the selected call to a number; optionally its other leg too"),
    ActionSpec("attended-transfer", "Attended transfer", "A", "channels",
               "Attended transfer of the selected call to a number"),
    ActionSpec("originate", "Originate call", "O", "channels",
               "Ring an extension, then connect it to a number (DIAL)"),
    ActionSpec("pause", "Pause agent", "P", "queues",
               "Pause the selected agent in the selected queue (all queues only if ticked)"),
    ActionSpec("unpause", "Unpause agent", "U", "queues",
               "Unpause the selected agent in the selected queue"),
    ActionSpec("unpause-all-queues", "Unpause agent in all queues", "ctrl+u", "queues",
               "Unpause the selected agent in every queue it belongs to"),
    ActionSpec("queue-add", "Add agent to queue", "J", "queues",
               "Add (join) an extension to the selected queue as an agent"),
    ActionSpec("queue-remove", "Remove agent from queue", "X", "queues",
               "Remove the selected agent from the selected queue"),
    ActionSpec("reboot", "Reboot phone", "B", "peers",
               "Reboot the selected phone"),
    ActionSpec("unregister", "Unregister phone", "E", "peers",
               "Unregister the selected phone (drops its registration)"),
    ActionSpec("reboot-all", "Reboot all phones of tenant", "ctrl+r", "peers",
               "Reboot every phone of the tenant; asks for the tenant code"),
    ActionSpec("unregister-all", "Unregister all phones of tenant", "ctrl+e", "peers",
               "Unregister every phone of the tenant; asks for the tenant code"),
    ActionSpec("set-flow", "Set flow", "F", "flows",
               "Set the selected flow's state and/or value (SETFLOW)"),
)


_BY_NAME = {action.name: action for action in ACTIONS}


def title_of(name: str) -> str:
    """The plain name of the action called ``name`` (the name itself if it is not catalogued)."""
    action = _BY_NAME.get(name)
    return action.title if action else name
