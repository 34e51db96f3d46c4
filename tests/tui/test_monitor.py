"""The monitor against the simulated PBX over real HTTP: numbers, ended calls, cursor, pause, faults, ticking."""

from __future__ import annotations

from collections import Counter

from textual.widgets import Label

from tests.tui.conftest import DEMO_TENANT, TEST_INTERVAL, first_data, refresh, table, title_status, wait_until
from tringtui.settings import PANES, Secret


async def test_every_pane_shows_the_pbx_numbers(make_app, sim_pbx):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)

        registered = Counter(peer.node for peer in sim_pbx.peers_snapshot() if peer.registered)
        nodes = {row.node: row.peers for row in table(app, "nodes").visible_rows()}
        assert nodes == {node: registered.get(node, 0) for node in sim_pbx.nodes}

        legs = sim_pbx.channels_snapshot()
        channels = table(app, "channels")
        assert {row.channel.uniqueid for row in channels.visible_rows()} == {leg.uniqueid for leg in legs}
        by_uid = {leg.uniqueid: leg for leg in legs}
        for row in channels.visible_rows():
            assert row.channel.channel == by_uid[row.channel.uniqueid].name
            assert row.channel.state == by_uid[row.channel.uniqueid].state

        peers = table(app, "peers").visible_rows()
        assert {peer.name for peer in peers} == {peer.name for peer in sim_pbx.peers_snapshot()}

        queues = {row.queue.id: row for row in table(app, "queues").visible_rows()}
        expected = {str(q.id): sim_pbx.queue(q.id) for q in sim_pbx.queues.values() if q.tenant == DEMO_TENANT}
        assert queues.keys() == expected.keys()
        for queue_id, row in queues.items():
            assert row.stats.calls_in_queue == expected[queue_id].stats["CALLSINQUEUE"]
            assert row.stats.agents_available == expected[queue_id].stats["AGENTSAVAILABLE"]
        agents = table(app, "queues", "agents-table").visible_rows()
        first_queue = table(app, "queues").cursor_key
        assert {agent.member for agent in agents} == set(expected[first_queue].members)

        flows = {flow.number for flow in table(app, "flows").visible_rows()}
        assert flows == {f.number for t in [sim_pbx.tenants[DEMO_TENANT]] for f in t.flows}

        totals = app.totals()
        assert totals.peers_registered == sum(registered.values())
        assert totals.peers_total == len(peers)
        assert totals.channels == len(legs)
        assert totals.calls_waiting == sum(q.stats["CALLSINQUEUE"] for q in expected.values())
        # An all-tenants session: the queue figures are one tenant's, and the summary says whose.
        assert totals.queue_scope == DEMO_TENANT
        waiting = app.query_one("#summary-waiting", Label).render_line(0).text.strip()
        assert waiting.startswith(f"{DEMO_TENANT}: Waiting ")


async def test_ended_call_leaves_the_table_and_cursor_follows_its_call(make_app, sim_pbx):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        channels = table(app, "channels")
        await pilot.press("down", "down", "down", "down", "down")
        watched = channels.cursor_key
        watched_index = channels.cursor_index
        # End the call shown on the first line, which is not the watched one.
        first = channels.visible_rows()[0].channel
        assert sim_pbx.channel_by_uniqueid(watched) is not None
        first_call = sim_pbx.channel_by_uniqueid(first.uniqueid).call_id
        watched_call = sim_pbx.channel_by_uniqueid(watched).call_id
        assert first_call != watched_call
        with sim_pbx.lock:
            sim_pbx.hangup_channel(first.channel, None)
        before = [row.channel.uniqueid for row in channels.visible_rows()]
        ended = set(before) - {leg.uniqueid for leg in sim_pbx.channels_snapshot()}
        assert first.uniqueid in ended
        ended_above = sum(1 for uid in before[:watched_index] if uid in ended)

        await refresh(pilot)

        shown = {row.channel.uniqueid for row in channels.visible_rows()}
        assert not (ended & shown)
        assert channels.cursor_key == watched
        assert channels.cursor_index == watched_index - ended_above

        # Now the watched call ends: the cursor takes the row that moved into its place.
        with sim_pbx.lock:
            sim_pbx.hangup_channel(sim_pbx.channel_by_uniqueid(watched).name, None)
        await refresh(pilot)
        assert channels.cursor_key != watched
        assert channels.cursor_key is not None
        assert watched not in {row.channel.uniqueid for row in channels.visible_rows()}


async def test_pause_marks_the_header_and_refresh_now_still_polls(make_app, sim_server):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("p")
        assert app.query_one("#header-paused").display
        assert all(app.live.paused for pane in app.panes.values())
        sim_server.clear_log()
        await refresh(pilot)
        assert {"COUNTPEERS", "CHANNELS", "PEERS", "FLOWS"} <= {record.reqtype for record in sim_server.request_log}
        await pilot.press("p")
        assert not app.query_one("#header-paused").display
        assert not any(app.live.paused for pane in app.panes.values())


async def test_failing_server_shows_error_then_stale_then_recovers(make_app, sim_server, sim_clock):
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

        sim_clock.advance(3 * TEST_INTERVAL + 1)
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


async def test_node_losing_its_phones_is_flagged_in_words(make_app, sim_pbx):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        node = sim_pbx.nodes[0]
        with sim_pbx.lock:
            for peer in sim_pbx.peers_snapshot():
                if peer.node == node and peer.registered:
                    sim_pbx.unregister(peer.name, None)
        await refresh(pilot)
        rows = {row.node: row for row in table(app, "nodes").visible_rows()}
        assert rows[node].peers == 0
        assert rows[node].alert == "NO PEERS"
        assert all(not row.alert for name, row in rows.items() if name != node)
        assert f"NODE {node}" in str(app.query_one("#summary-trouble", Label).content)


async def test_a_tenant_key_does_not_flag_nodes_without_its_phones(make_app, sim_pbx):
    app = make_app(key=Secret("demo-devel"), tenant="DEVEL")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        rows = {row.node: row for row in table(app, "nodes").visible_rows()}
        devel_nodes = {peer.node for peer in sim_pbx.peers_snapshot() if peer.tenant == "DEVEL" and peer.registered}
        assert devel_nodes and set(rows) - devel_nodes, "the test needs nodes with and without DEVEL's phones"
        assert all(not row.alert for row in rows.values())
        assert str(app.query_one("#summary-trouble", Label).content) == "OK"
        # A node that had DEVEL's phones and loses them all is still flagged.
        node = sorted(devel_nodes)[0]
        with sim_pbx.lock:
            for peer in sim_pbx.peers_snapshot():
                if peer.node == node and peer.tenant == "DEVEL" and peer.registered:
                    sim_pbx.unregister(peer.name, None)
        await refresh(pilot)
        rows = {row.node: row for row in table(app, "nodes").visible_rows()}
        assert rows[node].alert == "NO PEERS"


async def test_durations_tick_between_refreshes(make_app, sim_clock):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        channels = table(app, "channels")
        first = channels.visible_rows()[0]
        sim_clock.advance(65)
        app.tick()
        await pilot.pause()
        ticked = channels.get_row(first.channel.uniqueid)
        assert ticked.duration == first.channel.duration + 65
        assert title_status(app, "channels") == "1m ago"


async def test_a_hung_server_never_blocks_keys_or_quitting(make_app, sim_server):
    sim_server.faults.mode = "hang"  # for an hour; the client's cap is an hour too: only quitting ends them
    app = make_app(timeout=3600.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: all(app.panes[source].snapshot.in_flight for source in PANES))
        await pilot.press("2")
        assert [pane.pane_id for pane in app.panes.values() if pane.display] == ["channels"]
        assert title_status(app, "channels") == "loading…"
        await pilot.press("r")  # a refresh while in flight queues up; it never starts a second request
        assert len([r for r in sim_server.request_log if r.reqtype == "CHANNELS"]) == 1
        await pilot.press("q")
        # The timeout is only a safety net: waiting for the hung requests would take an hour.
        await wait_until(lambda: not app.is_running, timeout=60)
    assert all(app.live.snapshot(source).completed == 0 for source in app.panes)  # no request was waited out


async def test_the_summary_keeps_which_panes_fail_on_one_line_at_80_columns(make_app):
    from tringtui.tui.widgets.summary import SummaryBar, Totals

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        # A huge PBX's figures leave the trouble label little room: it must cut, never wrap to "ERROR".
        app.query_one(SummaryBar).show(Totals(17514, 20000, 10876, 23, 6, failing_sources=("nodes", "channels")), str.title)
        await pilot.pause()
        shown = app.query_one("#summary-trouble", Label).render_line(0).text.strip()
        assert shown.startswith("ERROR Nod") and shown != "ERROR"
