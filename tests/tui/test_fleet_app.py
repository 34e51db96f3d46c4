"""The fleet monitor: two simulated PBXs on loopback, each in its own tab, and the fleet overview.

Time is a ``ManualClock`` that only moves when a test moves it; the header
shows made-up host names instead of the loopback ports, which change every run.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.tui.conftest import wait_until
from tringtui.api.client import TringClient
from tringtui.live import SOURCES, ManualClock
from tringtui.live.derived import totals
from tringtui.live.fleet import OVERVIEW_INTERVAL
from tringtui.settings import Secret, Settings
from tringtui.sim import ManualClock as SimClock
from tringtui.sim import ApiKey, SimServer, SimulatedPBX
from tringtui.tui.fleet.app import FleetApp
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.fleet.overview import FleetTable

INTERVAL = 3600.0
PBXS = (
    # profile, label, colour, key, tenant, read-only, shown host
    ("eu", "PROD-EU", "red", "eu-devel-key", "DEVEL", False, "http://pbx-eu.example"),
    ("us", "PROD-US", "green", "us-admin-ro-key", "", True, "http://pbx-us.example"),
)
# Each simulator accepts only its own PBX's key: a key sent to the other PBX is refused, and
# its row would turn FAILING.
SIM_KEYS = {
    "eu": {"eu-devel-key": ApiKey("eu-devel-key", "tenant", "DEVEL", "rw")},
    "us": {"us-admin-ro-key": ApiKey("us-admin-ro-key", "admin", None, "ro")},
}


@pytest.fixture
def sims():
    servers = {name: SimServer(SimulatedPBX(seed=seed, size="small", clock=SimClock()), keys=SIM_KEYS[name]).start()
               for name, seed in (("eu", 7), ("us", 8))}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def journal(tmp_path):
    return tmp_path / "audit.jsonl"


@pytest.fixture
def make_fleet(sims, journal):
    def make() -> FleetApp:
        settings = [
            Settings(server=host, key=Secret(key), tenant=tenant, profile=name, readonly=readonly, label=label,
                     label_color=colour, intervals={source: INTERVAL for source in SOURCES}, audit_path=str(journal))
            for name, label, colour, key, tenant, readonly, host in PBXS
        ]
        return FleetApp(
            settings, clock=ManualClock(), tick_interval=0, tenants={"us": "DEVEL"},
            # The profile's own client (its caps, its journal), aimed at its simulator instead of the shown host.
            client_factory=lambda s: TringClient.from_settings(replace(s, server=sims[s.profile].url)),
        )

    return make


def polled(app: FleetApp) -> bool:
    """Every member has data for what it polls and nothing in flight."""
    for member in app.fleet.members:
        session = member.session
        if any(s.in_flight for s in session.snapshots.values()):
            return False
        if session.snapshot("nodes").data is None and session.snapshot("nodes").error is None:
            return False
        if member.name == app.fleet.shown and session.snapshot("channels").data is None:
            return False
        if session.snapshot("peers").data is None and session.snapshot("peers").error is None:
            return False
    return True


async def overview_ready(pilot) -> None:
    await wait_until(lambda: polled(pilot.app) and all(r.peers_total for r in pilot.app.fleet.rows()), timeout=20)
    pilot.app.redraw()
    await pilot.pause()


def active_tab(app: FleetApp) -> str:
    return app.query_one("#fleet-tabs").active


async def test_overview_rows_hold_the_cores_figures_and_enter_opens_a_pbx(make_fleet, sims) -> None:
    app = make_fleet()
    async with app.run_test(size=(100, 30)) as pilot:
        await overview_ready(pilot)
        table = app.query_one(FleetTable)
        assert [row.label for row in table.visible_rows()] == ["PROD-EU", "PROD-US"]
        for row, member in zip(table.visible_rows(), app.fleet.members):
            figures = totals(member.session.snapshots, now=app.clock(), intervals=member.session.intervals)
            assert (row.peers_registered, row.peers_total, row.channels, row.calls_waiting) == (
                figures.peers_registered, figures.peers_total, figures.channels, figures.calls_waiting)
            assert row.nodes == len(sims[member.name].pbx.nodes)
            assert row.health == "OK"  # each key reached its own PBX only (the other refuses it)
        # The overview asked neither PBX for its calls or flows.
        for server in sims.values():
            assert not {"CHANNELS", "FLOWS", "BLFS"} & {record.reqtype for record in server.request_log}
        await pilot.press("down", "enter")
        assert active_tab(app) == "tab-pbx-2"
        assert app.fleet.shown == "us"
        await wait_until(lambda: app.fleet.member("us").session.snapshot("channels").data is not None)
        assert "CHANNELS" in {record.reqtype for record in sims["us"].request_log}
        assert "CHANNELS" not in {record.reqtype for record in sims["eu"].request_log}


async def test_tabs_switch_by_keys_and_palette(make_fleet) -> None:
    app = make_fleet()
    async with app.run_test(size=(80, 24)) as pilot:
        await overview_ready(pilot)
        await pilot.press(">")
        assert active_tab(app) == "tab-pbx-1" and app.fleet.shown == "eu"
        await pilot.press(">", ">")
        assert active_tab(app) == "tab-overview" and app.fleet.shown is None
        await pilot.press("<")
        assert active_tab(app) == "tab-pbx-2"
        await pilot.press("alt+1")
        assert active_tab(app) == "tab-pbx-1"
        await pilot.press("inverted_exclamation_mark")  # Alt+1 as a terminal sends it (ESC 1)
        assert active_tab(app) == "tab-pbx-1"
        await pilot.press("alt+0")
        assert active_tab(app) == "tab-overview"
        await pilot.press("ctrl+p")
        await pilot.press(*"PBX PROD-US")
        await pilot.press("enter")
        await pilot.pause()
        assert active_tab(app) == "tab-pbx-2"


async def test_a_hang_up_names_the_pbx_and_reaches_only_that_pbx(make_fleet, sims, journal) -> None:
    app = make_fleet()
    async with app.run_test(size=(100, 40)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+1")
        view_channels = lambda: app.fleet.member("eu").session.snapshot("channels").data  # noqa: E731
        await wait_until(lambda: view_channels() is not None)
        app.redraw()
        await pilot.pause()
        channel = app.query_one("#tab-pbx-1 #pbx-channels").cursor_row
        assert channel is not None
        for server in sims.values():
            server.clear_log()
        await pilot.press("H")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        confirm = app.screen
        assert confirm.action_to_confirm.title == "Hang up call on PROD-EU"
        assert confirm.action_to_confirm.details[0] == ("PBX", "PROD-EU (pbx-eu.example)")
        assert "PROD-EU (pbx-eu.example)" in [str(s.content) for s in confirm.query("Static")]
        await pilot.press("tab", "enter")  # from Cancel to Hang up
        await wait_until(lambda: any(r.reqtype == "HANGUP" for r in sims["eu"].request_log))
        hangups = [r for r in sims["eu"].request_log if r.reqtype == "HANGUP"]
        assert [r.params["channel"] for r in hangups] == [channel.channel]
        assert not [r for r in sims["us"].request_log if r.reqtype == "HANGUP"]
        await wait_until(lambda: journal.exists() and '"outcome": "success"' in journal.read_text().replace('":"', '": "'))
        entries = [json.loads(line) for line in journal.read_text().splitlines()]
        assert {(e["profile"], e["server"]) for e in entries} == {("eu", f"127.0.0.1:{sims['eu'].port}")}
        assert entries[-1]["params"]["channel"] == channel.channel


async def test_a_read_only_pbx_has_no_write_keys(make_fleet, sims) -> None:
    app = make_fleet()
    async with app.run_test(size=(100, 40)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+2")
        await wait_until(lambda: app.fleet.member("us").session.snapshot("channels").data is not None)
        app.redraw()
        await pilot.pause()
        assert app.check_action("hang_up", ()) is False
        await pilot.press("H")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert not [r for r in sims["us"].request_log if r.reqtype == "HANGUP"]


async def test_one_pbx_failing_never_disturbs_the_other(make_fleet, sims) -> None:
    app = make_fleet()
    async with app.run_test(size=(100, 30)) as pilot:
        await overview_ready(pilot)
        sims["us"].stop()
        await app.clock.advance(OVERVIEW_INTERVAL)
        await wait_until(lambda: polled(app) and app.fleet.rows()[1].health.startswith("FAILING"), timeout=20)
        app.redraw()
        await pilot.pause()
        eu, us = app.query_one(FleetTable).visible_rows()
        assert eu.health == "OK" and eu.age == 0.0
        assert us.health.startswith("FAILING") and us.peers_total is not None  # the last figures stay
        await pilot.press("alt+1")
        await wait_until(lambda: app.fleet.member("eu").session.snapshot("channels").data is not None)
        assert app.fleet.member("eu").session.snapshot("channels").error is None


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_fleet_overview_snapshot(snap_compare, make_fleet, utc, size) -> None:
    assert snap_compare(make_fleet(), terminal_size=size, run_before=overview_ready)


def test_pbx_tab_snapshot_at_80x24(snap_compare, make_fleet, utc) -> None:
    async def eu_shown(pilot) -> None:
        await overview_ready(pilot)
        await pilot.press("alt+1")
        await wait_until(lambda: polled(pilot.app) and pilot.app.fleet.member("eu").session.snapshot("flows").data)
        pilot.app.redraw()
        await pilot.pause()

    assert snap_compare(make_fleet(), terminal_size=(80, 24), run_before=eu_shown)


async def test_refresh_on_the_overview_asks_only_for_what_it_shows(make_fleet, sims) -> None:
    app = make_fleet()
    async with app.run_test(size=(100, 30)) as pilot:
        await overview_ready(pilot)
        for server in sims.values():
            server.clear_log()
        await pilot.press("r")
        await wait_until(lambda: all(any(r.reqtype == "PEERS" for r in s.request_log) for s in sims.values()))
        await wait_until(lambda: polled(app))
        for server in sims.values():
            assert {r.reqtype for r in server.request_log} == {"COUNTPEERS", "COUNTCHANNELS", "INFO", "PEERS"}
