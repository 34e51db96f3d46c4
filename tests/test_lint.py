"""The project's static checks, run with the tests so CI enforces them: ruff, import-linter, mypy.

Run them by hand from the repository root with the same commands:
``ruff check tringtui tests bench``, ``lint-imports``, ``mypy --strict <packages below>``.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Packages held to ``mypy --strict``: the headless layers every face builds on.
MYPY_STRICT_PACKAGES: list[str] = [
    "tringtui/api",
    "tringtui/audit.py",
    "tringtui/config",
    "tringtui/live",
    "tringtui/settings.py",
    "tringtui/store",
    "tringtui/timeparse.py",
    "tringtui/alert_rules.py",
]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install '.[test]'")
    return path


def test_ruff():
    result = run(tool("ruff"), "check", "--no-cache", "tringtui", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts():
    result = run(tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not MYPY_STRICT_PACKAGES, reason="no package is held to mypy --strict yet")
def test_mypy_strict():
    result = run(sys.executable, "-m", "mypy", "--strict", "--no-incremental", *MYPY_STRICT_PACKAGES)
    assert result.returncode == 0, result.stdout + result.stderr
