"""The poller's rules on an injected clock: single flight, from the end of the last poll, capped backoff,
stale, pause and refresh-now, an empty answer counted as a failure."""

from __future__ import annotations

import asyncio

import pytest

from tringtui.api.errors import EmptyAnswer, TransportError
from tringtui.live.clock import ManualClock
from tringtui.live.poller import Poller, backoff_delay
from tringtui.live.snapshot import ErrorKind, Snapshot


class Gate:
    """A fetch the test controls: each call waits until the test lets it finish, with a value or an error."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.outcomes: list[object] = []
        self.duration = 0.0

    async def __call__(self) -> object:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.starts.append(self.clock.monotonic())
        try:
            if self.duration:
                await self.clock.wait(asyncio.Event(), self.duration)
            outcome = self.outcomes.pop(0) if self.outcomes else len(self.starts)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        finally:
            self.ends.append(self.clock.monotonic())
            self.in_flight -= 1


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1000.0)


def make_poller(fetch, clock, interval=10.0, **kwargs):
    seen: list[Snapshot] = []
    poller = Poller("test", fetch, interval=interval, on_change=seen.append, clock=clock, **kwargs)
    return poller, seen


async def test_never_two_in_flight_and_the_next_poll_counts_from_the_end(clock):
    gate = Gate(clock)
    gate.duration = 4.0
    poller, _ = make_poller(gate, clock, interval=10.0)
    task = asyncio.create_task(poller.run())
    try:
        await clock.settle()
        assert gate.starts == [0.0]
        poller.refresh_now()  # asked while a poll is in flight: runs right after it, never beside it
        await clock.advance(4.0)
        assert gate.starts == [0.0, 4.0]
        await clock.advance(4.0)  # the second poll ends at 8: the next is due at 18, not at 10 or 14
        await clock.advance(9.0)
        assert gate.starts == [0.0, 4.0]
        await clock.advance(1.0)
        assert gate.starts == [0.0, 4.0, 18.0]
        assert gate.max_in_flight == 1
    finally:
        task.cancel()


async def test_errors_keep_the_last_good_data_and_back_off_to_a_cap(clock):
    gate = Gate(clock)
    gate.outcomes = [1, TransportError("Connection refused (server x)"), TransportError("again")]
    poller, _ = make_poller(gate, clock, interval=5.0)
    await poller.poll_once()
    await poller.poll_once()
    assert poller.snapshot.data == 1
    assert poller.snapshot.error.message == "Connection refused (server x)"
    assert poller.snapshot.error.kind is ErrorKind.FAILED
    assert poller.snapshot.failures == 1
    await poller.poll_once()
    assert poller.snapshot.failures == 2
    assert poller.next_delay() == 10.0  # doubled, and never past two intervals
    assert poller.snapshot.generation == 1


async def test_backoff_on_the_clock(clock):
    gate = Gate(clock)
    gate.outcomes = [TransportError("down")] * 3
    poller, _ = make_poller(gate, clock, interval=4.0, backoff_cap=6.0)
    task = asyncio.create_task(poller.run())
    try:
        await clock.settle()
        await clock.advance(4.0)   # 1 failure: the interval
        await clock.advance(6.0)   # 2 failures: 8 s, capped at 6
        await clock.advance(6.0)
        assert gate.starts == [0.0, 4.0, 10.0, 16.0]
    finally:
        task.cancel()


async def test_an_empty_answer_is_a_failure_that_keeps_the_data(clock):
    gate = Gate(clock)
    gate.outcomes = ["good", EmptyAnswer("PEERS: empty answer (no data)", reqtype="PEERS"), "back"]
    poller, _ = make_poller(gate, clock, interval=5.0)
    await poller.poll_once()
    await clock.advance(16.0)
    await poller.poll_once()
    snapshot = poller.snapshot
    assert snapshot.data == "good" and snapshot.fetched_at == 1000.0
    assert snapshot.error.kind is ErrorKind.EMPTY_ANSWER and snapshot.error.marker == "EMPTY ANSWER"
    assert snapshot.failures == 1
    assert snapshot.is_stale(clock(), 5.0)  # the kept data ages like any other
    await poller.poll_once()
    assert poller.snapshot.error is None and poller.snapshot.data == "back" and poller.snapshot.failures == 0


def test_backoff_is_capped():
    assert backoff_delay(5.0, 0) == 5.0
    assert backoff_delay(5.0, 3) == 20.0
    assert backoff_delay(5.0, 30, cap=60.0) == 60.0


def test_stale_after_three_intervals():
    snapshot = Snapshot("test", data=1, fetched_at=100.0)
    assert not snapshot.is_stale(now=114.0, interval=5.0)
    assert snapshot.is_stale(now=116.0, interval=5.0)
    from tringtui.live.snapshot import SourceError

    assert Snapshot("test", error=SourceError(ErrorKind.FAILED, "boom")).is_stale(now=0.0, interval=5.0)


async def test_pause_stops_polling_and_refresh_now_still_works(clock):
    gate = Gate(clock)
    poller, _ = make_poller(gate, clock, interval=2.0)
    poller.pause()
    task = asyncio.create_task(poller.run())
    try:
        await clock.advance(10.0)
        assert gate.starts == []
        poller.refresh_now()
        await clock.settle()
        assert gate.starts == [10.0]
        await clock.advance(10.0)
        assert gate.starts == [10.0]
        poller.resume()  # the poll that fell due while paused starts at once
        await clock.settle()
        assert gate.starts == [10.0, 20.0]
        await clock.advance(2.0)
        assert gate.starts == [10.0, 20.0, 22.0]
    finally:
        task.cancel()


async def test_a_reset_drops_the_data_and_an_answer_from_before_it(clock):
    gate = Gate(clock)
    gate.duration = 3.0
    poller, seen = make_poller(gate, clock, interval=10.0)
    task = asyncio.create_task(poller.run())
    try:
        await clock.advance(3.0)
        assert poller.snapshot.data == 1
        await clock.advance(10.0)  # the second poll is in flight
        poller.reset()
        assert poller.snapshot.data is None
        await clock.advance(3.0)   # its answer (for the old tenant) is dropped; the reset's poll follows
        assert poller.snapshot.data is None
        await clock.advance(3.0)
        assert poller.snapshot.data == 3
    finally:
        task.cancel()


async def test_recovery_after_a_hang_is_bounded_by_the_timeout_plus_two_intervals(clock):
    """SECURITY.md's bound (issue 9 item 12): a request hanging when the server heals holds its
    source until the client's timeout; the next poll then follows within two intervals."""
    interval, timeout = 10.0, 30.0
    healthy_from: list[float] = []

    async def fetch():
        started = clock.monotonic()
        if healthy_from and started >= healthy_from[0]:
            return "fresh"
        await clock.wait(asyncio.Event(), timeout)  # hangs until the client gives up
        raise TransportError("no complete answer within 30 s")

    poller, _ = make_poller(fetch, clock, interval=interval)
    task = asyncio.create_task(poller.run())
    try:
        # Polls hang from 0, 40 (after one interval), then 90, 140, 190 (backoff at its cap of two intervals).
        await clock.advance(190.0)
        assert poller.snapshot.failures == 4 and poller.snapshot.in_flight
        healed = clock.monotonic() + 0.5  # the server heals just after a request started hanging
        healthy_from.append(healed)
        fresh_at = None
        for _ in range(200):
            await clock.advance(0.5)
            if poller.snapshot.data == "fresh":
                fresh_at = clock.monotonic()
                break
        assert fresh_at is not None
        assert timeout < fresh_at - healed <= timeout + 2 * interval
    finally:
        task.cancel()
