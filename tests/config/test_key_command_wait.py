"""Waiting for a profile's key_command at start, in a real terminal (a pty).

While the command runs, the terminal says what is awaited and that Ctrl+C
aborts; Ctrl+C then ends tringtui with one line and no traceback, whichever
command was starting (the monitor, ``config check``).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class PtyProcess:
    """``tringtui`` running with a pty as its controlling terminal, so Ctrl+C is a real SIGINT."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()

        def take_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [sys.executable, "-m", "tringtui", *args], stdin=slave, stdout=slave, stderr=slave,
            env=env, cwd=ROOT, preexec_fn=take_terminal, close_fds=True,
        )
        os.close(slave)
        self.output = ""

    def read_until(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.output and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 4096).decode("utf-8", errors="replace")
                except OSError:  # the process ended and closed the terminal
                    break
        assert text in self.output, f"{text!r} never appeared; the terminal showed:\n{self.output}"
        return self.output

    def read_to_end(self) -> str:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return self.output
            if not chunk:
                return self.output
            self.output += chunk.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def slow_key_env(tmp_path: Path) -> dict[str, str]:
    """A config whose default profile's key comes from a command that does not answer (as a locked vault)."""
    config = tmp_path / "xdg-config" / "tringtui" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(textwrap.dedent("""\
        profiles:
          vault:
            server: https://pbx.example.net
            key_command: [sleep, "120"]
    """))
    config.chmod(0o600)
    environ = {name: value for name, value in os.environ.items() if not name.startswith(("TRINGTUI_", "XDG_"))}
    environ.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
                   XDG_STATE_HOME=str(tmp_path / "xdg-state"), PYTHONPATH=str(ROOT), TERM="xterm-256color")
    return environ


@pytest.mark.parametrize("args", [[], ["config", "check"]], ids=["monitor", "config check"])
def test_ctrl_c_while_the_key_command_runs_ends_with_one_line(args, slow_key_env):
    terminal = PtyProcess(args, slow_key_env)
    try:
        terminal.read_until("Ctrl+C aborts")
        assert "waiting for the API key from key_command sleep (key_command of profile vault" in terminal.output
        os.write(terminal.master, b"\x03")
        assert terminal.process.wait(timeout=30) == 130
        output = terminal.read_to_end()
    finally:
        terminal.close()
    after = output.split("Ctrl+C aborts", 1)[1]
    lines = [line for line in after.replace("^C", "").splitlines() if line.strip()]
    assert lines == [f"tringtui: stopped waiting for the API key from key_command sleep (key_command of profile vault, "
                     f"{slow_key_env['XDG_CONFIG_HOME']}/tringtui/config.yaml:4) (Ctrl+C)"]
    assert "Traceback" not in output
