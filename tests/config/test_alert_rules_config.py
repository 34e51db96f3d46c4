"""A profile's ``alerts:`` list: the shape of the issue reads as rules, defaults apply, bad rules get file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tringtui.config import ConfigError, resolve_settings
from tringtui.config.loader import parse_config
from tringtui.alert_rules import CONDITIONS, DEFAULT_RULES, Severity, format_duration
from tringtui.timeparse import TimeParseError, parse_duration

PATH = Path("/cfg/config.yaml")
HEAD = "profiles:\n  prod:\n    server: https://api.tring.nu\n"


def rules_of(text: str):
    return parse_config(HEAD + text, PATH).profiles["prod"].get("alerts").value


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(HEAD + text, PATH)
    return [str(problem) for problem in caught.value.problems]


def test_the_issue_shape_is_read():
    (rule,) = rules_of(
        "    alerts:\n"
        "      - rule: queue_waiting\n"
        "        threshold: 5\n"
        "        for: 2m\n"
        "        severity: critical\n"
        "        queue: \"281\"\n"
        "        webhook: https://hooks.example.net/noc\n"
        "        command: [notify-send, tringtui]\n"
    )
    assert (rule.condition, rule.threshold, rule.hold, rule.severity) == ("queue_waiting", 5, 120, Severity.CRITICAL)
    assert rule.selectors == (("queue", "281"),) and rule.name == "queue_waiting[queue=281]"
    assert rule.webhook == "https://hooks.example.net/noc" and rule.command == ("notify-send", "tringtui")
    assert rule.line == 5


def test_unset_fields_take_the_condition_defaults_and_empty_list_turns_alerting_off():
    (rule,) = rules_of("    alerts:\n      - rule: peer_flapping\n        queue: 5\n".replace("        queue: 5\n", ""))
    spec = CONDITIONS["peer_flapping"]
    assert (rule.threshold, rule.hold, rule.window, rule.severity) == (spec.threshold, spec.hold, spec.window, spec.severity)
    assert rules_of("    alerts: []\n") == ()


def test_every_bad_rule_is_named_with_its_line():
    assert problems_of(
        "    alerts:\n"
        "      - rule: queue_waitin\n"
        "      - {rule: balance_low, window: 3m, node: x, for: 2q, severity: bad, threshold: -1, colour: red}\n"
        "      - rule: peer_flapping\n"
        "        webhook: ftp://example.net\n"
        "      - threshold: 3\n"
        "      - rule: queue_waiting\n"
        "        queue: 281\n"
        "      - rule: queue_waiting\n"
        "        queue: '281'\n"
        "    alerts_bell: true\n"
    ) == [
        "/cfg/config.yaml:5: profiles.prod.alerts[0].rule: 'queue_waitin' is not a rule (did you mean 'queue_waiting'? "
        f"rules: {', '.join(CONDITIONS)})",
        "/cfg/config.yaml:6: profiles.prod.alerts[1].window: balance_low takes no window",
        "/cfg/config.yaml:6: profiles.prod.alerts[1].node: balance_low cannot be narrowed by node (it takes: tenant)",
        "/cfg/config.yaml:6: profiles.prod.alerts[1].for: expected a duration such as 30s, 2m or 1h, got str '2q'",
        "/cfg/config.yaml:6: profiles.prod.alerts[1].severity: 'bad' is not a severity; choose warning or critical",
        "/cfg/config.yaml:6: profiles.prod.alerts[1].threshold: expected a number of 0 or more, got int -1",
        "/cfg/config.yaml:6: profiles.prod.alerts[1].colour: unknown field",
        "/cfg/config.yaml:8: profiles.prod.alerts[2].webhook: expected an http:// or https:// URL",
        "/cfg/config.yaml:9: profiles.prod.alerts[3]: needs rule: one of " + ", ".join(CONDITIONS),
        "/cfg/config.yaml:12: profiles.prod.alerts[5]: the name 'queue_waiting[queue=281]' is given twice "
        "(first on line 10); give one of them name:",
        "/cfg/config.yaml:14: profiles.prod.alerts_bell: unknown field (did you mean 'alert_bell'?)",
    ]


def test_two_rules_of_one_condition_with_their_own_names():
    rules = rules_of(
        "    alerts:\n"
        "      - {rule: queue_waiting, threshold: 3, name: queue-busy}\n"
        "      - {rule: queue_waiting, threshold: 8, name: queue-swamped, severity: critical}\n"
    )
    assert [rule.name for rule in rules] == ["queue-busy", "queue-swamped"]


def test_not_a_list():
    assert problems_of("    alerts: {rule: queue_waiting}\n") == [
        "/cfg/config.yaml:4: profiles.prod.alerts: expected a list of rules (or [] for none), got a mapping"
    ]


def test_desktop_notification_choices():
    assert parse_config(HEAD + "    alert_desktop: osc777\n", PATH).profiles["prod"].get("alert_desktop").value == "osc777"
    assert problems_of("    alert_desktop: yes\n") == [
        "/cfg/config.yaml:4: profiles.prod.alert_desktop: expected one of off, osc9, osc777, got bool True"
    ]


def test_settings_get_the_defaults_without_an_alerts_field(write_config, env):
    write_config("profiles:\n  p:\n    server: https://api.tring.nu\n    key_env: K\n")
    settings = resolve_settings(env={**env, "K": "x"}).settings
    assert settings.alert_rules == DEFAULT_RULES and not settings.alert_bell and settings.alert_desktop == "off"
    assert {rule.condition for rule in DEFAULT_RULES} == set(CONDITIONS)


@pytest.mark.parametrize("seconds", [0, 45, 90, 120, 5400])
def test_durations_are_written_the_way_they_are_read(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


def test_a_duration_may_be_a_plain_number_of_seconds():
    (rule,) = rules_of("    alerts:\n      - {rule: queue_waiting, for: 45}\n")
    assert rule.hold == 45
    with pytest.raises(TimeParseError):
        parse_duration("2q")


def test_the_example_configs_alert_lines_are_valid_once_uncommented():
    from tringtui.config.template import EXAMPLE_CONFIG

    text = EXAMPLE_CONFIG.replace("    # alert", "    alert").replace("    #   - ", "      - ")
    profile = parse_config(text, PATH).profiles["production"]
    assert [rule.condition for rule in profile.get("alerts").value] == ["queue_waiting", "node_peers_lost", "balance_low"]
    assert profile.get("alert_desktop").value == "osc9" and profile.get("alert_bell").value is True
