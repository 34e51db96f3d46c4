"""Flags > environment > profile > defaults, with the origin of every value recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tringtui.config import ConfigError, Overrides, remember_theme, resolve_settings
from tringtui.config.paths import state_file

TWO_PROFILES = """
default_profile: staging
profiles:
  staging:
    server: https://staging.example
    tenant: DEVEL
    key_env: STAGING_KEY
    theme: tring-light
  production:
    server: https://api.tring.nu
    key_env: PROD_KEY
    readonly: true
    label: PRODUCTION
    label_color: red
    intervals:
      channels: 3
"""


@pytest.fixture
def keyed_env(env):
    return {**env, "STAGING_KEY": "s-key", "PROD_KEY": "p-key"}


def test_default_profile_from_the_file(keyed_env, write_config):
    path = write_config(TWO_PROFILES)
    resolution = resolve_settings(env=keyed_env)
    settings = resolution.settings
    assert (settings.profile, settings.server, settings.tenant, settings.theme) == (
        "staging", "https://staging.example", "DEVEL", "tring-light"
    )
    assert settings.key.reveal() == "s-key"
    assert resolution.sources["profile"] == f"{path}:1"
    assert resolution.sources["server"] == f"{path}:4"
    assert resolution.sources["timeout"] == "default"


def test_env_profile_beats_default_profile_and_flag_beats_env(keyed_env, write_config):
    write_config(TWO_PROFILES)
    env = {**keyed_env, "TRINGTUI_PROFILE": "production"}
    assert resolve_settings(env=env).settings.profile == "production"
    chosen = resolve_settings(Overrides(profile="staging"), env=env)
    assert chosen.settings.profile == "staging"
    assert chosen.sources["profile"] == "flag --profile"


def test_env_beats_profile_and_flag_beats_env(keyed_env, write_config):
    write_config(TWO_PROFILES)
    # Another server for a named profile needs the key named too (a profile's key goes only to its server).
    env = {**keyed_env, "TRINGTUI_PROFILE": "staging", "TRINGTUI_KEY_ENV": "STAGING_KEY",
           "TRINGTUI_SERVER": "https://env.example/", "TRINGTUI_TENANT": "ENVT", "TRINGTUI_THEME": "ansi"}
    from_env = resolve_settings(env=env)
    assert (from_env.settings.server, from_env.settings.tenant, from_env.settings.theme) == ("https://env.example", "ENVT", "ansi")
    assert from_env.sources["server"] == "env TRINGTUI_SERVER"
    from_flags = resolve_settings(Overrides(server="https://flag.example", tenant="FLAGT", theme="noc-high-contrast"), env=env)
    assert (from_flags.settings.server, from_flags.settings.tenant, from_flags.settings.theme) == (
        "https://flag.example", "FLAGT", "noc-high-contrast"
    )
    assert from_flags.sources["tenant"] == "flag --tenant"


def test_key_env_flag_beats_env_beats_profile(keyed_env, write_config):
    write_config(TWO_PROFILES)
    env = {**keyed_env, "OTHER": "o-key", "FLAGGED": "f-key", "TRINGTUI_KEY_ENV": "OTHER"}
    assert resolve_settings(env=env).settings.key.reveal() == "o-key"
    assert resolve_settings(Overrides(key_env="FLAGGED"), env=env).settings.key.reveal() == "f-key"


def test_readonly_is_sticky_across_sources(keyed_env, write_config):
    write_config(TWO_PROFILES)
    production = resolve_settings(Overrides(profile="production"), env={**keyed_env, "TRINGTUI_READONLY": "0"})
    assert production.settings.readonly is True
    staging = resolve_settings(env={**keyed_env, "TRINGTUI_READONLY": "yes"})
    assert staging.settings.readonly is True and staging.sources["readonly"] == "env TRINGTUI_READONLY"
    assert resolve_settings(Overrides(readonly=True), env=keyed_env).sources["readonly"] == "flag --readonly"
    assert resolve_settings(env=keyed_env).settings.readonly is False


def test_a_misspelt_readonly_variable_is_a_problem_not_a_writable_session(keyed_env, write_config):
    write_config(TWO_PROFILES)
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env={**keyed_env, "TRINGTUI_READONLY": "ture"})
    assert str(caught.value) == "environment TRINGTUI_READONLY: readonly: expected 1/true/yes/on or 0/false/no/off, got 'ture'"
    assert resolve_settings(env={**keyed_env, "TRINGTUI_READONLY": "Off"}).settings.readonly is False


def test_profile_values_reach_the_settings(keyed_env, write_config):
    path = write_config(TWO_PROFILES)
    resolution = resolve_settings(Overrides(profile="production"), env=keyed_env)
    settings = resolution.settings
    assert (settings.label, settings.label_color) == ("PRODUCTION", "red")
    assert settings.intervals["channels"] == 3 and settings.intervals["nodes"] == 15
    assert resolution.sources["intervals.channels"] == f"{path}:15"
    assert resolution.sources["intervals.nodes"] == "default"


def test_no_mouse_flag_beats_profile(keyed_env, write_config):
    write_config(TWO_PROFILES)
    assert resolve_settings(env=keyed_env).settings.mouse is True
    resolution = resolve_settings(Overrides(no_mouse=True), env=keyed_env)
    assert resolution.settings.mouse is False and resolution.sources["mouse"] == "flag --no-mouse"


def test_unknown_profile_lists_the_known_ones(keyed_env, write_config):
    path = write_config(TWO_PROFILES)
    with pytest.raises(ConfigError) as caught:
        resolve_settings(Overrides(profile="prod"), env=keyed_env)
    assert str(caught.value) == f"flag --profile: no profile named 'prod' in {path}; profiles: staging, production"


def test_config_flag_beats_env_beats_xdg(keyed_env, tmp_path: Path):
    for name, server in (("a.yaml", "https://a.example"), ("b.yaml", "https://b.example")):
        (tmp_path / name).write_text(f"profiles:\n  only:\n    server: {server}\n    key_env: STAGING_KEY\n")
    env = {**keyed_env, "TRINGTUI_CONFIG": str(tmp_path / "a.yaml")}
    assert resolve_settings(env=env).settings.server == "https://a.example"
    resolution = resolve_settings(Overrides(config=str(tmp_path / "b.yaml")), env=env)
    assert resolution.settings.server == "https://b.example" and resolution.config_source == "flag --config"


def test_xdg_config_home_is_honoured(keyed_env, tmp_path: Path):
    xdg = tmp_path / "elsewhere"
    (xdg / "tringtui").mkdir(parents=True)
    (xdg / "tringtui" / "config.yaml").write_text("profiles:\n  x:\n    server: https://x.example\n    key_env: STAGING_KEY\n")
    assert resolve_settings(env={**keyed_env, "XDG_CONFIG_HOME": str(xdg)}).settings.server == "https://x.example"


def test_without_a_file_flags_and_env_suffice(env):
    resolution = resolve_settings(Overrides(server="https://x.example"), env={**env, "TRINGTUI_KEY": "k"})
    assert resolution.settings.server == "https://x.example" and resolution.settings.key.reveal() == "k"
    assert resolution.settings.profile == "ad-hoc" and not resolution.config.exists


def test_bad_server_from_the_environment_is_named(env):
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env={**env, "TRINGTUI_KEY": "k", "TRINGTUI_SERVER": "api.tring.nu"})
    assert str(caught.value).startswith("environment TRINGTUI_SERVER: server: must start with https://")


def test_bad_tenant_from_a_flag_is_named(env):
    with pytest.raises(ConfigError) as caught:
        resolve_settings(Overrides(server="https://x.example", tenant="DE VEL"), env={**env, "TRINGTUI_KEY": "k"})
    assert str(caught.value) == "flag --tenant: tenant: invalid tenant code 'DE VEL': expected letters, digits, _ . -"


def test_ca_bundle_becomes_the_tls_verification(env, write_config, tmp_path):
    bundle = tmp_path / "corp-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    path = write_config(f"profiles:\n  p:\n    server: https://x.example\n    key_env: K\n    ca_bundle: {bundle}\n")
    resolution = resolve_settings(env={**env, "K": "k"})
    assert resolution.settings.verify_tls == str(bundle)
    assert resolution.sources["verify_tls"] == f"{path}:5"


def test_theme_precedence_with_the_remembered_choice(keyed_env, write_config):
    write_config(TWO_PROFILES)
    remember_theme(state_file(keyed_env), "production", "ansi")
    remember_theme(state_file(keyed_env), "staging", "ansi")
    production = resolve_settings(Overrides(profile="production"), env=keyed_env)
    assert production.settings.theme == "ansi"  # the profile sets no theme: the remembered one applies
    assert production.sources["theme"].startswith("remembered in ")
    assert resolve_settings(env=keyed_env).settings.theme == "tring-light"  # the profile's own theme wins
    assert resolve_settings(Overrides(profile="production"), env={**keyed_env, "XDG_STATE_HOME": "/nonexistent"}).settings.theme == "tring-dark"


def test_unknown_theme_is_a_problem_at_its_source(keyed_env, write_config):
    path = write_config(TWO_PROFILES)
    known = {"tring-dark", "ansi"}
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env=keyed_env, known_themes=known)
    assert str(caught.value) == f"{path}:7: profiles.staging.theme: 'tring-light' is not a known theme; available: ansi, tring-dark"
    with pytest.raises(ConfigError) as caught:
        resolve_settings(Overrides(theme="nope"), env=keyed_env, known_themes=known)
    assert str(caught.value).startswith("flag --theme: theme: 'nope' is not a known theme")


def test_switching_profile_drops_connection_flags_but_keeps_readonly(keyed_env, write_config):
    write_config(TWO_PROFILES)
    started = Overrides(server="https://flag.example", readonly=True, no_mouse=True)
    switched = resolve_settings(started.switching_to("production"), env=keyed_env).settings
    assert switched.server == "https://api.tring.nu" and switched.readonly and not switched.mouse


def test_demo_needs_neither_server_nor_key(env):
    settings = resolve_settings(Overrides(demo=True), env=env).settings
    assert settings.demo and not settings.key
