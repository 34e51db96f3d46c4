"""The live session headless, against the simulator over HTTP, on an injected clock."""

from __future__ import annotations

import asyncio

from tringtui.live import SOURCES, ErrorKind, LiveSession, ManualClock, direct
from tringtui.live.derived import queue_figures
from tringtui.live.sources import queues as queues_source

INTERVAL = 10.0


def session_for(client, clock, **kwargs) -> LiveSession:
    return LiveSession(direct(client), intervals={source: INTERVAL for source in SOURCES}, clock=clock, **kwargs)


async def test_poll_once_fills_every_source_with_stamped_data(admin_client):
    clock = ManualClock(start=5000.0)
    session = session_for(admin_client, clock, tenant="DEVEL")
    seen = []
    session.subscribe(seen.append)
    snapshots = await session.poll_once()
    assert set(snapshots) == set(SOURCES)
    for snapshot in snapshots.values():
        assert snapshot.error is None, snapshot.error
        assert snapshot.data is not None
        assert snapshot.fetched_at == 5000.0
    # Each source reported its start (in flight) and its end.
    assert {s.source for s in seen if s.in_flight} == set(SOURCES)
    totals = session.totals()
    assert totals.peers_total == len(snapshots["peers"].data.peers)
    assert totals.calls_waiting == queue_figures(snapshots["queues"].data).calls_waiting


async def test_tenant_scoped_sources_wait_for_a_tenant(admin_client):
    session = session_for(admin_client, ManualClock())
    snapshots = await session.poll_once()
    assert snapshots["queues"].data is None and snapshots["flows"].data is None
    assert session.idle_reason("queues") == "needs a tenant"
    session.set_tenant("DEVEL")
    snapshots = await session.poll_once()
    assert snapshots["queues"].data is not None


async def test_the_queue_source_fetches_the_agents_of_the_queue_asked_for(client):
    first = await queues_source.fetch(client, None)
    assert first.agents_queue_id == first.queues[0].queue.id
    other = first.queues[-1].queue.id
    chosen = await queues_source.fetch(client, other)
    assert chosen.agents_queue_id == other
    assert all(agent.queue_id == other for agent in chosen.agents)
    gone = await queues_source.fetch(client, "no-such-queue")
    assert gone.agents_queue_id == first.queues[0].queue.id


async def test_schedule_on_the_injected_clock(client):
    """Polls start at once, then every interval counted from the end of the last one."""
    clock = ManualClock()
    session = session_for(client, clock, sources=("channels",))
    done = []
    session.subscribe(lambda s: done.append(clock.monotonic()) if not s.in_flight else None)
    session.start()
    try:
        for _ in range(100):
            await asyncio.sleep(0.01)
            if done:
                break
        assert done == [0.0]
        await clock.advance(INTERVAL - 1)
        assert len(done) == 1
        await clock.advance(1)
        for _ in range(100):
            if len(done) == 2:
                break
            await asyncio.sleep(0.01)
        assert done == [0.0, INTERVAL]
    finally:
        await session.aclose()


def test_usable_from_plain_asyncio_run(sim_server):
    """No UI and no test loop: ``asyncio.run`` of a session against the simulator."""
    from tringtui.api.client import TringClient

    async def main():
        async with TringClient(sim_server.url, "demo-devel", "DEVEL") as client:
            session = session_for(client, ManualClock())
            return await session.poll_once()

    snapshots = asyncio.run(main())
    assert all(s.error is None for s in snapshots.values())
    assert ErrorKind.EMPTY_ANSWER.value == "empty answer"
