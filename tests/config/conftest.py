"""Fixtures for the config tests: an isolated home (XDG dirs) and a helper writing config files."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest



@pytest.fixture
def secret_key() -> str:
    """A distinctive key, so a test can prove it appears nowhere it should not."""
    return "k3y-Zq81-DO-NOT-LEAK-7f3a"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment whose HOME and XDG directories live in the test's temporary directory."""
    return {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
        "PATH": os.environ.get("PATH", ""),
    }


@pytest.fixture
def write_config(env: dict[str, str]):
    """Write (dedented) YAML to the default config path with the given mode; returns the path."""

    def write(text: str, mode: int = 0o600) -> Path:
        path = Path(env["XDG_CONFIG_HOME"]) / "tringtui" / "config.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        path.chmod(mode)
        return path

    return write
