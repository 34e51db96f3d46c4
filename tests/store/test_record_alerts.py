"""``tringtui record`` runs the profile's alert rules: firing goes on the time line, the log, a webhook on
loopback and a command; ``--metrics-port`` serves /metrics that Prometheus's own parser reads. Never the key."""

from __future__ import annotations

import json
import signal
import socket
import sys
import time

import httpx
import pytest

from tests.live.test_alert_notify import RECORDER, Listener
from tests.store.test_record_command import SECRET, WAIT_LIMIT, env, secret_server  # noqa: F401 (fixtures)
from tringtui.store import Store

pytest.importorskip("prometheus_client", reason="the prometheus extra is not installed")
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(server, tmp_path, env, alerts: str, *extra):  # noqa: F811 (env: the fixture's value)
    import subprocess

    config = tmp_path / "config.yaml"
    config.write_text(f"profiles:\n  rec:\n    server: {server.url}\n    key_env: REC_KEY\n    tenant: DEVEL\n"
                      "    intervals: {nodes: 2, channels: 2, queues: 2, flows: 2, peers: 2}\n" + alerts)
    command = [sys.executable, "-m", "tringtui", "record", "--config", str(config), "--profile", "rec",
               "--store", str(tmp_path / "rec.sqlite"), *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(process, check, what):
    deadline = time.monotonic() + WAIT_LIMIT
    while not check():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{what} did not happen within {WAIT_LIMIT} s"
        time.sleep(0.1)


def test_record_fires_alerts_to_the_time_line_a_webhook_and_a_command_and_serves_metrics(
        secret_server, env, tmp_path):  # noqa: F811
    script = tmp_path / "record_alert.py"
    script.write_text(RECORDER)
    received = tmp_path / "alerts.jsonl"
    port = free_port()
    with Listener() as hook:
        alerts = (
            "    alerts:\n"
            "      - rule: balance_low\n"
            "        threshold: 1000000\n"   # any balance is below: fires at the first INFO balance
            f"        webhook: {hook.url}\n"
            f"        command: [{sys.executable}, {script}, {received}]\n"
            "      - {rule: queue_waiting, threshold: 1000}\n"
        )
        process = start(secret_server, tmp_path, env, alerts, "--metrics-port", str(port))
        try:
            wait_until(process, lambda: hook.bodies and received.exists(), "the alert notification")
            text = ""

            def scraped() -> bool:
                nonlocal text
                try:
                    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
                except httpx.HTTPError:
                    return False
                return "tring_queue_calls_waiting{" in text

            wait_until(process, scraped, "a scrape with queue figures")
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    body = json.loads(hook.bodies[0])
    assert body["status"] == "firing" and body["rule"] == "balance_low" and body["tenant"] == "DEVEL"
    run = json.loads(received.read_text().splitlines()[0])
    assert run["stdin"] == body and run["env"]["TRINGTUI_ALERT_RULE"] == "balance_low"
    assert "REC_KEY" not in run["env"]  # the variable holding the key is not handed down
    families = {family.name: family for family in text_string_to_metric_families(text)}
    firing = {(s.labels["rule"], s.value) for s in families["tring_alerts_firing"].samples}
    assert firing == {("balance_low", 1.0), ("queue_waiting", 0.0)}
    assert f"serving Prometheus metrics at http://127.0.0.1:{port}/metrics" in err
    assert "alert firing balance_low [warning] tenant DEVEL balance" in err
    with Store(tmp_path / "rec.sqlite", readonly=True) as store:
        (event,) = store.events(kinds=["alert"])
        assert (event.kind, event.object, event.tenant) == ("alert.firing", "balance_low", "DEVEL")
    for leaked in (out, err, text, received.read_text(), *(b.decode() for b in hook.bodies)):
        assert SECRET not in leaked


def test_metrics_port_in_use_is_a_clear_error(secret_server, env, tmp_path):  # noqa: F811
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start(secret_server, tmp_path, env, "", "--metrics-port", str(port))
        out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert f"cannot serve metrics on 127.0.0.1 port {port}" in err


def test_bad_metrics_port_is_refused(capsys):
    from tringtui.cli import main

    with pytest.raises(SystemExit):
        main(["record", "--metrics-port", "99999"])
    assert "'99999' is not a TCP port (1-65535)" in capsys.readouterr().err
