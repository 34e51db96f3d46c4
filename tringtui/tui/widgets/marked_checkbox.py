"""A checkbox whose state shows as a character, not only as a colour.

Textual's checkbox always draws its ``X`` and tells on from off by colour
alone, which is lost with ``NO_COLOR`` or a poor 16-colour palette. For the
options that widen an action (pause in ALL queues, transfer both legs) the
operator must see the state in any terminal.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class MarkedCheckbox(Checkbox):
    """A ``Checkbox`` drawn ``▐X▌`` when on and ``▐ ▌`` when off."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - shadows Textual's class constant of that name
        return "X" if self.value else " "
