"""The package's shape: the CLI loads and the core layers stay free of Textual."""

import subprocess
import sys


def test_cli_help_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "tringtui", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "sim" in out


def test_api_and_sim_do_not_import_textual():
    code = (
        "import sys, tringtui.api, tringtui.sim, tringtui.cli; "
        "tringtui.cli.build_parser(); "
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def help_of(*command):
    result = subprocess.run([sys.executable, "-m", "tringtui", *command, "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr, result.stderr
    return result.stdout


def test_every_help_shows_examples():
    for command in ((), ("sim",), ("api",), ("config",), ("audit",)):
        assert "examples:" in help_of(*command), command
    root = help_of()
    assert "tringtui --demo" in root
    for variable in ("TRINGTUI_KEY", "TRINGTUI_CONFIG", "TRINGTUI_PROFILE", "TRINGTUI_SERVER", "TRINGTUI_READONLY"):
        assert variable in root
    assert "--profile" in help_of("api") and "TRINGTUI_KEY" in help_of("api")
    assert "``" not in help_of("config"), "no reStructuredText markup in help"
    for action in ("show", "check"):
        assert "TRINGTUI_KEY" in help_of("config", action)


def test_a_sub_command_s_unknown_flag_shows_that_command_s_usage():
    result = subprocess.run(
        [sys.executable, "-m", "tringtui", "sim", "--bogus"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("usage: tringtui sim")
    assert "unrecognized arguments: --bogus" in result.stderr
