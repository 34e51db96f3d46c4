"""Snapshots of the confirmation screens at 80x24 (frozen clock, fixed seed: deterministic)."""

from __future__ import annotations

from textual.widgets import Button, Select

from tests.actions.action_host import ActionHost, bridged_call, wait_for_screen
from tests.actions.test_agent_actions import agent_in_two_queues
from tringtui.tui.actions import agents, calls, phones
from tringtui.tui.actions.agents import agent_identity
from tringtui.tui.actions.calls import call_identity
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.pause_prompt import PausePrompt

SIZE = (80, 24)


def test_hang_up_confirmation(snap_compare, settings, journal):
    async def open_dialog(pilot):
        channel, _ = await bridged_call(pilot.app.client)
        pilot.app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
        await wait_for_screen(pilot, ConfirmScreen)

    assert snap_compare(ActionHost(None, settings, journal), terminal_size=SIZE, run_before=open_dialog)


def test_pause_confirmation_shows_what_the_queue_is_left_with(snap_compare, settings, journal):
    async def open_dialog(pilot):
        agent, queue, _ = await agent_in_two_queues(pilot.app.client)
        pilot.app.controller.start("pause", agent_identity(agent, queue.name), agents.pause(agent, queue.name, "DEVEL"))
        prompt = await wait_for_screen(pilot, PausePrompt)
        prompt.query_one("#reason-choice", Select).value = "Lunch"
        prompt.query_one("#continue", Button).press()
        await wait_for_screen(pilot, ConfirmScreen)

    assert snap_compare(ActionHost(None, settings, journal), terminal_size=SIZE, run_before=open_dialog)


def test_reboot_all_confirmation_asks_for_the_tenant_code(snap_compare, settings, journal):
    async def open_dialog(pilot):
        pilot.app.controller.start("reboot-all", {"peer": "ALL"}, phones.all_phones("reboot", "DEVEL"))
        await wait_for_screen(pilot, ConfirmScreen)

    assert snap_compare(ActionHost(None, settings, journal), terminal_size=SIZE, run_before=open_dialog)


def test_pause_prompt(snap_compare, settings, journal):
    async def open_prompt(pilot):
        agent, queue, _ = await agent_in_two_queues(pilot.app.client)
        pilot.app.controller.start("pause", agent_identity(agent, queue.name), agents.pause(agent, queue.name, "DEVEL"))
        await wait_for_screen(pilot, PausePrompt)

    assert snap_compare(ActionHost(None, settings, journal), terminal_size=SIZE, run_before=open_prompt)
