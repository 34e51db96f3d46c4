"""Snapshots of every pane at 80x24 and of the dashboard at 160x48 (seeded PBX, frozen clock, UTC)."""

from __future__ import annotations

import pytest

from tests.tui.conftest import DISPLAY_SERVER, TEST_INTERVAL, first_data, wait_until
from tringtui.api.client import TringClient
from tringtui.settings import PANES, Secret, Settings
from tringtui.tui.app import TringApp


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5"], ids=["nodes", "channels", "queues", "flows", "peers"])
def test_pane_at_80x24(snap_compare, make_app, utc, key):
    assert snap_compare(make_app(), press=[key], terminal_size=(80, 24), run_before=first_data)


def test_dashboard_at_160x48(snap_compare, make_app, utc):
    assert snap_compare(make_app(), terminal_size=(160, 48), run_before=first_data)


def test_help_at_80x24(snap_compare, make_app, utc):
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(80, 24), run_before=first_data)


def test_server_down_at_start_at_80x24(snap_compare, sim_server, sim_clock, utc):
    """No answer yet anywhere: NO DATA in the title, the reason in the table, no flat sparklines."""
    url = sim_server.url
    sim_server.stop()
    settings = Settings(server=DISPLAY_SERVER, key=Secret("demo-admin"), profile="test",
                        intervals={pane: TEST_INTERVAL for pane in PANES})
    app = TringApp(settings, pane_tenant="DEVEL", clock=sim_clock, tick_interval=0,
                   client_factory=lambda s: TringClient(url, s.key, tenant=s.tenant))

    async def every_pane_failed(pilot) -> None:
        app = pilot.app
        await wait_until(lambda: all(app.panes[source].snapshot.error for source in PANES))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=every_pane_failed)


async def call_story_open(pilot) -> None:
    """Calls grouped, the first call's story open and loaded."""
    from tests.actions.action_host import wait_for_screen
    from tringtui.tui.screens.call_story import CallStoryScreen

    await first_data(pilot)
    await pilot.press("2", "c", "enter")
    screen = await wait_for_screen(pilot, CallStoryScreen)
    await wait_until(lambda: screen.story is not None)
    await pilot.pause(0.1)


async def overview_open(pilot) -> None:
    from tests.actions.action_host import wait_for_screen
    from tringtui.tui.screens.tenant_overview import TenantOverviewScreen

    await first_data(pilot)
    await pilot.press("o")
    screen = await wait_for_screen(pilot, TenantOverviewScreen)
    await wait_until(lambda: screen.accounts.fetched_at is not None and not screen._asking
                     and all(row.account is not None for row in screen.rows), timeout=15)
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_call_story(snap_compare, make_app, utc, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=call_story_open)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_tenant_overview(snap_compare, make_app, utc, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=overview_open)


async def channels_grouped(pilot) -> None:
    await first_data(pilot)
    await pilot.press("2", "c", "e")
    await pilot.pause()


def test_channels_grouped_at_80x24(snap_compare, make_app, utc):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=channels_grouped)
