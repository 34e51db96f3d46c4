"""Running the real monitor in a real terminal: a detached tmux session on a private tmux server.

Each ``TmuxSession`` starts its own tmux server (``-L`` with a unique socket
name, no config file), so tests never touch a user's tmux, and ``close()``
ends that server and nothing else, and removes its socket (tmux leaves the
file behind in ``/tmp/tmux-UID``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path

TMUX = shutil.which("tmux")


class TmuxSession:
    """One detached tmux session running ``command`` (a list of arguments) with extra ``env``."""

    def __init__(self, command: list[str], *, env: dict[str, str], cwd: str, width: int = 100, height: int = 30) -> None:
        self.socket = f"tringtui-test-{uuid.uuid4().hex[:10]}"
        self.name = "tt"
        env_args = [arg for name, value in env.items() for arg in ("-e", f"{name}={value}")]
        shell_command = "exec " + " ".join(_quote(part) for part in command)
        self._tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), "-c", cwd, *env_args, shell_command
        )
        self.socket_path = Path(self._tmux("display-message", "-p", "-t", self.name, "#{socket_path}").strip())
        # Keep the pane (and what the process printed last) after the process ends.
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def _tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [TMUX, "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=10
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {result.stderr.strip()}")
        return result.stdout

    @property
    def pid(self) -> int:
        """The process running in the pane (the command itself: the shell exec'd it)."""
        return int(self._tmux("list-panes", "-t", self.name, "-F", "#{pane_pid}").split()[0])

    def capture(self) -> str:
        """The pane's text, scrollback included."""
        return self._tmux("capture-pane", "-p", "-t", self.name, "-S", "-2000", check=False)

    def wait_for_text(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.capture()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on screen:\n{self.capture()}")

    def record_output(self, path: Path) -> None:
        """Append everything the pane's process writes to its terminal from now on to ``path``."""
        self._tmux("pipe-pane", "-t", self.name, "-o", f"cat >> {_quote(str(path))}")

    def send_keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def kill_session(self) -> None:
        self._tmux("kill-session", "-t", self.name, check=False)

    def close(self) -> None:
        self._tmux("kill-server", check=False)
        self.socket_path.unlink(missing_ok=True)


def _quote(part: str) -> str:
    return shlex.quote(part)


def process_alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def wait_gone(pid: int, timeout: float) -> float | None:
    """Seconds until ``pid`` ended, or None if it is still there after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not process_alive(pid):
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks
