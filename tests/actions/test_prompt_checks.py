"""Originate checks its source against the session's tenant and its account like a number; a read-only
session's command palette offers no writes, and the palette cannot open over the waiting window."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from tests.actions.action_host import ActionHost, wait_for_screen
from tests.actions.conftest import writes_sent
from tests.actions.test_monitor_keys import clock, make_app, pbx, sim  # noqa: F401
from tests.tui.conftest import first_data, wait_until
from tringtui.tui.actions import calls
from tringtui.tui.palette import MonitorCommands
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.originate_prompt import OriginatePrompt
from tringtui.tui.screens.waiting import WaitingScreen


@pytest.mark.parametrize("source, account, error", [
    ("103-ACME", "", "tenant ACME, not of DEVEL"),
    ("103", "12 34", "invalid"),
    ("103", "١٢٣", "invalid"),
    ("ACCOUNT", "", "needs an account number"),
])
async def test_originate_refuses_a_foreign_source_or_a_bad_account(sim, client, settings, journal,  # noqa: F811
                                                                   source, account, error):
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("originate", {"tenant": "DEVEL"}, calls.originate("DEVEL"))
        prompt = await wait_for_screen(pilot, OriginatePrompt)
        prompt.query_one("#source", Input).value = source
        prompt.query_one("#destination", Input).value = "0612345678"
        prompt.query_one("#account", Input).value = account
        prompt.query_one("#destination", Input).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.screen is prompt  # still asking
        assert error in str(prompt.query_one("#prompt-error").render())
    assert writes_sent(sim, "DIAL") == []


@pytest.mark.parametrize("readonly", [False, True])
async def test_the_palette_lists_writes_only_when_writes_are_possible(make_app, readonly):  # noqa: F811
    app = make_app(start_pane="channels", readonly=readonly)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        titles = [title for title, _, _ in MonitorCommands(app.screen)._entries()]
        assert ("Channels: Hang up call" in titles) is not readonly
        assert "Show channels" in titles


async def test_ctrl_p_over_the_waiting_window_cannot_leave_it_stuck(make_app, sim):  # noqa: F811
    """The palette used to open over "asking the PBX…", which then could not close when the PBX answered."""
    app = make_app(start_pane="channels", timeout=30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        sim.faults.set_latency("CHANNEL", 3.0)
        await pilot.press("H")
        waiting = await wait_for_screen(pilot, WaitingScreen)
        await pilot.press("ctrl+p")
        await pilot.pause(0.1)
        assert app.screen is waiting  # no palette over it
        await wait_for_screen(pilot, ConfirmScreen, timeout=10)
        await pilot.press("escape")
        await wait_until(lambda: not app.operator_actions.busy)
        assert len(app.screen_stack) == 1
        await pilot.press("ctrl+p")  # and the palette works again afterwards
        await wait_until(lambda: isinstance(app.screen, CommandPalette))
