"""The drill-downs in the real monitor against the simulated PBX over HTTP: calls grouped in the Channels pane
(remembered, expanded, hung up whole), a call's story, a number's trace, a phone's and a queue's story."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.actions.action_host import wait_for_screen
from tests.tui.conftest import first_data, wait_until
from tringtui.audit import AuditJournal, writes
from tringtui.live.derived import queue_figures
from tringtui.settings import Secret
from tringtui.tui.panes.channels import CallRow, LegRow
from tringtui.tui.screens.call_story import CallStoryScreen
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.phone_story import PhoneStoryScreen
from tringtui.tui.screens.queue_story import QueueStoryScreen
from tringtui.tui.screens.tenant_overview import TenantOverviewScreen, overview_cells


def state_file() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "tringtui" / "state.json"


def sim_call_count(pbx) -> int:
    return len({channel.call_id for channel in pbx.channels_snapshot()})


async def story_loaded(pilot, screen_type):
    screen = await wait_for_screen(pilot, screen_type)
    await wait_until(lambda: screen.story is not None)
    await pilot.pause()
    return screen


async def test_c_groups_legs_into_calls_and_is_remembered(make_app, sim_pbx):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("2", "c")
        pane = app.panes["channels"]
        assert pane.grouped and pane.calls_table.display and not pane.channels_table.display
        channels = len(sim_pbx.channels_snapshot())
        calls = sim_call_count(sim_pbx)
        assert len(pane.calls) == calls and sum(len(c.legs) for c in pane.calls) == channels
        assert pane.counts_text() == f"{calls:,} calls · {channels:,} ch"
        assert {row.call.key for row in pane.calls_table.visible_rows()} == {c.key for c in pane.calls}
    assert json.loads(state_file().read_text())["views"]["channels_grouping"] == "calls"

    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("2")
        assert again.panes["channels"].grouped
        await pilot.press("c")  # back to channels, remembered too
        assert not again.panes["channels"].grouped
        assert again.panes["channels"].counts_text().endswith(f"ch · {sim_call_count(sim_pbx):,} calls")
    assert json.loads(state_file().read_text())["views"]["channels_grouping"] == "channels"


async def test_e_expands_a_call_into_its_legs(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("2", "c", "e")
        pane = app.panes["channels"]
        rows = pane.calls_table.visible_rows()
        first = rows[0]
        assert isinstance(first, CallRow) and first.expanded
        legs = rows[1 : 1 + len(first.call.legs)]
        assert [leg.channel for leg in legs if isinstance(leg, LegRow)] == list(first.call.legs)
        await pilot.press("e")
        assert not any(isinstance(row, LegRow) for row in pane.calls_table.visible_rows())


async def test_h_on_a_call_names_both_legs_and_ends_the_whole_call(make_app, sim_pbx):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("2", "c")
        pane = app.panes["channels"]
        while len(pane.selected_row.call.legs) < 2:
            await pilot.press("down")
        call = pane.selected_row.call
        await pilot.press("H")
        screen = await wait_for_screen(pilot, ConfirmScreen)
        details = dict(screen.action_to_confirm.details)
        assert [details[f"Leg {n}"].split(" · ")[0] for n in (1, 2)] == [leg.channel for leg in call.legs[:2]]
        assert screen.action_to_confirm.target["legs"] == ", ".join(leg.channel for leg in call.legs)
        await pilot.press("right", "enter")
        await wait_until(lambda: any(e.action == "hangup" for e in writes(AuditJournal().entries())))
    assert all(sim_pbx.channel_by_uniqueid(leg.uniqueid) is None for leg in call.legs)
    (entry,) = [e for e in writes(AuditJournal().entries()) if e.action == "hangup"]  # not the start-up probe
    assert (entry.action, entry.outcome, entry.params) == ("hangup", "success", {"channel": call.first.channel})


async def test_enter_on_a_call_tells_its_story_then_its_record_once_it_ended(make_app, sim_pbx, sim_clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("2", "c")
        pane = app.panes["channels"]
        call = pane.selected_row.call
        await pilot.press("enter")
        screen = await story_loaded(pilot, CallStoryScreen)
        assert [leg.channel for leg in screen.story.legs] == list(call.legs)
        assert all(leg.detail is not None for leg in screen.story.legs) and screen.story.records == ()
        assert screen.story.linkedid == call.key

        ok, _ = sim_pbx.hangup_channel(call.first.channel, None)
        assert ok
        sim_clock.advance(3)
        screen.story = None
        await pilot.press("r")
        await wait_until(lambda: screen.story is not None)
        assert [r.linkedid for r in screen.story.records] == [call.key]
        assert all(leg.detail is None for leg in screen.story.legs)
        await pilot.press("escape")
        assert app.screen is not screen


async def test_a_number_typed_on_channels_is_traced(make_app, sim_pbx, sim_clock):
    for _ in range(10):
        sim_clock.advance(60)
    sim_pbx.advance()
    record = next(r for r in reversed(sim_pbx.cdrs) if r.tenant == "DEVEL" and r.src_peer)
    ext = record.src_peer.split("-")[0]
    app = make_app(tenant="DEVEL", key=Secret("demo-devel"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("2", "slash", *ext, "enter", "n")
        screen = await story_loaded(pilot, CallStoryScreen)
        assert screen.story_title.startswith(f"Trace of {ext}")
        assert record.uniqueid in {r.uniqueid for r in screen.story.records}
        now = sim_clock()
        expected = {r.uniqueid for r in sim_pbx.cdrs if r.tenant == "DEVEL" and r.started >= now - 3600
                    and (record.src_peer in (r.src_peer, r.whoanswered) or ext in (r.first_dst, r.dst_number))}
        assert {r.uniqueid for r in screen.story.records} == expected


async def test_enter_on_a_peer_and_v_on_a_queue_tell_their_stories(make_app, sim_pbx):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("5")
        peer = app.panes["peers"].selected_row
        await pilot.press("enter")
        screen = await story_loaded(pilot, PhoneStoryScreen)
        assert screen.story.peer == peer and screen.story.problems == ()
        assert screen.story.state is not None and screen.story.blf_state
        await pilot.press("escape", "3")
        queue = app.panes["queues"].selected_row.queue
        await pilot.press("v")  # Enter on a queue charts it; v tells its story
        screen = await story_loaded(pilot, QueueStoryScreen)
        assert screen.story.queue_id == queue.id and screen.story.problems == ()
        assert {d.member for d in screen.story.delays} == set(sim_pbx.queue(int(queue.id)).members)


async def overview_loaded(pilot):
    screen = await wait_for_screen(pilot, TenantOverviewScreen)
    await wait_until(lambda: screen.accounts.fetched_at is not None and not screen._asking
                     and all(row.account is not None for row in screen.rows), timeout=15)
    return screen


async def test_the_tenant_overview_equals_the_per_tenant_panes(make_app, sim_pbx, sim_server, sim_clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("o")
        screen = await overview_loaded(pilot)
        rows = {row.tenant: row for row in screen.rows}
        assert set(rows) == set(sim_pbx.tenants)
        devel = rows["DEVEL"]
        peers = [p for p in app.panes["peers"].snapshot.data.peers if p.tenant == "DEVEL"]
        assert (devel.share.peers_registered, devel.share.peers_total) == (
            sum(p.registered for p in peers), len(peers))
        channels = app.panes["channels"].snapshot.data.channels
        assert devel.share.channels == sum(1 for c in channels if c.tenant == "DEVEL")
        tenant = sim_pbx.tenants["DEVEL"]
        assert devel.account.config.max_channels == tenant.max_channels
        assert devel.account.config.max_extensions == tenant.max_extensions
        assert devel.account.balance == pytest.approx(tenant.balance, abs=0.005)
        queues = app.panes["queues"].snapshot.data  # the Queues pane shows DEVEL
        assert devel.account.waiting == queue_figures(queues).calls_waiting
        assert overview_cells(devel)[1] == f"{devel.share.peers_registered}/{devel.share.peers_total}"

        asked = len([r for r in sim_server.request_log if r.params.get("info") == "config"])
        await pilot.press("r")  # within the minute: nothing is asked again
        await pilot.pause(0.2)
        assert len([r for r in sim_server.request_log if r.params.get("info") == "config"]) == asked
        sim_clock.advance(61)
        await pilot.press("r")
        # "More than before", not "twice": the alert rules ask INFO config on their own minute too.
        await wait_until(lambda: len([r for r in sim_server.request_log
                                      if r.params.get("info") == "config"]) > asked, timeout=15)

        await wait_until(lambda: not screen._asking, timeout=15)
        screen.query_one("#tenants-table").move_cursor("ACME")
        await pilot.press("enter")
        await pilot.pause()
        assert app.pane_tenant == "ACME" and not isinstance(app.screen, TenantOverviewScreen)


async def test_a_tenant_key_s_overview_is_its_own_tenant(make_app, sim_pbx):
    app = make_app(tenant="DEVEL", key=Secret("demo-devel-ro"), readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("o")
        screen = await overview_loaded(pilot)
        (row,) = screen.rows
        assert row.tenant == "DEVEL" and row.account.problems == ()
        assert row.account.balance == pytest.approx(sim_pbx.tenants["DEVEL"].balance, abs=0.005)
        await pilot.press("escape", "2", "c")
        assert app.panes["channels"].grouped
        await pilot.press("H")  # read-only: no hang-up, grouped or not
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
