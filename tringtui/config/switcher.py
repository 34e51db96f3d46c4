"""Switching profile inside the running app, without restarting it.

The config file is read again on every use, so a profile added or fixed
while the monitor runs is offered at once. A switch keeps what the user
chose for the whole session (the config file, read-only, no mouse) and
drops what only described the first connection (server, tenant, key and
theme flags, and the ``TRINGTUI_*`` overrides): picking "production" means
production's own values. A key command gets the terminal when the app can
hand it over (it suspends itself meanwhile), so a password manager may prompt.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from tringtui.config.loader import ConfigError, Profile, load_config
from tringtui.config.paths import chosen_config_file
from tringtui.config.resolve import Overrides, Resolution, resolve_settings
from tringtui.config.secrets import KeyCommandInterrupted
from tringtui.config.yamlnodes import Problem


@dataclass(frozen=True)
class ProfileSummary:
    """What the profile picker shows about one profile (never its key)."""

    name: str
    server: str
    tenant: str
    label: str
    readonly: bool
    theme: str
    key_command: bool = False  # its key comes from a command, which may want the terminal


def _text(profile: Profile, name: str) -> str:
    located = profile.get(name)
    return str(located.value) if located is not None else ""


def _flag(profile: Profile, name: str) -> bool:
    located = profile.get(name)
    return located is not None and located.value is True


@dataclass
class ProfileSwitcher:
    """Lists the config file's profiles and resolves the settings of the one picked."""

    overrides: Overrides = field(default_factory=Overrides)
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)

    def profiles(self) -> list[ProfileSummary]:
        """The profiles of the config file as it is now (raises ``ConfigError`` when it is broken)."""
        path, source = chosen_config_file(self.overrides.config, self.env)
        config = load_config(path, required=source != "default")
        return [
            ProfileSummary(
                name,
                server=_text(profile, "server"),
                tenant=_text(profile, "tenant"),
                label=_text(profile, "label"),
                readonly=_flag(profile, "readonly"),
                theme=_text(profile, "theme"),
                key_command=profile.get("key_command") is not None,
            )
            for name, profile in config.profiles.items()
        ]

    def resolve(
        self, name: str, known_themes: Collection[str] | None = None, *, interactive: bool = False
    ) -> Resolution:
        """The settings of profile ``name`` (runs its key command; raises ``ConfigError`` with every problem).

        ``interactive`` gives the key command the terminal (the app must have
        suspended itself first); otherwise it runs with no input.
        """
        try:
            return resolve_settings(
                self.overrides.switching_to(name),
                self.env,
                interactive=interactive,
                known_themes=known_themes,
                use_env_overrides=False,
            )
        except KeyCommandInterrupted as interrupted:
            # Ctrl+C at a password manager's prompt abandons the switch, not the running session.
            raise ConfigError([Problem("", None, "key", str(interrupted))]) from None
