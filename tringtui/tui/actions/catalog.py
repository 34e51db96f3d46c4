"""Every operator action: its plain name, key, pane and what it does.

The single list the pane commands are registered from, so the footer, the
help screen and the command palette (which all read the monitor's command
registry) show the same names and keys.

How the keys were chosen: a write never sits on a lowercase letter (a filter
typed while the table has focus would hit it, and the monitor's harmless keys
are lowercase: ``s`` sort, ``r`` refresh, ``p`` pause polling, ``t`` tenant,
``q`` quit, ``i`` details). Every write is a capital letter, and each capital
means one thing only, whichever pane is focused; ``S`` stays the monitor's
reverse sort and ``P`` its profile switch, so pausing an agent is ``Z``
(snooze), well away from ``p``, which only pauses polling. The bulk actions (every phone of a tenant, an agent in every
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
    help: str  # what it does, read after the title: "Hang up call — the selected one, …"
    footer: str  # the footer's short label (a pane's keys must fit 80 columns)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("hangup", "Hang up call", "H", "channels",
               "the selected one, re-checked by uniqueid before sending", "Hangup"),
    ActionSpec("transfer", "Transfer call", "T", "channels",
               "blind, to a number; optionally its other leg too", "Xfer"),
    ActionSpec("attended-transfer", "Attended transfer", "A", "channels",
               "the selected call consults a number first (ATXTRANSFER)", "AttXfer"),
    ActionSpec("originate", "Originate call", "O", "channels",
               "ring an extension, then connect it to a number (DIAL)", "Dial"),
    ActionSpec("pause", "Pause agent", "Z", "queues",
               "in the selected queue, with a reason (all queues only if ticked)", "Pause"),
    ActionSpec("unpause", "Unpause agent", "U", "queues",
               "in the selected queue only", "Unpause"),
    ActionSpec("unpause-all-queues", "Unpause agent in all queues", "ctrl+u", "queues",
               "in every queue the selected agent belongs to", "Unp.all"),
    ActionSpec("queue-add", "Add agent to queue", "J", "queues",
               "an extension joins the selected queue", "Add"),
    ActionSpec("queue-remove", "Remove agent from queue", "X", "queues",
               "the selected agent leaves the selected queue", "Remove"),
    ActionSpec("reboot", "Reboot phone", "B", "peers",
               "the selected phone; its calls drop", "Reboot"),
    ActionSpec("unregister", "Unregister phone", "E", "peers",
               "the selected phone drops its registration", "Unreg"),
    ActionSpec("reboot-all", "Reboot all phones of tenant", "ctrl+r", "peers",
               "every phone of the tenant; the tenant code must be typed", "Reboot all"),
    ActionSpec("unregister-all", "Unregister all phones of tenant", "ctrl+e", "peers",
               "every phone of the tenant; the tenant code must be typed", "Unreg all"),
    ActionSpec("set-flow", "Set flow", "F", "flows",
               "the selected flow's state and/or value (SETFLOW)", "Set flow"),
)


def describe(action: ActionSpec) -> str:
    """The help screen's and the palette's line for an action."""
    return f"{action.title} — {action.help}"


_BY_NAME = {action.name: action for action in ACTIONS}


def title_of(name: str) -> str:
    """The plain name of the action called ``name`` (the name itself if it is not catalogued)."""
    action = _BY_NAME.get(name)
    return action.title if action else name
