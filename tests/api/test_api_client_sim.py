"""Every client method against the simulator over real HTTP, checked against the simulator's own state."""

import re

import pytest

from tringtui.api.client import TringClient
from tringtui.api.errors import (
    ActionRefused,
    InvalidParameter,
    KeyRejected,
    MalformedResponse,
    ParameterError,
    ReadOnlyError,
)
from tringtui.api.models import PeerStatus
from tringtui.sim import records

# ------------------------------------------------------------------ reads


async def test_counts_per_node(client, admin_client, sim_pbx):
    peers = await client.count_peers()
    assert [n.node for n in peers.nodes] == list(sim_pbx.nodes)
    registered = [p for p in sim_pbx.peers_snapshot() if p.tenant == "DEVEL" and p.registered]
    assert peers.total == len(registered)
    everyone = await admin_client.count_peers()
    assert everyone.total == sum(p.registered for p in sim_pbx.peers_snapshot())
    channels = await admin_client.count_channels()
    assert channels.total == len(sim_pbx.channels_snapshot())
    one_node = await admin_client.count_channels(nodename="pbx21")
    assert one_node.as_dict() == {"pbx21": sum(c.node == "pbx21" for c in sim_pbx.channels_snapshot())}


async def test_peers(client, sim_pbx):
    peers = await client.peers()
    expected = {p.name: p for p in sim_pbx.peers_snapshot() if p.tenant == "DEVEL"}
    assert {p.name for p in peers} == set(expected)
    for peer in peers:
        assert peer.tenant == "DEVEL" and peer.registered == expected[peer.name].registered
        assert peer.status_text == expected[peer.name].status
        if peer.status in (PeerStatus.OK, PeerStatus.LAGGED):
            assert peer.latency_ms is not None


async def test_channels_and_channel_detail(client, admin_client, sim_pbx):
    channels = await client.channels()
    expected = {c.uniqueid: c for c in sim_pbx.channels_snapshot() if c.tenant == "DEVEL"}
    assert {c.uniqueid for c in channels} == set(expected)
    for channel in channels:
        known = expected[channel.uniqueid]
        assert (channel.channel, channel.state, channel.node) == (known.name, known.state, known.node)
        assert channel.bridged_to == (known.bridged or "")
    assert len(await admin_client.channels()) == len(sim_pbx.channels_snapshot())
    on_node = await admin_client.channels(nodename="pbx24")
    assert on_node and {c.node for c in on_node} == {"pbx24"}
    detail = await client.channel(channels[0].channel)
    assert detail.uniqueid == channels[0].uniqueid and detail.channel == channels[0].channel
    assert await client.channel("SIP/999-DEVEL-0000ffff") is None


async def test_blfs_and_flows(client, sim_pbx):
    blfs = {b.extension: b for b in await client.blfs()}
    assert "101-DEVEL" in blfs and blfs["101-DEVEL"].state == sim_pbx.peer("101-DEVEL").device_state
    assert blfs["101-DEVEL"].timestamp is not None
    (flow,) = await client.flows()
    known = sim_pbx.flow(flow.number, "DEVEL")
    assert (flow.state, flow.value, flow.name) == (known.state, known.value, known.name)


async def test_queues_stats_agents_members(client, sim_pbx):
    queues = await client.queues()
    assert [(q.id, q.name) for q in queues] == [("281", "supportQ"), ("283", "sales: EN, NL")]
    stats = await client.queue_stats("281")
    known = sim_pbx.queue(281)
    assert stats.queue_id == "281" and stats.agents_online == known.stats["AGENTSONLINE"]
    assert stats.calls_received == known.stats["CALLSRECEIVED"]
    assert await client.queue_stats(9999) is None
    agents = await client.agents("281")
    assert {a.member for a in agents} == set(known.members) and {a.queue_id for a in agents} == {"281"}
    assert await client.agents(9999) == []
    assert set(await client.queue_members("281")) == set(known.members)
    assert set(await client.queue_members(number=known.number)) == set(known.members)


async def test_extension_state(client, sim_pbx):
    talking = next(c for c in sim_pbx.channels_snapshot() if c.tenant == "DEVEL" and c.peer and c.state == "Up")
    state = await client.extension_state(talking.peer)
    assert state.registered and state.in_call and state.get("UniqueID") == talking.uniqueid
    offline = next(p for p in sim_pbx.peers_snapshot() if p.tenant == "DEVEL" and not p.registered)
    state = await client.extension_state(offline.name)
    assert not state.registered and not state.in_call


async def test_extensions_never_keep_passwords(client):
    raw = await client.request("INFO", info="extensions", format="json")
    extensions = await client.extensions()
    assert extensions and all(e.number.isdigit() and e.username.endswith("-DEVEL") for e in extensions)
    assert "password" not in raw.text and "ex_name" in raw.text
    assert not any("password" in str(e).lower() for e in extensions)


def _sim_passwords(sim_pbx, tenant="DEVEL"):
    owner = sim_pbx.tenants[tenant]
    values = [records.extension_values(sim_pbx.seed, owner, peer) for peer in owner.peers]
    return {v[name] for v in values for name in ("ex_password", "ex_webpassword")}


async def test_every_caller_gets_extensions_without_passwords(client, sim_pbx):
    passwords = _sim_passwords(sim_pbx)
    number_at = str(records.EXTENSION_NUMBER_INDEX)
    for fmt in ("json", "plain"):
        raw = await client.request("INFO", info="extensions", format=fmt)
        answer = await client.call("INFO", {"info": "extensions", "format": fmt})
        for text in (raw.text, answer.raw.text, repr(raw.data), repr(answer.value)):
            assert not [p for p in passwords if p in text], fmt
    rows = (await client.request("INFO", info="extensions")).data
    assert rows and all(row[number_at] == row["ex_number"] and "5" not in row and "6" not in row for row in rows)


@pytest.mark.parametrize("mode", ["malformed", "truncated"])
async def test_a_broken_extensions_body_is_not_quoted_with_its_passwords(client, sim_server, sim_pbx, mode):
    sim_server.faults.only = {"INFO"}
    sim_server.faults.mode = mode
    with pytest.raises(MalformedResponse) as failure:
        await client.extensions()
    shown = f"{failure.value} {failure.value.body}"
    assert not [p for p in _sim_passwords(sim_pbx) if p in shown]
    assert "withheld" in shown


async def test_config_balance_calls(client, sim_pbx):
    config = await client.tenant_config()
    assert config.max_channels and config.max_extensions and config.max_dids
    assert isinstance(await client.balance(), float)
    calls = {c.call_id for c in sim_pbx.channels_snapshot() if c.tenant == "DEVEL"}
    assert await client.count_calls() == len(calls)


async def test_generic_request_plain_and_json(client):
    plain = await client.request("COUNTPEERS", format="plain")
    assert plain.content_type.startswith("text/html") and "|" in plain.text and plain.data is None
    unknown = await client.request("INFO", info="nosuchinfo")
    assert unknown.text == "" and unknown.data is None
    cdrs = await client.request("INFO", info="cdrs", start="2100-01-01 00:00:00")
    assert cdrs.text == "]" and cdrs.data == []
    peers = await client.request("PEERS")
    assert isinstance(peers.data, list) and peers.content_type.startswith("application/json")


# ------------------------------------------------------------------ tenants and keys


async def test_tenant_key_is_confined_to_its_tenant(client, sim_pbx):
    assert all(p.tenant == "DEVEL" for p in await client.peers())
    with pytest.raises(KeyRejected):
        await client.with_tenant("ACME").peers()
    with pytest.raises(KeyRejected):
        await client.count_peers(tenant="ACME")
    acme_channel = next(c for c in sim_pbx.channels_snapshot() if c.tenant == "ACME")
    with pytest.raises(ActionRefused):
        await client.hangup(acme_channel.name)
    assert sim_pbx.channel(acme_channel.name) is not None


async def test_admin_key_switches_tenant(admin_client, sim_pbx):
    acme = admin_client.with_tenant("ACME")
    flows = await acme.flows()
    assert sorted(f.number for f in flows) == sorted(f.number for f in [sim_pbx.flow("801", "ACME"), sim_pbx.flow("802", "ACME")])
    with pytest.raises(KeyRejected):  # the admin key must name a tenant for FLOWS
        await admin_client.flows()


async def test_wrong_or_missing_tenant(sim_server):
    async with TringClient(sim_server.url, "demo-devel") as no_tenant:
        with pytest.raises(ParameterError, match="Wrong or missing tenant"):
            await no_tenant.count_channels()


async def test_read_only_key_is_refused_by_the_server(sim_server, sim_pbx):
    async with TringClient(sim_server.url, "demo-devel-ro", "DEVEL") as readonly_key:
        assert await readonly_key.peers()
        with pytest.raises(KeyRejected):
            await readonly_key.set_flow("801", "INUSE")
    assert sim_pbx.flow("801", "DEVEL").state != "INUSE"


async def test_readonly_mode_sends_nothing(sim_server):
    async with TringClient(sim_server.url, "demo-devel", "DEVEL", readonly=True) as readonly:
        sim_server.clear_log()
        for write in (
            readonly.hangup(extension="101-DEVEL"),
            readonly.transfer("SIP/101-DEVEL-00000001", "102"),
            readonly.attended_transfer("SIP/101-DEVEL-00000001", "102"),
            readonly.pause_agent("107", "281"),
            readonly.unpause_agent("107", "281"),
            readonly.queue_add("101", "281"),
            readonly.queue_remove("107", "281"),
            readonly.reboot("ALL"),
            readonly.unregister("101-DEVEL"),
            readonly.set_flow("801", "INUSE"),
            readonly.dial("101", "102"),
            readonly.request("QUEUERESET", queueid="281"),
        ):
            with pytest.raises(ReadOnlyError):
                await write
        assert sim_server.request_log == []
        await readonly.peers()
        assert [r.reqtype for r in sim_server.request_log] == ["PEERS"]


# ------------------------------------------------------------------ writes and their effects


def _two_leg_call(pbx, tenant="DEVEL"):
    """A talking call of ``tenant`` with a phone leg bridged to another leg."""
    for channel in pbx.channels_snapshot():
        if channel.tenant == tenant and channel.peer and channel.bridged and channel.state == "Up":
            return channel, pbx.channel(channel.bridged)
    raise AssertionError("the seeded PBX has no two-leg call")


async def test_hangup_removes_both_legs(client, sim_pbx):
    leg, other = _two_leg_call(sim_pbx)
    result = await client.hangup(leg.name)
    assert result.ok and "hung" in result.message.lower()
    assert sim_pbx.channel(leg.name) is None and sim_pbx.channel(other.name) is None
    names = {c.channel for c in await client.channels()}
    assert leg.name not in names and other.name not in names
    with pytest.raises(ActionRefused, match="Channel not found"):
        await client.hangup(leg.name)


async def test_hangup_by_extension(client, sim_pbx):
    leg, other = _two_leg_call(sim_pbx)
    assert (await client.hangup(extension=leg.peer, fast=True)).ok
    assert sim_pbx.channel(leg.name) is None and sim_pbx.channel(other.name) is None


async def test_transfer(client, sim_pbx):
    leg, other = _two_leg_call(sim_pbx)
    assert (await client.transfer(leg.name, "0612345678")).ok
    moved = sim_pbx.channel(leg.name)
    assert moved is not None and moved.exten == "0612345678"
    assert sim_pbx.channel(other.name) is None


async def test_attended_transfer_puts_the_party_on_hold(client, sim_pbx):
    leg, other = _two_leg_call(sim_pbx)
    assert (await client.attended_transfer(leg.name, "0612345678")).ok
    assert sim_pbx.channel(other.name).on_hold


async def test_pause_is_confined_to_the_named_queue(client, sim_pbx):
    member = sorted(sim_pbx.queue(281).members)[0]
    if member not in sim_pbx.queue(283).members:
        assert (await client.queue_add(member, "283")).ok
    result = await client.pause_agent(member, "281", reason="lunch")
    assert result.ok
    assert sim_pbx.agent(281, member).paused and sim_pbx.agent(281, member).pause_reason == "lunch"
    assert not sim_pbx.agent(283, member).paused
    (seen,) = [a for a in await client.agents("281") if a.member == member]
    assert seen.paused and seen.pause_reason == "lunch"
    assert (await client.unpause_agent(member, "281")).ok
    assert not sim_pbx.agent(281, member).paused


async def test_pause_by_queue_number_and_in_all_queues(client, sim_pbx):
    member = sorted(sim_pbx.queue(281).members)[0]
    assert (await client.pause_agent(member.split("-")[0], queuenumber=sim_pbx.queue(281).number)).ok
    assert sim_pbx.agent(281, member).paused
    if member not in sim_pbx.queue(283).members:
        await client.queue_add(member, "283")
    assert (await client.pause_agent(member, all_queues=True)).ok
    assert sim_pbx.agent(281, member).paused and sim_pbx.agent(283, member).paused
    assert (await client.unpause_agent(member, all_queues=True)).ok
    assert not sim_pbx.agent(283, member).paused


async def test_pause_without_a_queue_is_refused_locally(client, sim_server):
    sim_server.clear_log()
    with pytest.raises(InvalidParameter, match="every queue"):
        await client.pause_agent("107")
    with pytest.raises(InvalidParameter):
        await client.pause_agent("107", "281", all_queues=True)
    with pytest.raises(InvalidParameter):
        await client.unpause_agent("107")
    assert sim_server.request_log == []


async def test_queue_add_and_remove(client, sim_pbx):
    outsider = next(p.name for p in sim_pbx.peers_snapshot() if p.tenant == "DEVEL" and p.name not in sim_pbx.queue(281).members)
    result = await client.queue_add(outsider, "281", agent_type="NF")
    assert result.ok and result.message == "OK"
    assert outsider in await client.queue_members("281")
    assert (await client.queue_remove(outsider, "281")).ok
    assert outsider not in await client.queue_members("281")


async def test_reboot_and_unregister(client, sim_pbx):
    online = [p for p in sim_pbx.peers_snapshot() if p.tenant == "DEVEL" and p.registered]
    assert (await client.reboot(online[0].name)).ok
    assert not sim_pbx.peer(online[0].name).registered
    peers = {p.name: p for p in await client.peers()}
    assert peers[online[0].name].status is PeerStatus.UNREGISTERED
    assert (await client.unregister(online[1].name)).ok
    assert not sim_pbx.peer(online[1].name).registered
    with pytest.raises(ActionRefused, match="Peer not found"):
        await client.reboot("999-DEVEL")


async def test_set_flow(client, sim_pbx):
    assert (await client.set_flow("801", "INUSE")).ok
    assert sim_pbx.flow("801", "DEVEL").state == "INUSE"
    assert (await client.set_flow("801", value="mobile")).ok
    assert sim_pbx.flow("801", "DEVEL").value == "mobile"
    (flow,) = await client.flows()
    assert (flow.state, flow.value) == ("INUSE", "mobile")
    with pytest.raises(InvalidParameter, match="flow state"):
        await client.set_flow("801", "BROKEN")
    with pytest.raises(ActionRefused, match="Flow not found"):
        await client.set_flow("899", "INUSE")


async def test_dial_creates_channels(client, sim_pbx):
    source = next(p for p in sim_pbx.peers_snapshot() if p.tenant == "DEVEL" and p.registered and p.device_state == "NOT_INUSE")
    result = await client.dial(source.name.split("-")[0], "0612345678")
    assert result.ok and re.fullmatch(r"[0-9a-f]{14}", result.reference)
    assert any(c.peer_name == source.name for c in await client.channels())


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.hangup(),
        lambda c: c.hangup("SIP/1-X-1", extension="1"),
        lambda c: c.hangup("not a channel"),
        lambda c: c.transfer("SIP/101-DEVEL-1", "12ab"),
        lambda c: c.queue_add("101"),
        lambda c: c.queue_add("101", "281", number="600"),
        lambda c: c.queue_add("101", "281", agent_type="XX"),
        lambda c: c.reboot("101 DEVEL"),
        lambda c: c.set_flow("801"),
        lambda c: c.pause_agent("107", "281", reason="bad\x07reason"),
        lambda c: c.pause_agent("107", "281", reason="x" * 65),
        lambda c: c.dial("101", "0612345678", dial_timeout=-1),
    ],
)
async def test_invalid_parameters_are_refused_before_sending(client, sim_server, call):
    sim_server.clear_log()
    with pytest.raises(InvalidParameter):
        await call(client)
    assert sim_server.request_log == []
