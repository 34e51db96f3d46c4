"""Whether and where a session records, and how much its store keeps: flags, profile, defaults."""

from __future__ import annotations

import pytest

from tringtui.config import ConfigError, Overrides, resolve_settings
from tringtui.settings import DEFAULT_RETENTION_AGE, DEFAULT_RETENTION_MB
from tringtui.store.paths import store_path

CONFIG = """\
profiles:
  prod:
    server: https://api.tring.nu
    key_env: PROD_KEY
    retention: {age: 2h, size_mb: 50}
  quiet:
    server: https://api.tring.nu
    key_env: PROD_KEY
    record: false
    store: ~/noc/quiet.sqlite
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG)
    return str(path)


def settings(config, **overrides):
    env = {"HOME": "/home/noc", "XDG_STATE_HOME": "/state"}
    return resolve_settings(Overrides(config=config, **overrides), reveal_key=False, env=env)


def test_a_session_records_by_default_with_the_default_retention(config):
    resolved = settings(config, profile="prod")
    assert resolved.settings.record is True
    assert resolved.settings.retention_age == 7200.0 and resolved.settings.retention_bytes == 50 * 1024 * 1024
    assert resolved.sources["retention.age"].endswith("config.yaml:5")
    assert str(store_path(resolved.settings, {"XDG_STATE_HOME": "/state"})) == \
        "/state/tringtui/recordings/prod@api.tring.nu.sqlite"


def test_no_record_and_record_false_turn_it_off_and_store_moves_it(config):
    assert settings(config, profile="prod", no_record=True).settings.record is False
    quiet = settings(config, profile="quiet").settings
    assert quiet.record is False and quiet.store_path.endswith("noc/quiet.sqlite")
    assert settings(config, profile="quiet", store="/tmp/x.sqlite").settings.store_path == "/tmp/x.sqlite"
    defaults = settings(config, server="https://other.example", key_env="X").settings
    assert (defaults.retention_age, defaults.retention_bytes) == (DEFAULT_RETENTION_AGE, DEFAULT_RETENTION_MB * 1024 ** 2)


def test_bad_retention_is_named_by_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("profiles:\n  p:\n    server: https://x.example\n    key_env: K\n"
                    "    retention: {age: -3h, size_mb: big, keep: all}\n    record: maybe\n")
    with pytest.raises(ConfigError) as caught:
        settings(str(path), profile="p")
    report = caught.value.report()
    assert f"{path}:5: profiles.p.retention.age:" in report
    assert f"{path}:5: profiles.p.retention.size_mb: expected a number" in report
    assert f"{path}:5: profiles.p.retention.keep: unknown field" in report
    assert f"{path}:6: profiles.p.record: expected true or false" in report
