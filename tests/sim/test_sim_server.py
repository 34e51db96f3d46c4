"""The HTTP server: clients that hang up early pass quietly; the simulator's own bugs stay visible."""

from __future__ import annotations

import io
import json
import socket
import struct
import time

import pytest
from sim_http import fetch

from tringtui.sim import SimServer


def hang_up_early(server: SimServer, reqtype: str) -> None:
    """Send a request and reset the connection before the answer comes."""
    connection = socket.create_connection(("127.0.0.1", server.port))
    connection.sendall(f"GET /pbx/proxyapi.php?key=demo-admin&reqtype={reqtype} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST
    connection.close()


def wait_until(condition, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_a_client_hanging_up_early_is_not_reported(server, capfd):
    server.faults.latency["PEERS"] = 0.2
    for _ in range(3):
        hang_up_early(server, "PEERS")
    wait_until(lambda: len(server.request_log) == 3 and server.open_connections == 0)
    assert fetch(server, key="demo-admin", reqtype="COUNTPEERS").status == 200
    assert server.handler_errors == []
    assert "Exception occurred" not in capfd.readouterr().err


def test_a_bug_in_a_handler_is_kept_and_printed_without_the_key(pbx, serve, monkeypatch, capfd):
    server = serve(pbx)
    def broken(params):
        raise RuntimeError(f"boom with key={params['key']}")
    monkeypatch.setattr(server.api, "handle", broken)
    with pytest.raises(OSError):
        fetch(server, key="demo-admin", reqtype="PEERS")
    errors = server.handler_errors
    assert len(errors) == 1 and "RuntimeError: boom with key=***" in errors[0]
    err = capfd.readouterr().err
    assert "RuntimeError: boom" in err and "demo-admin" not in err


def test_the_request_log_says_what_each_request_got(pbx, serve):
    stream = io.StringIO()
    server = serve(pbx, log_to=stream)
    channel = pbx.channels_snapshot()[0].name
    fetch(server, key="demo-admin", reqtype="HANGUP", channel=channel)
    fetch(server, key="demo-admin", reqtype="INFO", info="nothing", tenant="DEVEL")
    fetch(server, key="demo-admin", reqtype="CHANNEL")
    server.faults.mode = "drop"
    with pytest.raises(OSError):
        fetch(server, key="demo-admin", reqtype="PEERS")
    wait_until(lambda: stream.getvalue().count("\n") == 4)  # the line of a dropped request follows the drop
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    # Lines are written as answers complete, so two quick requests may log in either order.
    assert {(e["reqtype"], e["outcome"], e.get("message", ""), e["status"]) for e in entries} == {
        ("HANGUP", "success", "Channel hungup", 200), ("INFO", "empty", "", 200),
        ("CHANNEL", "refused", "No channel specified", 200), ("PEERS", "fault:drop", "", None),
    }
    assert "demo-admin" not in stream.getvalue()
