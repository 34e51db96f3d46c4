"""Time for the live core: a wall clock that stamps data, and a monotonic one that schedules polls.

A poll is stamped with wall time (``clock()``, epoch seconds: ages, STALE,
"fetched at"), and scheduled on monotonic time (``clock.monotonic()`` and
``clock.wait``), so a wall clock frozen for a snapshot test does not freeze
polling. ``SystemClock`` is the real thing (its wall part may be replaced,
as the monitor's tests do); ``ManualClock`` moves only when a test moves it,
both for stamps and for scheduling, so the poller's rules are tested without
wall-clock tolerances.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Any, Protocol

WallClock = Callable[[], float]
"""Returns the current wall-clock time as epoch seconds."""


class Clock(Protocol):
    """What the core needs to know about time: now (wall), now (monotonic), and a wakeable wait."""

    def __call__(self) -> float:
        """The wall-clock time, epoch seconds: the stamp on fetched data."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps: when the next poll is due, and latencies."""
        ...

    async def wait(self, wake: asyncio.Event, timeout: float | None) -> None:
        """Return when ``wake`` is set or ``timeout`` monotonic seconds have passed (None: never)."""
        ...


class SystemClock:
    """The real clocks: ``wall`` (default ``time.time``) and the running event loop's time."""

    def __init__(self, wall: WallClock = time.time) -> None:
        self._wall = wall

    def __call__(self) -> float:
        return self._wall()

    def monotonic(self) -> float:
        return time.monotonic()

    async def wait(self, wake: asyncio.Event, timeout: float | None) -> None:
        try:
            await asyncio.wait_for(wake.wait(), timeout)
        except TimeoutError:
            pass


class ManualClock:
    """A clock for tests: wall and monotonic time stand still until ``advance`` moves both.

    ``await clock.advance(5)`` moves time on by five seconds, wakes every
    waiter whose time has come (in order) and lets the woken tasks run until
    they wait again, so a test reads "five seconds later" without sleeping.
    """

    def __init__(self, start: float = 1_764_230_400.0) -> None:  # 2025-11-27 08:00:00 UTC
        self._wall_start = float(start)
        self._elapsed = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self._wall_start + self._elapsed

    def monotonic(self) -> float:
        return self._elapsed

    async def wait(self, wake: asyncio.Event, timeout: float | None) -> None:
        if wake.is_set():
            return
        if timeout is not None and timeout <= 0:
            return
        waiter = asyncio.ensure_future(wake.wait())
        timer: asyncio.Future[None] | None = None
        pending: set[asyncio.Future[Any]] = {waiter}
        if timeout is not None:
            timer = asyncio.get_running_loop().create_future()
            heapq.heappush(self._timers, (self._elapsed + timeout, next(self._order), timer))
            pending.add(timer)
        try:
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            if timer is not None and not timer.done():
                timer.cancel()

    async def settle(self) -> None:
        """Let every task that can run, run (until all of them wait on something)."""
        for _ in range(50):
            await asyncio.sleep(0)

    async def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, firing due timers in order, and let the woken tasks run."""
        if seconds < 0:
            raise ValueError("a ManualClock never goes backwards")
        target = self._elapsed + seconds
        await self.settle()
        while self._timers and self._timers[0][0] <= target:
            due, _, timer = heapq.heappop(self._timers)
            if timer.done():
                continue
            self._elapsed = max(self._elapsed, due)
            timer.set_result(None)
            await self.settle()
        self._elapsed = target
        await self.settle()
