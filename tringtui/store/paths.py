"""Where recordings live: one store per profile and server, under the XDG state directory."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from tringtui.config.paths import state_file
from tringtui.settings import Settings

RECORDINGS_DIR = "recordings"
DEMO_STORE_NAME = "demo@simulator"
_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]+")


def default_store_path(profile: str, server_host: str, env: Mapping[str, str]) -> Path:
    """``$XDG_STATE_HOME/tringtui/recordings/<profile>@<host>.sqlite`` (``~/.local/state/…``)."""
    name = _UNSAFE.sub("_", f"{profile}@{server_host}")
    return state_file(env).parent / RECORDINGS_DIR / f"{name}.sqlite"


def store_path(settings: Settings, env: Mapping[str, str]) -> Path:
    """The store a session records into: ``--store`` / the profile's ``store``, else the default.

    Demo sessions share one store whatever port their simulator got, so that
    ``tringtui events --demo`` finds what ``tringtui --demo`` recorded.
    """
    if settings.store_path:
        return Path(settings.store_path).expanduser()
    if settings.demo:
        return state_file(env).parent / RECORDINGS_DIR / f"{DEMO_STORE_NAME}.sqlite"
    return default_store_path(settings.profile, settings.server_host, env)
