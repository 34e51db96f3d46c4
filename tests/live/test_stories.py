"""Drill-downs against the simulator over HTTP: a call ended on the PBX is found in its story by linkedid,
a traced number finds exactly its calls, a queue's story puts unanswered calls first."""

from __future__ import annotations

from tringtui.live.calls import group_calls
from tringtui.live.sources import channels as channels_source
from tringtui.live.stories import call_story, number_story, queue_story


async def live_calls(client):
    data = await channels_source.fetch(client, {})
    return group_calls(data.channels, dict(data.linked_ids))


async def test_a_call_ended_on_the_pbx_is_found_in_its_story_by_linkedid(sim_pbx, sim_clock, client):
    call = None
    while call is None:  # an answered queue call of the tenant
        call = next((c for c in await live_calls(client) if c.queue_id and c.state == "Up"), None)
        if call is None:
            sim_clock.advance(10)
    steps: list[str] = []
    live = await call_story(client, call, sim_clock(), steps.append)
    assert [leg.detail is not None for leg in live.legs] == [True] * len(call.legs)
    assert live.linkedid == call.key and live.records == () and live.problems == ()
    assert steps[0].startswith("CHANNEL 1/") and "INFO cdrs (by linkedid)" in steps

    ok, _ = sim_pbx.hangup_channel(call.first.channel, "DEVEL")
    assert ok
    sim_clock.advance(5)
    ended = await call_story(client, call, sim_clock())
    assert all(leg.detail is None for leg in ended.legs)
    expected = [r for r in sim_pbx.cdrs if r.linkedid == call.key]
    assert [r.uniqueid for r in ended.records] == [r.uniqueid for r in expected] and expected
    assert ended.records[0].linkedid == call.key
    events = [row.event for row in ended.queue_log]
    assert events[0] == "ENTERQUEUE" and all(row.callid == call.key for row in ended.queue_log)


async def test_a_number_trace_finds_the_right_calls(sim_pbx, sim_clock, client):
    for _ in range(10):
        sim_clock.advance(60)
    sim_pbx.advance()
    phone = next(r.src_peer for r in reversed(sim_pbx.cdrs) if r.tenant == "DEVEL" and r.src_peer)
    ext = phone.split("-")[0]
    story = await number_story(client, ext, await live_calls(client), sim_clock())
    now = sim_clock()
    expected = {r.uniqueid for r in sim_pbx.cdrs if r.tenant == "DEVEL" and r.started >= now - 3600
                and (phone in (r.src_peer, r.whoanswered) or ext in (r.first_dst, r.dst_number))}
    assert {r.uniqueid for r in story.records} == expected and expected
    calls_of_phone = {c.call_id for c in sim_pbx.channels_snapshot() if c.peer == phone}
    live_legs = {c.name for c in sim_pbx.channels_snapshot() if c.call_id in calls_of_phone}
    assert live_legs <= {leg.channel.channel for leg in story.legs}


async def test_a_queue_story_lists_unanswered_calls_first(sim_pbx, sim_clock, client):
    for _ in range(15):
        sim_clock.advance(60)
    queue = sim_pbx.tenants["DEVEL"].queues[0]
    story = await queue_story(client, str(queue.id), queue.name, sim_clock())
    flags = [row.unanswered for row in story.log]
    assert flags == sorted(flags, reverse=True) and any(flags)
    assert {d.member for d in story.delays} == set(queue.members)
    assert story.problems == ()
