"""Durations and moments as people type them, for the config (``retention: {age: 24h}``) and the time
commands (``--since 1h``, ``--since "2026-12-01 03:00"``, ``--at 03:12``).

Relative ages count back from now; absolute times are this machine's local
time unless they carry an offset; a bare time of day means today (yesterday
when it is still to come).
"""

from __future__ import annotations

import re
from datetime import datetime

_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*(sec|min|s|m|h|d|w)", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


class TimeParseError(ValueError):
    """A time the user wrote that means nothing; the message says what is accepted."""


def parse_duration(text: str) -> float:
    """``90s``, ``15m``, ``1h30m``, ``2d`` → seconds."""
    compact = text.strip().replace(" ", "")
    pos, total = 0, 0.0
    for match in _AGE.finditer(compact):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
        pos = match.end()
    if pos != len(compact) or not compact:
        raise TimeParseError(f"{text!r} is not a duration: write e.g. 90s, 15m, 1h, 1h30m or 2d")
    return total


def parse_time(text: str, now: float) -> float:
    """A moment as epoch seconds: an age back from ``now`` (``1h``, ``15m``), a date and time
    (``2026-12-01 03:00``, ISO 8601 with an offset), or a time of day (``03:12``)."""
    stripped = text.strip()
    if not stripped:
        raise TimeParseError("an empty time: write e.g. 1h, 15m, 03:12 or \"2026-12-01 03:00\"")
    if stripped == "now":
        return now
    try:
        return now - parse_duration(stripped)
    except TimeParseError:
        pass
    try:
        if _TIME_OF_DAY.fullmatch(stripped):
            today = datetime.fromtimestamp(now).date().isoformat()
            moment = datetime.fromisoformat(f"{today} {stripped}").timestamp()
            return moment - 86400 if moment > now else moment
        moment_dt = datetime.fromisoformat(stripped)
    except ValueError:
        raise TimeParseError(
            f"{text!r} is not a time: write an age (1h, 15m), a time of day (03:12) "
            "or a date and time (\"2026-12-01 03:00\", local time unless an offset is given)"
        ) from None
    return moment_dt.timestamp()


def format_time(at: float, *, date: bool = True) -> str:
    """A moment in this machine's local time, to the second."""
    return datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M:%S" if date else "%H:%M:%S")
