"""The headless live core: what the monitor watches, without a screen. Never imports Textual.

Every face of tringtui (the Textual monitor, ``tringtui snapshot``, and later
the recorder, events, alert rules, the Prometheus endpoint) sees the PBX
through the same snapshots. The interface, from the bottom up:

``sources`` (``tringtui.live.sources.<kind>``)
    One module per kind of data: ``nodes`` (COUNTPEERS + COUNTCHANNELS),
    ``channels`` (CHANNELS), ``queues`` (INFO queues, INFO queue per queue,
    INFO agents of one queue), ``flows`` (FLOWS + BLFS), ``peers`` (PEERS).
    Each has ``NAME``, an immutable data type (``NodesData``, ``ChannelsData``,
    ``QueuesData``, ``FlowsData``, ``PeersData``) and ``async fetch(client, ...)``.
    The queues source takes the queue whose agents it fetches as a parameter.
    An empty answer where a live PBX always has data (COUNTPEERS,
    COUNTCHANNELS, PEERS, INFO queues once queues were seen) raises
    ``tringtui.api.errors.EmptyAnswer``.

``Snapshot`` (``tringtui.live.snapshot``)
    A source's state at one moment, frozen: its last good ``data``,
    ``fetched_at`` (the injected clock's wall time), ``latency``, and ``error``
    (a ``SourceError`` with a ``kind``: ``FAILED`` or ``EMPTY_ANSWER``) for the
    last attempt, plus ``failures``, ``in_flight``, ``generation`` (bumped
    when the data changes) and ``completed``. ``age(now)``, ``is_stale(now, interval)``.

``identity``
    A row's identity wherever rows are keyed: a peer is (node, name), an agent
    (queue, member), a channel its uniqueid, a flow its id, a BLF its
    extension and occurrence. Rows never collapse: counts equal rows sent.

``derived``
    Pure functions of snapshots, one per figure: ``totals`` (the summary),
    ``peers_registered``, ``peers_total``, ``active_channels``,
    ``queue_figures``, ``agent_is_available`` (a busy agent is not),
    ``available_after`` (a pause's impact), ``advance_nodes`` / ``NodeTrends``
    (nodes losing phones), ``advance_queues`` / ``QueueTrends`` (calls waiting
    and service level per queue), ``tenant_share``.

``LiveSession`` (``tringtui.live.session``)
    The pollers of one profile: never two requests in flight per source, the
    next poll scheduled from the end of the last, capped backoff while it
    fails, the last good data kept. ``subscribe(callback)`` (each new
    snapshot, errors included, to any number of subscribers), ``start()``,
    ``stop()``/``aclose()``, ``pause()``, ``resume()``, ``refresh_now()``,
    ``poll_once()``, ``set_tenant()``, ``select_queue()``, ``snapshot(source)``,
    ``totals()``, ``node_trends``, ``queue_trends``. Requests go through a ``ClientRunner``:
    ``direct(client)`` awaits them on the session's own loop.

``Clock`` (``tringtui.live.clock``)
    Injected time: ``clock()`` (wall, for stamps), ``clock.monotonic()`` and
    ``clock.wait(event, timeout)`` (for scheduling). ``SystemClock`` is real
    time; ``ManualClock`` moves only on ``await clock.advance(seconds)``.

Without any UI, from plain asyncio::

    async def main():
        async with TringClient(server, key) as client:
            session = LiveSession(direct(client), intervals={s: 10.0 for s in SOURCES})
            session.subscribe(lambda snap: print(snap.source, snap.error or "ok"))
            await session.poll_once()
            print(session.totals())

    asyncio.run(main())
"""

from tringtui.live.clock import Clock, ManualClock, SystemClock
from tringtui.live.snapshot import ErrorKind, Snapshot, SourceError
from tringtui.live.session import ClientRunner, LiveSession, direct
from tringtui.live.sources import SOURCES, TENANT_SCOPED

__all__ = [
    "SOURCES",
    "TENANT_SCOPED",
    "ClientRunner",
    "Clock",
    "ErrorKind",
    "LiveSession",
    "ManualClock",
    "Snapshot",
    "SourceError",
    "SystemClock",
    "direct",
]
