"""Configuration: YAML profiles, where the key comes from, precedence and paths.

Public API:

- ``load_config(path)`` reads and validates a config file (``ConfigFile``),
  raising ``ConfigError`` whose ``problems`` name file, line and field;
- ``resolve_settings(Overrides(...))`` applies flags > environment > profile >
  defaults and returns a ``Resolution``: the ``Settings`` the monitor runs
  with, plus where each value came from;
- ``read_key(spec)`` obtains a key from its ``KeySpec``;
- ``remember_theme`` / ``remembered_theme`` keep the theme chosen in the app.

Nothing here imports Textual at import time.
"""

from tringtui.config.loader import ConfigError, ConfigFile, Profile, load_config
from tringtui.config.resolve import ENVIRONMENT, Overrides, Resolution, resolve_settings
from tringtui.config.secrets import KeySpec, KeyUnavailable, read_key
from tringtui.config.state import remember_theme, remembered_theme
from tringtui.config.yamlnodes import Problem

__all__ = [
    "ENVIRONMENT",
    "ConfigError",
    "ConfigFile",
    "KeySpec",
    "KeyUnavailable",
    "Overrides",
    "Problem",
    "Profile",
    "Resolution",
    "load_config",
    "read_key",
    "remember_theme",
    "remembered_theme",
    "resolve_settings",
]
