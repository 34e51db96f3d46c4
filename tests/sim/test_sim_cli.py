"""``tringtui sim``: help, a quick start and stop, bad arguments."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request

from tringtui.commands import sim as sim_command
from tringtui.sim import FAULT_MODES, SIZES


def run_cli(*args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tringtui", "sim", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_help_explains_the_flags():
    out = run_cli("--help").stdout
    for flag in ("--host", "--port", "--seed", "--size", "--keys", "--latency", "--fault", "--error-rate"):
        assert flag in out
    assert "CHANNELS=2,default=0.3" in out and "truncated" in out


def test_cli_choices_match_the_simulator():
    assert set(sim_command.FAULT_MODES) == set(FAULT_MODES)
    assert set(sim_command.SIZES) == set(SIZES)


def test_importing_the_command_is_cheap():
    code = "import sys, tringtui.commands.sim; assert 'tringtui.sim' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_serves_until_interrupted(tmp_path):
    keys = tmp_path / "keys.yaml"
    keys.write_text("- {key: file-secret, role: tenant, tenant: ACME, access: ro}\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "tringtui", "sim", "--port", "0", "--seed", "3", "--keys", str(keys),
         "--latency", "CHANNELS=0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = []
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            line = process.stdout.readline()
            assert line, f"sim exited early: {process.stderr.read()}"
            lines.append(line.rstrip("\n"))
        text = "\n".join(lines)
        endpoint = re.search(r"endpoint: (\S+)", text).group(1)
        assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/pbx/proxyapi.php")
        assert "demo-admin" in text and "tenant DEVEL, read-only" in text
        assert "file-secret" not in text and "tenant ACME, read-only (from" in text
        with urllib.request.urlopen(endpoint + "?key=file-secret&tenant=ACME&reqtype=COUNTPEERS&format=json",
                                    timeout=30) as response:
            assert json.loads(response.read())
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Traceback" not in err and "Stopped." in out


def test_bad_keys_file_is_a_clear_error(tmp_path):
    keys = tmp_path / "keys.yaml"
    keys.write_text("- {key: a, role: tenant}\n")
    result = run_cli("--port", "0", "--keys", str(keys))
    assert result.returncode == 2
    assert f"{keys}: entry 1: a tenant key needs 'tenant'" in result.stderr and "Traceback" not in result.stderr


def test_bad_latency_is_a_clear_error():
    result = run_cli("--port", "0", "--latency", "CHANNELS=soon")
    assert result.returncode == 2 and "bad latency" in result.stderr


def test_simulator_stands_alone():
    """The simulator speaks the wire format itself: no tringtui.api, no Textual, YAML only for --keys."""
    code = (
        "import sys, tringtui.sim; "
        "bad = [m for m in sys.modules if m.startswith(('tringtui.api', 'textual', 'yaml', 'httpx'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def serve_and_request(*args: str, requests: list[str]) -> tuple[str, str]:
    """Start ``tringtui sim --port 0 *args``, send ``requests`` (query strings), stop it; returns (stdout, stderr)."""
    process = subprocess.Popen([sys.executable, "-m", "tringtui", "sim", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines: list[str] = []
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            line = process.stdout.readline()
            assert line, f"sim exited early: {process.stderr.read()}"
            lines.append(line.rstrip("\n"))
        endpoint = re.search(r"endpoint: (\S+)", "\n".join(lines)).group(1)
        for query in requests:
            with urllib.request.urlopen(f"{endpoint}?{query}", timeout=30) as response:
                response.read()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in err
    return "\n".join(lines) + out, err


LOGGED_REQUESTS = [
    "key=demo-admin&reqtype=COUNTPEERS&format=json",
    "key=demo-devel&tenant=DEVEL&reqtype=HANGUP&channel=SIP/nothing-0000",
    "key=wrong-key&reqtype=PEERS",
]


def check_request_lines(lines: list[str]) -> None:
    entries = sorted((json.loads(line) for line in lines), key=lambda e: ["COUNTPEERS", "HANGUP", "PEERS"].index(
        e["reqtype"]))  # written as answers complete: quick requests may log in either order
    assert [e["reqtype"] for e in entries] == ["COUNTPEERS", "HANGUP", "PEERS"]
    assert [e["outcome"] for e in entries] == ["data", "error", "refused"]
    assert entries[1]["message"] == "Channel not found" and entries[1]["params"]["channel"] == "SIP/nothing-0000"
    assert all(e["params"]["key"] == "***" and e["status"] == 200 for e in entries)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entries[0]["time"])


def test_log_requests_to_stderr():
    out, err = serve_and_request("--log-requests", requests=LOGGED_REQUESTS)
    assert "requests: logged to stderr" in out
    check_request_lines([line for line in err.splitlines() if line.startswith("{")])
    assert "demo-admin" not in err and "demo-devel" not in err and "wrong-key" not in err


def test_log_requests_to_a_file_appends(tmp_path):
    log = tmp_path / "requests.jsonl"
    log.write_text('{"earlier": true}\n')
    out, err = serve_and_request("--log-requests", str(log), requests=LOGGED_REQUESTS)
    assert f"requests: logged to {log}" in out and err == ""
    lines = log.read_text().splitlines()
    assert lines[0] == '{"earlier": true}'
    check_request_lines(lines[1:])
    assert "demo-" not in log.read_text()


def test_log_requests_to_an_unwritable_file_is_a_clear_error(tmp_path):
    result = run_cli("--port", "0", "--log-requests", str(tmp_path / "missing" / "log.jsonl"))
    assert result.returncode == 2 and "cannot write the request log" in result.stderr


def test_duplicate_peers_on_the_command_line(tmp_path):
    assert "--duplicate-peers" in run_cli("--help").stdout
    result = run_cli("--port", "0", "--duplicate-peers", "-1")
    assert result.returncode == 2 and "--duplicate-peers must be 0 or more" in result.stderr
    out, _ = serve_and_request("--duplicate-peers", "3", requests=[])
    assert "60 peers" in out and "3 peer names registered on two nodes" in out
