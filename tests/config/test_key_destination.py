"""A profile's key goes only to that profile's server, whichever command resolves the settings.

Two loopback listeners record every request they receive: one is the
profile's server, the other a server given by hand. The real ``tringtui``
runs as a user would run it (the monitor in tmux, ``tringtui api`` and
``tringtui config check`` as processes), and the listeners prove which key
reached which host:

- ``--server`` (or ``TRINGTUI_SERVER``) without ``--profile`` is an ad-hoc
  session: the key comes from ``TRINGTUI_KEY`` (or ``--key-env``), never from
  the default profile, and nothing else of the profile applies either;
- ``--profile X`` with another server is refused before anything is sent,
  unless the key's source is named too (``--key-env`` / ``TRINGTUI_KEY_ENV``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.resilience.terminal import TMUX, TmuxSession
from tringtui.config import ConfigError, Overrides, resolve_settings

ROOT = Path(__file__).resolve().parents[2]
PROFILE_KEY = "profile-key-DO-NOT-SEND-ELSEWHERE"
AD_HOC_KEY = "ad-hoc-key-1"
NAMED_KEY = "named-key-2"


class Listener:
    """A loopback HTTP server that records the query of every request and answers ``[]``."""

    def __init__(self) -> None:
        self.queries: list[dict[str, list[str]]] = []
        self.received = threading.Event()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                listener.queries.append(parse_qs(urlsplit(self.path).query))
                listener.received.set()
                body = b"[]"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def keys(self) -> set[str]:
        return {key for query in self.queries for key in query.get("key", [])}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def profile_server() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture
def other_server() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture
def user_env(tmp_path: Path, profile_server: Listener) -> dict[str, str]:
    """A home whose config file's default profile (as ``config init`` writes it) takes its key from key_env."""
    config = tmp_path / "xdg-config" / "tringtui" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(textwrap.dedent(f"""\
        default_profile: staging
        profiles:
          staging:
            server: {profile_server.url}
            tenant: ACME
            key_env: TRING_STAGING_KEY
            readonly: true
            label: STAGING
    """))
    config.chmod(0o600)
    environ = {name: value for name, value in os.environ.items() if not name.startswith(("TRINGTUI_", "XDG_", "TRING_"))}
    environ.update(
        HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        PYTHONPATH=str(ROOT), TERM="xterm-256color", TRING_STAGING_KEY=PROFILE_KEY,
    )
    return environ


def run_tringtui(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tringtui", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)


def run_monitor_until_it_asks(args: list[str], env: dict[str, str], listener: Listener) -> None:
    """Run the monitor in a terminal until ``listener`` has received its first request."""
    session = TmuxSession([sys.executable, "-m", "tringtui", *args], env=env, cwd=str(ROOT), width=100, height=30)
    try:
        assert listener.received.wait(30), f"the monitor never asked {listener.url}:\n{session.capture()}"
    finally:
        session.close()


COMMANDS = {
    "monitor": [], "api": ["api", "COUNTPEERS"], "config check": ["config", "check"], "snapshot": ["snapshot", "--json"],
}
# Flags for every command; the environment's equivalents (read by the same resolver) with the cheapest command.
FLAG_OR_ENV = [*((command, "flag") for command in COMMANDS), ("api", "env")]
needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def run_command(command: str, args: list[str], env: dict[str, str], expected: Listener) -> None:
    if command == "monitor":
        run_monitor_until_it_asks(args, env, expected)
    else:
        run_tringtui([*COMMANDS[command], *args], env)
        assert expected.received.is_set(), f"{command} never asked {expected.url}"


@needs_tmux
@pytest.mark.parametrize(("command", "server_from"), FLAG_OR_ENV)
def test_a_server_without_a_profile_gets_only_the_ad_hoc_key(command, server_from, user_env, profile_server, other_server):
    # The README's flow: export TRINGTUI_KEY=…; tringtui --server … --tenant DEVEL, beside a config
    # file whose default profile names another variable (here set, so that a leak would show).
    env = {**user_env, "TRINGTUI_KEY": AD_HOC_KEY}
    args = ["--tenant", "DEVEL"]
    if server_from == "flag":
        args += ["--server", other_server.url]
    else:
        env["TRINGTUI_SERVER"] = other_server.url
    run_command(command, args, env, other_server)
    assert other_server.keys == {AD_HOC_KEY}
    assert {tenant for query in other_server.queries for tenant in query.get("tenant", [])} <= {"DEVEL"}
    assert profile_server.queries == []


@needs_tmux
def test_the_readme_flow_works_when_the_profiles_variable_is_not_set(user_env, other_server):
    # export TRINGTUI_KEY=…; tringtui --server … --tenant DEVEL used to stop at "TRING_STAGING_KEY is not set".
    env = {**user_env, "TRINGTUI_KEY": AD_HOC_KEY}
    del env["TRING_STAGING_KEY"]
    run_monitor_until_it_asks(["--server", other_server.url, "--tenant", "DEVEL"], env, other_server)
    assert other_server.keys == {AD_HOC_KEY}


@pytest.mark.parametrize(("command", "how"), FLAG_OR_ENV)
def test_a_profile_with_another_server_is_refused_before_anything_is_sent(
    command, how, user_env, profile_server, other_server
):
    env = {**user_env, "TRINGTUI_KEY": AD_HOC_KEY}
    if how == "flag":
        args = [*COMMANDS[command], "--profile", "staging", "--server", other_server.url]
    else:
        args = COMMANDS[command]
        env.update(TRINGTUI_PROFILE="staging", TRINGTUI_SERVER=other_server.url)
    result = run_tringtui(args, env)  # refused before the monitor would take the terminal
    assert result.returncode == 2
    assert "is not the server of profile staging" in result.stderr and "--key-env" in result.stderr
    assert "Traceback" not in result.stderr and PROFILE_KEY not in result.stderr + result.stdout
    assert profile_server.queries == [] and other_server.queries == []


@pytest.mark.parametrize(("command", "key_from"), FLAG_OR_ENV)
def test_a_profile_with_another_server_and_a_named_key_sends_that_key(
    command, key_from, user_env, profile_server, other_server
):
    if command == "monitor" and TMUX is None:
        pytest.skip("tmux is not installed")
    env = {**user_env, "NAMED_KEY": NAMED_KEY}
    args = ["--profile", "staging", "--server", other_server.url]
    if key_from == "flag":
        args += ["--key-env", "NAMED_KEY"]
    else:
        env["TRINGTUI_KEY_ENV"] = "NAMED_KEY"
    run_command(command, args, env, other_server)
    assert other_server.keys == {NAMED_KEY}
    assert profile_server.queries == []


def test_a_profile_given_its_own_server_again_keeps_its_key(user_env, profile_server):
    run_tringtui(["api", "COUNTPEERS", "--profile", "staging", "--server", profile_server.url + "/"], user_env)
    assert profile_server.keys == {PROFILE_KEY}


def test_an_ad_hoc_session_takes_nothing_from_the_profiles(user_env, other_server):
    env = {**user_env, "TRINGTUI_KEY": AD_HOC_KEY}
    resolution = resolve_settings(Overrides(server=other_server.url), env=env)
    settings = resolution.settings
    assert (settings.profile, settings.tenant, settings.readonly, settings.label) == ("ad-hoc", "", False, "")
    assert resolution.key_spec is not None and resolution.key_spec.value == "TRINGTUI_KEY"
    assert resolution.sources["profile"].startswith("none: --server without --profile")
    # read-only still comes from the flags and environment of the ad-hoc session itself
    assert resolve_settings(Overrides(server=other_server.url, readonly=True), env=env).settings.readonly


def test_an_ad_hoc_session_without_a_key_says_where_one_may_come_from(user_env, other_server):
    with pytest.raises(ConfigError) as caught:
        resolve_settings(Overrides(server=other_server.url), env=user_env, reveal_key=False)
    assert str(caught.value) == ("no key: pass --key-env VAR or set TRINGTUI_KEY "
                                 "(a session given by --server alone takes nothing from the profiles)")
