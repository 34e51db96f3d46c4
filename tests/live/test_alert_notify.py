"""Alert notifications: a rule's command and webhook receive the alert (never the key), rate-limited, failures logged."""

from __future__ import annotations

import json
import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import SIM_TENANT_KEY
from tests.live.alert_helpers import Watch, one_clock  # noqa: F401 (one_clock: the sim_clock fixture)
from tringtui.live.alert_notify import AlertNotifier
from tringtui.alert_rules import rule_from_defaults
from tringtui.live.alerts import FIRE, RESOLVE, Alert, Transition
from tringtui.settings import Secret

RECORDER = """
import json, os, sys
with open(sys.argv[1], "a") as out:
    out.write(json.dumps({"stdin": json.load(sys.stdin),
                          "env": {k: v for k, v in os.environ.items()}}) + "\\n")
"""


class Listener:
    """A loopback webhook receiver: records each POST; answers the statuses given, then 200."""

    def __init__(self, statuses=()):
        self.bodies: list[bytes] = []
        self.statuses = list(statuses)
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                listener.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(listener.statuses.pop(0) if listener.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?token=abc"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


async def no_sleep(seconds):
    pass


@pytest.fixture
def recorder(tmp_path):
    script = tmp_path / "record_alert.py"
    script.write_text(RECORDER)
    out = tmp_path / "alerts.jsonl"
    return [sys.executable, str(script), str(out)], out


def received(out):
    return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []


async def test_command_and_webhook_receive_a_sim_alert_without_the_key(client, sim_clock, sim_pbx, recorder):
    command, out = recorder
    with Listener(statuses=[503]) as hook:
        rule = rule_from_defaults("balance_low", threshold=10, command=tuple(command), webhook=hook.url)
        watch = Watch(client, sim_clock, rule)
        environ = {"TRINGTUI_KEY": SIM_TENANT_KEY, "NOC_KEY_COPY": f"x{SIM_TENANT_KEY}x", "PATH": "/usr/bin", "LANG": "C"}
        notifier = AlertNotifier(clock=sim_clock, context={"profile": "demo", "server": "127.0.0.1"},
                                 secrets=[Secret(SIM_TENANT_KEY)], sleep=no_sleep, environ=environ)
        with sim_pbx.lock:
            saved, sim_pbx.tenants["DEVEL"].balance = sim_pbx.tenants["DEVEL"].balance, 3.25
        watch.watcher.listeners.append(notifier.dispatch)
        await watch.step()
        await notifier.drain()
        with sim_pbx.lock:
            sim_pbx.tenants["DEVEL"].balance = saved
        await watch.step(60)
        await notifier.drain()
    runs = received(out)
    assert [run["stdin"]["status"] for run in runs] == ["firing", "resolved"]
    fired = runs[0]
    assert fired["stdin"]["rule"] == "balance_low" and fired["stdin"]["value"] == 3.25
    assert fired["stdin"]["tenant"] == "DEVEL" and fired["stdin"]["where"] == "tenant DEVEL balance"
    assert fired["stdin"]["profile"] == "demo" and fired["env"]["TRINGTUI_ALERT_SERVER"] == "127.0.0.1"
    assert fired["env"]["TRINGTUI_ALERT_STATUS"] == "firing" and fired["env"]["TRINGTUI_ALERT_VALUE"] == "3.25"
    assert fired["env"]["TRINGTUI_ALERT_SEVERITY"] == "warning" and fired["env"]["LANG"] == "C"
    assert "TRINGTUI_KEY" not in fired["env"] and "NOC_KEY_COPY" not in fired["env"]
    # The webhook: 503 first, retried; then the resolve.
    assert len(hook.bodies) == 3
    bodies = [json.loads(body) for body in hook.bodies]
    assert [body["status"] for body in bodies] == ["firing", "firing", "resolved"]
    assert bodies[0] == fired["stdin"]
    for text in [*(body.decode() for body in hook.bodies), out.read_text()]:
        assert SIM_TENANT_KEY not in text


def transition(kind, at, rule, subject="DEVEL"):
    return Transition(kind, Alert(rule, subject, f"tenant {subject} balance", 1.0, at), at)


async def test_rate_limited_per_alert(recorder):
    command, out = recorder
    rule = rule_from_defaults("balance_low", command=tuple(command), notify_interval=300)
    notifier = AlertNotifier(clock=lambda: 0.0)
    for kind, at in [(FIRE, 0), (RESOLVE, 10), (FIRE, 20), (RESOLVE, 30), (FIRE, 400)]:
        notifier.dispatch([transition(kind, at, rule), transition(kind, at, rule, subject="ACME")])
        await notifier.drain()
    shown = [(run["stdin"]["status"], run["stdin"]["subject"], run["stdin"]["at"]) for run in received(out)]
    assert sorted(shown) == sorted([(status, subject, at) for status, at in [("firing", 0), ("resolved", 10), ("firing", 400)]
                                    for subject in ("DEVEL", "ACME")])


@pytest.fixture
def alert_log(caplog):
    """The alert logger's records, also when an in-process ``tringtui record`` stopped its propagation."""
    logger = logging.getLogger("tringtui.alerts")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.WARNING, "tringtui.alerts")
    yield caplog
    logger.removeHandler(caplog.handler)


async def test_failures_are_logged_and_never_raised(tmp_path, alert_log):
    caplog = alert_log
    rules = [
        rule_from_defaults("balance_low", name="missing", command=(str(tmp_path / "no-such-program"),)),
        rule_from_defaults("balance_low", name="slow", command=(sys.executable, "-c", "import time; time.sleep(30)")),
        rule_from_defaults("balance_low", name="fails", command=(sys.executable, "-c", "raise SystemExit(3)")),
        rule_from_defaults("balance_low", name="refused", webhook="http://127.0.0.1:9/"),
    ]
    with Listener(statuses=[404]) as hook:
        rules.append(rule_from_defaults("balance_low", name="rejected", webhook=hook.url))
        notifier = AlertNotifier(clock=lambda: 0.0, sleep=no_sleep)
        notifier.dispatch([transition(FIRE, 0, rule) for rule in rules if rule.name != "slow"])
        # Only the one that never ends gets a short timeout: a loaded machine may start Python slowly.
        impatient = AlertNotifier(clock=lambda: 0.0, command_timeout=0.5)
        impatient.dispatch([transition(FIRE, 0, rule) for rule in rules if rule.name == "slow"])
        await notifier.drain()
        await impatient.drain()
    assert len(hook.bodies) == 1  # a 4xx is not retried
    messages = "\n".join(record.getMessage() for record in caplog.records)
    assert "for missing could not start" in messages
    assert "for slow took longer than 0.5s and was stopped" in messages
    assert "for fails exited with status 3" in messages
    assert "webhook to 127.0.0.1 for refused failed: no answer" in messages
    assert "webhook to 127.0.0.1 for rejected failed: HTTP status 404" in messages
    assert "token=abc" not in messages


async def test_the_client_tells_its_observers_every_request_and_its_outcome(client, sim_server):
    from tringtui.live.request_stats import RequestStats

    stats = RequestStats()
    client.add_observer(stats.record)
    await client.queues()
    await client.with_tenant("DEVEL").balance()  # a clone shares the observers
    sim_server.faults.mode, sim_server.faults.only = "malformed", ["CHANNELS"]
    with pytest.raises(Exception):
        await client.channels()
    health = stats.health()
    assert health["INFO queues"].outcomes == {"ok": 1} and health["INFO queues"].last_latency is not None
    assert health["INFO balance"].outcomes == {"ok": 1}
    assert health["CHANNELS"].outcomes == {"MalformedResponse": 1} and health["CHANNELS"].failures_in_row == 1
