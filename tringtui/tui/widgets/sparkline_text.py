"""Sparklines as text, for table cells where a widget cannot go."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline_text(values: Sequence[float], width: int) -> str:
    """The last ``width`` values as block characters, scaled from 0 to the largest value shown.

    Scaling from zero (not from the minimum) keeps a flat line flat and makes a
    drop to half look like half; an all-zero series draws the lowest block.
    """
    shown = list(values)[-width:]
    if not shown:
        return ""
    top = max(shown)
    if top <= 0:
        return BLOCKS[0] * len(shown)
    last = len(BLOCKS) - 1
    return "".join(BLOCKS[round(max(0.0, v) / top * last)] for v in shown)
