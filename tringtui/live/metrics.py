"""Prometheus metrics of a watched PBX, served at ``/metrics`` with the official ``prometheus_client``.

Needs the optional extra: ``pip install 'tringtui[prometheus]'``. Every
gauge is read at scrape time from the same ``PbxFigures`` and firing alerts
the monitor shows, so a scrape and the screen agree; API requests are
counted as the client makes them. Labels are bounded: nodes, tenants,
queues, request types, sources, alert rules and severities, never a call or
a phone. Names follow Prometheus conventions: a ``tring_`` prefix, base units
(seconds, ratios) and ``_total`` for counters.

The endpoint is served on the caller's asyncio loop (no thread reads the
figures while the loop changes them) and on loopback unless told otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from tringtui.live.alerts import AlertEngine
from tringtui.live.pbx_figures import PbxFigures

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)  # the real API takes seconds
SOURCES = ("nodes", "channels", "queues", "flows", "peers", "tenant_info")
AGENT_STATES = ("available", "paused", "free", "online")


def _gauge(name: str, documentation: str, labels: tuple[str, ...] = ()) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=list(labels))


class PbxCollector(Collector):
    """Reads the figures and alerts at each scrape: the same objects the monitor renders."""

    def __init__(self, figures: Callable[[], PbxFigures], engine: AlertEngine, clock: Callable[[], float]) -> None:
        self._figures = figures
        self._engine = engine
        self._clock = clock

    def collect(self) -> Iterator[Metric]:
        figures = self._figures()
        yield from self._nodes(figures)
        yield from self._queues(figures)
        yield from self._tenants(figures)
        yield from self._alerts()
        age = _gauge("tring_source_data_age_seconds", "Seconds since each source last answered with good data.",
                     ("source",))
        now = self._clock()
        for source in SOURCES:
            fetched = figures.fetched_at.get(source)
            if fetched is not None:
                age.add_metric([source], max(0.0, now - fetched))
        yield age

    def _nodes(self, figures: PbxFigures) -> Iterator[Metric]:
        registered = _gauge("tring_node_peers_registered", "Registered peers per node (COUNTPEERS).", ("node",))
        for node, count in sorted((figures.node_registered() or {}).items()):
            registered.add_metric([node], count)
        total = _gauge("tring_node_peers", "Peers per node, registered or not (PEERS).", ("node",))
        for node, count in sorted((figures.node_peers() or {}).items()):
            total.add_metric([node], count)
        channels = _gauge("tring_node_channels", "Active channels per node (COUNTCHANNELS).", ("node",))
        for node, count in sorted((figures.node_channels() or {}).items()):
            channels.add_metric([node], count)
        oldest = _gauge("tring_node_oldest_channel_seconds", "Age of the oldest channel per node (CHANNELS).", ("node",))
        for node, seconds in sorted(figures.oldest_channel_per_node().items()):
            oldest.add_metric([node], seconds)
        changes = CounterMetricFamily("tring_node_registration_changes", "Phones registering or unregistering, per "
                                      "node, seen between successive PEERS answers.", labels=["node"])
        for node, count in sorted(self._engine.history.node_changes.items()):
            changes.add_metric([node], count)
        yield from (registered, total, channels, oldest, changes)

    def _queues(self, figures: PbxFigures) -> Iterator[Metric]:
        labels = ("tenant", "queue", "name")
        waiting = _gauge("tring_queue_calls_waiting", "Calls waiting in the queue.", labels)
        longest = _gauge("tring_queue_longest_wait_seconds", "How long the longest-waiting caller has waited.", labels)
        level = _gauge("tring_queue_service_level_ratio", "The queue's service level (0-1).", labels)
        received = _gauge("tring_queue_received_calls", "Calls the queue received (the PBX's statistics).", labels)
        agents = _gauge("tring_queue_agents", "Agents of the queue by state (available, paused, free, online).",
                        (*labels, "state"))
        for row in figures.queues.queues if figures.queues is not None else ():
            if row.stats is None:
                continue
            values = [figures.tenant, row.queue.id, row.queue.name]
            stats = row.stats
            waiting.add_metric(values, stats.calls_in_queue)
            longest.add_metric(values, stats.longest_wait)
            level.add_metric(values, stats.service_level / 100.0)
            received.add_metric(values, stats.calls_received)
            counts = (stats.agents_available, stats.agents_paused, stats.agents_free, stats.agents_online)
            for state, count in zip(AGENT_STATES, counts):
                agents.add_metric([*values, state], count)
        yield from (waiting, longest, level, received, agents)

    def _tenants(self, figures: PbxFigures) -> Iterator[Metric]:
        peers = _gauge("tring_tenant_peers", "Peers per tenant, registered or not.", ("tenant",))
        registered = _gauge("tring_tenant_peers_registered", "Registered peers per tenant.", ("tenant",))
        channels = _gauge("tring_tenant_channels", "Active channels per tenant (phone legs).", ("tenant",))
        for tenant in figures.tenants():
            share = figures.tenant_share(tenant)
            peers.add_metric([tenant], share.peers_total or 0)
            registered.add_metric([tenant], share.peers_registered or 0)
            channels.add_metric([tenant], share.channels or 0)
        balance = _gauge("tring_tenant_balance", "The tenant's credit (INFO balance).", ("tenant",))
        maximum = _gauge("tring_tenant_max_channels", "The tenant's channel limit (INFO config maxchannels).", ("tenant",))
        info = figures.tenant_info
        if info is not None and info.balance is not None:
            balance.add_metric([info.tenant], info.balance)
        if info is not None and info.max_channels is not None:
            maximum.add_metric([info.tenant], info.max_channels)
        yield from (peers, registered, channels, balance, maximum)

    def _alerts(self) -> Iterator[Metric]:
        firing = _gauge("tring_alerts_firing", "Alerts firing, by rule and severity.", ("rule", "severity"))
        counts = {(rule.name, rule.severity.value): 0 for rule in self._engine.rules}
        for alert in self._engine.firing:
            counts[(alert.rule.name, alert.severity.value)] += 1
        for (rule, severity), count in sorted(counts.items()):
            firing.add_metric([rule, severity], count)
        yield firing


class PbxMetrics:
    """The registry of one watched PBX: the scrape-time collector and the API request counters."""

    def __init__(self, figures: Callable[[], PbxFigures], engine: AlertEngine, clock: Callable[[], float]) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(PbxCollector(figures, engine, clock))
        self.requests = Counter("tring_api_requests", "API requests by type and outcome (ok or the error).",
                                ("request", "outcome"), registry=self.registry)
        self.latency = Histogram("tring_api_request_duration_seconds", "Seconds each API request took.",
                                 ("request",), buckets=LATENCY_BUCKETS, registry=self.registry)

    def observe_request(self, request: str, outcome: str, seconds: float) -> None:
        """The client's request observer (``TringClient.add_observer``)."""
        if outcome == "cancelled":
            return
        self.requests.labels(request, outcome).inc()
        self.latency.labels(request).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MetricsServer:
    """A minimal HTTP server on the running loop: ``GET /metrics`` answers the exposition text."""

    def __init__(self, metrics: PbxMetrics, host: str = "127.0.0.1", port: int = 0) -> None:
        self.metrics = metrics
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> MetricsServer:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/metrics"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10.0)
            method, _, rest = request.decode("latin-1").partition(" ")
            path = rest.split(" ", 1)[0].split("?", 1)[0]
            if method not in ("GET", "HEAD"):
                status, body, kind = "405 Method Not Allowed", b"only GET\n", "text/plain"
            elif path != "/metrics":
                status, body, kind = "404 Not Found", b"tringtui serves /metrics\n", "text/plain"
            else:
                status, body, kind = "200 OK", self.metrics.render(), CONTENT_TYPE
            head = f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            writer.write(head.encode() + (b"" if method == "HEAD" else body))
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def aclose(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
