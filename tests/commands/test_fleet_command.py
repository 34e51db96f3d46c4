"""``tringtui --profile a --profile b`` and ``--group``: which profiles, and every problem before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tringtui.cli import build_parser
from tringtui.commands.fleet import fleet_profiles, run_fleet
from tringtui.config import ConfigError

CONFIG = """\
profiles:
  eu: {server: https://eu.example, key_env: EU_KEY, label: PROD-EU}
  us: {server: https://us.example, key_env: US_KEY, readonly: true}
  lab: {server: https://lab.example, key_env: LAB_KEY}
groups:
  noc: [eu, us]
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("TRINGTUI_CONFIG", "TRINGTUI_PROFILE", "TRINGTUI_KEY", "TRINGTUI_SERVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG)
    path.chmod(0o600)
    return path


def args_of(*argv: str):
    return build_parser().parse_args(list(argv))


def test_a_group_then_extra_profiles(config: Path) -> None:
    assert fleet_profiles(args_of("--config", str(config), "--group", "noc")) == ["eu", "us"]
    assert fleet_profiles(args_of("--config", str(config), "--group", "noc", "--profile", "lab")) == ["eu", "us", "lab"]
    assert fleet_profiles(args_of("--profile", "lab", "--profile", "eu")) == ["lab", "eu"]


def test_an_unknown_group_names_the_file_and_the_groups(config: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        fleet_profiles(args_of("--config", str(config), "--group", "nco"))
    assert str(caught.value.problems[0]) == f"{config}: groups: no group named 'nco' (groups: noc)"


def test_the_same_profile_twice_is_refused(config: Path) -> None:
    with pytest.raises(ConfigError, match="eu given twice"):
        fleet_profiles(args_of("--config", str(config), "--group", "noc", "--profile", "eu"))


def test_every_profiles_problems_are_listed_at_once(config: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("EU_KEY", raising=False)
    monkeypatch.delenv("US_KEY", raising=False)
    assert run_fleet(args_of("--config", str(config), "--group", "noc")) == 2
    err = capsys.readouterr().err
    assert "2 configuration problems" in err
    assert "EU_KEY" in err and "US_KEY" in err


def test_one_connection_flags_make_no_sense_for_several(config: Path, capsys) -> None:
    assert run_fleet(args_of("--config", str(config), "--group", "noc", "--server", "https://x.example")) == 2
    assert "--server name one PBX" in capsys.readouterr().err


def test_a_problem_of_the_file_is_said_once_not_once_per_profile(config: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("EU_KEY", "k1")
    monkeypatch.setenv("US_KEY", "k2")
    # Each profile's resolution reads the whole file, so lab's problem is found for eu and for us.
    config.write_text(CONFIG.replace("lab: {server: https://lab.example,", "lab: {server: 12, colour: blue,"))
    assert run_fleet(args_of("--config", str(config), "--group", "noc")) == 2
    err = capsys.readouterr().err
    assert err.count("colour") == 1, err
