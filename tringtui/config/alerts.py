"""Validation of a profile's ``alerts:`` list, with file:line for every bad rule.

``alerts:`` replaces the built-in defaults (``alerts: []`` turns them off);
each item names a built-in condition (``rule:``) and may set its threshold,
duration (``for: 2m``), severity, window, selectors (queue, node, tenant,
request) and notifications (``webhook:``, ``command:``).
"""

from __future__ import annotations

import difflib
from urllib.parse import urlsplit

import yaml

from tringtui.alert_rules import CONDITIONS, AlertRule, Severity, rule_from_defaults
from tringtui.config.yamlnodes import Problems, kind_of, line_of, mapping_entries, unknown_key, value_of
from tringtui.timeparse import TimeParseError, parse_duration

RULE_FIELDS = (  # rule, selectors and window are read apart; the others by _FIELD_CHECKERS

    "rule", "name", "threshold", "for", "severity", "window", "queue", "node", "tenant", "request",
    "webhook", "command", "notify_interval",
)
DESKTOP_NOTIFICATIONS = ("off", "osc9", "osc777")


def _number(node: yaml.Node, label: str, problems: Problems) -> float | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    problems.add(node, label, f"expected a number of 0 or more, got {kind_of(node)}")
    return None


def _duration(node: yaml.Node, label: str, problems: Problems) -> float | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    try:
        if isinstance(value, str):
            return parse_duration(value)
    except TimeParseError:
        pass
    problems.add(node, label, f"expected a duration such as 30s, 2m or 1h, got {kind_of(node)}")
    return None


def _text(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # queue: 281 means the queue "281"
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.add(node, label, f"expected a non-empty text, got {kind_of(node)}")
    return None


def _webhook(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = _text(node, label, problems)
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        problems.add(node, label, "expected an http:// or https:// URL")
        return None
    return value


def _severity(node: yaml.Node, label: str, problems: Problems) -> Severity | None:
    text = _text(node, label, problems)
    if text is not None and text not in (s.value for s in Severity):
        problems.add(node, label, f"{text!r} is not a severity; choose warning or critical")
        return None
    return None if text is None else Severity(text)


def _command(node: yaml.Node, label: str, problems: Problems) -> tuple[str, ...] | None:
    from tringtui.config.loader import check_command  # the key_command rules: a list, or one string split into words

    return check_command(node, label, problems)


_FIELD_CHECKERS = {
    "for": _duration, "notify_interval": _duration, "threshold": _number, "severity": _severity, "name": _text,
    "webhook": _webhook, "command": _command,
}
_SETTING_NAMES = {"for": "hold"}


def _rule(node: yaml.Node, label: str, problems: Problems) -> AlertRule | None:
    entries = mapping_entries(node, label, problems)
    if entries is None:
        return None
    given = {key: (key_node, value_node) for key, key_node, value_node in entries}
    before = len(problems)
    if "rule" not in given:
        problems.add(node, label, f"needs rule: one of {', '.join(CONDITIONS)}")
        return None
    condition = _text(given["rule"][1], f"{label}.rule", problems)
    if condition is None:
        return None
    if condition not in CONDITIONS:
        close = difflib.get_close_matches(condition, list(CONDITIONS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        problems.add(given["rule"][1], f"{label}.rule", f"{condition!r} is not a rule ({hint}rules: {', '.join(CONDITIONS)})")
        return None
    spec = CONDITIONS[condition]
    settings: dict[str, object] = {"line": line_of(node)}
    selectors = []
    for key, key_node, value_node in entries:
        field_label = f"{label}.{key}"
        if key not in RULE_FIELDS:
            problems.add(key_node, field_label, unknown_key(key, RULE_FIELDS))
        elif key == "rule":
            continue
        elif key in ("queue", "node", "tenant", "request"):
            if key not in spec.selectors:
                allowed = ", ".join(spec.selectors) or "none"
                problems.add(key_node, field_label, f"{condition} cannot be narrowed by {key} (it takes: {allowed})")
            elif (text := _text(value_node, field_label, problems)) is not None:
                selectors.append((key, text))
        elif key == "window":
            if spec.window is None:
                problems.add(key_node, field_label, f"{condition} takes no window")
            elif (seconds := _duration(value_node, field_label, problems)) is not None:
                settings["window"] = seconds
        elif (value := _FIELD_CHECKERS[key](value_node, field_label, problems)) is not None:
            settings[_SETTING_NAMES.get(key, key)] = value
    if len(problems) > before:
        return None
    settings["selectors"] = tuple(selectors)
    return rule_from_defaults(condition, **settings)


def check_alerts(node: yaml.Node, label: str, problems: Problems) -> tuple[AlertRule, ...] | None:
    """A profile's rules (an empty tuple turns alerting off); every bad rule is a problem with its line."""
    if not isinstance(node, yaml.SequenceNode):
        problems.add(node, label, f"expected a list of rules (or [] for none), got {kind_of(node)}")
        return None
    rules: list[AlertRule] = []
    first_line: dict[str, int] = {}
    before = len(problems)
    for index, item in enumerate(node.value):
        rule = _rule(item, f"{label}[{index}]", problems)
        if rule is None:
            continue
        if rule.name in first_line:
            problems.add(item, f"{label}[{index}]", f"the name {rule.name!r} is given twice (first on line "
                         f"{first_line[rule.name]}); give one of them name:")
            continue
        first_line[rule.name] = line_of(item)
        rules.append(rule)
    return None if len(problems) > before else tuple(rules)


def check_desktop_notification(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if value is False:
        value = "off"
    if value in DESKTOP_NOTIFICATIONS:
        return str(value)
    problems.add(node, label, f"expected one of {', '.join(DESKTOP_NOTIFICATIONS)}, got {kind_of(node)}")
    return None
