"""The live session: the pollers of one profile, and the subscribers that receive their snapshots.

A session polls every source of one PBX on its own interval (see
``tringtui.live.poller`` for the rules), keeps the latest ``Snapshot`` of
each, keeps the nodes' and queues' trends, and hands every new snapshot (new data, an
error, a request starting or ending) to each subscriber in turn. It runs on
whatever asyncio loop calls ``start``; the requests themselves go through a
``ClientRunner``, which may run them elsewhere (the monitor keeps parsing
off its UI loop on a thread of its own) or right here (``direct(client)``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

from tringtui.api.client import TringClient
from tringtui.live.clock import Clock, SystemClock
from tringtui.live.derived import NodeTrends, QueueTrends, Totals, advance_nodes, advance_queues, totals
from tringtui.live.poller import DEFAULT_BACKOFF_CAP, Poller
from tringtui.live.snapshot import Snapshot
from tringtui.live.sources import SOURCES, TENANT_SCOPED, channels, flows, nodes, peers, queues

log = logging.getLogger(__name__)

T = TypeVar("T")

Subscriber = Callable[[Snapshot[Any]], object]
"""Receives each new snapshot of any source; it must return quickly (it runs on the session's loop)."""

NEEDS_TENANT = "needs a tenant"


class ClientRunner(Protocol):
    """Runs ``request(client)`` with the session's client and returns its result (or raises its error)."""

    def __call__(self, request: Callable[[TringClient], Awaitable[T]], /) -> Awaitable[T]: ...


def direct(client: TringClient) -> ClientRunner:
    """A runner that awaits each request right here, on the caller's loop."""

    def run(request: Callable[[TringClient], Awaitable[T]], /) -> Awaitable[T]:
        return request(client)

    return run


class LiveSession:
    """The pollers of one profile; see the module docstring.

    ``intervals`` gives each source's poll interval (seconds). ``tenant`` is
    the tenant the tenant-scoped sources (queues, flows) show when the client
    itself carries none (an admin key); without one they stay idle until
    ``set_tenant``. ``clock`` stamps and schedules (default: the real time).
    """

    def __init__(
        self,
        run: ClientRunner,
        *,
        intervals: Mapping[str, float],
        clock: Clock | None = None,
        tenant: str = "",
        backoff_cap: float = DEFAULT_BACKOFF_CAP,
        sources: Iterable[str] = SOURCES,
    ) -> None:
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.intervals = dict(intervals)
        self.node_trends = NodeTrends()
        self.queue_trends = QueueTrends()
        self._run = run
        self._tenant = tenant
        self._backoff_cap = backoff_cap
        self._sources = tuple(sources)
        self._subscribers: list[Subscriber] = []
        self._pollers: dict[str, Poller[Any]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._paused = False
        self._started = False
        self._agents_queue: str | None = None
        self._queues_seen = False
        self._linked_ids: dict[str, str] = {}  # uniqueid -> LinkedID of legs CHANNELS alone cannot tie
        self._trended_generations: dict[str, int] = {}

    # -- what it holds ------------------------------------------------------------------

    @property
    def sources(self) -> tuple[str, ...]:
        return self._sources

    @property
    def tenant(self) -> str:
        """The tenant the tenant-scoped sources show ("" while none is chosen)."""
        return self._tenant

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def agents_queue(self) -> str | None:
        """The queue whose agents were asked for (None: the first queue's)."""
        return self._agents_queue

    def snapshot(self, source: str) -> Snapshot[Any]:
        """The latest snapshot of ``source`` (an empty one while it has not polled)."""
        poller = self._pollers.get(source)
        return poller.snapshot if poller is not None else Snapshot(source)

    @property
    def snapshots(self) -> dict[str, Snapshot[Any]]:
        return {source: self.snapshot(source) for source in self._sources}

    def idle_reason(self, source: str) -> str | None:
        """Why ``source`` does not poll (a tenant-scoped source without a tenant), or None."""
        if source in TENANT_SCOPED and not self._tenant:
            return NEEDS_TENANT
        return None

    def is_stale(self, source: str) -> bool:
        return source in self._pollers and self.snapshot(source).is_stale(self.clock(), self.intervals[source])

    def last_fetched(self) -> float | None:
        """When the newest data of any source was fetched (epoch seconds), or None."""
        stamps = [s.fetched_at for s in self.snapshots.values() if s.fetched_at is not None]
        return max(stamps) if stamps else None

    def totals(self, queue_scope: str = "") -> Totals:
        """The summary's figures now (see ``tringtui.live.derived.totals``)."""
        return totals(
            {source: self.snapshot(source) for source in self._pollers},
            now=self.clock(),
            intervals=self.intervals,
            queue_scope=queue_scope,
            node_trends=self.node_trends,
        )

    # -- subscribers --------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` with every new snapshot from now on; returns the function that stops it."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def _publish(self, snapshot: Snapshot[Any]) -> None:
        if snapshot.source in (nodes.NAME, queues.NAME):
            self._advance_trends(snapshot)
        if snapshot.source == queues.NAME and snapshot.data is not None and snapshot.data.queues:
            self._queues_seen = True
        for subscriber in list(self._subscribers):
            try:
                subscriber(snapshot)
            except Exception:  # a broken subscriber must not stop the polling or the other subscribers
                log.exception("a subscriber failed on a %s snapshot", snapshot.source)

    def _advance_trends(self, snapshot: Snapshot[Any]) -> None:
        """A new poll's figures onto the Nodes or Queues trends (once per poll, however often it is published)."""
        if snapshot.data is None or snapshot.generation == self._trended_generations.get(snapshot.source):
            return
        self._trended_generations[snapshot.source] = snapshot.generation
        if snapshot.source == nodes.NAME:
            self.node_trends = advance_nodes(self.node_trends, snapshot.data)
        else:
            self.queue_trends = advance_queues(self.queue_trends, snapshot.data)

    # -- running --------------------------------------------------------------------------

    def start(self) -> None:
        """Start polling every source that can (on the running loop); the first polls start at once."""
        self._started = True
        for source in self._sources:
            if self.idle_reason(source) is None:
                self._start_poller(source)

    def _poller(self, source: str) -> Poller[Any]:
        poller = self._pollers.get(source)
        if poller is None:
            poller = Poller(
                source,
                lambda: self._run(lambda client: self._fetch(source, client)),
                interval=self.intervals[source],
                on_change=self._publish,
                clock=self.clock,
                backoff_cap=self._backoff_cap,
            )
            if self._paused:
                poller.pause()
            self._pollers[source] = poller
        return poller

    def _start_poller(self, source: str) -> None:
        poller = self._poller(source)
        if source not in self._tasks:
            self._tasks[source] = asyncio.get_running_loop().create_task(poller.run(), name=f"poll-{source}")

    def _scoped(self, source: str, client: TringClient) -> TringClient:
        if source not in TENANT_SCOPED or client.tenant:
            return client
        return client.with_tenant(self._tenant)

    async def _fetch(self, source: str, client: TringClient) -> Any:
        """One fetch of ``source``; runs wherever the runner runs requests."""
        client = self._scoped(source, client)
        if source == nodes.NAME:
            return await nodes.fetch(client)
        if source == channels.NAME:
            return await channels.fetch(client, self._linked_ids)
        if source == queues.NAME:
            return await queues.fetch(client, self._agents_queue, queues_seen=self._queues_seen)
        if source == flows.NAME:
            return await flows.fetch(client)
        if source == peers.NAME:
            return await peers.fetch(client)
        raise ValueError(f"unknown source {source!r}")

    async def poll_once(self) -> dict[str, Snapshot[Any]]:
        """Poll every source that can, once and together (one request in flight per source)."""
        active = [self._poller(source) for source in self._sources if self.idle_reason(source) is None]
        await asyncio.gather(*(poller.poll_once() for poller in active))
        return self.snapshots

    def stop(self) -> None:
        """Stop polling (requests in flight are cancelled); the last snapshots stay readable."""
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        self._started = False

    async def aclose(self) -> None:
        """``stop``, and wait until the pollers have ended."""
        tasks = list(self._tasks.values())
        self.stop()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- controls ---------------------------------------------------------------------------

    def pause(self) -> None:
        """Start no new polls (those in flight complete); ``refresh_now`` still polls once."""
        self._paused = True
        for poller in self._pollers.values():
            poller.pause()

    def resume(self) -> None:
        self._paused = False
        for poller in self._pollers.values():
            poller.resume()

    def refresh_now(self, source: str | None = None) -> None:
        """Poll ``source`` (default: every polling source) as soon as possible, even while paused."""
        for name, poller in self._pollers.items():
            if source is None or name == source:
                poller.refresh_now()

    def select_queue(self, queue_id: str | None) -> None:
        """Fetch the agents of ``queue_id`` from now on; asks for them at once if others are shown."""
        self._agents_queue = queue_id
        poller = self._pollers.get(queues.NAME)
        if poller is None or queue_id is None:
            return
        shown = poller.snapshot.data.agents_queue_id if poller.snapshot.data is not None else None
        if queue_id != shown:
            poller.refresh_now()

    def set_tenant(self, tenant: str) -> None:
        """Show another tenant in the tenant-scoped sources: their data is dropped and fetched afresh."""
        if tenant == self._tenant:
            return
        self._tenant = tenant
        self._agents_queue = None
        self._queues_seen = False
        for source in TENANT_SCOPED & set(self._sources):
            poller = self._pollers.get(source)
            if poller is not None:
                poller.reset()
            elif self._started and tenant:
                self._start_poller(source)
