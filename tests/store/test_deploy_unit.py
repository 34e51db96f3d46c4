"""The systemd unit example in docs/deploy runs a command line tringtui accepts, and never holds a key."""

from __future__ import annotations

import shlex
from pathlib import Path

from tringtui.cli import build_parser

UNIT = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "tringtui-record.service"


def unit_values(name: str) -> list[str]:
    return [line.split("=", 1)[1] for line in UNIT.read_text().splitlines() if line.startswith(f"{name}=")]


def test_the_unit_runs_tringtui_record_with_options_it_knows():
    (exec_start,) = unit_values("ExecStart")
    shell_command = shlex.split(exec_start)[2]  # /bin/sh -c '<command>'
    words = shlex.split(shell_command.split("exec ", 1)[1])
    assert words[:2] == ["tringtui", "record"]
    args = build_parser().parse_args(words[1:])
    assert args.command == "record" and args.profile == "noc" and args.store == "/var/lib/tringtui/noc.sqlite"
    assert unit_values("KillSignal") == ["SIGTERM"]


def test_the_unit_takes_the_key_from_a_credential_not_from_its_text():
    text = UNIT.read_text()
    assert "LoadCredential=tringtui-key:" in text
    assert "--key " not in text and "TRINGTUI_KEY=" not in text.replace('TRINGTUI_KEY="$(cat', "")
