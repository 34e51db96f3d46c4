"""Bytes a terminal may send that are not UTF-8 (a Latin-1 paste, ``send-keys -H fc``) must not end the
monitor: in a real terminal (tmux), after them ``?`` still opens the help and ``q`` still quits, with
status 0. Also: the test's tmux server leaves no socket behind."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.resilience.terminal import TMUX, TmuxSession

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

ROOT = str(Path(__file__).resolve().parents[2])


def test_invalid_utf8_bytes_leave_the_monitor_answering_keys(tmp_path):
    status = tmp_path / "status"
    command = ["sh", "-c", f'{sys.executable} -m tringtui --demo --size small; echo "exit $?" > {status}']
    env = {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "PYTHONPATH": ROOT,
        "TERM": "xterm-256color",
    }
    session = TmuxSession(command, env=env, cwd=ROOT, width=80, height=24)
    try:
        session.wait_for_text("Nodes")
        session.send_keys("-H", "fc")  # a lone byte that can start no UTF-8 sequence
        # Latin-1 "éèà", bytes no UTF-8 has, and a sequence cut short (letters left out: they are keys).
        session.send_keys("-H", "e9", "e8", "e0", "ff", "fe", "c3")
        time.sleep(0.3)
        session.send_keys("?")
        screen = session.wait_for_text("Esc: close")
        assert "Keys" in screen
        session.send_keys("Escape")
        # An Escape followed at once by q would read as Alt+q: send q once the help has gone.
        _wait_until_gone(session, "Esc: close")
        time.sleep(0.3)
        session.send_keys("q")
        assert _wait_for_file(status) == "exit 0"
    finally:
        socket = session.socket_path
        session.close()
    assert not socket.exists()


def _wait_until_gone(session: TmuxSession, text: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while text in session.capture():
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} is still on screen")
        time.sleep(0.05)


def _wait_for_file(path: Path, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")

