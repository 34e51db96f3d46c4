"""The incident snapshot carries the last 30 minutes of recorded events and the writes journalled then."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tringtui.audit import AuditEntry, AuditJournal
from tringtui.commands.snapshot import markdown, take
from tringtui.settings import Secret, Settings

from tests.conftest import SIM_ADMIN_KEY
from tests.store.conftest import SimTime


def _entry(at: float, host: str, action: str) -> AuditEntry:
    return AuditEntry(time=datetime.fromtimestamp(at, UTC).isoformat(), user="noc", profile="p", server=host,
                      tenant="DEVEL", action=action, target={"peer": "101-DEVEL"}, outcome="success")


async def test_the_snapshot_bundle_has_the_last_half_hour_of_events_and_writes(recording, admin_client, sim_server,
                                                                                 tmp_path):
    phone = next(p for p in recording.session.snapshot("peers").data.peers if p.tenant == "DEVEL" and p.registered)
    await admin_client.unregister(phone.name)
    await recording.step()
    recording.recorder.flush()
    now = recording.sim_clock()
    host = sim_server.url.split("/")[2]
    journal = AuditJournal(tmp_path / "audit.jsonl")
    journal.append(_entry(now - 60, host, "UNREGISTER"))
    journal.append(_entry(now - 45 * 60, host, "REBOOT"))  # before the window
    journal.append(_entry(now - 60, "elsewhere.example", "HANGUP"))  # another server
    settings = Settings(server=sim_server.url, key=Secret(SIM_ADMIN_KEY), tenant="DEVEL", readonly=True,
                        store_path=str(recording.path), audit_path=str(tmp_path / "audit.jsonl"))

    bundle = await take(settings, clock=SimTime(recording.sim_clock))
    timeline = bundle["timeline"]
    ours = [e for e in timeline["events"] if e["object"] == phone.name and e["kind"] == "peer.unregistered"]
    assert len(ours) == 1 and ours[0]["after"] == "unregistered"
    assert [w["action"] for w in timeline["writes"]] == ["UNREGISTER"]
    assert timeline["note"] == ""
    text = json.dumps(bundle)
    assert SIM_ADMIN_KEY not in text and SIM_ADMIN_KEY not in markdown(bundle)
    assert f"peer.unregistered | {phone.node}/DEVEL | {phone.name}" in markdown(bundle)

    recording.sim_clock.advance(31 * 60)  # half an hour on: the event has left the window
    later = await take(settings, clock=SimTime(recording.sim_clock))
    assert not [e for e in later["timeline"]["events"] if e["object"] == phone.name]


async def test_without_a_recording_the_snapshot_says_so(sim_server, tmp_path):
    settings = Settings(server=sim_server.url, key=Secret(SIM_ADMIN_KEY), tenant="DEVEL", readonly=True,
                        store_path=str(tmp_path / "none.sqlite"), audit_path=str(tmp_path / "audit.jsonl"))
    bundle = await take(settings)
    assert bundle["timeline"]["events"] == [] and "no such store" in bundle["timeline"]["note"]
    assert "no recorded events" in markdown(bundle)
