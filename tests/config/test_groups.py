"""``groups:`` in the config file: named lists of profiles watched together (``tringtui --group NAME``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tringtui.config import ConfigError
from tringtui.config.loader import parse_config

PROFILES = "profiles:\n  eu: {server: https://eu.example}\n  us: {server: https://us.example}\n"
PATH = Path("/cfg/config.yaml")


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, PATH)
    return [str(problem) for problem in caught.value.problems]


def test_a_group_lists_profiles_in_order_with_its_line():
    config = parse_config(PROFILES + "groups:\n  noc: [us, eu]\n  solo: [eu]\n", PATH)
    assert config.groups["noc"].value == ("us", "eu")
    assert config.groups["noc"].line == 5
    assert config.groups["solo"].value == ("eu",)


def test_groups_may_come_before_the_profiles():
    config = parse_config("groups:\n  noc: [eu, us]\n" + PROFILES, PATH)
    assert config.groups["noc"].value == ("eu", "us")


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ("  noc: [eu, asia]", ["/cfg/config.yaml:5: groups.noc: no profile named 'asia' (profiles: eu, us)"]),
        ("  noc: [eu, eu]", ["/cfg/config.yaml:5: groups.noc: lists 'eu' twice"]),
        ("  noc: []", ["/cfg/config.yaml:5: groups.noc: expected a non-empty list of profile names, got an empty list"]),
        ("  noc: eu", ["/cfg/config.yaml:5: groups.noc: expected a non-empty list of profile names, got str 'eu'"]),
        ("  noc: [eu, [us]]", ["/cfg/config.yaml:5: groups.noc: expected a string, got a list"]),
    ],
)
def test_group_problems_name_line_and_field(groups: str, expected: list[str]):
    assert problems_of(PROFILES + "groups:\n" + groups + "\n") == expected


def test_groups_must_be_a_mapping():
    assert problems_of(PROFILES + "groups: [eu, us]\n") == ["/cfg/config.yaml:4: groups: expected a mapping, got a list"]
