"""Replay: the monitor's panes on a recording of the simulator, moved by the time keys; no write is possible."""

from __future__ import annotations

import pytest

from tringtui.settings import PANES, Secret, Settings
from tringtui.store import Store
from tringtui.store.replay import ReplayCursor
from tringtui.tui.replay_app import ReplayApp
from tringtui.tui.widgets.header import StatusHeader

from tests.store.conftest import make_recording
from tests.tui.conftest import DISPLAY_SERVER, TEST_INTERVAL, table, wait_until


@pytest.fixture
async def recorded(admin_client, sim_clock, sim_pbx, tmp_path):
    """Four polls 5 s apart; a DEVEL phone unregistered between the second and the third."""
    recording = make_recording(admin_client, sim_clock, tmp_path / "replay.sqlite")
    await recording.step(0)
    await recording.step()
    phone = next(p for p in sim_pbx.peers_snapshot() if p.registered and p.name.endswith("-DEVEL"))
    sim_pbx.unregister(phone.name, "DEVEL")
    await recording.step()
    await recording.step()
    recording.recorder.close()
    return recording.path, phone, sim_clock()


def replay_app(path, at=None) -> ReplayApp:
    settings = Settings(server=DISPLAY_SERVER, key=Secret(""), profile="test",
                        intervals={pane: TEST_INTERVAL for pane in PANES})
    return ReplayApp(settings, ReplayCursor(Store(path, readonly=True), at), tick_interval=0)


def phone_status(app, phone) -> str:
    rows = table(app, "peers").visible_rows()
    return next(row.status_text for row in rows if row.name == phone.name and row.node == phone.node)


def header_replay(app) -> str:
    return str(app.query_one(StatusHeader).query_one("#header-replay").content)


async def test_replay_shows_the_past_and_moves_by_poll_and_by_event(recorded):
    path, phone, end = recorded
    app = replay_app(path, at=end - 15)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await wait_until(lambda: table(app, "peers").visible_rows())
        assert phone_status(app, phone) == phone.status  # still registered then
        assert "REPLAY" in header_replay(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.cursor.at == end - 10 and phone_status(app, phone) == phone.status
        await pilot.press("right_curly_bracket")
        await pilot.pause()
        while phone_status(app, phone) == phone.status and app.cursor.at < end:
            await pilot.press("right_curly_bracket")
            await pilot.pause()
        assert app.cursor.at == end - 5 and phone_status(app, phone) != phone.status
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert phone_status(app, phone) == phone.status


async def test_replay_offers_no_write_and_has_no_client(recorded):
    path, phone, end = recorded
    app = replay_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await wait_until(lambda: table(app, "peers").visible_rows())
        pane = app.panes["peers"]
        assert not [c for c in app.commands.for_pane("peers") if c.writes and pane.check_action("command", (c.name,))]
        await pilot.press("E")  # unregister, in the live monitor
        await pilot.pause()
        assert len(app.screen_stack) == 1
        with pytest.raises(RuntimeError, match="no connection"):
            await app.call_api(lambda client: client.peers())
        assert not app.check_action("refresh_now", ()) and not app.check_action("toggle_pause", ())


async def test_g_goes_to_a_typed_time_and_space_plays_to_the_end(recorded):
    from tringtui.timeparse import format_time

    path, _phone, end = recorded
    app = replay_app(path, at=end - 15)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        field = app.screen.query_one("#goto-input")
        field.value = format_time(end - 5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.cursor.at == end - 5 and header_replay(app).strip() == f"REPLAY {format_time(end - 5)}"
        app.speed = 60.0
        await pilot.press("space")
        await wait_until(lambda: not app.playing)
        assert app.cursor.at == end


def test_replay_at_80x24(snap_compare, recorded, utc):
    """The Peers pane ten seconds before the end, REPLAY and the time in the header, the time bar."""
    path, _phone, end = recorded

    async def shown(pilot) -> None:
        await pilot.press("5")
        await wait_until(lambda: table(pilot.app, "peers").visible_rows())
        await pilot.pause()

    assert snap_compare(replay_app(path, at=end - 10), terminal_size=(80, 24), run_before=shown)


async def test_the_events_pane_follows_the_cursor_and_enter_jumps_to_the_phone(recorded):
    path, phone, end = recorded
    app = replay_app(path, at=end - 10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        events = table(app, "events")
        assert not any(e.object == phone.name for e in events.visible_rows())  # not yet, at that moment
        await pilot.press("right_square_bracket")
        await wait_until(lambda: any(e.object == phone.name for e in table(app, "events").visible_rows()))
        rows = table(app, "events").visible_rows()
        assert rows == sorted(rows, key=lambda e: e.at, reverse=True)  # newest first
        index = next(i for i, e in enumerate(rows) if e.object == phone.name and e.kind == "peer.unregistered")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(lambda: app.active_pane == "peers" and table(app, "peers").filter_text == phone.name)
        assert [row.name for row in table(app, "peers").visible_rows()][0] == phone.name


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_events_pane(snap_compare, recorded, utc, size):
    """The Events pane at the end of the recording: the unregistered phone and the PBX's own changes, each
    with its before → after whole (narrow, the node/tenant and detail columns give way)."""
    path, phone, end = recorded

    async def shown(pilot) -> None:
        await pilot.press("6")
        await wait_until(lambda: any(e.object == phone.name for e in table(pilot.app, "events").visible_rows()))
        await pilot.pause()

    assert snap_compare(replay_app(path), terminal_size=size, run_before=shown)


async def test_the_events_pane_keeps_before_and_after_whole_at_80_columns(recorded):
    path, phone, end = recorded
    app = replay_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        events = table(app, "events")
        await wait_until(lambda: any(e.object == phone.name for e in events.visible_rows()))
        await pilot.pause()
        rows = events.visible_rows()
        for index, event in enumerate(rows):
            line = events.render_line(index + 1).text
            assert f"{event.before} → {event.after}" in line, line
        assert "Node/Tenant" not in events.render_line(0).text  # gave way, and the filter still finds it:
        events.set_filter(rows[0].tenant)
        assert events.visible_rows()
