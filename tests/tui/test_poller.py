"""The poller's scheduling rules: single flight, from the end of the last poll, backoff, pause, refresh-now."""

import asyncio

from tringtui.api.errors import TransportError
from tringtui.tui.poller import Poller, PollState, backoff_delay


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_poller(fetch, interval=0.05, **kwargs):
    states: list[PollState] = []
    poller = Poller("test", fetch, interval=interval, on_change=states.append, clock=Clock(), **kwargs)
    return poller, states


async def test_never_two_in_flight_and_next_poll_counts_from_the_end():
    in_flight = 0
    max_in_flight = 0
    starts: list[float] = []
    ends: list[float] = []
    loop = asyncio.get_running_loop()

    async def fetch():
        nonlocal in_flight, max_in_flight
        in_flight += 1
        max_in_flight = max(max_in_flight, in_flight)
        starts.append(loop.time())
        await asyncio.sleep(0.05)
        ends.append(loop.time())
        in_flight -= 1
        return len(starts)

    poller, states = make_poller(fetch, interval=0.03)
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(0.01)
    poller.refresh_now()  # asked while a poll is in flight: runs after it, never beside it
    await asyncio.sleep(0.3)
    task.cancel()
    assert max_in_flight == 1
    assert len(starts) >= 3
    # The second start follows the refresh request straight after the first poll ends.
    assert starts[1] - ends[0] < 0.02
    for end, start in zip(ends[1:], starts[2:]):
        assert start - end >= 0.03 - 0.005


async def test_errors_keep_last_good_data_and_back_off():
    outcomes = iter([1, TransportError("Connection refused (server x)"), TransportError("again")])

    async def fetch():
        item = next(outcomes)
        if isinstance(item, Exception):
            raise item
        return item

    poller, states = make_poller(fetch, interval=5.0)
    await poller.poll_once()
    await poller.poll_once()
    assert poller.state.data == 1
    assert poller.state.error == "Connection refused (server x)"
    assert poller.state.failures == 1
    await poller.poll_once()
    assert poller.state.failures == 2
    assert poller.next_delay() == 10.0
    assert poller.state.generation == 1


def test_backoff_is_capped():
    assert backoff_delay(5.0, 0) == 5.0
    assert backoff_delay(5.0, 3) == 20.0
    assert backoff_delay(5.0, 30, cap=60.0) == 60.0


def test_stale_after_three_intervals():
    state = PollState(data=1, fetched_at=100.0)
    assert not state.is_stale(now=114.0, interval=5.0)
    assert state.is_stale(now=116.0, interval=5.0)
    assert PollState(error="boom").is_stale(now=0.0, interval=5.0)


async def test_pause_stops_polling_and_refresh_now_still_works():
    calls = 0

    async def fetch():
        nonlocal calls
        calls += 1
        return calls

    poller, _ = make_poller(fetch, interval=0.02)
    poller.pause()
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(0.1)
    assert calls == 0
    poller.refresh_now()
    await asyncio.sleep(0.01)
    assert calls == 1
    await asyncio.sleep(0.1)
    assert calls == 1
    poller.resume()
    await asyncio.sleep(0.1)
    task.cancel()
    assert calls >= 3
