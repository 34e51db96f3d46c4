"""Pollers: one per pane, each fetching its data through the API layer on its own rhythm.

The TRiNG API is slow (seconds per request) and shared by everyone watching
the PBX, so a poller never has two requests in flight, schedules its next
request from the *end* of the previous one, backs off (capped) while the
server fails, and keeps the last good data when a poll fails. It knows
nothing about widgets: it reports every change of its ``PollState`` to a
callback and lets the pane decide what to show.

Two clocks are involved on purpose: the event loop's monotonic time decides
*when* to poll, the injected wall clock stamps *when data was fetched* (ages,
"STALE", the header's last refresh) so tests can freeze or advance it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from tringtui.api.errors import TringError

T = TypeVar("T")

Clock = Callable[[], float]
"""Returns the current wall-clock time as epoch seconds."""

# A pane whose good data is older than this many of its intervals is STALE.
STALE_AFTER_INTERVALS = 3.0
# No poller ever waits longer than this between retries while the server fails.
DEFAULT_BACKOFF_CAP = 120.0
# Nor longer than this many of its intervals, so that a pane shows fresh data
# within two intervals of the server coming back. Requests never overlap, so
# a failing server still gets at most one request per pane per two intervals.
BACKOFF_CAP_INTERVALS = 2.0


@dataclass(frozen=True, slots=True)
class PollState(Generic[T]):
    """What a poller knows right now: the last good data, and how the last attempt went."""

    data: T | None = None
    fetched_at: float | None = None
    latency: float | None = None
    error: str | None = None
    failures: int = 0
    in_flight: bool = False
    generation: int = 0
    """Bumped whenever the data changes (a success, or a reset)."""
    completed: int = 0
    """Polls finished so far, successful or not."""

    def age(self, now: float) -> float | None:
        """Seconds since the last good data arrived, or None before the first success."""
        return None if self.fetched_at is None else max(0.0, now - self.fetched_at)

    def is_stale(self, now: float, interval: float) -> bool:
        """True when the data shown is too old to trust (or a first poll failed with nothing shown)."""
        age = self.age(now)
        if age is None:
            return self.error is not None
        return age > STALE_AFTER_INTERVALS * interval


def backoff_delay(interval: float, failures: int, cap: float = DEFAULT_BACKOFF_CAP) -> float:
    """Delay before the next attempt: the interval while healthy, doubling per consecutive failure."""
    if failures <= 0:
        return interval
    return min(cap, interval * 2 ** (failures - 1))


def short_error(exc: BaseException) -> str:
    """A one-line message for a pane title: the API layer's own message, else the exception's type."""
    if isinstance(exc, TringError):
        text = exc.message
        # The header already names the server: "CHANNELS on host: timed out" becomes "CHANNELS: timed out".
        prefix = f"{exc.reqtype} on {exc.server}: "
        if exc.reqtype and exc.server and text.startswith(prefix):
            text = f"{exc.reqtype}: {text[len(prefix):]}"
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return " ".join(text.split())


class Poller(Generic[T]):
    """Fetches one pane's data again and again, never overlapping, from the end of the last fetch."""

    def __init__(
        self,
        name: str,
        fetch: Callable[[], Awaitable[T]],
        *,
        interval: float,
        on_change: Callable[[PollState[T]], Any],
        clock: Clock = time.time,
        backoff_cap: float = DEFAULT_BACKOFF_CAP,
    ) -> None:
        self.name = name
        self.interval = interval
        self.state: PollState[T] = PollState()
        self._fetch = fetch
        self._on_change = on_change
        self._clock = clock
        self._backoff_cap = backoff_cap
        self._paused = False
        self._refresh_requested = False
        self._wake = asyncio.Event()
        # Bumped by reset(): a poll that started before it reports nothing.
        self._epoch = 0

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Stop starting new polls (one already in flight still completes)."""
        self._paused = True

    def resume(self) -> None:
        """Poll again on schedule; a poll that fell due while paused starts at once."""
        self._paused = False
        self._wake.set()

    def refresh_now(self) -> None:
        """Poll as soon as possible, even while paused; right after the current poll if one is in flight."""
        self._refresh_requested = True
        self._wake.set()

    def reset(self) -> None:
        """Forget all data (the pane now shows something else, e.g. another tenant) and poll again at once."""
        self._epoch += 1
        self._set(PollState(generation=self.state.generation + 1, completed=self.state.completed))
        self.refresh_now()

    def next_delay(self) -> float:
        cap = min(self._backoff_cap, BACKOFF_CAP_INTERVALS * self.interval)
        return backoff_delay(self.interval, self.state.failures, cap)

    async def run(self) -> None:
        """Poll until cancelled. The first poll starts immediately."""
        loop = asyncio.get_running_loop()
        next_due = loop.time()
        while True:
            await self._wait_until(next_due)
            self._refresh_requested = False
            await self.poll_once()
            next_due = loop.time() + self.next_delay()

    async def _wait_until(self, due: float) -> None:
        loop = asyncio.get_running_loop()
        while not self._refresh_requested:
            remaining = None if self._paused else due - loop.time()
            if remaining is not None and remaining <= 0:
                return
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), remaining)
            except TimeoutError:
                pass

    async def poll_once(self) -> None:
        """One fetch; updates the state and reports it, keeping the last good data on failure."""
        epoch = self._epoch
        self._set(replace(self.state, in_flight=True))
        started = time.monotonic()
        try:
            data = await self._fetch()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failing pane (even a bug) must not stop the others
            if epoch != self._epoch:
                return
            self._set(
                replace(
                    self.state,
                    in_flight=False,
                    error=short_error(exc),
                    failures=self.state.failures + 1,
                    completed=self.state.completed + 1,
                )
            )
            return
        if epoch != self._epoch:
            return
        self._set(
            PollState(
                data=data,
                fetched_at=self._clock(),
                latency=time.monotonic() - started,
                error=None,
                failures=0,
                in_flight=False,
                generation=self.state.generation + 1,
                completed=self.state.completed + 1,
            )
        )

    def _set(self, state: PollState[T]) -> None:
        self.state = state
        self._on_change(state)
