"""Choices made inside the app that outlive it: the theme picked for each profile, and view choices
(the Channels pane showing calls or channels).

Kept apart from the config file, which is the user's to edit and which the
app never rewrites, in ``$XDG_STATE_HOME/tringtui/state.json``. A damaged or
unreadable state file is treated as empty: losing a remembered theme must
never stop the monitor from starting.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_theme(path: Path, profile: str) -> str:
    """The theme last chosen in the app for ``profile`` ("" when none was)."""
    return _remembered(path, "themes", profile)


def remember_theme(path: Path, profile: str, theme: str) -> None:
    """Record ``theme`` as the choice for ``profile``; written atomically so a crash cannot truncate it."""
    _remember(path, "themes", profile, theme)


def remembered_view(path: Path, name: str) -> str:
    """A view choice made in the app (``channels_grouping``: ``calls`` or ``channels``); "" when none was."""
    return _remembered(path, "views", name)


def remember_view(path: Path, name: str, value: str) -> None:
    """Record a view choice (written atomically, like the theme)."""
    _remember(path, "views", name, value)


def _remembered(path: Path, section: str, name: str) -> str:
    choices = _read(path).get(section)
    value = choices.get(name) if isinstance(choices, dict) else None
    return value if isinstance(value, str) else ""


def _remember(path: Path, section: str, name: str, value: str) -> None:
    data = _read(path)
    stored = data.get(section)
    choices: dict[str, Any] = stored if isinstance(stored, dict) else {}
    choices[name] = value
    data[section] = choices
    _write(path, data)


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".state-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
