"""Switching profile in the app: the file is re-read, and the picked profile's own values apply."""

from __future__ import annotations

import pytest

from tringtui.config import ConfigError, Overrides
from tringtui.config.switcher import ProfileSummary, ProfileSwitcher


def test_lists_profiles_as_the_file_is_now(env, write_config):
    write_config("profiles:\n  a: {server: 'https://a.example', key_env: K}\n")
    switcher = ProfileSwitcher(Overrides(), env)
    assert [p.name for p in switcher.profiles()] == ["a"]
    write_config(
        "profiles:\n  a: {server: 'https://a.example', key_env: K}\n"
        "  prod: {server: 'https://p.example', tenant: ACME, key_env: K, label: PROD, readonly: true}\n"
    )
    assert switcher.profiles()[1] == ProfileSummary("prod", "https://p.example", "ACME", "PROD", True, "")


def test_picked_profile_values_beat_the_first_sessions_flags_and_env(env, write_config):
    write_config(
        "profiles:\n  a: {server: 'https://a.example', key_env: K}\n"
        "  b: {server: 'https://b.example', key_env: K, theme: ansi}\n"
    )
    env = {**env, "K": "key", "TRINGTUI_SERVER": "https://env.example"}
    switcher = ProfileSwitcher(Overrides(profile="a", server="https://flag.example", theme="tring-light", readonly=True), env)
    settings = switcher.resolve("b").settings
    assert (settings.profile, settings.server, settings.theme) == ("b", "https://b.example", "ansi")
    assert settings.readonly  # read-only chosen for the session stays on


def test_a_broken_profile_is_reported_not_applied(env, write_config):
    write_config("profiles:\n  a: {server: 'https://a.example', key_env: MISSING}\n")
    with pytest.raises(ConfigError, match="MISSING is not set"):
        ProfileSwitcher(Overrides(), env).resolve("a")


def test_ctrl_c_at_a_key_command_abandons_the_switch_not_the_session(env, write_config):
    # The key command interrupts its parent (this process) as Ctrl+C on the terminal would.
    write_config("profiles:\n  a: {server: 'https://a.example', key_command: [sh, -c, 'kill -INT $PPID; sleep 5']}\n")
    with pytest.raises(ConfigError) as caught:
        ProfileSwitcher(Overrides(), env).resolve("a", interactive=True)
    assert str(caught.value).startswith("key: stopped waiting for the API key from key_command sh")
