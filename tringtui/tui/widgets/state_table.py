"""A KeyedTable whose rows can be coloured by PBX state through the theme's state variables.

Rows are styled by returning one of the ``STATE_*`` component-class names from
``row_style``; the colours themselves come from ``$state-up``, ``$state-ringing``
… in the app's stylesheet, so a theme file can change them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tringtui.tui.widgets.keyed_table import KeyedTable

STATE_UP = "state-table--up"
STATE_RINGING = "state-table--ringing"
STATE_PAUSED = "state-table--paused"
STATE_UNREACHABLE = "state-table--unreachable"
STATE_IDLE = "state-table--idle"
STATE_ALERT = "state-table--alert"


class StateTable(KeyedTable[Any]):
    """KeyedTable plus component classes for call, phone and agent states."""

    COMPONENT_CLASSES: ClassVar[set[str]] = KeyedTable.COMPONENT_CLASSES | {
        STATE_UP,
        STATE_RINGING,
        STATE_PAUSED,
        STATE_UNREACHABLE,
        STATE_IDLE,
        STATE_ALERT,
    }
