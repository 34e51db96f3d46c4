"""The API key never shows: not on screen, in the crash report, in any file written, or in ``ps``.

The real ``tringtui`` command runs in a terminal (tmux) against the simulator
with a distinctive key given through the environment. The operator hangs up
a call (so the audit journal is written), then the app crashes on purpose
in a function holding the key in local variables and quoting it in its
message (Textual's own crash report prints every frame's local variables).
Everything the terminal received, a screenshot, every file under the
session's HOME and XDG directories (the journal among them), and the
process's command line are searched for the key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.resilience.terminal import TMUX, TmuxSession, wait_gone
from tringtui.sim import ManualClock, SimServer, SimulatedPBX
from tringtui.sim.keys import DEMO_KEYS, ApiKey, merge_keys

SECRET = "SUPERSECRET-KEY-7731"
ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("crash_driver.py")


def leaks(text: str) -> bool:
    return SECRET in text or quote(SECRET) in text


@pytest.fixture
def sim_with_secret_key():
    # A frozen clock: no call ends on its own between the keypress and the dialog
    # (the hang-up would then rightly refuse, and nothing would be journalled).
    pbx = SimulatedPBX(seed=7, size="small", clock=ManualClock())
    keys = merge_keys(DEMO_KEYS, [ApiKey(SECRET, "admin")])
    server = SimServer(pbx, host="127.0.0.1", port=0, keys=keys).start()
    yield server
    server.stop()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_crash_shows_no_key_anywhere(tmp_path, sim_with_secret_key):
    home = tmp_path / "home"
    shots = tmp_path / "work"
    for folder in (home, shots):
        folder.mkdir()
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "TRINGTUI_KEY_FOR_TEST": SECRET,
    }
    command = [sys.executable, str(DRIVER), str(shots), "--", "--server", sim_with_secret_key.url, "--tenant", "DEVEL", "--key-env", "TRINGTUI_KEY_FOR_TEST"]
    session = TmuxSession(command, env=env, cwd=str(ROOT), width=120, height=40)
    terminal_log = tmp_path / "terminal.log"
    try:
        # Everything the monitor writes to its terminal, every frame and the crash report.
        session.record_output(terminal_log)
        pid = session.pid
        session.wait_for_text("Channels")
        # Read only once the monitor draws: until the pane's child has exec'd, its
        # cmdline is the forked tmux server's, which carries the test's own -e KEY=….
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        # Hang up the selected call: Right from Cancel to the confirm button, Enter.
        session.send_keys("2")
        # The calls themselves, not just the footer: before the first answer there is
        # no selected call, and H rightly says "Select a call first".
        session.wait_for_text("SIP/")
        session.send_keys("H")
        session.wait_for_text("Cancel")
        session.send_keys("Right", "Enter")
        journal = home / ".local/state/tringtui/audit.jsonl"
        # The journal exists from the start (the start-up rights probe): wait for the hang-up's outcome line.
        deadline = time.monotonic() + 30  # a safety net, not a bound
        while time.monotonic() < deadline and not _hangup_answered(journal):
            time.sleep(0.1)
        assert _hangup_answered(journal), session.capture()
        (shots / "crash-now").touch()
        assert wait_gone(pid, 20) is not None, "the rigged crash never happened"
        time.sleep(0.3)  # let tmux flush the last output to the log
        report = session.capture()
    finally:
        session.close()

    assert "forced crash" in report  # the crash report is there, and it is on screen
    assert "RuntimeError" in report
    assert not leaks(report), report
    assert not leaks(cmdline)
    recorded = terminal_log.read_text(errors="replace")
    assert "forced crash" in recorded
    assert not leaks(recorded)
    screenshot = (shots / "screen.svg").read_text()
    assert "Channels" in screenshot
    assert not leaks(screenshot)
    assert '"outcome":"success"' in journal.read_text()  # the hang-up was sent and journalled
    for path in home.rglob("*"):
        if path.is_file():
            assert not leaks(path.read_text(errors="replace")), path


def all_option_strings() -> set[str]:
    import argparse

    from tringtui.cli import build_parser

    options: set[str] = set()
    parsers = [build_parser()]
    while parsers:
        parser = parsers.pop()
        for action in parser._actions:
            options.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    return options


def test_no_flag_takes_the_key_itself():
    """A key on the command line shows in ``ps`` and shell history: only its variable's name is taken."""
    options = all_option_strings()
    assert "--key-env" in options
    assert not options & {"--key", "--api-key", "--apikey", "--secret", "--password", "--token"}


def test_a_key_in_the_server_url_is_refused_without_repeating_it():
    from tringtui.api.client import TringClient
    from tringtui.api.errors import InvalidParameter

    with pytest.raises(InvalidParameter) as refused:
        TringClient(f"https://pbx.example/pbx/proxyapi.php?key={SECRET}", SECRET)
    assert not leaks(str(refused.value))
    assert "--key-env" in str(refused.value)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("TRINGTUI_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tringtui", *args], capture_output=True, text=True, timeout=30, env=environment, cwd=ROOT
    )


@pytest.mark.parametrize(
    "args",
    [
        ("--server", "https://pbx.example", "--key", SECRET),
        ("--key=" + SECRET,),
        ("api", "PEERS", "--api-key", SECRET),
        ("api", "PEERS", "--token=" + SECRET),
        ("config", "check", "--password", SECRET),
    ],
)
def test_a_key_given_as_an_option_is_refused_with_advice_and_never_repeated(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "visible to every user of this machine (ps)" in result.stderr and "TRINGTUI_KEY" in result.stderr
    assert not leaks(result.stdout + result.stderr)


def test_options_are_never_abbreviated_into_key_env():
    # "--key-e SECRET" used to be taken as "--key-env SECRET"; now it is simply not an option.
    result = run_cli("--server", "https://pbx.example", "--key-e", SECRET)
    assert result.returncode == 2 and "environment variable" not in result.stderr
    assert "invalid choice" in result.stderr  # the stray word is not taken as a sub-command, nor quoted
    assert not leaks(result.stderr)
    for args in (("--server", "https://pbx.example", "--key-e=" + SECRET), ("config", "check", "--key-e", SECRET)):
        result = run_cli(*args)
        assert result.returncode == 2 and "unrecognized arguments: --key-e" in result.stderr, args
        assert not leaks(result.stderr)


def test_a_key_looking_key_env_value_is_warned_about():
    result = run_cli("--server", "http://127.0.0.1:9", "--key-env", "3f9a0c7e51d2b8")
    assert "is not an UPPER_CASE variable name" in result.stderr and "visible in ps" in result.stderr
    assert "3f9a0c7e51d2b8" not in result.stderr


def test_api_parameters_never_take_the_key_or_echo_a_stray_word():
    refused = run_cli("api", "PEERS", f"key={SECRET}", "--server", "https://pbx.example")
    assert refused.returncode == 2 and "visible in ps" in refused.stderr
    stray = run_cli("api", "PEERS", SECRET, "--server", "https://pbx.example")
    assert stray.returncode == 2 and "parameter 1 after the request type is not NAME=VALUE" in stray.stderr
    assert not leaks(refused.stderr + stray.stderr)


def _hangup_answered(journal: Path) -> bool:
    """True once the journal holds the outcome of an operator's write (not the start-up rights probe)."""
    if not journal.exists():
        return False
    entries = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
    return any(e.get("outcome") != "attempt" and e.get("action") != "rights-probe" for e in entries)
