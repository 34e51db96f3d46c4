"""Typed input is checked before anything is sent, travels encoded, and a tenant key stays in its tenant.

Runs against the simulator over real HTTP; the simulator's request log shows
exactly which parameters arrived, so a value that was spliced into the query
instead of encoded would show up as a parameter of its own.
"""

from __future__ import annotations

import pytest

from tringtui.api import validate
from tringtui.api.client import TringClient
from tringtui.api.errors import ActionRefused, InvalidParameter, KeyRejected, ParameterError

# What people type by mistake, or on purpose: separators, spaces, unicode digits, control characters.
HOSTILE = [
    "103&reqtype=REBOOT",
    "103=1",
    "10 3",
    "10\n3",
    "103%26peer%3DALL",
    "１０３",  # full-width digits
    "١٠٣",  # Arabic-Indic digits
    "103;ALL",
    "",
]


@pytest.mark.parametrize(
    "check", [validate.destination, validate.extension, validate.peer, validate.flow_number, validate.queue_number]
)
@pytest.mark.parametrize("typed", HOSTILE)
def test_typed_numbers_accept_only_what_a_pbx_dials(check, typed):
    with pytest.raises(InvalidParameter) as refused:
        check(typed)
    assert str(refused.value).startswith("invalid ")
    assert "expected" in str(refused.value)  # the message says what would have been right


def test_the_forms_people_really_type_are_accepted():
    assert [validate.destination(v) for v in ("0612345678", "+31612345678", "*80", "#21#", " 112 ")] == [
        "0612345678",
        "+31612345678",
        "*80",
        "#21#",
        "112",
    ]
    assert [validate.extension(v) for v in ("103", "103-DEVEL", "103-Shop42")] == ["103", "103-DEVEL", "103-Shop42"]
    assert validate.peer("ALL") == "ALL"
    with pytest.raises(InvalidParameter):
        validate.destination("+")
    with pytest.raises(InvalidParameter):
        validate.destination("0612345678" * 4)  # longer than any dial string


@pytest.mark.parametrize("tenant", ["DEVEL&tenant=ACME", "DEVEL ACME", "DÉVEL", "../ACME", "DEVEL#"])
async def test_tenant_codes_cannot_smuggle_parameters(sim_server, tenant):
    with pytest.raises(InvalidParameter):
        TringClient(sim_server.url, "demo-admin", tenant)
    async with TringClient(sim_server.url, "demo-admin") as admin:
        with pytest.raises(InvalidParameter):
            admin.with_tenant(tenant)
    assert sim_server.request_log == []


async def test_free_text_arrives_intact_and_alone(client, sim_server, sim_pbx):
    reason = "lunch & learn = 12:30 ü ☕ %26"
    agent = next(a for q in sim_pbx.queues.values() if q.tenant == "DEVEL" for a in q.members.values())
    queue_id = agent.queue.id
    sim_server.clear_log()
    result = await client.pause_agent(agent.peer.name, queue_id, reason=reason)
    assert result.ok
    (record,) = sim_server.request_log
    assert dict(record.params) == {
        "key": "***",
        "tenant": "DEVEL",
        "reqtype": "AGENT",
        "format": "json",
        "extension": agent.peer.name,
        "queue": str(queue_id),
        "action": "pause",
        "pausereason": reason,
    }
    assert sim_pbx.queues[queue_id].members[agent.peer.name].pause_reason == reason

    flow = sim_pbx.tenants["DEVEL"].flows[0]
    value = "night & day=1 x+y é"
    sim_server.clear_log()
    await client.set_flow(flow.number, value=value)
    (record,) = sim_server.request_log
    assert record.params["value"] == value
    assert set(record.params) == {"key", "tenant", "reqtype", "format", "number", "value"}
    assert flow.value == value


async def test_a_generic_request_encodes_what_it_is_given(client, sim_server):
    sim_server.clear_log()
    await client.request("INFO", info="queues&reqtype=REBOOT&peer=ALL")
    (record,) = sim_server.request_log
    assert record.reqtype == "INFO"
    assert record.params["info"] == "queues&reqtype=REBOOT&peer=ALL"
    assert "peer" not in record.params


async def test_a_tenant_key_cannot_act_outside_its_tenant(client, sim_server, sim_pbx):
    """The DEVEL key against ACME's phones, calls, queues and flows: refused, and nothing changes."""
    acme_peer = next(p for p in sim_pbx.peers_snapshot() if p.tenant == "ACME" and p.registered)
    acme_channel = next(c for c in sim_pbx.channels_snapshot() if c.tenant == "ACME")
    acme_queue = next(q for q in sim_pbx.queues.values() if q.tenant == "ACME")
    acme_agent = next(iter(acme_queue.members))
    refusals = (ActionRefused, KeyRejected, ParameterError)

    for attempt in (
        lambda: client.reboot(acme_peer.name),
        lambda: client.unregister(acme_peer.name),
        lambda: client.hangup(acme_channel.name),
        lambda: client.hangup(extension=acme_peer.name),
        lambda: client.pause_agent(acme_agent, acme_queue.id, reason="x"),
        lambda: client.queue_add(acme_agent, acme_queue.id),
        lambda: client.with_tenant("ACME").reboot("ALL"),
    ):
        with pytest.raises(refusals):
            await attempt()

    assert next(p for p in sim_pbx.peers_snapshot() if p.name == acme_peer.name).registered
    assert sim_pbx.channel(acme_channel.name) is not None
    assert not acme_queue.members[acme_agent].paused or acme_queue.members[acme_agent].pause_reason != "x"
    # Reads are confined too: another tenant's rows never come back, and asking for them is refused.
    assert {p.name.rsplit("-", 1)[1] for p in await client.peers()} == {"DEVEL"}
    with pytest.raises(KeyRejected):
        await client.with_tenant("ACME").channels()
    # A tenant smuggled into a generic request's parameter is one (wrong) tenant value, not a second parameter.
    sim_server.clear_log()
    with pytest.raises(KeyRejected):
        await client.request("PEERS", tenant="DEVEL&tenant=ACME")
    assert sim_server.request_log[-1].params["tenant"] == "DEVEL&tenant=ACME"
