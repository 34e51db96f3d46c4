"""Sparklines as text, for table cells where a widget cannot go."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"
LEVEL_BLOCK = BLOCKS[len(BLOCKS) // 2 - 1]
"""What a series without a trend draws: one sample, or the same value throughout (not zero)."""


def is_level(values: Sequence[float]) -> bool:
    """Whether a series shows no trend: a single sample, or the same non-zero value every time.

    Scaled like any other series it would fill the whole height (the value is
    its own maximum), which reads as a peak; a flat line half way up says "no
    change" without claiming more.
    """
    return bool(values) and min(values) == max(values) and values[0] > 0


def sparkline_text(values: Sequence[float], width: int) -> str:
    """The last ``width`` values as block characters, scaled from 0 to the largest value shown.

    Scaling from zero (not from the minimum) makes a drop to half look like
    half; an all-zero series draws the lowest block, a level one (``is_level``)
    a flat line half way up.
    """
    shown = list(values)[-width:]
    if not shown:
        return ""
    if is_level(shown):
        return LEVEL_BLOCK * len(shown)
    top = max(shown)
    if top <= 0:
        return BLOCKS[0] * len(shown)
    last = len(BLOCKS) - 1
    return "".join(BLOCKS[round(max(0.0, v) / top * last)] for v in shown)
