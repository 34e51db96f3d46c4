"""INFO cdrs, simplecdrs, queuelogs, inforecording, agentsdelay, agentsconnected, dids, extstate, config and
balance through the client, against the simulator over HTTP: what the PBX recorded is what the models say."""

from __future__ import annotations

import pytest

from tringtui.api import history
from tringtui.api.client import TringClient
from tringtui.api.errors import KeyRejected


@pytest.fixture
def lived(sim_clock, sim_pbx):
    """Ten minutes of calls, so that history exists."""
    for _ in range(10):
        sim_clock.advance(60)
    sim_pbx.advance()
    return sim_pbx


def devel_records(pbx):
    return [r for r in pbx.cdrs if r.tenant == "DEVEL"]


async def test_cdrs_are_every_finished_call_of_the_tenant(lived, client, sim_clock):
    records = await client.cdrs()
    expected = devel_records(lived)
    assert expected, "ten minutes of traffic end some calls"
    assert [r.uniqueid for r in records] == [r.uniqueid for r in expected]
    first, source = records[0], expected[0]
    assert (first.linkedid, first.tenant, first.disposition) == (source.linkedid, "DEVEL", source.disposition)
    assert first.duration == int(source.ended) - int(source.started)
    assert first.start == history.server_time(source.started)


async def test_cdrs_filtered_by_linkedid_and_window(lived, client):
    target = devel_records(lived)[-1]
    found = await client.cdrs(linkedid=target.linkedid, start=target.started - 60, end=target.ended + 60)
    assert [r.uniqueid for r in found] == [target.uniqueid]
    assert await client.cdrs(linkedid=target.linkedid, start=target.ended + 3600) == []  # "]": none


async def test_cdrs_csv_and_plain_parse_to_the_same_records(lived, client):
    as_json = (await client.call("INFO", {"info": "cdrs"})).value
    as_csv = (await client.call("INFO", {"info": "cdrs", "format": "csv"})).value
    as_plain = (await client.call("INFO", {"info": "cdrs", "format": "plain"})).value
    assert as_json == as_csv == as_plain and as_json


async def test_simplecdrs_by_phone(lived, client):
    phone = next(r.src_peer for r in devel_records(lived) if r.src_peer)
    ext = phone.split("-")[0]
    found = await client.simple_cdrs(phone=ext)
    assert found and all(ext in (r.calleridnum, r.whoanswered.split("-")[0], r.dialednum) or
                         phone in (r.whoanswered,) for r in found)
    assert {r.uniqueid for r in found} == {r.uniqueid for r in devel_records(lived)
                                           if phone in (r.src_peer, r.whoanswered) or ext in (r.first_dst,
                                                                                               r.dst_number)}


async def test_queue_logs_and_unanswered_first(lived, client):
    rows = await client.queue_logs()
    expected = [e for e in lived.queue_log if e.tenant == "DEVEL"]
    assert [(r.event, r.callid) for r in rows] == [(e.event, e.callid) for e in expected]
    assert all(r.unanswered == (r.event in ("ABANDON", "EXITWITHTIMEOUT")) for r in rows)
    assert await client.queue_logs(start=lived.clock_time() + 3600) == []


async def test_recording_metadata_only_when_recorded(lived, client):
    recorded = [r for r in devel_records(lived) if r.recorded]
    unrecorded = [r for r in devel_records(lived) if not r.recorded]
    if recorded:
        info = await client.recording_info(recorded[0].uniqueid)
        assert info is not None and info.get("uniqueid") == recorded[0].uniqueid and info.get("filename")
    assert await client.recording_info(unrecorded[0].uniqueid) is None


async def test_agents_delay_connected_dids_config_balance(lived, client):
    queue = lived.tenants["DEVEL"].queues[0]
    delays = await client.agents_delay(queue.id)
    assert {d.member for d in delays} == set(queue.members)
    assert all(d.queue_id == str(queue.id) for d in delays)
    connected = await client.agents_connected(queue.id)
    assert {a.member for a in connected} == {m for m, a in queue.members.items() if a.peer.registered}
    dids = await client.dids()
    assert [d.number for d in dids] == list(lived.tenants["DEVEL"].dids)
    config = await client.tenant_config()
    assert config.max_channels == lived.tenants["DEVEL"].max_channels
    assert await client.balance() == pytest.approx(lived.tenants["DEVEL"].balance, abs=0.005)


async def test_admin_reads_another_tenants_history_and_a_tenant_key_cannot(lived, admin_client, sim_server):
    acme = await admin_client.with_tenant("ACME").cdrs()
    assert [r.uniqueid for r in acme] == [r.uniqueid for r in lived.cdrs if r.tenant == "ACME"]
    async with TringClient(sim_server.url, "demo-devel", "ACME", timeout=10.0) as wrong:
        with pytest.raises(KeyRejected):
            await wrong.cdrs()


def test_bodies_of_every_shape():
    doubled = '[{"0":"u1","uniqueid":"u1","1":"l1","linkedid":"l1","event":"x"}]'
    (record,) = history.parse_cdrs(doubled)
    assert (record.uniqueid, record.linkedid) == ("u1", "l1")
    positional = [[""] * len(history.CDR_COLUMNS)]
    positional[0][history.CDR_COLUMNS.index("uniqueid")] = "u2"
    import json

    assert history.parse_cdrs(json.dumps(positional))[0].uniqueid == "u2"
    assert history.parse_cdrs("]") == history.parse_cdrs("") == history.parse_cdrs("null") == []
    assert history.parse_recording_info("") is None
    assert history.parse_recording_info("uniqueid:u1|format:wav|").get("format") == "wav"
    assert history.parse_agents_delay("null") == []
    (did,) = history.parse_dids('[{"2":"31","3":"20","4":"555","5":"Main","13":"yes"}]')
    assert (did.number, did.description, did.skip) == ("3120555", "Main", True)
