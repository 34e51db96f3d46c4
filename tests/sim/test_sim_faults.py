"""Fault injection, the request log, and the server's lifecycle."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from sim_http import fetch

from tringtui.sim import FAULT_MODES, Faults, SimServer, parse_latency_spec

ADMIN = {"key": "demo-admin"}


def test_latency_per_request_type(server):
    # Which type waits how long is read off the faults; the waits are lower bounds (a slow machine only adds).
    server.faults.latency["CHANNELS"] = 0.3
    assert (server.faults.latency_for("COUNTPEERS"), server.faults.latency_for("CHANNELS")) == (0, 0.3)
    started = time.perf_counter()
    fetch(server, reqtype="CHANNELS", **ADMIN)
    assert time.perf_counter() - started >= 0.3
    server.faults.set_latency("default", 0.2)
    assert (server.faults.latency_for("COUNTPEERS"), server.faults.latency_for("CHANNELS")) == (0.2, 0.3)
    started = time.perf_counter()
    fetch(server, reqtype="COUNTPEERS", **ADMIN)
    assert time.perf_counter() - started >= 0.2
    server.faults.clear()
    assert (server.faults.latency_for("COUNTPEERS"), server.faults.latency_for("CHANNELS")) == (0, 0)


def test_a_held_request_type_answers_when_released_and_others_go_on(server):
    gate = server.faults.hold("hangup")
    answers: list[str] = []
    waiting = threading.Thread(target=lambda: answers.append(fetch(server, reqtype="HANGUP", channel="x", **ADMIN)))
    waiting.start()
    assert fetch(server, reqtype="COUNTPEERS", **ADMIN)  # other types are not held
    waiting.join(0.2)
    assert waiting.is_alive() and not answers
    gate.set()
    waiting.join(10)
    assert answers and not waiting.is_alive()
    server.faults.hold("HANGUP")
    server.faults.clear()  # releases every hold
    assert fetch(server, reqtype="HANGUP", channel="x", **ADMIN)


def test_drop_closes_without_response(server, pbx):
    leg = next(c for c in pbx.channels_snapshot() if c.bridged)
    server.faults.mode = "drop"
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError)):
        fetch(server, reqtype="HANGUP", channel=leg.name, **ADMIN)
    # The action itself went through: only its answer was lost (an unknown outcome for the client).
    assert pbx.channel(leg.name) is None


def test_hang_never_answers_until_stop(pbx):
    server = SimServer(pbx).start()
    server.faults.mode = "hang"
    outcome: list[BaseException | str] = []

    def request() -> None:
        try:
            outcome.append(fetch(server, reqtype="COUNTPEERS", **ADMIN).body)
        except BaseException as exc:  # noqa: BLE001 - the test inspects whatever happened
            outcome.append(exc)

    thread = threading.Thread(target=request, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30  # a safety net: the request reaches the server at the machine's pace
    while not server.request_log:
        assert time.monotonic() < deadline, "the request never reached the server"
        time.sleep(0.01)
    assert thread.is_alive() and not outcome
    assert server.request_log[-1].fault == "hang"
    server.stop()
    thread.join(timeout=30)  # a safety net: the hang itself lasts an hour, only stop() can end it
    assert not thread.is_alive()
    assert isinstance(outcome[0], Exception)


def test_hang_with_client_timeout(server):
    server.faults.mode = "hang"
    server.faults.hang_seconds = 5
    url = server.endpoint + "?key=demo-admin&reqtype=COUNTPEERS"
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        urllib.request.urlopen(url, timeout=0.3)


def test_truncated_and_malformed_json(server):
    whole = fetch(server, reqtype="CHANNELS", format="json", **ADMIN).body
    server.faults.mode = "truncated"
    cut = fetch(server, reqtype="CHANNELS", format="json", **ADMIN).body
    assert whole.startswith(cut) and len(cut) == len(whole) // 2
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut)
    server.faults.mode = "malformed"
    broken = fetch(server, reqtype="CHANNELS", format="json", **ADMIN)
    assert broken.status == 200 and broken.body.endswith(whole) and broken.body.startswith("<br />")
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.body)


def test_html_error_page_and_key_rejected(server, pbx):
    leg = next(c for c in pbx.channels_snapshot() if c.bridged)
    server.faults.mode = "html"
    page = fetch(server, reqtype="HANGUP", channel=leg.name, **ADMIN)
    assert page.status == 200 and "500 Internal Server Error" in page.body
    assert pbx.channel(leg.name) is not None  # refused before reaching the PBX
    server.faults.mode = "key_rejected"
    assert fetch(server, reqtype="COUNTPEERS", **ADMIN).body == "Too bad... you mistaken the security api key."


def test_oversized_body(server):
    server.faults.mode = "oversized"
    server.faults.oversized_bytes = 3 * 1024 * 1024
    body = fetch(server, reqtype="COUNTPEERS", format="json", **ADMIN).body
    assert len(body) == 3 * 1024 * 1024


def test_rate_and_only(server):
    server.faults.mode = "key_rejected"
    server.faults.only = ["channels"]
    assert fetch(server, reqtype="COUNTPEERS", format="json", **ADMIN).body.startswith("{")
    assert fetch(server, reqtype="CHANNELS", format="json", **ADMIN).body.startswith("Too bad")
    server.faults.only = None
    server.faults.rate = 0.5
    bodies = [fetch(server, reqtype="COUNTPEERS", format="json", **ADMIN).body for _ in range(40)]
    rejected = sum(b.startswith("Too bad") for b in bodies)
    assert 5 < rejected < 35


def test_error_rate(server):
    server.faults.error_rate = 1.0
    assert "Internal Server Error" in fetch(server, reqtype="COUNTPEERS", **ADMIN).body
    server.faults.clear()
    assert fetch(server, reqtype="COUNTPEERS", **ADMIN).body.startswith("pbx21:")


def test_fault_settings_are_validated():
    faults = Faults()
    with pytest.raises(ValueError, match="unknown fault mode"):
        faults.mode = "explode"
    with pytest.raises(ValueError):
        faults.rate = 2
    with pytest.raises(ValueError):
        faults.set_latency("CHANNELS", -1)
    assert set(FAULT_MODES) == {"hang", "drop", "malformed", "truncated", "html", "key_rejected", "oversized", "empty"}


def test_latency_spec():
    assert parse_latency_spec("CHANNELS=2,default=0.3") == {"CHANNELS": 2.0, "default": 0.3}
    assert parse_latency_spec("0.5") == {"default": 0.5}
    assert parse_latency_spec("peers=1") == {"PEERS": 1.0}
    with pytest.raises(ValueError, match="bad latency"):
        parse_latency_spec("CHANNELS=fast")


def test_request_log_redacts_the_key(server, clock):
    fetch(server, reqtype="COUNTPEERS", format="json", key="demo-admin")
    clock.advance(5)
    fetch(server, reqtype="HANGUP", channel="SIP/1-X-1", key="s3cret-bad-key")
    log = server.request_log
    assert [r.reqtype for r in log] == ["COUNTPEERS", "HANGUP"]
    assert log[0].params == {"key": "***", "reqtype": "COUNTPEERS", "format": "json"}
    assert log[1].params["channel"] == "SIP/1-X-1" and log[1].params["key"] == "***"
    assert log[1].time - log[0].time == 5
    assert all("demo-admin" not in repr(r) and "s3cret" not in repr(r) for r in log)
    with pytest.raises(Exception):
        log[0].params["key"] = "x"  # records are frozen
    server.clear_log()
    assert server.request_log == []


def test_server_lifecycle(pbx):
    server = SimServer(pbx)
    with pytest.raises(RuntimeError):
        server.url
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.endpoint == server.url + "/pbx/proxyapi.php"
        assert fetch(server, reqtype="COUNTPEERS", **ADMIN).status == 200
    with pytest.raises(RuntimeError):
        server.url
    server.stop()  # stopping twice is harmless
