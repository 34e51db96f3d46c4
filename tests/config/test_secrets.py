"""Keys from an environment variable, a command, or the file; failures are clear and never show the key."""

from __future__ import annotations

import sys

import pytest

from tringtui.config import ConfigError, KeySpec, KeyUnavailable, Overrides, read_key, resolve_settings
from tringtui.config.loader import parse_config


def command_printing(text: str, status: int = 0) -> list[str]:
    code = f"import sys; sys.stdout.write({text!r}); sys.stderr.write({text!r}); sys.exit({status})"
    return [sys.executable, "-c", code]


def test_key_env(env, write_config, secret_key):
    write_config("profiles:\n  p:\n    server: https://x.example\n    key_env: NOC_KEY\n")
    assert resolve_settings(env={**env, "NOC_KEY": f"  {secret_key}\n"}).settings.key.reveal() == secret_key


def test_key_env_unset_says_which_variable_and_where(env, write_config):
    path = write_config("profiles:\n  p:\n    server: https://x.example\n    key_env: NOC_KEY\n")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env=env)
    assert str(caught.value) == f"key: environment variable NOC_KEY is not set or empty (key_env of profile p, {path}:4)"


def test_key_command_first_line_without_a_shell(env, write_config, secret_key):
    words = command_printing(f"{secret_key}\nlogin: noc\nurl: https://x\n")
    write_config(f"profiles:\n  p:\n    server: https://x.example\n    key_command: {words!r}\n")
    assert resolve_settings(env=env).settings.key.reveal() == secret_key


def test_key_command_as_one_string_is_split_not_shelled(tmp_path, secret_key):
    script = tmp_path / "print key.py"  # a space in the name: quoting is honoured when splitting
    script.write_text(f"print({secret_key!r})\n")
    marker = tmp_path / "shell-ran"
    text = f"profiles:\n  p:\n    key_command: {sys.executable} '{script}' ; touch {marker}\n"
    words = parse_config(text, tmp_path / "c.yaml").profiles["p"].get("key_command").value
    assert words == (sys.executable, str(script), ";", "touch", str(marker))
    assert read_key(KeySpec("command", words, "test"), {}, interactive=False).reveal() == secret_key
    assert not marker.exists()  # ";" went to the script as an argument: no shell ran


def test_key_command_failure_reports_status_never_output(env, write_config, secret_key, capfd):
    path = write_config(
        f"profiles:\n  p:\n    server: https://x.example\n    key_command: {command_printing(secret_key, 3)!r}\n"
    )
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env=env, interactive=False)
    message = str(caught.value)
    assert message == f"key: key_command {sys.executable} (key_command of profile p, {path}:4): failed with exit status 3"
    assert secret_key not in message and secret_key not in repr(caught.value.problems)
    captured = capfd.readouterr()
    assert secret_key not in captured.out + captured.err  # non-interactive: its stderr is discarded too


def test_key_command_timeout(secret_key):
    spec = KeySpec("command", (sys.executable, "-c", "import time; time.sleep(600)"), "test", timeout=0.3)
    with pytest.raises(KeyUnavailable, match=r"gave no answer within 0.3 s"):
        read_key(spec, {}, interactive=False)


def test_key_command_not_found():
    spec = KeySpec("command", ("no-such-password-manager-xyz",), "profile p")
    with pytest.raises(KeyUnavailable, match="no-such-password-manager-xyz .*command not found"):
        read_key(spec, {"PATH": "/nonexistent"})


def test_key_command_printing_nothing():
    spec = KeySpec("command", (sys.executable, "-c", "print()"), "profile p")
    with pytest.raises(KeyUnavailable, match="printed nothing"):
        read_key(spec, {}, interactive=False)


def test_literal_key_with_open_permissions_warns_without_the_key(env, write_config, secret_key):
    path = write_config(f"profiles:\n  p:\n    server: https://x.example\n    key: {secret_key}\n", mode=0o644)
    resolution = resolve_settings(env=env)
    assert resolution.settings.key.reveal() == secret_key
    [warning] = resolution.warnings
    assert warning.startswith(f"warning: {path} holds a literal key but group or others can read it")
    assert "chmod 600" in warning and secret_key not in warning


def test_literal_key_in_a_private_file_does_not_warn(env, write_config, secret_key):
    write_config(f"profiles:\n  p:\n    server: https://x.example\n    key: {secret_key}\n", mode=0o600)
    assert resolve_settings(env=env).warnings == ()


def test_open_permissions_without_a_literal_key_do_not_warn(env, write_config):
    write_config("profiles:\n  p:\n    server: https://x.example\n    key_env: K\n", mode=0o644)
    assert resolve_settings(env={**env, "K": "v"}).warnings == ()


def test_the_key_is_in_no_repr(env, write_config, secret_key):
    write_config(f"profiles:\n  p:\n    server: https://x.example\n    key: {secret_key}\n")
    resolution = resolve_settings(env=env)
    assert secret_key not in repr(resolution) and secret_key not in str(resolution.settings)
    assert secret_key not in resolution.key_spec.describe()


@pytest.mark.parametrize("pasted", ["k3y-Zq81-DO-NOT-LEAK-7f3a", "k3yZq81DONOTLEAK7f3a"])
def test_a_key_pasted_as_key_env_is_not_echoed(env, write_config, pasted):
    """``key_env: <the key>`` is an easy mistake: no message may quote the "variable name"."""
    write_config(f"profiles:\n  p:\n    server: https://x.example\n    key_env: {pasted}\n")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env=env)
    assert pasted not in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        resolve_settings(Overrides(key_env=pasted), env={**env, "TRINGTUI_KEY_ENV": pasted})
    assert pasted not in str(caught.value)


def test_a_key_pasted_into_the_key_env_flag_is_not_shown_by_config_show(env, monkeypatch, capsys):
    from tringtui.cli import main

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    pasted = "k3yZq81DONOTLEAK7f3a"
    assert main(["config", "show", "--server", "https://x.example", "--key-env", pasted]) == 0
    captured = capsys.readouterr()
    assert pasted not in captured.out + captured.err
    assert "not shown in case it is the key itself" in captured.out
