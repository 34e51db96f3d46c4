"""The monitor against the simulated PBX over real HTTP: numbers, refresh, cursor, filter, sort, pause, faults."""

from __future__ import annotations

from collections import Counter

from textual import events
from textual.widgets import Label

from tests.tui.conftest import DEMO_TENANT, TEST_INTERVAL, first_data, refresh, wait_until
from tringtui.tui.panes.base import PaneTitle


def title_status(app, pane_id: str) -> str:
    return str(app.panes[pane_id].query_one(PaneTitle).query_one(".pane-status", Label).content)


def table(app, pane_id: str, table_id: str | None = None):
    return app.panes[pane_id].query_one(f"#{table_id or pane_id + '-table'}")


async def test_every_pane_shows_the_pbx_numbers(make_app, pbx):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)

        registered = Counter(peer.node for peer in pbx.peers_snapshot() if peer.registered)
        nodes = {row.node: row.peers for row in table(app, "nodes").visible_rows()}
        assert nodes == {node: registered.get(node, 0) for node in pbx.nodes}

        legs = pbx.channels_snapshot()
        channels = table(app, "channels")
        assert {row.channel.uniqueid for row in channels.visible_rows()} == {leg.uniqueid for leg in legs}
        by_uid = {leg.uniqueid: leg for leg in legs}
        for row in channels.visible_rows():
            assert row.channel.channel == by_uid[row.channel.uniqueid].name
            assert row.channel.state == by_uid[row.channel.uniqueid].state

        peers = table(app, "peers").visible_rows()
        assert {peer.name for peer in peers} == {peer.name for peer in pbx.peers_snapshot()}

        queues = {row.queue.id: row for row in table(app, "queues").visible_rows()}
        expected = {str(q.id): pbx.queue(q.id) for q in pbx.queues.values() if q.tenant == DEMO_TENANT}
        assert queues.keys() == expected.keys()
        for queue_id, row in queues.items():
            assert row.stats.calls_in_queue == expected[queue_id].stats["CALLSINQUEUE"]
            assert row.stats.agents_available == expected[queue_id].stats["AGENTSAVAILABLE"]
        agents = table(app, "queues", "agents-table").visible_rows()
        first_queue = table(app, "queues").cursor_key
        assert {agent.member for agent in agents} == set(expected[first_queue].members)

        flows = {flow.number for flow in table(app, "flows").visible_rows()}
        assert flows == {f.number for t in [pbx.tenants[DEMO_TENANT]] for f in t.flows}

        totals = app.totals()
        assert totals.peers_registered == sum(registered.values())
        assert totals.peers_total == len(peers)
        assert totals.channels == len(legs)
        assert totals.calls_waiting == sum(q.stats["CALLSINQUEUE"] for q in expected.values())


async def test_ended_call_leaves_the_table_and_cursor_follows_its_call(make_app, pbx):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        channels = table(app, "channels")
        await pilot.press("down", "down", "down", "down", "down")
        watched = channels.cursor_key
        watched_index = channels.cursor_index
        # End the call shown on the first line, which is not the watched one.
        first = channels.visible_rows()[0].channel
        assert pbx.channel_by_uniqueid(watched) is not None
        first_call = pbx.channel_by_uniqueid(first.uniqueid).call_id
        watched_call = pbx.channel_by_uniqueid(watched).call_id
        assert first_call != watched_call
        with pbx.lock:
            pbx.hangup_channel(first.channel, None)
        before = [row.channel.uniqueid for row in channels.visible_rows()]
        ended = set(before) - {leg.uniqueid for leg in pbx.channels_snapshot()}
        assert first.uniqueid in ended
        ended_above = sum(1 for uid in before[:watched_index] if uid in ended)

        await refresh(pilot)

        shown = {row.channel.uniqueid for row in channels.visible_rows()}
        assert not (ended & shown)
        assert channels.cursor_key == watched
        assert channels.cursor_index == watched_index - ended_above

        # Now the watched call ends: the cursor takes the row that moved into its place.
        with pbx.lock:
            pbx.hangup_channel(pbx.channel_by_uniqueid(watched).name, None)
        await refresh(pilot)
        assert channels.cursor_key != watched
        assert channels.cursor_key is not None
        assert watched not in {row.channel.uniqueid for row in channels.visible_rows()}


async def test_filter_finds_a_phone_and_esc_clears_it(make_app):
    app = make_app(start_pane="peers")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        peers = table(app, "peers")
        total = peers.total_count
        await pilot.press("slash", "1", "0", "3")
        await pilot.pause()
        assert peers.row_count < total
        assert all("103" in " ".join(peers._render_cells(p.name, p).plain) for p in peers.visible_rows())
        exact = [peer for peer in peers.visible_rows() if peer.extension == "103"]
        assert exact and peers.visible_rows()[: len(exact)] == exact
        counts = str(app.panes["peers"].query_one(".pane-counts", Label).content)
        assert counts == f"{peers.row_count}/{total}"
        await pilot.press("enter")
        assert app.focused is peers
        assert peers.filter_text == "103"
        await pilot.press("escape")
        await pilot.pause()
        assert peers.row_count == total
        assert not app.panes["peers"].query_one(".pane-filter").display


async def test_sort_cycles_columns_and_reverses(make_app):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        channels = table(app, "channels")
        await pilot.press("s", "s", "s")
        assert channels.sort_column == "duration"
        durations = [row.duration for row in channels.visible_rows()]
        assert durations == sorted(durations)
        await pilot.press("S")
        durations = [row.duration for row in channels.visible_rows()]
        assert durations == sorted(durations, reverse=True)
        assert channels.sort_reverse


async def test_number_keys_switch_panes_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        for key, pane_id in zip("12345", ("nodes", "channels", "queues", "flows", "peers")):
            await pilot.press(key)
            shown = [pane.pane_id for pane in app.panes.values() if pane.display]
            assert shown == [pane_id]
            assert app.focused in app.panes[pane_id].tables


async def test_dashboard_shows_every_pane_from_160x48(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await first_data(pilot)
        assert app.dashboard
        assert all(pane.display for pane in app.panes.values())
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.dashboard
        assert [pane.pane_id for pane in app.panes.values() if pane.display] == ["nodes"]


async def test_pause_marks_the_header_and_refresh_now_still_polls(make_app, sim_server):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("p")
        assert app.query_one("#header-paused").display
        assert all(pane.poller.paused for pane in app.panes.values())
        sim_server.clear_log()
        await refresh(pilot)
        assert {"COUNTPEERS", "CHANNELS", "PEERS", "FLOWS"} <= {record.reqtype for record in sim_server.request_log}
        await pilot.press("p")
        assert not app.query_one("#header-paused").display
        assert not any(pane.poller.paused for pane in app.panes.values())


async def test_failing_server_shows_error_then_stale_then_recovers(make_app, sim_server, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        channels = table(app, "channels")
        shown = channels.total_count

        sim_server.faults.mode = "html"
        await refresh(pilot)
        assert "✗ CHANNELS" in title_status(app, "channels")
        assert channels.total_count == shown  # the last good data stays
        assert "STALE" not in title_status(app, "channels")

        clock.advance(3 * TEST_INTERVAL + 1)
        app.tick()
        await pilot.pause()
        status = title_status(app, "channels")
        assert status.startswith("STALE · 3h ago · ✗ CHANNELS")
        assert app.panes["channels"].query_one(".pane-status").has_class("-error")
        assert "ERROR" in str(app.query_one("#summary-trouble", Label).content)

        sim_server.faults.clear()
        await refresh(pilot)
        assert title_status(app, "channels") == "0s ago"
        assert str(app.query_one("#summary-trouble", Label).content) == "OK"


async def test_channel_detail_opens_on_enter_and_closes_on_escape(make_app):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        channel = table(app, "channels").cursor_row.channel
        await pilot.press("enter")
        await wait_until(lambda: getattr(app.screen, "detail", None) is not None)
        assert app.screen.detail.uniqueid == channel.uniqueid
        assert app.screen.detail.get("Name") == channel.channel
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


async def test_help_lists_every_key(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        text = str(app.screen.sections)
        for key in ("p", "r", "/", "s", "S", "t", "q", "i", "Ctrl+P", "1", "5"):
            assert f"'{key}'" in text, key
        await pilot.press("escape")


async def test_keys_typed_in_one_burst_land_where_they_should(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        # All keys queued at once, as from a fast typist or a paste: focus must move before the next is handled.
        burst = [("5", "5"), ("slash", "/"), ("1", "1"), ("0", "0"), ("3", "3"), ("enter", "\r"), ("s", "s")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert [pane.pane_id for pane in app.panes.values() if pane.display] == ["peers"]
        assert table(app, "peers").filter_text == "103"
        assert app.focused is table(app, "peers")
        assert table(app, "peers").sort_column == "status"  # the s after Enter sorted, it was not typed
