"""Clocks for the simulator: the wall clock, and a manual clock for tests.

The simulated PBX never reads time on its own; it asks an injected callable
returning epoch seconds. Tests and snapshot runs pass a ``ManualClock`` so that
the state only moves when the test moves it.
"""

from __future__ import annotations

import threading
import time


def wall_clock() -> float:
    """The real time in epoch seconds (the default clock of ``tringtui sim``)."""
    return time.time()


class ManualClock:
    """A clock that stands still until told to move; safe to share between threads.

    ``clock()`` returns the current epoch seconds; ``set(t)`` jumps to ``t`` and
    ``advance(dt)`` moves forward by ``dt`` seconds. Time never goes backwards.
    """

    def __init__(self, start: float = 1_764_230_400.0) -> None:  # 2025-11-27 08:00:00 UTC
        self._now = float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def set(self, now: float) -> None:
        with self._lock:
            if now < self._now:
                raise ValueError("a ManualClock never goes backwards")
            self._now = float(now)

    def advance(self, seconds: float) -> float:
        """Move forward by ``seconds`` and return the new time."""
        if seconds < 0:
            raise ValueError("a ManualClock never goes backwards")
        with self._lock:
            self._now += seconds
            return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self._now!r})"
