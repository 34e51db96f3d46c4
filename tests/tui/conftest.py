"""Fixtures for the monitor's Pilot and snapshot tests, on the root conftest's frozen simulated PBX
(``sim_clock``, ``sim_pbx``, ``sim_server``) served over real HTTP.

Every poll interval is an hour, so after the first round nothing polls unless
a test asks (``r``); the ManualClock only moves when a test moves it. That
makes each test's data, and every snapshot, the same on every run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from textual.widgets import Label

from tringtui.api.client import TringClient
from tringtui.settings import PANES, Secret, Settings
from tringtui.sim import ManualClock, SimServer
from tringtui.tui.app import TringApp
from tringtui.tui.panes.base import PaneTitle

DEMO_TENANT = "DEVEL"
# Shown in the header instead of the loopback port, which changes every run.
DISPLAY_SERVER = "http://pbx.demo.test"
TEST_INTERVAL = 3600.0


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch):
    """Header times and BLF timestamps in UTC, whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def make_app(sim_server: SimServer, sim_clock: ManualClock) -> Callable[..., TringApp]:
    def make(**settings_overrides) -> TringApp:
        settings = Settings(**{
            "server": DISPLAY_SERVER,
            "key": Secret("demo-admin"),
            "profile": "test",
            "demo": True,
            "intervals": {pane: TEST_INTERVAL for pane in PANES},
            **settings_overrides,
        })
        return TringApp(
            settings,
            pane_tenant=DEMO_TENANT,
            clock=sim_clock,
            client_factory=lambda s: TringClient(sim_server.url, s.key, tenant=s.tenant, readonly=s.readonly),
            tick_interval=0,
        )

    return make


# How long a wait may last before the test gives up: a safety net against a hung test, never a
# measure of speed (a loaded CI machine may be slow).
PATIENCE = 30.0


async def wait_until(predicate: Callable[[], bool], timeout: float = PATIENCE) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the monitor")
        await asyncio.sleep(0.01)


def settled(app: TringApp, generations: dict[str, int] | None = None) -> bool:
    """Every polling pane has finished a poll (newer than ``generations``, when given).

    Only the panes of the session's sources poll: the Events pane changes when an event is
    recorded, which a refresh need not cause, so waiting for it would wait in vain.
    """
    for pane_id, pane in app.panes.items():
        if pane_id not in app.live.sources or pane.idle_reason is not None:
            continue  # not polling (the Events pane; a tenant-scoped pane waiting for a tenant)
        state = pane.snapshot
        if state.in_flight or (state.data is None and state.error is None):
            return False
        if generations is not None and state.completed <= generations[pane_id]:
            return False
    return True


def progress(app: TringApp) -> dict[str, int]:
    return {pane_id: pane.snapshot.completed for pane_id, pane in app.panes.items()}


async def first_data(pilot) -> None:
    await wait_until(lambda: settled(pilot.app))
    await pilot.pause()


async def refresh(pilot) -> None:
    """Press r and wait until every pane has polled again."""
    before = progress(pilot.app)
    await pilot.press("r")
    await wait_until(lambda: settled(pilot.app, before))
    await pilot.pause()


def title_status(app, pane_id: str) -> str:
    """The status part of a pane's title (age, STALE, error)."""
    return str(app.panes[pane_id].query_one(PaneTitle).query_one(".pane-status", Label).content)


def table(app, pane_id: str, table_id: str | None = None):
    """A pane's table: ``#<pane>-table`` unless another id is given."""
    return app.panes[pane_id].query_one(f"#{table_id or pane_id + '-table'}")
