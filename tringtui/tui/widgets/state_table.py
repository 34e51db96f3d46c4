"""A KeyedTable whose rows can be coloured by PBX state through the theme's state variables.

Rows are styled by returning one of the ``STATE_*`` component-class names from
``row_style``; the colours themselves come from ``$state-up``, ``$state-ringing``
… in the app's stylesheet, so a theme file can change them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding

from tringtui.tui.textual_compat import replace_key

from tringtui.tui.widgets.keyed_table import KeyedTable

STATE_UP = "state-table--up"
STATE_RINGING = "state-table--ringing"
STATE_PAUSED = "state-table--paused"
STATE_UNREACHABLE = "state-table--unreachable"
STATE_IDLE = "state-table--idle"
STATE_ALERT = "state-table--alert"


class StateTable(KeyedTable[Any]):
    """KeyedTable plus component classes for call, phone and agent states.

    ``select_description`` names what Enter does in this table ("Details");
    without one, Enter is kept out of the footer, which is short at 80 columns.
    """

    # Wide tables scroll sideways at 80 columns; keyboard users need keys for it.
    BINDINGS = [
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = KeyedTable.COMPONENT_CLASSES | {
        STATE_UP,
        STATE_RINGING,
        STATE_PAUSED,
        STATE_UNREACHABLE,
        STATE_IDLE,
        STATE_ALERT,
    }

    def __init__(self, *args: Any, select_description: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        replace_key(
            self, Binding("enter", "select_cursor", select_description or "Select", show=bool(select_description))
        )
