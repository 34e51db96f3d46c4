"""Every write is journalled by the API layer, whoever sends it: an attempt line on disk before the
request leaves, then its outcome; ``tringtui audit`` shows an attempt without an outcome as unknown."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tringtui.api.client import TringClient
from tringtui.api.journal import WriteJournal
from tringtui.audit import NO_OUTCOME_MESSAGE, AuditJournal, writes
from tringtui.settings import Secret, Settings

KEY = "demo-devel"


def cli(*args, state_home, timeout=30):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")}
    env.update({"XDG_STATE_HOME": str(state_home), "TRING_TEST_KEY": KEY, "HOME": str(state_home / "home")})
    return subprocess.run([sys.executable, "-m", "tringtui", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def api_args(server, *args):
    return ("api", *args, "--server", server.url, "--key-env", "TRING_TEST_KEY", "--tenant", "DEVEL")


def journal_at(state_home) -> AuditJournal:
    return AuditJournal(state_home / "tringtui" / "audit.jsonl")


def a_devel_call(sim_pbx):
    return next(c for c in sim_pbx.channels_snapshot() if c.tenant == "DEVEL")


def test_a_cli_hangup_shows_in_tringtui_audit(sim_server, sim_pbx, tmp_path):
    channel = a_devel_call(sim_pbx)
    result = cli(*api_args(sim_server, "HANGUP", f"channel={channel.name}"), state_home=tmp_path)
    assert result.returncode == 0, result.stderr
    audit = cli("audit", state_home=tmp_path)
    assert audit.returncode == 0
    (line,) = audit.stdout.splitlines()
    assert "HANGUP" in line and channel.name in line and "SUCCESS" in line and "127.0.0.1" in line
    (entry,) = [json.loads(row) for row in cli("audit", "--json", state_home=tmp_path).stdout.splitlines()]
    assert entry["params"] == {"channel": channel.name} and entry["tenant"] == "DEVEL"
    raw = journal_at(tmp_path).path.read_text()
    assert KEY not in raw and [json.loads(row)["outcome"] for row in raw.splitlines()] == ["attempt", "success"]


@pytest.mark.parametrize("params", [["SMS", "dest=0612345678", "message=hi"], ["AGENT", "action=pause"]])
def test_cli_writes_of_every_kind_are_journalled_or_refused_before_sending(sim_server, tmp_path, params):
    result = cli(*api_args(sim_server, *params), state_home=tmp_path)
    if params[0] == "AGENT":  # missing its extension: exit 2, nothing sent, nothing to journal
        assert result.returncode == 2 and "missing parameter extension" in result.stderr
        assert sim_server.request_log == [] and not journal_at(tmp_path).path.exists()
    else:
        (entry,) = writes(journal_at(tmp_path).entries())
        assert entry.action == "SMS" and entry.params == {"dest": "0612345678", "message": "hi"}


def test_cli_empty_answer_to_a_write_is_unknown_and_fails(sim_server, tmp_path):
    sim_server.faults.mode = "empty"
    result = cli(*api_args(sim_server, "REBOOT", "peer=103-DEVEL"), state_home=tmp_path)
    assert result.returncode == 1 and "OutcomeUnknown" in result.stderr
    (entry,) = writes(journal_at(tmp_path).entries())
    assert entry.outcome == "unknown"


def test_cli_notes_empty_answers(sim_server, tmp_path):
    sim_server.faults.mode = "empty"
    sim_server.faults.only = {"CHANNELS", "COUNTPEERS"}
    channels = cli(*api_args(sim_server, "CHANNELS"), state_home=tmp_path)
    assert channels.returncode == 0 and json.loads(channels.stdout) == []
    assert "empty answer (no data)" in channels.stderr
    peers = cli(*api_args(sim_server, "COUNTPEERS"), state_home=tmp_path)
    assert peers.returncode == 1 and "EmptyAnswer" in peers.stderr and "empty answer (no data)" in peers.stderr


def test_cli_missing_tenant_advice(sim_server, tmp_path):
    sim_server.faults.mode = "key_rejected"
    args = ("api", "FLOWS", "--server", sim_server.url, "--key-env", "TRING_TEST_KEY")
    result = cli(*args, state_home=tmp_path)
    assert result.returncode == 1 and "may need --tenant" in result.stderr


def test_the_attempt_is_on_disk_before_the_request_leaves_and_survives_a_kill(sim_server, sim_pbx, tmp_path):
    channel = a_devel_call(sim_pbx)
    sim_server.faults.latency["HANGUP"] = 60.0  # the PBX holds the hang-up
    process = subprocess.Popen(
        [sys.executable, "-m", "tringtui", *api_args(sim_server, "HANGUP", f"channel={channel.name}")],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")},
             "XDG_STATE_HOME": str(tmp_path), "TRING_TEST_KEY": KEY, "HOME": str(tmp_path / "home")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not [r for r in sim_server.request_log if r.reqtype == "HANGUP"]:
            assert process.poll() is None and time.monotonic() < deadline, "the hang-up never reached the PBX"
            time.sleep(0.02)
        # The request reached the PBX: its attempt line was written (and fsynced) before it left.
        (attempt,) = [json.loads(row) for row in journal_at(tmp_path).path.read_text().splitlines()]
        assert attempt["outcome"] == "attempt" and attempt["params"] == {"channel": channel.name}
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    audit = cli("audit", state_home=tmp_path)
    assert "OUTCOME UNKNOWN" in audit.stdout and channel.name in audit.stdout
    (entry,) = writes(journal_at(tmp_path).entries())
    assert entry.outcome == "unknown" and entry.message == NO_OUTCOME_MESSAGE


async def test_from_settings_journals_to_the_profile_s_audit_path(sim_server, sim_pbx, tmp_path):
    settings = Settings(server=sim_server.url, key=Secret(KEY), tenant="DEVEL", profile="night",
                        audit_path=str(tmp_path / "night.jsonl"))
    channel = a_devel_call(sim_pbx)
    async with TringClient.from_settings(settings) as client:
        await client.for_action("hangup", {"uniqueid": channel.uniqueid}).hangup(channel.name)
    (entry,) = writes(AuditJournal(tmp_path / "night.jsonl").entries())
    assert (entry.profile, entry.action, entry.target, entry.outcome) == (
        "night", "hangup", {"uniqueid": channel.uniqueid}, "success")


async def test_a_write_cancelled_while_waiting_records_an_unknown_outcome(sim_server, sim_pbx, tmp_path):
    import asyncio

    journal = AuditJournal(tmp_path / "audit.jsonl")
    sim_server.faults.latency["REBOOT"] = 30.0
    async with TringClient(sim_server.url, KEY, "DEVEL", journal=WriteJournal(journal)) as client:
        task = asyncio.ensure_future(client.reboot("103-DEVEL"))
        while not [r for r in sim_server.request_log if r.reqtype == "REBOOT"]:
            await asyncio.sleep(0.02)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    (entry,) = writes(journal.entries())
    assert entry.outcome == "unknown" and "cancelled" in entry.message


def test_audit_counts_damaged_lines_and_refuses_a_missing_file(tmp_path):
    journal = tmp_path / "audit.jsonl"
    journal.write_text('{"time":"2026-01-01T00:00:00+00:00","user":"u","profile":"p","server":"s","tenant":"",'
                       '"action":"hangup","outcome":"success"}\nnot json\n{"half":\n', encoding="utf-8")
    result = cli("audit", "--file", str(journal), state_home=tmp_path)
    assert result.returncode == 0 and "hangup" in result.stdout
    assert "skipped 2 damaged lines" in result.stderr
    missing = cli("audit", "--file", str(tmp_path / "nope.jsonl"), state_home=tmp_path)
    assert missing.returncode == 2 and "no journal at" in missing.stderr and "No entries" not in missing.stderr
