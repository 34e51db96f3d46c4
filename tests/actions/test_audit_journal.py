"""The audit journal: where it lives, how it is written, and that it never holds a key."""

import json
import os
import stat
import argparse
import threading

from tringtui.commands import audit as audit_command
from tringtui.audit import AuditEntry, AuditJournal, AuditOutcome, default_journal_path, scrub_parameters


def entry(action="hangup", **overrides) -> AuditEntry:
    fields = dict(
        time="2026-11-27T02:40:00.000+00:00", user="alice", profile="prod", server="api.tring.nu",
        tenant="DEVEL", action=action, target={"channel": "SIP/103-DEVEL-0000a3f1", "uniqueid": "pbx21-1.2"},
        params={"channel": "SIP/103-DEVEL-0000a3f1"}, outcome=AuditOutcome.SUCCESS.value,
        message="Channel hung up", latency_ms=42,
    )
    fields.update(overrides)
    return AuditEntry(**fields)


def test_default_path_honours_xdg_state_home(tmp_path):
    assert default_journal_path({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "tringtui" / "audit.jsonl"


def test_default_path_ignores_relative_xdg_state_home():
    expected = os.path.expanduser("~/.local/state/tringtui/audit.jsonl")
    assert str(default_journal_path({"XDG_STATE_HOME": "relative/dir"})) == expected
    assert str(default_journal_path({})) == expected


def test_append_creates_owner_only_file_one_line_per_entry(tmp_path):
    journal = AuditJournal(tmp_path / "state" / "tringtui" / "audit.jsonl")
    journal.append(entry())
    journal.append(entry("reboot", target={"peer": "103-DEVEL"}, outcome="refused"))
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700
    lines = journal.path.read_text().splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["hangup", "reboot"]
    assert [e.outcome for e in journal.recent(10)] == ["success", "refused"]


def test_append_tightens_a_journal_created_world_readable(tmp_path):
    path = tmp_path / "audit.jsonl"
    path.write_text("")
    path.chmod(0o644)
    AuditJournal(path).append(entry())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_recent_returns_last_n_and_skips_damaged_lines(tmp_path):
    journal = AuditJournal(tmp_path / "audit.jsonl")
    for number in range(5):
        journal.append(entry(message=f"m{number}"))
    with journal.path.open("a") as handle:
        handle.write("{not json\n\n[1,2]\n")
    journal.append(entry(message="last"))
    assert [e.message for e in journal.recent(3)] == ["m3", "m4", "last"]
    assert journal.recent(0) == []
    assert AuditJournal(tmp_path / "missing.jsonl").recent(5) == []


def test_concurrent_appends_never_interleave(tmp_path):
    journal = AuditJournal(tmp_path / "audit.jsonl")
    big = "x" * 3000

    def write_many():
        for _ in range(50):
            journal.append(entry(message=big))

    threads = [threading.Thread(target=write_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = journal.path.read_text().splitlines()
    assert len(lines) == 200
    assert all(json.loads(line)["message"] == big for line in lines)


def test_scrub_drops_anything_that_could_be_a_credential():
    assert scrub_parameters({"key": "s3cret", "API_KEY": "x", "channel": "SIP/1", "fast": None}) == {
        "channel": "SIP/1", "fast": "",
    }


def test_unknown_fields_from_newer_versions_are_ignored():
    line = entry().to_json()[:-1] + ',"future":1}'
    assert AuditEntry.from_json(line) == entry()


def run_cli(*args, env_home, monkeypatch, capsys, status=0):
    monkeypatch.setenv("XDG_STATE_HOME", str(env_home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(env_home / "config"))
    monkeypatch.delenv("TRINGTUI_CONFIG", raising=False)
    parser = argparse.ArgumentParser()
    audit_command.add_parser(parser.add_subparsers())
    parsed = parser.parse_args(["audit", *args])
    assert parsed.func(parsed) == status
    return capsys.readouterr()


def test_audit_command_prints_recent_entries_readably_and_as_json(tmp_path, monkeypatch, capsys):
    journal = AuditJournal(default_journal_path({"XDG_STATE_HOME": str(tmp_path)}))
    journal.append(entry())
    journal.append(entry("pause", target={"member": "201-DEVEL", "queue": "281"}, params={"pausereason": "Lunch"},
                         outcome="unknown", message="", latency_ms=None))
    readable = run_cli("-n", "1", env_home=tmp_path, monkeypatch=monkeypatch, capsys=capsys).out.splitlines()
    assert len(readable) == 1
    assert "pause" in readable[0] and "201-DEVEL" in readable[0] and "queue=281" in readable[0]
    assert "pausereason=Lunch" in readable[0] and "UNKNOWN" in readable[0] and "alice" in readable[0]
    both = run_cli("--json", env_home=tmp_path, monkeypatch=monkeypatch, capsys=capsys).out.splitlines()
    assert [json.loads(line)["action"] for line in both] == ["hangup", "pause"]


def test_audit_command_on_an_empty_journal_says_so(tmp_path, monkeypatch, capsys):
    result = run_cli(env_home=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert result.out == "" and "No entries" in result.err


PROFILES = """\
default_profile: lab
profiles:
  lab:
    server: https://lab.example.test
    key_env: LAB_KEY
    audit_path: {journal}
  other:
    server: https://other.example.test
    key_env: OTHER_KEY
"""


def test_audit_command_reads_the_journal_the_profile_names(tmp_path, monkeypatch, capsys):
    journal = AuditJournal(tmp_path / "lab-audit.jsonl")
    journal.append(entry(message="from the lab"))
    config = tmp_path / "config" / "tringtui" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(PROFILES.format(journal=journal.path))
    lab = run_cli("--json", env_home=tmp_path, monkeypatch=monkeypatch, capsys=capsys).out
    assert [json.loads(line)["message"] for line in lab.splitlines()] == ["from the lab"]
    other = run_cli("--profile", "other", env_home=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert other.out == "" and "No entries" in other.err
    missing = run_cli("--profile", "nope", env_home=tmp_path, monkeypatch=monkeypatch, capsys=capsys, status=2)
    assert "nope" in missing.err


def test_a_profile_audit_path_that_is_a_directory_is_a_problem(tmp_path, monkeypatch, capsys):
    config = tmp_path / "config" / "tringtui" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(PROFILES.format(journal=tmp_path))
    result = run_cli("--profile", "lab", env_home=tmp_path, monkeypatch=monkeypatch, capsys=capsys, status=2)
    assert "audit_path" in result.err and "directory" in result.err


def test_audit_count_must_be_a_positive_number(capsys):
    parser = argparse.ArgumentParser(prog="tringtui")
    audit_command.add_parser(parser.add_subparsers())
    for bad in ("-3", "0", "x"):
        try:
            parser.parse_args(["audit", "-n", bad])
        except SystemExit as exit_:
            assert exit_.code == 2
        else:
            raise AssertionError(f"-n {bad} was accepted")
    assert "-n/--count" in capsys.readouterr().err


def test_a_parameter_sent_empty_is_shown_in_the_readable_line():
    line = audit_command.describe_target({"number": "801", "name": "Night service"}, {"number": "801", "value": ""})
    assert line == '801 (name=Night service) value=""'
