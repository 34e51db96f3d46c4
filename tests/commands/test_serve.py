"""``tringtui serve``: the page is served on loopback and a real monitor starts behind it, read-only.

The command runs as a real process on a free port; the test opens the page
and its websocket like a browser does, and reads the monitor's screen from
the stream.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.deploy.nginx_runner import free_port
from tringtui.commands.serve import _is_loopback, monitor_command

STARTUP_TIMEOUT = 60.0
ESCAPES = re.compile(r"\x1b(\[[0-9;?$]*[a-zA-Z]|\][^\x07]*\x07)")


def clean_env(home: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TRINGTUI_", "XDG_"))}
    environ["HOME"] = str(home)
    return environ


@pytest.fixture
def served(tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tringtui", "serve", "--demo", "--size", "small", "--port", str(port)],
        env=clean_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    yield f"http://127.0.0.1:{port}", process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    assert process.stderr is not None
    process.stderr.close()


async def fetch_page(http: aiohttp.ClientSession, url: str, process: subprocess.Popen[bytes]) -> str:
    deadline = asyncio.get_running_loop().time() + STARTUP_TIMEOUT
    while True:
        assert process.poll() is None, "tringtui serve exited"
        try:
            async with http.get(url) as response:
                assert response.status == 200
                return await response.text()
        except aiohttp.ClientConnectionError:
            assert asyncio.get_running_loop().time() < deadline, "the page was never served"
            await asyncio.sleep(0.1)


async def test_the_page_is_served_and_a_read_only_monitor_starts_behind_it(served) -> None:
    url, process = served
    async with aiohttp.ClientSession() as http:
        page = await fetch_page(http, url + "/", process)
        websocket_url = re.search(r'data-session-websocket-url="([^"]+)"', page)
        assert websocket_url, page[:500]
        assert websocket_url.group(1).startswith(url.replace("http:", "ws:"))
        screen = ""  # what the monitor drew, without the escape sequences
        async with http.ws_connect(websocket_url.group(1) + "?width=120&height=40") as websocket:
            await websocket.send_json(["resize", {"width": 120, "height": 40}])
            async with asyncio.timeout(STARTUP_TIMEOUT):
                while not ("READ-ONLY" in screen and re.search(r"Peers \d+/\d+", screen)):
                    message = await websocket.receive()
                    assert message.type == aiohttp.WSMsgType.BINARY, message
                    screen += ESCAPES.sub("", message.data.decode("utf-8", errors="replace"))
            await websocket.send_json(["stdin", "q"])
    assert " demo " in screen


def test_pages_are_read_only_unless_writes_are_allowed() -> None:
    args = argparse.Namespace(demo=False, profile="noc", config="/etc/t.yaml", theme=None, size="small", seed=1,
                              allow_writes=False)
    assert monitor_command(args)[1:] == ["-m", "tringtui", "--profile", "noc", "--config", "/etc/t.yaml", "--readonly"]
    args.allow_writes = True
    assert "--readonly" not in monitor_command(args)


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                                ("0.0.0.0", False), ("10.0.0.5", False), ("wall.example.net", False)])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert _is_loopback(host) is loopback


def test_a_config_problem_is_reported_before_serving(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("profiles:\n  noc:\n    server: ftp://pbx\n")
    result = subprocess.run(
        [sys.executable, "-m", "tringtui", "serve", "--profile", "noc", "--config", str(config), "--port", str(free_port())],
        env=clean_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert f"{config}:3: profiles.noc.server" in result.stderr
