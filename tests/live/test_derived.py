"""Derived figures as pure functions: nodes losing phones, agents available, a tenant's share, totals."""

from __future__ import annotations

from tringtui.api.models import Agent, NodeCount, NodeCounts, QueueStats
from tringtui.live.derived import (
    NodeTrends,
    advance_nodes,
    agent_is_available,
    available_after,
    peer_alert,
    tenant_share,
)
from tringtui.live.sources.nodes import NodesData


def test_peer_drop_alert_thresholds():
    assert peer_alert(100, [100, 98]) == ""
    assert peer_alert(81, [100]) == ""
    assert peer_alert(79, [100, 90]) == "DROP -21%"
    assert peer_alert(0, [5]) == "NO PEERS"
    assert peer_alert(None, [5]) == "MISSING"
    assert peer_alert(0, [], had_peers=False) == ""
    assert peer_alert(None, [0], had_peers=False) == ""


def counts(**nodes: int | None) -> NodeCounts:
    return NodeCounts(nodes=tuple(NodeCount(node, count) for node, count in nodes.items()))


def test_nodes_losing_phones_across_polls():
    trends = NodeTrends()
    trends = advance_nodes(trends, NodesData(counts(pbx1=100, pbx2=50), counts(pbx1=3, pbx2=1)))
    assert trends.alerting_nodes == ()
    trends = advance_nodes(trends, NodesData(counts(pbx1=70, pbx2=None), counts(pbx1=3)))
    rows = {row.node: row for row in trends.rows}
    assert rows["pbx1"].alert == "DROP -30%"
    assert rows["pbx2"].alert == "NO COUNT"
    trends = advance_nodes(trends, NodesData(counts(pbx1=100), counts(pbx1=3)))
    rows = {row.node: row for row in trends.rows}
    assert rows["pbx2"].alert == "MISSING" and rows["pbx2"].peers is None  # a node seen once keeps its row
    assert rows["pbx1"].peer_history == (100, 70, 100)
    assert trends.total_peers == (150, 70, 100)
    assert trends.alerting_nodes == ("pbx2",)


def test_a_tenant_view_flags_a_node_only_once_it_had_phones():
    trends = advance_nodes(NodeTrends(), NodesData(counts(pbx1=4, pbx2=0), counts(), tenant_scoped=True))
    assert trends.alerting_nodes == ()
    trends = advance_nodes(trends, NodesData(counts(pbx1=0, pbx2=0), counts(), tenant_scoped=True))
    assert trends.alerting_nodes == ("pbx1",)


def agent(status: str, *, paused: bool = False, device: str = "NOT_INUSE") -> Agent:
    return Agent(member="208-DEVEL", queue_id="281", paused=paused, status=status, device_state=device)


def test_a_busy_agent_is_not_available_and_pausing_it_changes_nothing():
    stats = QueueStats(queue_id="281", agents_available=2)
    assert agent_is_available(agent("available"))
    assert not agent_is_available(agent("busy", device="INUSE"))
    assert not agent_is_available(agent("ringing", device="RINGING"))
    assert available_after(stats, agent("busy", device="INUSE"), pausing=True) == 2
    assert available_after(stats, agent("available"), pausing=True) == 1
    assert available_after(stats, agent("paused", paused=True), pausing=False) == 3
    assert available_after(stats, agent("paused", paused=True, device="INUSE"), pausing=False) == 2


async def test_a_tenants_share_of_an_all_tenants_view(admin_client, sim_pbx):
    from tringtui.live.sources import channels, peers

    peers_data = await peers.fetch(admin_client)
    channels_data = await channels.fetch(admin_client)
    share = tenant_share("DEVEL", peers_data, channels_data)
    own = [peer for peer in sim_pbx.peers_snapshot() if peer.name.endswith("-DEVEL")]
    assert share.peers_total == len(own)
    assert share.peers_registered == sum(1 for peer in own if peer.registered)
    # Its phones' channels: a trunk leg names no tenant on the wire.
    assert share.channels == sum(1 for leg in sim_pbx.channels_snapshot() if leg.tenant == "DEVEL" and leg.peer)
