"""Legs grouped into calls, against the simulator over HTTP: every grouping equals the PBX's own calls,
through transfers and queue calls, and the number of calls equals COUNTCALLS."""

from __future__ import annotations

from tringtui.live.calls import group_calls
from tringtui.live.sources import channels as channels_source


def sim_calls(pbx, tenant=None):
    """The PBX's own grouping: channel names per call id."""
    calls: dict[int, set[str]] = {}
    for channel in pbx.channels_snapshot():
        calls.setdefault(channel.call_id, set()).add(channel.name)
    return sorted(calls.values(), key=sorted)


async def test_grouping_equals_the_pbx_calls_over_time(sim_clock, sim_pbx, admin_client):
    seen_queue_ringing = seen_transfer = False
    cache: dict[str, str] = {}
    for step in range(40):
        data = await channels_source.fetch(admin_client, cache)
        channels = data.channels
        calls = group_calls(channels, dict(data.linked_ids))
        assert data.calls == tuple(calls)  # grouped where fetched
        assert sorted(({leg.channel for leg in call.legs} for call in calls), key=sorted) == sim_calls(sim_pbx), step
        assert len(calls) == await admin_client.count_calls()
        assert sum(len(call.legs) for call in calls) == len(channels)
        seen_queue_ringing |= any(call.queue_id and call.state == "Ringing" for call in calls)
        if step % 7 == 3:  # transfer the callee of an internal call to another phone of its tenant
            internal = next((c for c in calls if c.direction == "internal" and c.state == "Up"), None)
            if internal is not None:
                leg = internal.legs[1]
                ok, _ = sim_pbx.transfer(leg.channel, "101" if not leg.peer_name.startswith("101") else "102",
                                         None, internal.tenant)
                seen_transfer |= ok
        sim_clock.advance(7)
    assert seen_queue_ringing and seen_transfer


async def test_a_call_s_parties_and_direction(sim_pbx, admin_client):
    data = await channels_source.fetch(admin_client, {})
    calls = group_calls(data.channels, dict(data.linked_ids))
    by_call = {c.uniqueid: c for c in sim_pbx.channels_snapshot()}
    for call in calls:
        first = by_call[call.key]
        assert call.key == first.linkedid  # the oldest leg's uniqueid is the LinkedID
        if call.direction == "in":
            assert first.peer is None and call.caller == first.caller_id
        else:
            assert call.caller == first.peer
    assert {"in", "out", "internal"} <= {call.direction for call in calls}
