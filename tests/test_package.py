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
