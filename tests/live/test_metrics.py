"""/metrics: served on loopback from the watched session, parsed with prometheus_client's own parser,
its figures equal to what the monitor shows; bounded labels; never the key."""

from __future__ import annotations

import httpx
import pytest

pytest.importorskip("prometheus_client", reason="the prometheus extra is not installed")
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

from tests.conftest import SIM_TENANT_KEY  # noqa: E402
from tests.live.alert_helpers import Watch, one_clock  # noqa: E402, F401 (one_clock: the sim_clock fixture)
from tringtui.alert_rules import DEFAULT_RULES, rule_from_defaults  # noqa: E402
from tringtui.live.derived import queue_figures  # noqa: E402
from tringtui.live.metrics import MetricsServer, PbxMetrics  # noqa: E402


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(parsed, metric, **labels):
    return parsed[(metric, tuple(sorted(labels.items())))]


async def scrape(server: MetricsServer) -> str:
    async with httpx.AsyncClient() as http:
        response = await http.get(server.url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


@pytest.fixture
async def watched(client, sim_clock):
    watch = Watch(client, sim_clock, rule_from_defaults("balance_low", threshold=1e9))  # fires at once
    metrics = PbxMetrics(lambda: watch.watcher.figures, watch.engine, sim_clock)
    client.add_observer(metrics.observe_request)
    server = await MetricsServer(metrics).start()
    yield watch, server
    await server.aclose()


async def test_metrics_equal_what_the_monitor_shows(watched):
    watch, server = watched
    await watch.step()
    await watch.step(7)
    parsed = samples(await scrape(server))
    session = watch.session
    nodes = session.snapshot("nodes").data
    for count in nodes.peers.nodes:
        assert value(parsed, "tring_node_peers_registered", node=count.node) == count.count
    for count in nodes.channels.nodes:
        assert value(parsed, "tring_node_channels", node=count.node) == count.count
    peers = session.snapshot("peers").data.peers
    for node in {peer.node for peer in peers}:
        assert value(parsed, "tring_node_peers", node=node) == sum(1 for p in peers if p.node == node)
    totals = session.totals()
    assert sum(v for (name, _), v in parsed.items() if name == "tring_tenant_peers_registered") == totals.peers_registered
    assert value(parsed, "tring_tenant_channels", tenant="DEVEL") == totals.channels  # a tenant key: its whole CHANNELS answer
    queues = session.snapshot("queues").data
    assert sum(v for (name, _), v in parsed.items() if name == "tring_queue_calls_waiting") == queue_figures(queues).calls_waiting
    for row in queues.queues:
        labels = {"tenant": "DEVEL", "queue": row.queue.id, "name": row.queue.name}
        assert value(parsed, "tring_queue_longest_wait_seconds", **labels) == row.stats.longest_wait
        assert value(parsed, "tring_queue_service_level_ratio", **labels) == pytest.approx(row.stats.service_level / 100)
        assert value(parsed, "tring_queue_agents", state="paused", **labels) == row.stats.agents_paused
    assert value(parsed, "tring_tenant_balance", tenant="DEVEL") == watch.figures.tenant_info.balance
    assert value(parsed, "tring_alerts_firing", rule="balance_low", severity="warning") == 1
    # Each source's age: the second round came 7 s after the first; tenant info is asked once a minute.
    assert value(parsed, "tring_source_data_age_seconds", source="channels") == 0
    assert value(parsed, "tring_source_data_age_seconds", source="tenant_info") == 7
    assert value(parsed, "tring_api_requests_total", request="CHANNELS", outcome="ok") == 2
    assert value(parsed, "tring_api_request_duration_seconds_count", request="CHANNELS") == 2
    assert value(parsed, "tring_api_requests_total", request="INFO balance", outcome="ok") == 1


async def test_labels_are_bounded_and_the_key_is_absent(watched, sim_server):
    watch, server = watched
    sim_server.faults.mode, sim_server.faults.only = "key_rejected", ["PEERS"]
    await watch.step()
    text = await scrape(server)
    assert SIM_TENANT_KEY not in text
    parsed = samples(text)
    assert value(parsed, "tring_api_requests_total", request="PEERS", outcome="KeyRejected") == 1
    allowed = {"node", "tenant", "queue", "name", "state", "request", "outcome", "rule", "severity", "source", "le"}
    assert {label for _, labels in parsed for label, _ in labels} <= allowed
    channel_ids = {channel.uniqueid for channel in watch.figures.channels.channels}
    assert not any(v in channel_ids for _, labels in parsed for _, v in labels)


async def test_only_metrics_is_served(watched):
    _, server = watched
    async with httpx.AsyncClient() as http:
        assert (await http.get(server.url.replace("/metrics", "/"))).status_code == 404
        assert (await http.post(server.url)).status_code == 405


def test_every_default_rule_is_a_series():
    from tringtui.live.alerts import AlertEngine

    metrics = PbxMetrics(lambda: __import__("tringtui.live.pbx_figures", fromlist=["x"]).PbxFigures(now=0.0),
                         AlertEngine(DEFAULT_RULES), lambda: 0.0)
    parsed = samples(metrics.render().decode())
    assert {dict(labels)["rule"] for name, labels in parsed if name == "tring_alerts_firing"} == {
        rule.name for rule in DEFAULT_RULES}
