"""Where tringtui keeps its files, following the XDG base directory spec.

- config: ``$XDG_CONFIG_HOME/tringtui/config.yaml`` (``~/.config/…``), unless
  ``--config PATH`` or ``TRINGTUI_CONFIG`` names another file;
- user themes: ``$XDG_CONFIG_HOME/tringtui/themes/*.yaml``;
- state (the remembered theme choice): ``$XDG_STATE_HOME/tringtui/state.json``
  (``~/.local/state/…``).

The spec says relative values of the XDG variables are to be ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

APP_DIR = "tringtui"
CONFIG_ENV = "TRINGTUI_CONFIG"


def _xdg_base(env: Mapping[str, str], variable: str, fallback: str) -> Path:
    value = env.get(variable, "")
    if value and Path(value).is_absolute():
        return Path(value)
    home = env.get("HOME") or str(Path.home())
    return Path(home) / fallback


def config_dir(env: Mapping[str, str]) -> Path:
    """The directory holding the default config file and the user's themes."""
    return _xdg_base(env, "XDG_CONFIG_HOME", ".config") / APP_DIR


def default_config_file(env: Mapping[str, str]) -> Path:
    """The config file used when neither ``--config`` nor ``TRINGTUI_CONFIG`` names one."""
    return config_dir(env) / "config.yaml"


def user_themes_dir(env: Mapping[str, str]) -> Path:
    """The directory whose ``*.yaml`` files are loaded as the user's own themes."""
    return config_dir(env) / "themes"


def state_file(env: Mapping[str, str]) -> Path:
    """The small file remembering choices made in the app (the theme, per profile)."""
    return _xdg_base(env, "XDG_STATE_HOME", ".local/state") / APP_DIR / "state.json"


def chosen_config_file(flag: str | None, env: Mapping[str, str]) -> tuple[Path, str]:
    """The config file to read and where that choice came from (``flag --config``, ``env …``, ``default``)."""
    if flag:
        return Path(flag).expanduser(), "flag --config"
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser(), f"env {CONFIG_ENV}"
    return default_config_file(env), "default"
