"""Actions change the simulated state the way the real PBX would."""

from __future__ import annotations

import re

import pytest

from tringtui.sim import ChannelInfo, SimulatedPBX


def bridged_phone_call(pbx: SimulatedPBX, tenant: str = "DEVEL") -> tuple[ChannelInfo, ChannelInfo]:
    """A talking call of ``tenant`` whose first leg is a phone: (phone leg, its party)."""
    for channel in pbx.channels_snapshot():
        if channel.tenant == tenant and channel.peer and channel.bridged and channel.state == "Up":
            return channel, pbx.channel(channel.bridged)
    raise AssertionError("no talking call in the fixture PBX")


def idle_extension(pbx: SimulatedPBX, tenant: str = "DEVEL") -> str:
    busy = {c.peer for c in pbx.channels_snapshot()}
    peer = next(p for p in pbx.peers_snapshot()
                if p.tenant == tenant and p.registered and p.name not in busy and p.status != "UNREACHABLE")
    return peer.name.split("-")[0]


def test_hangup_removes_both_legs(api, pbx):
    leg, party = bridged_phone_call(pbx)
    assert api(reqtype="HANGUP", channel=leg.name, tenant="DEVEL").body == "Success|Channel hungup|"
    assert pbx.channel_by_uniqueid(leg.uniqueid) is None and pbx.channel_by_uniqueid(party.uniqueid) is None
    rows = api(reqtype="CHANNELS", format="json").json()
    assert not {leg.name, party.name} & {row[0] for row in rows}


def test_hangup_by_extension_and_errors(api, pbx):
    leg, _ = bridged_phone_call(pbx)
    assert api(reqtype="HANGUP", extension=leg.peer, fast="yes").body == "Success|Channel hungup|"
    assert all(c.peer != leg.peer for c in pbx.channels_snapshot())
    assert api(reqtype="HANGUP", extension=leg.peer).body == "Error|Channel not found|"
    assert api(reqtype="HANGUP", channel="SIP/999-DEVEL-00000000").body == "Error|Channel not found|"
    assert api(reqtype="HANGUP").body == "No channel specified"


def test_transfer_moves_the_leg_to_the_destination(api, pbx, clock):
    leg, party = bridged_phone_call(pbx)
    dest = idle_extension(pbx)
    assert api(reqtype="TRANSFER", channel=leg.name, dest=dest, tenant="DEVEL").body == "Success|Transfer requested|"
    moved = pbx.channel(leg.name)
    assert pbx.channel(party.name) is None
    assert moved.exten == dest and moved.application == "Dial" and moved.bridged is None
    ringing = [c for c in pbx.channels_snapshot() if c.call_id == moved.call_id and c.name != leg.name]
    assert [c.peer for c in ringing] == [f"{dest}-DEVEL"] and ringing[0].state == "Ringing"
    clock.advance(9)
    assert pbx.channel(leg.name).bridged == ringing[0].name
    assert pbx.channel(ringing[0].name).state == "Up"


def test_transfer_with_extra_channel_keeps_it(api, pbx):
    leg, party = bridged_phone_call(pbx)
    body = api(reqtype="TRANSFER", channel=leg.name, extrachannel=party.name, dest="0201234567").body
    assert body == "Success|Transfer requested|"
    assert pbx.channel(party.name) is not None
    assert any(c.name.startswith("SIP/kamailio-") and c.state == "Ringing" and c.call_id == leg.call_id
               for c in pbx.channels_snapshot())


def test_transfer_errors(api, pbx):
    leg, _ = bridged_phone_call(pbx)
    assert api(reqtype="TRANSFER", dest="104").body == "No channel specified"
    assert api(reqtype="TRANSFER", channel=leg.name).body == "No destination specified"
    assert api(reqtype="TRANSFER", channel="nope", dest="104").body == "Error|Channel not found|"
    assert api(reqtype="TRANSFER", channel=leg.name, dest="104; rm").body == "Error|Invalid destination|"
    assert api(reqtype="TRANSFER", channel=leg.name, extrachannel="nope", dest="104").body == \
        "Error|Extra channel not found|"


def test_attended_transfer_leaves_the_party_with_the_destination(api, pbx, clock):
    leg, party = bridged_phone_call(pbx)
    dest = idle_extension(pbx)
    body = api(reqtype="ATXTRANSFER", channel=leg.name, dest=dest, tenant="DEVEL").body
    assert body == "Success|Attended transfer requested|"
    assert pbx.channel(party.name).on_hold and pbx.channel(leg.name).exten == dest
    clock.advance(30)
    assert pbx.channel(leg.name) is None  # the transferrer left
    talking = pbx.channel(party.name)
    assert not talking.on_hold and pbx.channel(talking.bridged).peer == f"{dest}-DEVEL"


def test_attended_transfer_needs_a_call(api, pbx):
    assert api(reqtype="ATXTRANSFER", channel="nope", dest="104").body == "Error|Channel not found|"
    assert api(reqtype="ATXTRANSFER", dest="104").body == "No channel specified"


def two_queue_agent(api, pbx) -> tuple[str, int, int]:
    first, second = pbx.tenants["DEVEL"].queues[:2]
    member = next(iter(first.members))
    if member not in second.members:
        assert api(reqtype="QUEUE", action="add", id=str(second.id), extension=member, tenant="DEVEL").body == "OK"
    for queue in (first, second):
        api(reqtype="AGENT", extension=member, queue=str(queue.id), action="unpause", tenant="DEVEL")
    return member, first.id, second.id


def test_agent_pause_in_one_queue_only(api, pbx):
    member, first, second = two_queue_agent(api, pbx)
    paused_before = pbx.queue(first).stats["AGENTSPAUSED"]
    body = api(reqtype="AGENT", extension=member, queue=str(first), action="pause", pausereason="lunch",
               tenant="DEVEL").body
    assert body == "Success|Agent paused|"
    agent = pbx.agent(first, member)
    assert agent.paused and agent.status == "paused" and agent.pause_reason == "lunch"
    assert not pbx.agent(second, member).paused
    assert pbx.queue(first).stats["AGENTSPAUSED"] == paused_before + 1
    rows = api(reqtype="INFO", info="agents", queue=str(first), format="json", tenant="DEVEL").json()
    assert rows[member]["0"] == 1 and rows[member]["1"] == "paused" and rows[member]["4"] == "lunch"
    stats = api(reqtype="INFO", info="queue", id=str(first), format="json", tenant="DEVEL").json()
    assert stats["AGENTSPAUSED"] == paused_before + 1
    assert api(reqtype="AGENT", extension=member, queue=str(first), action="unpause",
               tenant="DEVEL").body == "Success|Agent unpaused|"
    assert not pbx.agent(first, member).paused and pbx.agent(first, member).pause_reason == ""


def test_agent_pause_without_queue_pauses_every_queue(api, pbx):
    member, first, second = two_queue_agent(api, pbx)
    ext = member.split("-")[0]
    assert api(reqtype="AGENT", extension=ext, action="pause", tenant="DEVEL").body == "Success|Agent paused|"
    assert pbx.agent(first, member).paused and pbx.agent(second, member).paused


def test_agent_by_queue_number_and_errors(api, pbx):
    queue = pbx.tenants["DEVEL"].queues[0]
    member = next(iter(queue.members))
    assert api(reqtype="AGENT", extension=member, queuenumber=queue.number, action="pause",
               tenant="DEVEL").body == "Success|Agent paused|"
    assert api(reqtype="AGENT", action="pause", tenant="DEVEL").body == "No extension specified"
    assert api(reqtype="AGENT", extension=member, tenant="DEVEL").body == "No action specified"
    assert api(reqtype="AGENT", extension=member, action="dance", tenant="DEVEL").body == "Error|Unknown action|"
    outsider = next(p.name for p in pbx.peers_snapshot() if p.tenant == "DEVEL" and p.name not in queue.members)
    assert api(reqtype="AGENT", extension=outsider, queue=str(queue.id), action="pause",
               tenant="DEVEL").body == "Error|Agent not in queue|"
    assert api(reqtype="AGENT", extension=member, queue="99999", action="pause",
               tenant="DEVEL").body == "Error|Queue not found|"


def test_reboot_drops_registration_until_it_returns(api, pbx, clock):
    leg, _ = bridged_phone_call(pbx)
    node = pbx.peer(leg.peer).node
    before = api(reqtype="COUNTPEERS", format="json").json()[node]
    assert api(reqtype="REBOOT", peer=leg.peer).body == "Success|Reboot sent to 1 peer|"
    peer = pbx.peer(leg.peer)
    assert not peer.registered and peer.host == "(Unspecified)" and peer.status in ("UNKNOWN", "Unmonitored")
    assert pbx.channel(leg.name) is None  # a rebooting phone drops its call
    assert api(reqtype="COUNTPEERS", format="json").json()[node] == before - 1
    row = next(r for r in api(reqtype="PEERS", format="json").json() if r["Name"] == leg.peer)
    assert row["Host"] == "(Unspecified)"
    clock.advance(91)
    assert pbx.peer(leg.peer).registered


def test_reboot_all_of_a_tenant(api, pbx):
    assert api(reqtype="REBOOT", peer="ALL", tenant="Shop42").body.startswith("Success|Reboot sent to ")
    assert not any(p.registered for p in pbx.peers_snapshot() if p.tenant == "Shop42")
    assert any(p.registered for p in pbx.peers_snapshot() if p.tenant == "DEVEL")
    assert api(reqtype="REBOOT", peer="999-Shop42").body == "Error|Peer not found|"
    assert api(reqtype="REBOOT").body == "No peer specified"


def test_unregister_keeps_calls(api, pbx, clock):
    leg, _ = bridged_phone_call(pbx)
    assert api(reqtype="UNREGISTER", peer=leg.peer).body == "Success|1 peer unregistered|"
    assert not pbx.peer(leg.peer).registered and pbx.channel(leg.name) is not None
    clock.advance(241)
    assert pbx.peer(leg.peer).registered
    assert api(reqtype="UNREGISTER").body == "No peer specified"


def test_setflow_changes_state_and_value(api, pbx):
    flow = pbx.tenants["DEVEL"].flows[0]
    target = "INUSE" if pbx.flow(flow.number, "DEVEL").state != "INUSE" else "NOT_INUSE"
    assert api(reqtype="SETFLOW", number=flow.number, state=target, tenant="DEVEL").body == "Success|Flow updated|"
    info = pbx.flow(flow.number, "DEVEL")
    assert info.state == target and info.value == flow.value_for[target]
    rows = api(reqtype="FLOWS", format="json", tenant="DEVEL").json()
    assert next(r for r in rows if r["fl_number"] == flow.number)["st_state"] == target
    assert api(reqtype="SETFLOW", number=flow.number, value="custom", tenant="DEVEL").body == "Success|Flow updated|"
    assert pbx.flow(flow.number, "DEVEL").value == "custom"


def test_setflow_errors(api, pbx):
    number = pbx.tenants["DEVEL"].flows[0].number
    assert api(reqtype="SETFLOW", tenant="DEVEL", state="INUSE").body == "No number specified"
    assert api(reqtype="SETFLOW", number="999", state="INUSE", tenant="DEVEL").body == "Error|Flow not found|"
    assert api(reqtype="SETFLOW", number=number, state="PARTY", tenant="DEVEL").body == "Error|Invalid state|"
    assert api(reqtype="SETFLOW", number=number, tenant="DEVEL").body == "Error|No state or value specified|"


def test_dial_creates_channels(api, pbx, clock):
    source = idle_extension(pbx)
    body = api(reqtype="DIAL", source=source, dest="0201234567", tenant="DEVEL").body
    assert re.fullmatch(r"Success\|Originate successfully queued\|[0-9a-f]{14}\|", body)
    ringing = [c for c in pbx.channels_snapshot() if c.peer == f"{source}-DEVEL"]
    assert len(ringing) == 1 and ringing[0].state == "Ringing"
    clock.advance(6)
    legs = [c for c in pbx.channels_snapshot() if c.call_id == ringing[0].call_id]
    assert len(legs) == 2 and legs[0].state == "Up" and legs[1].name.startswith("SIP/kamailio-")
    clock.advance(9)
    assert pbx.channel(legs[0].name).bridged == legs[1].name


def test_dial_errors(api, pbx):
    assert api(reqtype="DIAL", dest="104", tenant="DEVEL").body == "No source specified"
    assert api(reqtype="DIAL", exten="103", tenant="DEVEL").body == "No destination specified"
    assert api(reqtype="DIAL", source="999", phone="104", tenant="DEVEL").body == "Error|Source not found|"


def test_queue_membership(api, pbx):
    queue = pbx.tenants["DEVEL"].queues[0]
    outsider = next(p.name for p in pbx.peers_snapshot() if p.tenant == "DEVEL" and p.name not in queue.members)
    qid = str(queue.id)
    assert api(reqtype="QUEUE", action="add", id=qid, extension=outsider, tenant="DEVEL").body == "OK"
    assert outsider in api(reqtype="QUEUE", action="list", id=qid, format="json", tenant="DEVEL").json()
    assert pbx.agent(queue.id, outsider) is not None
    assert api(reqtype="QUEUE", action="del", id=qid, extension=outsider, tenant="DEVEL").body == \
        "Success|Agent removed|"
    assert outsider not in pbx.queue(queue.id).members
    assert api(reqtype="QUEUE", action="add", id=qid, tenant="DEVEL").body == "No extension specified"
    assert api(reqtype="QUEUE", action="clean", id=qid, tenant="DEVEL").body == "Success|Queue cleaned|"
    assert api(reqtype="QUEUE", action="list", id=qid, format="json", tenant="DEVEL").body == "null"
    assert api(reqtype="INFO", info="agents", queue=qid, format="json", tenant="DEVEL").body == "[]"


@pytest.mark.parametrize("reqtype", ["HANGUP", "TRANSFER", "REBOOT"])
def test_tenant_key_acts_within_its_tenant(api, pbx, reqtype):
    leg, _ = bridged_phone_call(pbx, "DEVEL")
    params = {"HANGUP": {"channel": leg.name}, "TRANSFER": {"channel": leg.name, "dest": "0201234567"},
              "REBOOT": {"peer": leg.peer}}[reqtype]
    assert api(key="demo-devel", tenant="DEVEL", reqtype=reqtype, **params).body.startswith("Success|")
