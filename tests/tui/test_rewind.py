"""Rewind: a running monitor shows its own recording (R) and goes back to live (Esc), recording all along."""

from __future__ import annotations

import pytest

from tringtui.tui.widgets.header import StatusHeader

from tests.tui.conftest import first_data, refresh, table, wait_until


def phone_status(app, phone) -> str:
    rows = table(app, "peers").visible_rows()
    return next(row.status_text for row in rows if row.name == phone.name and row.node == phone.node)


def replay_label(app) -> str:
    label = app.query_one(StatusHeader).query_one("#header-replay")
    return str(label.content) if label.display else ""


async def test_rewind_shows_the_phone_still_registered_then_esc_shows_live_again(make_app, sim_pbx, sim_clock, tmp_path):
    app = make_app(record=True, store_path=str(tmp_path / "monitor.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        phone = next(p for p in sim_pbx.peers_snapshot() if p.registered and p.name.endswith("-DEVEL"))
        registered = phone.status
        sim_pbx.unregister(phone.name, "DEVEL")
        sim_clock.advance(5)
        await refresh(pilot)
        await pilot.press("5")
        await wait_until(lambda: phone_status(app, phone) != registered)

        await pilot.press("R")
        await pilot.pause()
        assert app.cursor is not None and "REPLAY" in replay_label(app)
        assert phone_status(app, phone) != registered  # the latest poll: unregistered
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert phone_status(app, phone) == registered  # the poll before: still registered
        # No write while rewound: no write command is offered, no request leaves, live controls are off.
        pane = app.panes["peers"]
        assert not [c for c in app.commands.for_pane("peers") if c.writes and pane.check_action("command", (c.name,))]
        with pytest.raises(RuntimeError, match="no request goes to the PBX"):
            await app.call_api(lambda client: client.peers())
        assert not app.check_action("refresh_now", ()) and not app.check_action("switch_profile", ())

        # The live session goes on recording behind the replay.
        polls_before = len(app.cursor.store.polls())
        sim_clock.advance(5)
        app._rewind.live.refresh_now()
        await wait_until(lambda: _recorded_polls(app) > polls_before)
        assert phone_status(app, phone) == registered  # the screen stays on the moment chosen

        await pilot.press("escape")
        await pilot.pause()
        assert app.cursor is None and replay_label(app) == ""
        await wait_until(lambda: phone_status(app, phone) == sim_status(sim_pbx, phone))
        assert app.check_action("refresh_now", ()) and not app.check_action("step", (1,))


def _recorded_polls(app) -> int:
    app.recording.flush()
    return len(app.cursor.store.polls())


def sim_status(sim_pbx, phone) -> str:
    now = next(p for p in sim_pbx.peers_snapshot() if p.name == phone.name and p.node == phone.node)
    return now.status


async def test_rewind_without_recording_says_why_and_stays_live(make_app, tmp_path):
    app = make_app(record=False, store_path=str(tmp_path / "none.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("R")
        await pilot.pause()
        assert app.cursor is None
        assert any("not recording" in str(n.message).lower() or "nothing to rewind" in str(n.message).lower()
                   for n in app._notifications)


async def test_the_palette_offers_rewind_when_live_and_back_to_live_when_rewound(make_app, sim_pbx, sim_clock, tmp_path):
    from tringtui.tui.palette import MonitorCommands

    def titles(app) -> list[str]:
        return [entry[0] for entry in MonitorCommands._entries(type("P", (), {"app": app})())]

    app = make_app(record=True, store_path=str(tmp_path / "monitor.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        live = titles(app)
        assert "Rewind into the recording" in live and "Refresh now" in live
        await pilot.press("R")
        await pilot.pause()
        rewound = titles(app)
        assert "Back to live" in rewound and "Refresh now" not in rewound
        assert not [t for t in rewound if t not in live and t != "Back to live"]
        assert len(rewound) < len(live) - 2  # the write commands are gone too


async def test_quitting_while_rewound_stops_the_live_session_behind(make_app, tmp_path):
    app = make_app(record=True, store_path=str(tmp_path / "monitor.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("R")
        await pilot.pause()
        live = app._rewind.live
        assert app.rewound
    assert not live._started and app.live is live  # its pollers stopped, not left running behind the replay
    assert not app.recording.recording
