"""Quitting (q, Ctrl+Q) or switching profile (P) while a write awaits the PBX asks first: wait, or go anyway."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from tests.actions.action_host import wait_for_screen
from tests.actions.test_monitor_keys import clock, journal, make_app, pbx, sent, sim  # noqa: F401
from tests.tui.conftest import first_data, wait_until
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.write_in_flight import WriteInFlightScreen

async def _hang_up_slowly(pilot, sim):  # noqa: F811
    """Confirm a hang-up that the simulator holds until the test releases it (returned)."""
    answer = sim.faults.hold("HANGUP")
    await first_data(pilot)
    await pilot.press("H")
    screen = await wait_for_screen(pilot, ConfirmScreen, timeout=10)
    screen.query_one("#confirm", Button).press()
    await wait_until(lambda: bool(pilot.app.operator_actions.in_flight), timeout=10)
    return answer


@pytest.mark.parametrize("key", ["q", "ctrl+q", "P"])
async def test_leaving_during_a_write_asks_and_waiting_shows_the_outcome(make_app, sim, tmp_path, key):  # noqa: F811
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        answer = await _hang_up_slowly(pilot, sim)
        await pilot.press(key)
        screen = await wait_for_screen(pilot, WriteInFlightScreen)
        assert app.focused is screen.query_one("#wait", Button)
        answer.set()
        # The answer arrives: the question closes by itself, the outcome is told, the app stays.
        await wait_until(lambda: not isinstance(app.screen, WriteInFlightScreen))
        await wait_until(lambda: any("Hang up call: done" in n.title for n in app._notifications))
        assert app.is_running
    assert [line["outcome"] for line in journal(tmp_path) if line["action"] == "hangup"][-1] == "success"


async def test_quit_anyway_leaves_during_the_write(make_app, sim, tmp_path):  # noqa: F811
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await _hang_up_slowly(pilot, sim)
        await pilot.press("q")
        await wait_for_screen(pilot, WriteInFlightScreen)
        await pilot.press("right", "enter")
        await wait_until(lambda: not app.is_running)
    assert len(sent(sim, "HANGUP")) == 1


async def test_without_a_write_in_flight_q_quits_at_once(make_app):  # noqa: F811
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("q")
        await wait_until(lambda: not app.is_running, timeout=3)
