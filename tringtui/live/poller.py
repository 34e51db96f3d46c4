"""The poller of one source: fetch again and again on its own rhythm, never overlapping.

The TRiNG API is slow (seconds per request) and shared by everyone watching
the PBX, so a poller never has two requests in flight, schedules its next
request from the *end* of the previous one, backs off (capped) while the
server fails, and keeps the last good data when a poll fails. Each change of
its ``Snapshot`` goes to one callback (the session fans it out).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Generic, TypeVar

from tringtui.live.clock import Clock
from tringtui.live.snapshot import Snapshot, SourceError

T = TypeVar("T")

DEFAULT_BACKOFF_CAP = 120.0
"""No poller ever waits longer than this between retries while the server fails."""
BACKOFF_CAP_INTERVALS = 2.0
"""Nor longer than this many of its intervals: once the server is back, fresh data arrives within two
intervals of the end of the poll in flight (a hung request ends at the client's timeout at the latest)."""


def backoff_delay(interval: float, failures: int, cap: float = DEFAULT_BACKOFF_CAP) -> float:
    """Delay before the next attempt: the interval while healthy, doubling per consecutive failure."""
    if failures <= 0:
        return interval
    return float(min(cap, interval * 2 ** (failures - 1)))


class Poller(Generic[T]):
    """Fetches one source again and again, never overlapping, from the end of the last fetch."""

    def __init__(
        self,
        source: str,
        fetch: Callable[[], Awaitable[T]],
        *,
        interval: float,
        on_change: Callable[[Snapshot[T]], object],
        clock: Clock,
        backoff_cap: float = DEFAULT_BACKOFF_CAP,
    ) -> None:
        self.source = source
        self.interval = interval
        self.snapshot: Snapshot[T] = Snapshot(source)
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
        """Forget all data (the source now means something else, e.g. another tenant) and poll again at once."""
        self._epoch += 1
        self._set(Snapshot(self.source, generation=self.snapshot.generation + 1, completed=self.snapshot.completed))
        self.refresh_now()

    def next_delay(self) -> float:
        cap = min(self._backoff_cap, BACKOFF_CAP_INTERVALS * self.interval)
        return backoff_delay(self.interval, self.snapshot.failures, cap)

    async def run(self) -> None:
        """Poll until cancelled. The first poll starts immediately."""
        next_due = self._clock.monotonic()
        while True:
            await self._wait_until(next_due)
            self._refresh_requested = False
            await self.poll_once()
            next_due = self._clock.monotonic() + self.next_delay()

    async def _wait_until(self, due: float) -> None:
        while not self._refresh_requested:
            remaining = None if self._paused else due - self._clock.monotonic()
            if remaining is not None and remaining <= 0:
                return
            self._wake.clear()
            await self._clock.wait(self._wake, remaining)

    async def poll_once(self) -> None:
        """One fetch; updates the snapshot and reports it, keeping the last good data on failure."""
        epoch = self._epoch
        self._set(replace(self.snapshot, in_flight=True))
        started = self._clock.monotonic()
        try:
            data = await self._fetch()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failing source (even a bug) must not stop the others
            if epoch == self._epoch:
                self._set(
                    replace(
                        self.snapshot,
                        in_flight=False,
                        error=SourceError.from_exception(exc),
                        failures=self.snapshot.failures + 1,
                        completed=self.snapshot.completed + 1,
                    )
                )
            return
        if epoch != self._epoch:
            return
        self._set(
            Snapshot(
                self.source,
                data=data,
                fetched_at=self._clock(),
                latency=self._clock.monotonic() - started,
                generation=self.snapshot.generation + 1,
                completed=self.snapshot.completed + 1,
            )
        )

    def _set(self, snapshot: Snapshot[T]) -> None:
        self.snapshot = snapshot
        self._on_change(snapshot)
