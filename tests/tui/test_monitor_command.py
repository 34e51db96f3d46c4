"""``tringtui`` with no sub-command: flags to Settings, and one-line errors with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys

from tringtui.cli import build_parser
from tringtui.commands.monitor import DEFAULT_KEY_ENV, settings_from_args


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != DEFAULT_KEY_ENV}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tringtui", *args], capture_output=True, text=True, env=environ, timeout=30
    )


def test_missing_key_variable_is_one_line_and_exit_2():
    result = run_cli("--server", "https://api.tring.nu", "--key-env", "NO_SUCH_TRING_KEY")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tringtui: environment variable NO_SUCH_TRING_KEY is not set or empty; it must hold the API key"
    ]


def test_no_server_and_no_demo_says_what_to_do():
    result = run_cli()
    assert result.returncode == 2
    assert "--server URL" in result.stderr and "--demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_flags_become_settings_without_showing_the_key():
    args = build_parser().parse_args(
        ["--server", "https://api.tring.nu", "--tenant", "DEVEL", "--key-env", "MY_KEY", "--readonly"]
    )
    settings = settings_from_args(args, {"MY_KEY": "s3cret-value"})
    assert settings.server_host == "api.tring.nu"
    assert settings.tenant == "DEVEL"
    assert settings.readonly and not settings.demo
    assert settings.key.reveal() == "s3cret-value"
    assert "s3cret-value" not in repr(settings)


def test_default_key_variable():
    args = build_parser().parse_args(["--server", "https://api.tring.nu"])
    assert settings_from_args(args, {DEFAULT_KEY_ENV: "k"}).key.reveal() == "k"
