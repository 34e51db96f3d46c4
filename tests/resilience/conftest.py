"""Fixtures for the resilience tests: a restartable simulator rig, and intervals short enough to test recovery."""

from __future__ import annotations

import pytest

import tringtui.settings
from tests.resilience.harness import Rig


@pytest.fixture(autouse=True)
def short_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    # The floor protects a real PBX from eager users; the simulator needs no protection,
    # and recovery "within two intervals" is only testable in seconds with short ones.
    monkeypatch.setattr(tringtui.settings, "MIN_INTERVAL", 0.05)


@pytest.fixture
def rig():
    rig = Rig.create()
    rig.server.start()
    yield rig
    rig.server.stop()
