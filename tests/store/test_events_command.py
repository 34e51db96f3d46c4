"""``tringtui events``: the recorded events and the journal's writes in a window, as lines or JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tringtui.audit import AuditEntry, AuditJournal, default_journal_path
from tringtui.cli import main
from tringtui.timeparse import TimeParseError, format_time, parse_duration, parse_time

from tests.conftest import SIM_ADMIN_KEY


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for name in ("TRINGTUI_PROFILE", "TRINGTUI_CONFIG", "TRINGTUI_SERVER"):
        monkeypatch.delenv(name, raising=False)


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat()


async def _unregistered_phone(recording, admin_client):
    phone = next(p for p in recording.session.snapshot("peers").data.peers if p.tenant == "DEVEL" and p.registered)
    await admin_client.unregister(phone.name)
    await recording.step()
    return phone


async def test_events_lists_an_unregistered_phone_and_the_write_that_did_it(recording, admin_client, sim_server, capsys):
    host = sim_server.url.split("/")[2]
    recording.store.note_session("default", host)
    phone = await _unregistered_phone(recording, admin_client)
    at = recording.sim_clock()
    AuditJournal(default_journal_path()).append(AuditEntry(
        time=_iso(at), user="noc", profile="default", server=host, tenant="DEVEL", action="UNREGISTER",
        target={"peer": phone.name}, params={"peer": phone.name}, outcome="success", message="Reboot sent"))
    AuditJournal(default_journal_path()).append(AuditEntry(
        time=_iso(at), user="noc", profile="other", server="elsewhere.example", tenant="DEVEL", action="HANGUP"))
    recording.recorder.flush()
    path = str(recording.path)

    assert main(["events", "--store", path, "--kind", "peer.unregistered,write", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ours = [line for line in lines if line["object"] == phone.name]
    # The entry written here, and the API layer's own of the unregister above (stamped by the wall clock,
    # after the simulated time): a write sent without a confirmation is named by its parameters.
    assert [(e["kind"], e["before"], e["after"]) for e in ours] == [
        ("peer.unregistered", phone.status_text, "unregistered"), ("write.unregister", "", "success"),
        ("write.unregister", "", "success")]
    assert not any(line["kind"] == "write.hangup" for line in lines)  # another server's write
    assert ours[0]["time"].startswith(datetime.fromtimestamp(at).astimezone().isoformat()[:19])

    assert main(["events", "--store", path, "--kind", "peer", "--node", phone.node]) == 0
    out = capsys.readouterr().out
    assert f"{format_time(at)}  peer.unregistered  {phone.node}/DEVEL  {phone.name}  {phone.status_text} → unregistered" in out
    assert SIM_ADMIN_KEY not in out


async def test_since_and_until_bound_the_window(recording, admin_client, capsys):
    await _unregistered_phone(recording, admin_client)
    at = recording.sim_clock()
    path = str(recording.path)
    later = datetime.fromtimestamp(at + 60).strftime("%Y-%m-%d %H:%M:%S")
    assert main(["events", "--store", path, "--kind", "peer.unregistered", "--since", later]) == 0
    assert capsys.readouterr().out == ""
    earlier = datetime.fromtimestamp(at - 1).strftime("%Y-%m-%d %H:%M:%S")
    assert main(["events", "--store", path, "--kind", "peer.unregistered", "--since", earlier,
                 "--until", later]) == 0
    assert "peer.unregistered" in capsys.readouterr().out


def test_bad_input_is_named(tmp_path, capsys):
    assert main(["events", "--store", str(tmp_path / "none.sqlite")]) == 1
    assert "no such store" in capsys.readouterr().err
    assert main(["events", "--store", str(tmp_path / "x.sqlite"), "--since", "yesterday-ish"]) == 2
    assert "'yesterday-ish' is not a time" in capsys.readouterr().err
    assert main(["events", "--store", str(tmp_path / "x.sqlite"), "--kind", "peers.gone"]) == 2
    assert "unknown kind peers.gone" in capsys.readouterr().err
    assert main(["events"]) == 2  # no config, no store: says how to name one
    assert "--store FILE or --profile NAME" in capsys.readouterr().err


def test_times_as_people_write_them():
    now = datetime(2026, 12, 1, 4, 30).timestamp()
    assert parse_time("1h", now) == now - 3600
    assert parse_time("1h30m", now) == now - 5400
    assert parse_time("15min", now) == now - 900
    assert parse_time("2026-12-01 03:00", now) == datetime(2026, 12, 1, 3, 0).timestamp()
    assert parse_time("2026-12-01T03:00:00+00:00", now) == datetime(2026, 12, 1, 3, tzinfo=UTC).timestamp()
    assert parse_time("03:12", now) == datetime(2026, 12, 1, 3, 12).timestamp()
    assert parse_time("05:00", now) == datetime(2026, 11, 30, 5, 0).timestamp()  # still to come: yesterday's
    assert parse_time("now", now) == now
    assert parse_duration("24h") == 86400
    for bad in ("", "1x", "h", "tomorrow", "25:99"):
        with pytest.raises(TimeParseError):
            parse_time(bad, now)
