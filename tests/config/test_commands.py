"""``tringtui config init|show``: the example is written safely; show redacts the key and names sources."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tringtui.cli import main


@pytest.fixture(autouse=True)
def isolated(env, monkeypatch):
    for name in ("TRINGTUI_CONFIG", "TRINGTUI_PROFILE", "TRINGTUI_SERVER", "TRINGTUI_TENANT",
                 "TRINGTUI_KEY_ENV", "TRINGTUI_KEY", "TRINGTUI_THEME", "TRINGTUI_READONLY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def test_init_writes_a_private_commented_example_and_refuses_to_overwrite(env, capsys):
    path = Path(env["XDG_CONFIG_HOME"]) / "tringtui" / "config.yaml"
    assert main(["config", "init"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("# tringtui configuration")
    path.write_text("# mine\n")
    assert main(["config", "init"]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert path.read_text() == "# mine\n"
    path.chmod(0o644)
    assert main(["config", "init", "--force"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "default_profile" in path.read_text()


def test_init_to_a_chosen_path(tmp_path):
    target = tmp_path / "sub" / "noc.yaml"
    assert main(["config", "init", "--config", str(target)]) == 0
    assert target.exists()


def test_show_redacts_the_key_and_names_each_source(write_config, secret_key, capsys, monkeypatch):
    path = write_config(
        f"profiles:\n  prod:\n    server: https://api.tring.nu\n    key: {secret_key}\n    readonly: true\n", mode=0o644
    )
    monkeypatch.setenv("TRINGTUI_TENANT", "ACME")
    assert main(["config", "show", "--theme", "ansi"]) == 0
    captured = capsys.readouterr()
    assert secret_key not in captured.out + captured.err
    lines = {line.split()[0]: line for line in captured.out.splitlines() if line.strip()}
    assert lines["key"].split()[1] == "***" and f"{path}:4" in lines["key"]
    assert lines["server"].endswith(f"{path}:3")
    assert lines["tenant"].split()[1:] == ["ACME", "env", "TRINGTUI_TENANT"]
    assert lines["theme"].split()[1:] == ["ansi", "flag", "--theme"]
    assert lines["timeout"].split()[-1] == "default"
    assert "holds a literal key but group or others can read it" in captured.err


def test_show_for_a_named_profile(write_config, capsys):
    write_config(
        "default_profile: a\nprofiles:\n  a: {server: 'https://a.example', key_env: A}\n"
        "  b: {server: 'https://b.example', key_command: 'pass show b'}\n"
    )
    assert main(["config", "show", "--profile", "b"]) == 0
    out = capsys.readouterr().out
    assert "https://b.example" in out and "*** (from pass; not run by show)" in out


def test_show_on_a_broken_file_lists_every_problem_and_exits_2(write_config, secret_key, capsys):
    path = write_config(f"profiles:\n  p:\n    server: nope\n    key: [{secret_key}]\n    colour: red\n")
    assert main(["config", "show"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "tringtui: 3 configuration problems:",
        f"  {path}:3: profiles.p.server: must start with https:// (or http://), e.g. https://api.tring.nu",
        f"  {path}:4: profiles.p.key: expected a string, got something else",
        f"  {path}:5: profiles.p.colour: unknown field",
    ]
    assert secret_key not in err


def test_the_config_layer_does_not_import_textual():
    """Reading, validating and resolving the configuration stays cheap and UI-free."""
    code = (
        "import sys, tringtui.config, tringtui.config.switcher, tringtui.commands.config_cmd; "
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_show_names_an_unknown_theme(write_config, capsys):
    path = write_config("profiles:\n  p:\n    server: https://a.example\n    key_env: A\n    theme: no-such-theme\n")
    assert main(["config", "show"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:5: profiles.p.theme: 'no-such-theme' is not a known theme; available: " in err


@pytest.mark.parametrize("word", ["off", "0", "no", "false"])
def test_show_says_read_write_came_from_the_environment(write_config, capsys, monkeypatch, word):
    write_config("profiles:\n  p:\n    server: https://a.example\n    key_env: A\n")
    monkeypatch.setenv("TRINGTUI_READONLY", word)
    assert main(["config", "show"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert lines["readonly"].split()[1:] == ["no", "env", "TRINGTUI_READONLY"]


def test_read_only_from_the_profile_stays_and_says_so_whatever_the_environment(write_config, capsys, monkeypatch):
    path = write_config("profiles:\n  p:\n    server: https://a.example\n    key_env: A\n    readonly: true\n")
    monkeypatch.setenv("TRINGTUI_READONLY", "off")
    assert main(["config", "show"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert lines["readonly"].split()[1:] == ["yes", f"{path}:5"]


def test_version(capsys):
    import tomllib

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    assert capsys.readouterr().out == f"tringtui {project['version']}\n"
