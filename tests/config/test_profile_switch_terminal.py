"""Switching, inside the running monitor, to a profile whose key_command asks on the terminal.

The real ``tringtui`` runs in tmux. Its second profile gets the key from a
script that prompts for a PIN the way a password manager does. On ``P`` →
that profile, the app hands the terminal to the script (suspending itself),
the PIN is typed where the script asks, and the monitor comes back watching
the new profile. A wrong PIN leaves the running session as it was, with the
failure reported.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tests.resilience.terminal import TMUX, TmuxSession
from tringtui.sim import ManualClock, SimServer, SimulatedPBX

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sim():
    server = SimServer(SimulatedPBX(seed=7, size="small", clock=ManualClock()), host="127.0.0.1", port=0).start()
    yield server
    server.stop()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_key_command_may_ask_for_a_pin_during_a_profile_switch(tmp_path, sim):
    ask = tmp_path / "ask-key.sh"
    ask.write_text(textwrap.dedent("""\
        #!/bin/sh
        printf 'PIN for the production key: ' >&2
        read pin
        [ "$pin" = "1234" ] && echo demo-admin || exit 3
    """))
    ask.chmod(0o700)
    config = tmp_path / "config" / "tringtui" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(textwrap.dedent(f"""\
        default_profile: first
        profiles:
          first: {{server: "{sim.url}", tenant: DEVEL, key_env: FIRST_KEY}}
          second: {{server: "{sim.url}", key_command: ["{ask}"], label: PRODUCTION}}
    """))
    config.chmod(0o600)
    env = {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "FIRST_KEY": "demo-devel",
    }
    session = TmuxSession([sys.executable, "-m", "tringtui"], env=env, cwd=str(ROOT), width=100, height=30)
    try:
        session.wait_for_text("tenant DEVEL")
        session.wait_for_text("pbx21")

        def switch_to_second_with(pin: str) -> None:
            session.send_keys("P")
            session.wait_for_text("Switch profile")
            session.send_keys("Down", "Enter")
            session.wait_for_text("PIN for the production key")
            session.send_keys(pin, "Enter")

        # A wrong PIN: the script fails, the app comes back on the first profile and says why.
        switch_to_second_with("9999")
        screen = session.wait_for_text("Cannot switch to profile second")
        assert "tenant DEVEL" in screen and "PRODUCTION" not in screen.splitlines()[0]

        switch_to_second_with("1234")
        screen = session.wait_for_text("all tenants")
        assert "PRODUCTION" in screen.splitlines()[0]
        session.wait_for_text("pbx21")
    finally:
        session.close()
