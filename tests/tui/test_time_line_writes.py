"""The time line is one: the audit journal's writes beside the recorded events, live and rewound."""

from __future__ import annotations

import time

import pytest

from tringtui.sim import ManualClock
from tringtui.tui.screens.confirm import ConfirmScreen

from tests.tui.conftest import first_data, table, wait_until


@pytest.fixture
def sim_clock():
    # The journal stamps a write with the wall clock, as the recorder stamps polls outside tests; here
    # the polls run on a simulated clock that starts now, so that both are on one time line.
    return ManualClock(start=float(int(time.time())))


def registered(sim_pbx, phone) -> bool:
    return next(p.registered for p in sim_pbx.peers_snapshot() if p.name == phone.name and p.node == phone.node)


def writes_shown(app) -> list:
    return [e for e in table(app, "events").visible_rows() if e.kind == "write.unregister"]


async def test_a_write_from_the_monitor_is_on_its_events_pane_live_and_rewound(make_app, sim_server, sim_pbx,
                                                                                sim_clock, tmp_path):
    # The server the settings name is the one the client talks to, as outside tests: writes are matched by it.
    app = make_app(record=True, store_path=str(tmp_path / "monitor.sqlite"), server=sim_server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        phone = next(p for p in sim_pbx.peers_snapshot() if p.registered and p.name.endswith("-DEVEL"))
        await pilot.press("5", "slash", *phone.name, "enter")
        await wait_until(lambda: getattr(app.panes["peers"].selected_row, "name", None) == phone.name)
        await pilot.press("E")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")
        await wait_until(lambda: not registered(sim_pbx, phone))

        await pilot.press("6")
        await wait_until(lambda: len(writes_shown(app)) == 1)
        written = writes_shown(app)[0]
        assert (written.object, written.tenant, written.after) == (phone.name, "DEVEL", "success")
        app.show_recorded_events()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert writes_shown(app) == [written]  # once, however often the time line is read again

        # A poll after the write, then rewind: the write is on the replay's time line and in its pane.
        sim_clock.set(max(sim_clock(), time.time()) + 5)
        app.live.refresh_now()
        await wait_until(lambda: app.live.snapshot("peers").fetched_at >= written.at)
        app.recording.flush()
        await pilot.press("R")
        await pilot.pause()
        assert app.cursor is not None and app.cursor.end >= written.at
        assert app.cursor.writes == [written]
        await wait_until(lambda: writes_shown(app) == [written])
