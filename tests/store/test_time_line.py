"""The replay's time line holds the audit journal's writes beside the recorded events."""

from __future__ import annotations

import dataclasses
import time
from urllib.parse import urlsplit

import pytest

from tringtui.sim import ManualClock
from tringtui.store import Store
from tringtui.store.replay import ReplayCursor
from tringtui.store.timeline import journal_events

from tests.store.conftest import make_recording


@pytest.fixture
def sim_clock():
    # The journal stamps a write with the wall clock, as the recorder stamps polls outside tests; here
    # the polls run on a simulated clock that starts now, so that both are on one time line.
    return ManualClock(start=float(int(time.time())))


async def test_the_journal_s_writes_are_on_the_replay_time_line(admin_client, sim_clock, sim_server, tmp_path):
    """Every write of the audit journal is on the replay's time line: the Events pane, ``{`` ``}`` and the bar."""
    recording = make_recording(admin_client, sim_clock, tmp_path / "recording.sqlite")
    await recording.step(0)
    phone = next(p for p in recording.session.snapshot("peers").data.peers if p.tenant == "DEVEL" and p.registered)
    await recording.step()
    await admin_client.unregister(phone.name)
    sim_clock.set(max(sim_clock(), time.time()))  # the next polls come after the write
    await recording.step()
    await recording.step()
    recording.recorder.close()
    host = urlsplit(sim_server.url).netloc
    writes = journal_events(admin_client.journal.journal, {host}, None, None)
    assert [(w.kind, w.object, w.after) for w in writes] == [("write.unregister", phone.name, "success")]
    assert not journal_events(admin_client.journal.journal, {"elsewhere.example:443"}, None, None)

    cursor = ReplayCursor(Store(recording.path, readonly=True), writes=writes)
    try:
        cursor.goto(cursor.start)
        assert not [e for e in cursor.events() if e.kind.startswith("write.")]  # not yet written
        while cursor.next_event() is not None and cursor.at < writes[0].at:
            pass
        assert cursor.at == writes[0].at  # } stops at the write
        assert cursor.events(limit=1)[0] == writes[0]
        assert cursor.events(kinds=["write"]) == writes
        assert all(e.kind.startswith("peer.") for e in cursor.events(kinds=["peer"]))
        assert not cursor.events(kinds=["write"], node="pbx21")  # a write has no node
        assert not cursor.events(kinds=["write"], tenant="NO-SUCH-TENANT")
        # A write outside the recording cannot be shown: it is not a place to jump to.
        late = dataclasses.replace(writes[0], at=cursor.end + 60)
        beyond = ReplayCursor(cursor.store, writes=[*writes, late])
        assert beyond.event_times[-1] <= beyond.end
        beyond.goto(beyond.end)
        assert beyond.next_event() is None
    finally:
        cursor.store.close()
