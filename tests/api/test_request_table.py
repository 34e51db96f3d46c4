"""The request table: every type and sub-type of the vendor's list, and what the client derives from it."""

import pytest

from tringtui.api import requests
from tringtui.api.errors import EmptyAnswer, InvalidParameter, KeyRejected, OutcomeUnknown
from tringtui.api.requests import REQUESTS, Access, is_write, spec_for

# The vendor's request types and sub-types, as its list (the seed) names them.
SEED_TYPES = {
    "COUNTPEERS", "COUNTCHANNELS", "PEERS", "BLFS", "FLOWS", "CHANNEL", "CHANNELS", "PHONEBOOK", "INFO",
    "AGENT", "ATXTRANSFER", "CAMPAIGN", "DIAL", "FAX", "HANGUP", "MEDIAFILE", "QUEUE", "QUEUERESET", "REBOOT",
    "RESPONSEPATH", "SETFLOW", "SMS", "TRANSFER", "UNREGISTER", "VIRTUALEXT", "VOICEMAIL", "COUNTCALLS",
    "MANAGEDB", "CHECKAUTH", "GETWEBRTCAUTH",
}
SEED_SUBTYPES = {
    "INFO": {
        "queues", "queue", "agents", "agentsconnected", "agentsdelay", "outdialed", "simpledialed", "call",
        "inforecording", "recording", "playrecording", "voicemail", "voicemailtranscript", "dids", "sms",
        "extensions", "extstate", "config", "cdrs", "simplecdrs", "queuelogs", "balance", "flow", "variable",
    },
    "PHONEBOOK": {"query", "add", "delete", "cleanall"},
    "AGENT": {"pause", "unpause"},
    "CAMPAIGN": {"start", "stop", "pause", "resume", "addnumber", "delnumber"},
    "FAX": {"send"},
    "MEDIAFILE": {"getaudio"},
    "QUEUE": {"list", "fulllist", "add", "del", "clean", "log"},
    "RESPONSEPATH": {"list", "getid", "getlast"},
    "VIRTUALEXT": {"list", "add", "del", "clean"},
    "VOICEMAIL": {"list", "messages", "message", "delete"},
    "MANAGEDB": {
        "list", "get", "add", "update", "updatebinary", "getbinary", "getextensions", "setextensions", "delete",
        "listtenants", "addtenant", "deltenant", "listroutes", "replace",
    },
}
WRITES = [spec for spec in REQUESTS if spec.access is Access.WRITE]


def test_every_type_and_sub_type_of_the_seed_is_in_the_table():
    assert {spec.reqtype for spec in REQUESTS} >= SEED_TYPES
    for reqtype, variants in SEED_SUBTYPES.items():
        assert set(requests.VARIANTS[reqtype]) == variants, reqtype
    keys = [(spec.reqtype, spec.variant) for spec in REQUESTS]
    assert len(keys) == len(set(keys))  # no type or sub-type declared twice


def test_read_or_write_and_tenant_scope_follow_the_table():
    assert not is_write("PEERS") and not is_write("INFO", {"info": "queues"}) and not is_write("INFO")
    assert is_write("HANGUP") and is_write("AGENT", {"action": "pause"}) and is_write("SMS")
    assert not is_write("QUEUE", {"action": "LIST"}) and is_write("QUEUE", {"action": "add"})
    assert is_write("QUEUE") and is_write("MANAGEDB", {"action": "frobnicate"})  # unknown: the safe side
    assert not is_write("MANAGEDB", {"action": "list"}) and is_write("MANAGEDB", {"action": "delete"})
    assert is_write("NOSUCHTYPE")
    for reqtype in ("FLOWS", "BLFS", "AGENT", "QUEUE"):
        assert all(spec.tenant_scoped for spec in REQUESTS if spec.reqtype == reqtype)
    assert all(spec.tenant_scoped for spec in REQUESTS if spec.reqtype == "INFO")
    assert not spec_for("COUNTPEERS").tenant_scoped
    assert {spec.reqtype for spec in REQUESTS if spec.empty_is_suspect} == {"COUNTPEERS", "COUNTCHANNELS", "PEERS"}


@pytest.mark.parametrize("spec", WRITES, ids=lambda spec: spec.name)
async def test_every_write_names_what_it_misses_before_sending(spec, client, sim_server):
    params = {spec.selector: spec.variant} if spec.selector else {}
    with pytest.raises(InvalidParameter, match="missing parameter"):
        await client.request(spec.reqtype, **params)
    assert [r for r in sim_server.request_log if r.reqtype == spec.reqtype] == []


async def test_disallowed_values_are_refused_before_sending(client, sim_server):
    with pytest.raises(InvalidParameter, match="expected one of pause, unpause"):
        await client.request("AGENT", action="frobnicate", extension="103", queue="281")
    with pytest.raises(InvalidParameter, match="missing parameter action"):
        await client.request("AGENT", extension="103", queue="281")
    with pytest.raises(InvalidParameter, match="recording"):
        await client.request("DIAL", source="103", dest="200", recording="maybe")
    with pytest.raises(InvalidParameter, match="only one of channel, extension"):
        await client.request("HANGUP", channel="SIP/103-DEVEL-00000001", extension="103-DEVEL")
    with pytest.raises(InvalidParameter, match="object"):
        await client.request("MANAGEDB", action="delete", object="everything")
    assert [r.reqtype for r in sim_server.request_log] == []


async def test_a_write_result_carries_the_parameters_sent(client, sim_pbx):
    flow = (await client.flows())[0]
    result = await client.set_flow(flow.number, "inuse", "night")
    assert result.ok and result.params == {"number": flow.number, "state": "INUSE", "value": "night"}
    channel = next(c for c in await client.channels() if c.tenant == "DEVEL")
    hung = await client.hangup(channel.channel)
    assert hung.params == {"channel": channel.channel} and "key" not in hung.params


@pytest.mark.parametrize("reqtype", ["COUNTPEERS", "COUNTCHANNELS", "PEERS"])
async def test_an_empty_answer_where_a_pbx_always_has_data_is_an_error(reqtype, client, sim_server):
    sim_server.faults.mode = "empty"
    sim_server.faults.only = {reqtype}
    call = {"COUNTPEERS": client.count_peers, "COUNTCHANNELS": client.count_channels, "PEERS": client.peers}[reqtype]
    with pytest.raises(EmptyAnswer, match="empty answer"):
        await call()


async def test_an_empty_answer_is_legitimate_for_channels_and_suspect_for_queues_on_request(client, sim_server):
    sim_server.faults.mode = "empty"
    sim_server.faults.only = {"CHANNELS", "INFO"}
    assert await client.channels() == []  # no calls at night
    assert await client.queues() == []
    with pytest.raises(EmptyAnswer):
        await client.queues(empty_is_suspect=True)


async def test_an_empty_answer_to_a_write_is_an_unknown_outcome(client, sim_server, sim_pbx):
    sim_server.faults.mode = "empty"
    sim_server.faults.only = {"REBOOT", "SMS"}
    with pytest.raises(OutcomeUnknown):
        await client.reboot("103-DEVEL")
    with pytest.raises(OutcomeUnknown):  # a write without a model too
        await client.request("SMS", dest="0612345678", message="hello")


async def test_a_tenant_scoped_type_refused_without_a_tenant_says_it_may_need_one(admin_client, sim_server):
    sim_server.faults.mode = "key_rejected"
    with pytest.raises(KeyRejected, match="tenant-scoped and no tenant was sent"):
        await admin_client.flows()
    with pytest.raises(KeyRejected) as plain:
        await admin_client.count_peers()  # not tenant-scoped: the plain message
    assert "tenant-scoped" not in str(plain.value)
    with pytest.raises(KeyRejected) as scoped:
        await admin_client.with_tenant("DEVEL").flows()
    assert "tenant-scoped" not in str(scoped.value)


async def test_a_type_the_table_does_not_know_is_sent_as_a_journalled_write(sim_server, tmp_path):
    from tringtui.api.client import TringClient
    from tringtui.api.journal import WriteJournal
    from tringtui.audit import AuditJournal, writes

    journal = AuditJournal(tmp_path / "audit.jsonl")
    async with TringClient(sim_server.url, "demo-devel", "DEVEL", journal=WriteJournal(journal)) as client:
        with pytest.raises(OutcomeUnknown):  # the sim answers an unknown type with nothing
            await client.request("NEWTHING", what="x")
        with pytest.raises(OutcomeUnknown):  # a read forced to be handled as a write: journalled, not retried
            sim_server.faults.mode = "empty"
            await client.request("CHANNELS", write=True)
    assert [(e.action, e.outcome) for e in writes(journal.entries())] == [("NEWTHING", "unknown"), ("CHANNELS", "unknown")]
