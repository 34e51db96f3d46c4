"""``tringtui`` with no sub-command: flags to Settings, and every problem listed with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys

from tringtui.cli import build_parser
from tringtui.config import Overrides, resolve_settings
from tringtui.config.secrets import DEFAULT_KEY_ENV


def run_cli(*args: str, home: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TRINGTUI_", "XDG_"))}
    environ.update(HOME=home, **(env or {}))  # no config file of the developer's own
    return subprocess.run(
        [sys.executable, "-m", "tringtui", *args], capture_output=True, text=True, env=environ, timeout=30
    )


def test_missing_key_variable_is_named_and_exit_2(tmp_path):
    result = run_cli("--server", "https://api.tring.nu", "--key-env", "NO_SUCH_TRING_KEY", home=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tringtui: 1 configuration problem:",
        "  key: environment variable NO_SUCH_TRING_KEY is not set or empty (flag --key-env)",
    ]


def test_no_server_and_no_demo_says_what_to_do(tmp_path):
    result = run_cli(home=str(tmp_path))
    assert result.returncode == 2
    assert "--server URL" in result.stderr and "--demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_flags_become_settings_without_showing_the_key(tmp_path):
    args = build_parser().parse_args(
        ["--server", "https://api.tring.nu", "--tenant", "DEVEL", "--key-env", "MY_KEY", "--readonly"]
    )
    settings = resolve_settings(Overrides.from_args(args), {"HOME": str(tmp_path), "MY_KEY": "s3cret-value"}).settings
    assert settings.server_host == "api.tring.nu"
    assert settings.tenant == "DEVEL"
    assert settings.readonly and not settings.demo
    assert settings.key.reveal() == "s3cret-value"
    assert "s3cret-value" not in repr(settings)


def test_default_key_variable(tmp_path):
    args = build_parser().parse_args(["--server", "https://api.tring.nu"])
    env = {"HOME": str(tmp_path), DEFAULT_KEY_ENV: "k"}
    assert resolve_settings(Overrides.from_args(args), env).settings.key.reveal() == "k"


def test_a_theme_whose_file_is_broken_is_not_just_unknown(tmp_path):
    themes = tmp_path / ".config" / "tringtui" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.yaml").write_text('name: mine\nprimary: "#zz0000"\n', encoding="utf-8")
    result = run_cli("--server", "https://api.tring.nu", "--theme", "mine", home=str(tmp_path), env={DEFAULT_KEY_ENV: "k"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'mine' is not a known theme" in result.stderr
    assert f"theme files not loaded:\n  {themes / 'mine.yaml'}:2: primary:" in result.stderr
