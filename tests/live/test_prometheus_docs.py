"""docs/prometheus: the alerting rules match the built-in defaults, promtool accepts them, and every metric the
rules and the Grafana dashboard use is one tringtui serves."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tringtui.alert_rules import DEFAULT_RULES, format_duration, format_number

DOCS = Path(__file__).resolve().parents[2] / "docs" / "prometheus"
RULES = DOCS / "tringtui-rules.yml"


def prometheus_rules():
    return [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]


def test_the_rules_file_has_every_default_with_its_threshold_duration_and_severity():
    by_rule = {rule["labels"].get("rule"): rule for rule in prometheus_rules()}
    for default in DEFAULT_RULES:
        rule = by_rule[default.condition]
        assert rule["labels"]["severity"] == default.severity.value, default.name
        assert rule.get("for", "0s") == format_duration(default.hold), default.name
        threshold = default.threshold if default.condition not in ("queue_service_level", "call_stuck") else None
        if default.condition == "queue_service_level":
            assert f"< {default.threshold / 100:.2f}" in rule["expr"]
        elif default.condition == "call_stuck":
            assert f">= {format_number(default.threshold)} * 3600" in rule["expr"]
        else:
            assert re.search(rf"(>=|<=|<) {format_number(threshold)}\b", rule["expr"]), (default.name, rule["expr"])
        if default.window:
            assert f"[{format_duration(default.window)}]" in rule["expr"], default.name


def served_metric_names() -> set[str]:
    pytest.importorskip("prometheus_client", reason="the prometheus extra is not installed")
    from prometheus_client.parser import text_string_to_metric_families

    from tringtui.live.alerts import AlertEngine
    from tringtui.live.metrics import PbxMetrics
    from tringtui.live.pbx_figures import PbxFigures

    metrics = PbxMetrics(lambda: PbxFigures(now=0.0), AlertEngine(DEFAULT_RULES), lambda: 0.0)
    metrics.observe_request("CHANNELS", "ok", 0.1)
    names = set()
    for family in text_string_to_metric_families(metrics.render().decode()):
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
    return names | {
        # families with no sample until there is data: named by the collector all the same
        "tring_node_peers_registered", "tring_node_peers", "tring_node_channels", "tring_node_oldest_channel_seconds",
        "tring_node_registration_changes_total", "tring_queue_calls_waiting", "tring_queue_longest_wait_seconds",
        "tring_queue_service_level_ratio", "tring_queue_received_calls", "tring_queue_agents", "tring_tenant_peers",
        "tring_tenant_peers_registered", "tring_tenant_channels", "tring_tenant_balance", "tring_tenant_max_channels",
        "tring_source_data_age_seconds",
    }


def test_the_rules_and_dashboard_use_only_metrics_tringtui_serves():
    served = served_metric_names()
    used = set(re.findall(r"\btring_[a-z_]+", RULES.read_text()))
    dashboard = json.loads((DOCS / "grafana-dashboard.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            used.update(re.findall(r"\btring_[a-z_]+", target["expr"]))
    assert used and used <= served, used - served


def test_promtool_accepts_the_rules_and_the_scrape_config_and_the_rules_fire():
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (Debian: apt-get install prometheus; .ci/run installs it when it can)")
    unit_tests = Path(__file__).parent / "promtool" / "rules_test.yml"  # a few rules fire as the defaults do
    for command in (["check", "rules", str(RULES)], ["check", "config", str(DOCS / "scrape.yml")],
                    ["test", "rules", str(unit_tests)]):
        result = subprocess.run([promtool, *command], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_lists_every_rule_with_its_defaults():
    from tringtui.alert_rules import CONDITIONS

    readme = (DOCS.parents[1] / "README.md").read_text()
    listed = readme.split("<!-- alert-rules -->")[1].split("<!-- /alert-rules -->")[0]
    for condition in CONDITIONS.values():
        row = next(line for line in listed.splitlines() if line.startswith(f"| `{condition.name}` |"))
        default = f"{condition.compare.value} {format_number(condition.threshold)} {condition.unit}, for {format_duration(condition.hold)}"
        assert default in row and condition.severity.value in row, row
