"""``Monitor``: what panes and actions may ask of the monitor they are in, as a typed interface.

Panes sit below the app (import-linter's tui layers), so they cannot import
``TringApp``; they reach it through this Protocol instead of
``getattr(self.app, "…")``, and a wrong name is a type error, not a silent
default. The monitor is the app for the single-PBX monitor, and the PBX's
tab (``tringtui.tui.fleet.pbx_view.PbxView``) in the fleet monitor, so the
same panes and actions work on that tab's PBX only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.dom import DOMNode

if TYPE_CHECKING:
    from tringtui.live.session import LiveSession
    from tringtui.settings import Settings
    from tringtui.tui.actions.controller import ActionController


@runtime_checkable
class Monitor(Protocol):
    """The running monitor of one PBX (the app, or a fleet's PBX tab), as panes and actions see it."""

    settings: Settings
    live: LiveSession
    readonly: bool
    pane_tenant: str
    rebuilding: bool
    operator_actions: ActionController

    @property
    def keys_go_to_input(self) -> bool:
        """True while the user types into an input or a dialog is open."""
        ...

    def action_show_pane(self, pane_id: str) -> None:
        """Show (at 80x24) or focus (dashboard) a pane."""
        ...

    def open_chart(self, kind: str, key: str) -> None:
        """A larger chart of a node's (``kind`` "node") or a queue's ("queue") recorded figures."""
        ...

    def show_readonly(self) -> None:
        """The session became read-only: say so, and hide the write keys."""
        ...

    def show_recorded_events(self) -> None:
        """Read the time line (recorded events and journalled writes) into the Events pane again."""
        ...


def monitor_of(node: DOMNode) -> Monitor:
    """The monitor a widget is in: the nearest ancestor that is one (a fleet's PBX tab), else its app.

    A TypeError if there is none (some other app, or a screen of the fleet monitor).
    """
    for ancestor in node.ancestors_with_self:
        if isinstance(ancestor, Monitor):
            return ancestor
    app = node.app
    if not isinstance(app, Monitor):
        raise TypeError(f"{type(app).__name__} is not the tringtui monitor")
    return app
