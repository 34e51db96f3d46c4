"""A sparkline widget that does not turn a lone sample into a peak.

Textual's ``Sparkline`` fills its whole box with one sample (the monitor's
first poll), as if the figure were at a maximum; a series that has not
moved draws a line at the bottom, which reads as zero. ``TrendSparkline``
draws both as a flat line half way up (``sparkline_text.is_level``) and
everything else as Textual does.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.widgets import Sparkline

from tringtui.tui.widgets.sparkline_text import LEVEL_BLOCK, is_level


class TrendSparkline(Sparkline):
    """``Sparkline`` with an honest level line; see the module docstring."""

    def render(self) -> RenderResult:
        if not is_level(list(self.data or [])):
            return super().render()
        _, base = self.background_colors
        low = base + (self.get_component_styles("sparkline--min-color").color if self.min_color is None
                      else self.min_color)
        high = base + (self.get_component_styles("sparkline--max-color").color if self.max_color is None
                       else self.max_color)
        width, height = self.size
        rows = [""] * height
        rows[(height - 1) // 2] = LEVEL_BLOCK * width
        # Half way up, in the colour half way between the low and high ends, as Textual blends its bars.
        return Text("\n".join(rows), style=Style(color=low.blend(high, 0.5).rich_color), no_wrap=True)
