"""Where the panes sit: one at a time (the number keys switch) below 160x48, all of them in two columns from there up.

The single-PBX monitor and a fleet's PBX tab lay out the same pane widgets
the same way, with these functions.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.geometry import Size
from textual.widget import Widget

from tringtui.tui.panes.base import Pane

# From this terminal size up, all panes are shown at once.
DASHBOARD_MIN_SIZE = Size(160, 48)

# Which dashboard column each pane sits in: the overview on the left, the long lists on the right.
LEFT_COLUMN = ("nodes", "queues", "events")
RIGHT_COLUMN = ("channels", "flows", "peers")


def is_dashboard(size: Size) -> bool:
    return size.width >= DASHBOARD_MIN_SIZE.width and size.height >= DASHBOARD_MIN_SIZE.height


def compose_panes(panes: Mapping[str, Pane]) -> ComposeResult:
    """The ``#panes`` container with its two columns, holding whichever of ``panes`` there are."""
    with Horizontal(id="panes"):
        for column_id, column in (("column-left", LEFT_COLUMN), ("column-right", RIGHT_COLUMN)):
            with Vertical(id=column_id, classes="column"):
                for pane_id in column:
                    if pane_id in panes:
                        yield panes[pane_id]


def show_panes(container: Widget, panes: Mapping[str, Pane], *, dashboard: bool, active: str) -> None:
    """All panes (dashboard) or only ``active``; a column with nothing shown takes no room."""
    container.set_class(dashboard, "-dashboard")
    container.set_class(not dashboard, "-single")
    for pane in panes.values():
        pane.display = dashboard or pane.pane_id == active
    for column in container.query(".column"):
        column.display = any(child.display for child in column.children)


def pane_of(node: DOMNode | None) -> Pane | None:
    """The pane ``node`` (the focused widget, say) is in, or None."""
    while node is not None and not isinstance(node, Pane):
        node = node.parent
    return node
