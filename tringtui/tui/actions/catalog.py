"""Every operator action: its plain name, key, pane and what it does.

The single source for the footer bindings of each pane, the help screen's key
map and the command palette, so the three can never disagree.

How the keys were chosen: a write never sits on a lowercase letter (a filter
typed while the table has focus would hit it) and never on a key the monitor
uses for something harmless. Every write is a capital letter, and each
capital means one thing only, whichever pane is focused. The bulk actions
(every phone of a tenant) are on control keys and then ask for the tenant
code to be typed. ``ctrl+b`` is avoided: it is tmux's prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One operator action as the UI offers it."""

    name: str  # the journal's action name, and the pane's ``action_<method>``
    title: str  # the plain name the palette and the help screen show
    key: str  # Textual key name
    pane: str  # the pane that offers it
    help: str  # one line for the help screen and the palette
    footer: str  # the short label in the footer

    @property
    def method(self) -> str:
        """The ``action_…`` method name (without the prefix) the pane implements."""
        return self.name.replace("-", "_")

    @property
    def key_display(self) -> str:
        return self.key.replace("ctrl+", "^")

    def binding(self) -> Binding:
        return Binding(self.key, self.method, self.footer, key_display=self.key_display)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("hangup", "Hang up call", "H", "channels",
               "Hang up the selected call (re-checked by uniqueid before sending).", "Hang up"),
    ActionSpec("transfer", "Transfer call", "T", "channels",
               "Blind-transfer the selected call to a number; optionally its other leg too.", "Transfer"),
    ActionSpec("attended-transfer", "Attended transfer", "A", "channels",
               "Attended transfer of the selected call to a number.", "Att.xfer"),
    ActionSpec("originate", "Originate call", "O", "channels",
               "Ring an extension, then connect it to a number (DIAL).", "Originate"),
    ActionSpec("pause", "Pause agent", "P", "queues",
               "Pause the selected agent in the selected queue (all queues only if ticked).", "Pause"),
    ActionSpec("unpause", "Unpause agent", "U", "queues",
               "Unpause the selected agent in the selected queue.", "Unpause"),
    ActionSpec("queue-add", "Add agent to queue", "J", "queues",
               "Add an extension to the selected queue as an agent (join).", "Add agent"),
    ActionSpec("queue-remove", "Remove agent from queue", "X", "queues",
               "Remove the selected agent from the selected queue.", "Remove agent"),
    ActionSpec("reboot", "Reboot phone", "B", "peers",
               "Reboot the selected phone.", "Reboot"),
    ActionSpec("unregister", "Unregister phone", "E", "peers",
               "Unregister the selected phone (drops its registration).", "Unregister"),
    ActionSpec("reboot-all", "Reboot all phones of tenant", "ctrl+r", "peers",
               "Reboot every phone of the tenant; asks for the tenant code.", "Reboot ALL"),
    ActionSpec("unregister-all", "Unregister all phones of tenant", "ctrl+e", "peers",
               "Unregister every phone of the tenant; asks for the tenant code.", "Unreg ALL"),
    ActionSpec("set-flow", "Set flow", "S", "flows",
               "Set the selected flow's state and/or value (SETFLOW).", "Set flow"),
)

_BY_NAME = {spec.name: spec for spec in ACTIONS}


def spec(name: str) -> ActionSpec:
    """The action called ``name`` (``KeyError`` if there is none)."""
    return _BY_NAME[name]


def for_pane(pane: str) -> tuple[ActionSpec, ...]:
    """The actions a pane offers, in catalogue order."""
    return tuple(action for action in ACTIONS if action.pane == pane)


def bindings_for(pane: str) -> list[Binding]:
    """The footer bindings a pane adds to its ``BINDINGS``."""
    return [action.binding() for action in for_pane(pane)]


def is_write(method: str) -> bool:
    """Whether a pane's action method (``hangup``, ``set_flow``…) is an operator write."""
    return any(action.method == method for action in ACTIONS)
