"""Replay's trends come from the store: the recorded polls before the moment shown, then that poll added as
the live session adds it, so a node losing phones is flagged in replay as it was live."""

from __future__ import annotations

from tringtui.store import Store
from tringtui.store.replay import ReplayCursor, ReplaySession


async def test_a_node_losing_phones_is_flagged_in_replay_as_it_was_live(recording, sim_pbx):
    for _ in range(3):
        await recording.step()
    node = "pbx21"
    phones = [p for p in sim_pbx.peers_snapshot() if p.node == node and p.registered]
    for phone in phones[: len(phones) // 2]:
        sim_pbx.unregister(phone.name, phone.tenant)
    await recording.step()
    live = {row.node: row for row in recording.session.node_trends.rows}
    assert live[node].alert.startswith("DROP")
    await recording.step()  # one more poll after the drop: the replay is not simply at the end

    with Store(recording.path, readonly=True) as store:
        cursor = ReplayCursor(store)
        session = ReplaySession(cursor, recording.session.intervals)
        cursor.step(-1)
        session.publish()
        replayed = {row.node: row for row in session.node_trends.rows}
        assert replayed[node] == live[node]  # history and flag, exactly as the live session held them
        assert node in session.totals().alerting_nodes  # the summary line flags it too
        queues = recording.session.queue_trends.queues
        assert {queue: trend.waiting[:-1] for queue, trend in queues.items()} == \
            {queue: trend.waiting for queue, trend in session.queue_trends.queues.items()}
