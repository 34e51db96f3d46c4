"""Events derived from successive polls of the simulator over HTTP, its clock driven by the test:
each change appears exactly once, with the right before → after."""

from __future__ import annotations

from tringtui.api.models import PeerStatus
from tringtui.store import EventThresholds

from tests.store.conftest import make_recording


async def test_an_unregistered_phone_is_one_event_with_its_status_before(recording, admin_client):
    peers = recording.session.snapshot("peers").data.peers
    phone = next(p for p in peers if p.tenant == "DEVEL" and p.status is PeerStatus.OK)
    await admin_client.unregister(phone.name)
    for _ in range(3):
        await recording.step()
    events = recording.events("peer.unregistered", phone.name)
    assert len(events) == 1
    assert (events[0].before, events[0].after) == (phone.status_text, "unregistered")
    assert (events[0].node, events[0].tenant) == (phone.node, "DEVEL")
    # The same event reached the live subscriber (the Events pane) as it was written.
    assert [e for e in recording.events_seen if e.kind == "peer.unregistered" and e.object == phone.name] == events


async def test_a_paused_agent_is_one_event_with_the_reason(recording, admin_client):
    data = recording.session.snapshot("queues").data
    agent = next(a for a in data.agents if not a.paused)
    await admin_client.with_tenant("DEVEL").pause_agent(agent.extension, agent.queue_id, reason="Lunch")
    await recording.step()
    await recording.step()
    events = recording.events("agent.paused", agent.member)
    assert len(events) == 1
    assert (events[0].before, events[0].after) == (agent.status, "paused: Lunch")
    assert f"({agent.queue_id})" in events[0].detail
    await admin_client.with_tenant("DEVEL").unpause_agent(agent.extension, agent.queue_id)
    await recording.step()
    unpaused = recording.events("agent.unpaused", agent.member)
    assert len(unpaused) == 1 and unpaused[0].before == "paused: Lunch"


async def test_a_flow_set_is_one_event_from_its_old_state_to_the_new(recording, admin_client):
    flow = next(f for f in recording.session.snapshot("flows").data.flows if f.state == "NOT_INUSE")
    await admin_client.with_tenant("DEVEL").set_flow(flow.number, state="INUSE")
    await recording.step()
    await recording.step()
    events = [e for e in recording.store.events(kinds=["flow.state"]) if flow.number in e.object]
    assert len(events) == 1
    assert (events[0].before, events[0].after, events[0].tenant) == ("NOT_INUSE", "INUSE", "DEVEL")


async def test_a_queue_past_its_waiting_threshold_is_one_event(admin_client, sim_clock, tmp_path):
    recording = make_recording(admin_client, sim_clock, tmp_path / "q.sqlite",
                               thresholds=EventThresholds(queue_waiting=2))
    try:
        await recording.step(0)
        queue = next(r for r in recording.session.snapshot("queues").data.queues if r.stats.calls_in_queue == 0)
        recording.session.select_queue(queue.queue.id)
        await recording.step(0)
        for agent in recording.session.snapshot("queues").data.agents:
            await admin_client.with_tenant("DEVEL").pause_agent(agent.extension, queue.queue.id)
        waiting = []
        for _ in range(240):
            snapshots = await recording.step()
            stats = next(r.stats for r in snapshots["queues"].data.queues if r.queue.id == queue.queue.id)
            waiting.append(stats.calls_in_queue)
            if stats.calls_in_queue >= 2:
                break
        assert waiting[-1] >= 2, waiting
        events = [e for e in recording.store.events(kinds=["queue.waiting"]) if f"({queue.queue.id})" in e.object]
        assert len(events) == 1, (waiting, recording.store.events(kinds=["queue"]))
        assert events[0].before == f"{waiting[-2]} waiting" and events[0].after == f"{waiting[-1]} waiting"
        assert events[0].detail == "reached 2 waiting"
    finally:
        recording.recorder.close()


async def test_a_long_call_is_one_event_when_it_passes_the_threshold_and_one_when_it_ends(admin_client, sim_clock, tmp_path):
    recording = make_recording(admin_client, sim_clock, tmp_path / "c.sqlite")
    try:
        await recording.step(0)
        longest = max(recording.session.snapshot("channels").data.channels, key=lambda c: c.duration)
        recording.recorder.recorder.thresholds = EventThresholds(long_call=longest.duration + 7)
        await recording.step()  # +5 s: not yet
        await recording.step()  # +10 s: past the threshold
        await recording.step()
        assert [e.after for e in recording.events("call.long", longest.channel)] == [_hms(longest.duration + 10)]
        await admin_client.hangup(longest.channel)
        await recording.step()
        await recording.step()
        ended = recording.events("call.long_ended", longest.channel)
        assert len(ended) == 1
        assert (ended[0].before, ended[0].after) == (f"up {_hms(longest.duration + 15)}", "ended")
        assert longest.uniqueid in ended[0].detail
        assert len(recording.events("call.long", longest.channel)) == 1
    finally:
        recording.recorder.close()


def _hms(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m{rest % 60:02d}s" if hours else f"{rest // 60}m{rest % 60:02d}s"
