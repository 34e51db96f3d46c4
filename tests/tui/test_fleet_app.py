"""The fleet monitor: two simulated PBXs on loopback, each in its own tab, and the fleet overview.

A PBX's tab is that PBX's whole monitor: the single monitor's panes and
writes, on that PBX only. Time is a ``ManualClock`` that only moves when a
test moves it; the header shows made-up host names instead of the loopback
ports, which change every run.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from textual.widgets import Button, Input, Label

from tests.actions.action_host import wait_for_screen
from tests.tui.conftest import wait_until
from tringtui.api.client import TringClient
from tringtui.api.models import Agent
from tringtui.audit import AuditJournal, writes
from tringtui.live import SOURCES, ManualClock
from tringtui.live.derived import totals
from tringtui.live.fleet import OVERVIEW_INTERVAL
from tringtui.settings import Secret, Settings
from tringtui.sim import ManualClock as SimClock
from tringtui.sim import ApiKey, SimServer, SimulatedPBX
from tringtui.tui.fleet.app import FleetApp
from tringtui.tui.screens.channel_detail import ChannelDetailScreen
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.flow_prompt import FlowPrompt
from tringtui.tui.screens.help import HelpScreen
from tringtui.tui.screens.pause_prompt import PausePrompt
from tringtui.tui.screens.tenant import TenantScreen
from tringtui.tui.screens.write_in_flight import WriteInFlightScreen
from tringtui.tui.fleet.overview import FleetTable
from tringtui.tui.fleet.pbx_view import PbxView

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
    "us": {"us-admin-ro-key": ApiKey("us-admin-ro-key", "admin", None, "ro"),
           "us-devel-key": ApiKey("us-devel-key", "tenant", "DEVEL", "rw")},
}
# PROD-US with a read-write key of its own tenant instead, for the writes in its tab.
WRITABLE_US = ("us", "PROD-US", "green", "us-devel-key", "DEVEL", False, "http://pbx-us.example")


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
    def make(*, writable_us: bool = False) -> FleetApp:
        pbxs = (PBXS[0], WRITABLE_US) if writable_us else PBXS
        settings = [
            Settings(server=host, key=Secret(key), tenant=tenant, profile=name, readonly=readonly, label=label,
                     label_color=colour, intervals={source: INTERVAL for source in SOURCES}, audit_path=str(journal))
            for name, label, colour, key, tenant, readonly, host in pbxs
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


def tab(app: FleetApp, name: str) -> PbxView:
    return app.views[name]


async def shown_with_data(pilot, name: str, *sources: str) -> PbxView:
    """The PBX ``name``'s tab, once its panes show ``sources`` (all of them by default) and nothing is in flight."""
    view = tab(pilot.app, name)
    wanted = sources or tuple(view.panes)
    await wait_until(lambda: all(view.panes[s].snapshot.data is not None for s in wanted)
                     and not any(view.live.snapshot(s).in_flight for s in wanted))
    pilot.app.redraw()
    await pilot.pause()
    return view


def operator_writes(journal) -> list[dict]:
    """The journal's writes (attempt and outcome merged), without the start-up rights probes."""
    if not journal.exists():
        return []
    return [json.loads(entry.to_json()) for entry in writes(AuditJournal(journal).entries())
            if entry.action != "rights-probe"]


def sent(server: SimServer, *reqtypes: str) -> list:
    return [record for record in server.request_log if record.reqtype in reqtypes]


async def confirm_on_us(pilot, journal, count: int) -> ConfirmScreen:
    """Check the confirmation names PROD-US first, confirm it, and wait for the ``count``-th journalled write."""
    confirm = await wait_for_screen(pilot, ConfirmScreen)
    action = confirm.action_to_confirm
    assert action.title.endswith(" on PROD-US")
    assert action.details[0] == ("PBX", "PROD-US (pbx-us.example)")
    await pilot.press("right", "enter")  # from Cancel to the action's button
    await wait_until(lambda: len(operator_writes(journal)) == count and "outcome" in operator_writes(journal)[-1])
    return confirm


async def test_writes_in_tab_2_reach_pbx_2_only_and_name_it(make_fleet, sims, journal) -> None:
    app = make_fleet(writable_us=True)
    eu, us = sims["eu"], sims["us"]
    async with app.run_test(size=(80, 24)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+2", "3")  # PROD-US's Queues pane, keys typed in one burst
        view = await shown_with_data(pilot, "us")
        assert view.panes["queues"].display and not view.panes["nodes"].display

        # Pause an agent.
        await pilot.press("tab")  # to the agents table
        await pilot.pause()
        queues = view.panes["queues"]
        while queues.selected_row.paused:
            await pilot.press("down")
        agent = queues.selected_row
        assert isinstance(agent, Agent)
        await pilot.press("Z")
        prompt = await wait_for_screen(pilot, PausePrompt)
        prompt.query_one("#reason-typed", Input).value = "Coffee"
        prompt.query_one("#continue", Button).press()
        await confirm_on_us(pilot, journal, 1)
        assert us.pbx.agent(agent.queue_id, agent.member).paused
        assert [r.params["queue"] for r in sent(us, "AGENT")] == [agent.queue_id]

        # Set a flow.
        await pilot.press("4")
        await shown_with_data(pilot, "us", "flows")
        flow = view.panes["flows"].selected_row
        eu_flow_before = eu.pbx.flow(flow.number, "DEVEL")
        await pilot.press("F")
        prompt = await wait_for_screen(pilot, FlowPrompt)
        prompt.query_one("#value").value = "holiday"
        await pilot.press("tab", "enter")
        await confirm_on_us(pilot, journal, 2)
        assert us.pbx.flow(flow.number, "DEVEL").value == "holiday"
        assert eu.pbx.flow(flow.number, "DEVEL") == eu_flow_before

        # Hang up a call.
        await pilot.press("2")
        await shown_with_data(pilot, "us", "channels")
        channels = view.panes["channels"]
        assert channels.display
        channel = channels.selected_row.channel
        await pilot.press("H")
        confirm = await confirm_on_us(pilot, journal, 3)
        assert confirm.action_to_confirm.name == "hangup"
        assert channel.channel in [r.params["channel"] for r in sent(us, "HANGUP")]
        assert us.pbx.channel_by_uniqueid(channel.uniqueid) is None

        # The success notice names the PBX too.
        assert any("on PROD-US: done" in note.title for note in app._notifications)

    # Nothing of it reached PROD-EU, with its key or with PROD-US's.
    assert not sent(eu, "AGENT", "HANGUP", "QUEUE", "REBOOT", "UNREGISTER", "TRANSFER", "ATXTRANSFER")
    assert all("number" not in r.params for r in sent(eu, "SETFLOW"))  # PROD-EU's own start-up rights probe only
    entries = operator_writes(journal)
    assert [e["action"] for e in entries] == ["pause", "set-flow", "hangup"]
    assert {(e["profile"], e["server"], e["outcome"]) for e in entries} == {
        ("us", f"127.0.0.1:{us.port}", "success")}
    assert entries[1]["params"] == {"number": flow.number, "value": "holiday"}


async def test_a_read_only_pbx_offers_no_writes_and_refuses_one_reached_anyway(make_fleet, sims, journal) -> None:
    app = make_fleet()
    async with app.run_test(size=(100, 40)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+2", "2")
        view = await shown_with_data(pilot, "us", "channels", "peers", "nodes")
        assert view.readonly
        offered = {key for key, active in app.screen.active_bindings.items() if active.enabled}
        assert not {"H", "T", "A", "O"} & offered
        await pilot.press("H", "T", "5", "B", "E")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "PROD-US: Channels: Details" in titles  # reads are offered
        assert not [t for t in titles if t.startswith("PROD-US:") and ("Hang up" in t or "Reboot" in t)]
        # Reached anyway (a palette entry listed before the key turned out read-only): refused, journalled.
        await view.run_pane_command("channels", "hangup")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        # Reads work: a call's details come from this PBX.
        for server in sims.values():
            server.clear_log()
        await pilot.press("i")
        await wait_for_screen(pilot, ChannelDetailScreen)
        await wait_until(lambda: bool(sent(sims["us"], "CHANNEL")))
        assert not sent(sims["eu"], "CHANNEL")
    assert not sent(sims["us"], "HANGUP", "REBOOT", "UNREGISTER", "TRANSFER", "ATXTRANSFER")
    (blocked,) = operator_writes(journal)
    assert (blocked["profile"], blocked["action"], blocked["outcome"]) == ("us", "hangup", "read-only")


async def test_one_pbx_killed_leaves_the_other_tabs_panes_updating(make_fleet, sims) -> None:
    app = make_fleet()
    async with app.run_test(size=(160, 48)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+1")
        view = await shown_with_data(pilot, "eu")
        assert all(pane.display for pane in view.panes.values())  # the dashboard
        sims["us"].stop()
        generations = {source: pane.snapshot.generation for source, pane in view.panes.items()}
        await app.clock.advance(OVERVIEW_INTERVAL)  # PROD-US's overview poll falls due, and fails
        await pilot.press("r")
        await wait_until(lambda: all(pane.snapshot.generation > generations[source]
                                     for source, pane in view.panes.items()))
        await wait_until(lambda: app.fleet.rows()[1].health.startswith("FAILING"))
        view = await shown_with_data(pilot, "eu")
        for pane in view.panes.values():
            assert pane.snapshot.error is None
        # PROD-EU's key is its tenant's: the pane shows that tenant's calls as the PBX has them now.
        eu_channels = {c.uniqueid for c in sims["eu"].pbx.channels_snapshot() if c.tenant == "DEVEL"}
        assert {row.channel.uniqueid for row in view.panes["channels"].channels_table.visible_rows()} == eu_channels
        assert app.fleet.rows()[0].health == "OK"


async def test_t_chooses_the_tenant_of_an_admin_keys_tab_only(make_fleet, sims) -> None:
    app = make_fleet()
    async with app.run_test(size=(80, 24)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+1", "t")  # PROD-EU's key is a tenant's: nothing to choose
        await pilot.pause()
        assert not isinstance(app.screen, TenantScreen)
        await pilot.press("alt+2", "3")
        view = await shown_with_data(pilot, "us", "queues", "peers")
        for server in sims.values():
            server.clear_log()
        await pilot.press("t")
        await wait_until(lambda: isinstance(app.screen, TenantScreen))
        await pilot.press("A", "C", "enter")
        await wait_until(lambda: view.pane_tenant == "ACME" and view.live.tenant == "ACME")
        await wait_until(lambda: any(r.params.get("tenant") == "ACME" for r in sent(sims["us"], "INFO")))
        assert "ACME" in str(view.panes["queues"].query_one(".pane-name", Label).content)
        assert app.fleet.member("eu").session.tenant == "DEVEL"
        assert not [r for r in sims["eu"].request_log if r.params.get("tenant") == "ACME"]


async def test_keys_typed_in_one_burst_act_in_the_tab_just_opened(make_fleet) -> None:
    app = make_fleet()
    async with app.run_test(size=(80, 24)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+1", "5", "slash", "1", "0", "q", "less_than_sign", "2")
        await pilot.pause()
        peers = app.views["eu"].panes["peers"]
        assert peers.display and peers.active_table.filter_text == "10q<2"  # digits, q and < typed into the filter
        assert app.is_running and active_tab(app) == "tab-pbx-1"
        await pilot.press("escape", "2")
        assert app.views["eu"].panes["channels"].display and not peers.display


async def test_help_lists_the_tabs_keys_and_a_pbx_tabs_panes_and_commands(make_fleet) -> None:
    app = make_fleet()
    async with app.run_test(size=(80, 24)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+1", "question_mark")
        screen = await wait_for_screen(pilot, HelpScreen)
        sections = dict(screen.sections)
        assert ("Alt+1…9", "Open PBX tab 1…9 (Alt+0: the fleet overview)") in sections["Everywhere"]
        assert ("<", "Previous tab") in sections["Everywhere"]
        assert [key for key, _ in sections["Views"]] == ["1", "2", "3", "4", "5"]  # no Events pane here
        assert ("H", "Hang up call — the selected one, re-checked by uniqueid before sending") in sections["Channels"]


async def test_quitting_while_a_pbx_awaits_a_write_asks_first(make_fleet, sims) -> None:
    app = make_fleet()
    answer = sims["eu"].faults.hold("HANGUP")  # PROD-EU holds the hang-up until the test releases it
    async with app.run_test(size=(80, 24)) as pilot:
        await overview_ready(pilot)
        await pilot.press("alt+1", "2")
        view = await shown_with_data(pilot, "eu", "channels")
        await pilot.press("H")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        confirm.query_one("#confirm", Button).press()
        await wait_until(lambda: bool(view.operator_actions.in_flight))
        await pilot.press("q")
        await wait_for_screen(pilot, WriteInFlightScreen)
        answer.set()
        # PROD-EU answers: the question closes by itself, the outcome is told, the monitor stays.
        await wait_until(lambda: not isinstance(app.screen, WriteInFlightScreen))
        await wait_until(lambda: any("Hang up call on PROD-EU: done" in n.title for n in app._notifications))
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_fleet_overview_snapshot(snap_compare, make_fleet, utc, size) -> None:
    assert snap_compare(make_fleet(), terminal_size=size, run_before=overview_ready)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_pbx_tab_snapshot(snap_compare, make_fleet, utc, size) -> None:
    async def eu_channels_shown(pilot) -> None:
        await overview_ready(pilot)
        await pilot.press("alt+1", "2")
        await shown_with_data(pilot, "eu")

    assert snap_compare(make_fleet(), terminal_size=size, run_before=eu_channels_shown)


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
