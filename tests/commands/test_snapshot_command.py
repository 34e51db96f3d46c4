"""``tringtui snapshot`` end to end: a subprocess against a simulator served from the test process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ADMIN_KEY = "demo-admin"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """No config file or state of the machine running the tests is read."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def run_snapshot(server, *args: str, key: str = ADMIN_KEY) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")}
    env["SNAP_KEY"] = key
    command = [sys.executable, "-m", "tringtui", "snapshot", "--server", server.url, "--key-env", "SNAP_KEY", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert key not in result.stdout and key not in result.stderr
    return result


def test_writes_a_json_and_a_markdown_bundle_without_the_key(sim_server, sim_pbx, tmp_path):
    out = tmp_path / "ticket"
    result = run_snapshot(sim_server, "--tenant", "DEVEL", "--out", str(out))
    assert result.returncode == 0, result.stderr
    json_file, md_file = sorted(out.iterdir())
    assert json_file.name.startswith("snapshot-127.0.0.1_") and json_file.suffix == ".json"
    assert md_file.name == json_file.stem + ".md"
    assert [line for line in result.stdout.splitlines()] == [str(json_file), str(md_file)]
    for path in (json_file, md_file):
        assert ADMIN_KEY not in path.read_text()
    bundle = json.loads(json_file.read_text())
    assert bundle["partial"] is False and bundle["tenant"] == "DEVEL"
    assert {name for name, source in bundle["sources"].items() if source["data"] is not None} == {
        "nodes", "channels", "queues", "flows", "peers"}
    own = [peer for peer in sim_pbx.peers_snapshot() if peer.name.endswith("-DEVEL")]
    assert bundle["figures"]["peers_total"] == len(own)
    assert len(bundle["sources"]["peers"]["data"]["peers"]) == len(own)
    md = md_file.read_text()
    assert "| Peers total | " in md and "supportQ" in md


def test_a_failing_source_is_recorded_and_the_exit_status_says_partial(sim_server):
    sim_server.faults.mode = "html"
    sim_server.faults.only = {"PEERS"}
    result = run_snapshot(sim_server, "--json")
    assert result.returncode == 1
    assert "partial: peers failed" in result.stderr
    bundle = json.loads(result.stdout)
    assert bundle["partial"] is True
    assert bundle["sources"]["peers"]["error"]["kind"] == "failed"
    assert "HTML page" in bundle["sources"]["peers"]["error"]["message"]
    assert bundle["sources"]["peers"]["data"] is None
    assert bundle["sources"]["channels"]["data"]["channels"]
    # Without a tenant, an admin key's queues and flows are skipped, not failed.
    assert bundle["sources"]["queues"]["skipped"] == "needs a tenant"


def test_a_missing_key_is_a_usage_error(sim_server):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")}
    env.pop("SNAP_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "tringtui", "snapshot", "--server", sim_server.url, "--key-env", "SNAP_KEY", "--json"],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 2
    assert "SNAP_KEY" in result.stderr and result.stdout == ""
