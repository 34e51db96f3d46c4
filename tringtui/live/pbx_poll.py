"""One round of requests that gives ``PbxFigures``: the polling behind headless alerting and metrics.

Each round asks COUNTPEERS, COUNTCHANNELS, PEERS and CHANNELS, and for each
watched tenant INFO queues with INFO queue per queue; INFO balance and INFO
config change slowly and are asked at most once per ``slow_interval``
(a minute by default). A source that fails keeps its last good part; every
request's outcome and latency is counted per request type and handed to the
``on_request`` observers (the metrics). Failures never escape a round.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from tringtui.api.client import TringClient
from tringtui.api.errors import TringError
from tringtui.api.models import Queue
from tringtui.live.pbx_figures import PbxFigures, QueueFigures, RequestHealth

log = logging.getLogger(__name__)

SLOW_INTERVAL = 60.0  # INFO balance / INFO config: never asked more often than this (seconds)
OK = "ok"

RequestObserver = Callable[[str, str, float], None]  # (request type, outcome, seconds)


@dataclass
class _Tally:
    outcomes: Counter[str]
    failures_in_row: int = 0
    last_latency: float | None = None
    last_error: str = ""


class PbxPoller:
    """Polls one PBX through ``client`` and returns the latest ``PbxFigures`` after each round."""

    def __init__(
        self,
        client: TringClient,
        *,
        clock: Callable[[], float] = time.time,
        tenants: Iterable[str] = (),
        slow_interval: float = SLOW_INTERVAL,
    ) -> None:
        self.client = client
        self.clock = clock
        # Queues, balance and config are per tenant: the client's own, plus those rules name (admin keys).
        self.tenants = tuple(dict.fromkeys(t for t in (client.tenant, *tenants) if t))
        self.slow_interval = slow_interval
        self.observers: list[RequestObserver] = []
        self.figures = PbxFigures(now=clock())
        self._tallies: dict[str, _Tally] = {}
        self._slow_asked_at: float | None = None

    async def _ask(self, reqtype: str, call: Awaitable[Any]) -> Any:
        """The answer of one request, or None when it failed (logged, counted, never raised)."""
        started = time.monotonic()
        tally = self._tallies.setdefault(reqtype, _Tally(Counter()))
        try:
            answer = await call
        except TringError as exc:
            outcome, answer = type(exc).__name__, None
            tally.failures_in_row += 1
            tally.last_error = str(exc)
            log.warning("%s", exc)
        else:
            outcome = OK
            tally.failures_in_row = 0
            tally.last_error = ""
        seconds = time.monotonic() - started
        tally.outcomes[outcome] += 1
        if outcome == OK:
            tally.last_latency = seconds
        for observer in self.observers:
            observer(reqtype, outcome, seconds)
        return answer

    async def _queues(self, tenant: str) -> list[QueueFigures] | None:
        client = self.client if tenant == self.client.tenant else self.client.with_tenant(tenant)
        queues: list[Queue] | None = await self._ask("INFO queues", client.queues())
        if queues is None:
            return None
        stats = await asyncio.gather(*(self._ask("INFO queue", client.queue_stats(queue.id)) for queue in queues))
        figures = []
        for queue, stat in zip(queues, stats):
            if stat is None:
                return None  # a partial set of queues would resolve the others' alerts
            agents = {"available": stat.agents_available, "paused": stat.agents_paused, "free": stat.agents_free,
                      "online": stat.agents_online}
            figures.append(QueueFigures(tenant, queue.id, queue.name, stat.calls_in_queue, stat.longest_wait,
                                        stat.service_level, stat.calls_received, agents))
        return figures

    async def _tenant_info(self, tenant: str) -> tuple[float | None, int | None]:
        client = self.client if tenant == self.client.tenant else self.client.with_tenant(tenant)
        balance, config = await asyncio.gather(self._ask("INFO balance", client.balance()),
                                               self._ask("INFO config", client.tenant_config()))
        return balance, config.max_channels if config is not None else None

    async def poll(self) -> PbxFigures:
        """One round: ask every source, fold the good answers into the figures, return them."""
        client = self.client
        slow_due = self._slow_asked_at is None or self.clock() - self._slow_asked_at >= self.slow_interval
        count_peers, count_channels, peers, channels, *per_tenant = await asyncio.gather(
            self._ask("COUNTPEERS", client.count_peers()),
            self._ask("COUNTCHANNELS", client.count_channels()),
            self._ask("PEERS", client.peers()),
            self._ask("CHANNELS", client.channels()),
            *(self._queues(tenant) for tenant in self.tenants),
        )
        slow = await asyncio.gather(*(self._tenant_info(tenant) for tenant in self.tenants)) if slow_due else []
        now = self.clock()
        if slow_due:
            self._slow_asked_at = now
        old = self.figures
        fetched = dict(old.fetched_at)
        changes: dict[str, Any] = {}

        def keep(source: str, field_name: str, value: Any) -> None:
            if value is not None:
                changes[field_name] = value
                fetched[source] = now

        keep("COUNTPEERS", "node_registered", None if count_peers is None else
             {n.node: n.count for n in count_peers.nodes if n.count is not None})
        keep("COUNTCHANNELS", "node_channels", None if count_channels is None else
             {n.node: n.count for n in count_channels.nodes if n.count is not None})
        keep("PEERS", "peers", None if peers is None else tuple(peers))
        keep("CHANNELS", "channels", None if channels is None else tuple(channels))
        if self.tenants and all(part is not None for part in per_tenant):
            keep("QUEUES", "queues", tuple(queue for part in per_tenant for queue in part))
        balances, max_channels = dict(old.balances), dict(old.max_channels)
        for tenant, (balance, maximum) in zip(self.tenants, slow):
            if balance is not None:
                balances[tenant] = balance
                fetched[f"BALANCE {tenant}"] = now
            if maximum is not None:
                max_channels[tenant] = maximum
                fetched[f"CONFIG {tenant}"] = now
        requests = {
            reqtype: RequestHealth(reqtype, dict(t.outcomes), t.failures_in_row, t.last_latency, t.last_error)
            for reqtype, t in self._tallies.items()
        }
        self.figures = replace(old, now=now, balances=balances, max_channels=max_channels, requests=requests,
                               fetched_at=fetched, **changes)
        return self.figures
