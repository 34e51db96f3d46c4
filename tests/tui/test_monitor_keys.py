"""The monitor's keys against the simulated PBX: filter, sort, layout, detail, help, palette, tenant, fast typing."""

from __future__ import annotations

from textual import events
from textual.widgets import Label

from tests.tui.conftest import first_data, table, title_status, wait_until


async def test_filter_finds_a_phone_and_esc_clears_it(make_app):
    app = make_app(start_pane="peers")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        peers = table(app, "peers")
        total = peers.total_count
        await pilot.press("end")  # the cursor starts far from the answer
        await pilot.press("slash", "1", "0", "3")
        await pilot.pause()
        assert peers.row_count < total
        assert all("103" in " ".join(peers._render_cells(p.name, p).plain) for p in peers.visible_rows())
        exact = [peer for peer in peers.visible_rows() if peer.extension == "103"]
        assert exact and peers.visible_rows()[: len(exact)] == exact
        assert peers.cursor_row == exact[0] and peers.scroll_offset.y == 0
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
        await pilot.press("down", "down", "down", "s", "s", "s")
        assert channels.sort_column == "duration"
        durations = [row.duration for row in channels.visible_rows()]
        assert durations == sorted(durations)
        await pilot.press("S")
        durations = [row.duration for row in channels.visible_rows()]
        assert durations == sorted(durations, reverse=True)
        assert channels.sort_reverse
        assert channels.cursor_index == 0  # the longest call is in view, under the cursor


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


async def test_all_tenant_session_asks_for_a_tenant_for_queues_and_flows(make_app, sim_server):
    app = make_app()
    app.pane_tenant = ""
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert title_status(app, "queues") == "needs a tenant: press t"
        assert app.live.idle_reason("queues") is not None and not app.panes["queues"].is_stale
        assert str(app.query_one("#summary-trouble", Label).content) == "OK"
        await pilot.press("3", "t")
        await pilot.press(*"ACME", "enter")
        await wait_until(lambda: app.panes["queues"].snapshot.data is not None)
        await pilot.pause()
        assert app.pane_tenant == "ACME"
        assert "3 Queues · ACME" in str(app.panes["queues"].query_one(".pane-name", Label).content)
        assert app.panes["queues"].snapshot.error is None
        assert any(r.params.get("tenant") == "ACME" for r in sim_server.request_log if r.reqtype == "INFO")


async def test_command_palette_offers_every_view(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("ctrl+p", *"show peers")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert [pane.pane_id for pane in app.panes.values() if pane.display] == ["peers"]


async def test_each_table_of_a_pane_keeps_its_own_filter(make_app):
    app = make_app(start_pane="queues")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        queues, agents = table(app, "queues"), table(app, "queues", "agents-table")
        await pilot.press("slash", *"support", "enter")
        assert queues.filter_text == "support"
        await pilot.press("tab")
        assert app.focused is agents
        box = app.panes["queues"].query_one(".pane-filter")
        assert box.value == "" and not box.display
        await pilot.press("slash", *"busy", "enter")
        assert agents.filter_text == "busy" and queues.filter_text == "support"
        await pilot.press("shift+tab")
        assert app.focused is queues and box.value == "support"



async def test_queues_title_says_agents_and_a_new_tenant_drops_the_old_queue_heading(make_app):
    app = make_app(start_pane="queues")
    app.pane_tenant = "DEVEL"
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        pane = app.panes["queues"]
        counts = pane.query_one(".pane-counts", Label)
        heading = pane.query_one("#agents-heading", Label)
        queues, agents = table(app, "queues"), table(app, "queues", "agents-table")
        assert str(counts.content) == f"{queues.total_count}"
        assert str(heading.content).startswith("Agents of ")
        await pilot.press("tab")
        assert str(counts.content) == f"{agents.total_count} agents"
        # A tenant the server does not know is refused in the dialog; another tenant replaces DEVEL's
        # queue heading at once: nothing of DEVEL's may stay on screen.
        old_heading = str(heading.content)
        await pilot.press("t", *"NOSUCH", "enter")
        await wait_until(lambda: "knows no tenant NOSUCH" in str(app.screen.query_one("#tenant-error").render()))
        assert app.pane_tenant == "DEVEL"
        await pilot.press(*("backspace",) * 6, *"ACME", "enter")
        await wait_until(lambda: app.pane_tenant == "ACME")
        assert str(heading.content) != old_heading


async def test_palette_shows_the_errors_a_narrow_title_cuts(make_app, sim_server):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        sim_server.faults.mode = "key_rejected"
        await pilot.press("r")
        await wait_until(lambda: app.panes["nodes"].snapshot.error is not None)
        await pilot.press("ctrl+p", *"errors in full")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        [notice] = [n for n in app._notifications if n.title == "Last errors"]
        assert f"Nodes: {app.panes['nodes'].snapshot.error.message}" in notice.message
        assert "unknown tenant" in notice.message  # the part the 80-column title cuts off


async def test_q_types_into_the_filter_and_ctrl_q_quits_from_anywhere(make_app):
    app = make_app(start_pane="peers")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("slash", "q")
        assert table(app, "peers").filter_text == "q" and not app._exit
        await pilot.press("escape", "question_mark")  # a dialog (help) open
        await pilot.pause()
        assert len(app.screen_stack) > 1
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app._exit
