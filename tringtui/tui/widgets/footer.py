"""``MonitorFooter``: Textual's footer, with ``? Help`` and ``q Quit`` always first.

At 80 columns a pane's write keys fill the footer and the app's own keys,
which Textual puts last, were cut off: the one key that explains all the
others must never be. The rest keep Textual's order and are cut at the right.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

# Actions whose keys lead the footer, in this order.
FIRST_ACTIONS = ("help", "quit_key")


class MonitorFooter(Footer):
    """The monitor's footer; see the module docstring."""

    def compose(self) -> ComposeResult:
        # The monitor binds no key groups, so the footer's keys come as one flat sequence.
        keys = list(super().compose())
        first = sorted(
            (key for key in keys if getattr(key, "action", None) in FIRST_ACTIONS),
            key=lambda key: FIRST_ACTIONS.index(key.action),
        )
        yield from first
        yield from (key for key in keys if key not in first)
