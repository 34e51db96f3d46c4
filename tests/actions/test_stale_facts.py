"""Confirmations show what is true when they open, and what was confirmed is checked again before
sending: a call or flow changed meanwhile is shown anew and asked again; nothing is sent meanwhile."""

from __future__ import annotations

from textual.widgets import Button, Input, Select

from tests.actions.action_host import (
    ActionHost,
    bridged_call,
    confirm,
    journal_lines,
    wait_for_screen,
    wait_until_idle,
)
from tests.actions.conftest import writes_sent
from tringtui.tui.actions import calls, flows
from tringtui.tui.actions.calls import call_identity
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.flow_prompt import FlowPrompt
from tringtui.tui.screens.transfer_prompt import TransferPrompt


async def _fill_flow_prompt(pilot, state: str, value: str) -> None:
    prompt = await wait_for_screen(pilot, FlowPrompt)
    prompt.query_one("#state", Select).value = state
    prompt.query_one("#value", Input).value = value
    prompt.query_one("#continue", Button).press()


async def test_a_flow_changed_while_the_prompt_was_open_is_confirmed_as_it_is_now(sim, client, settings, journal):
    flow = next(f for f in await client.flows() if f.state == "NOT_INUSE")
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("set-flow", {"flow": flow.id}, flows.set_flow(flow, "DEVEL"))
        await wait_for_screen(pilot, FlowPrompt)
        with sim.pbx.lock:  # another operator, meanwhile
            sim.pbx.set_flow(flow.number, "INUSE", "night", "DEVEL")
        await _fill_flow_prompt(pilot, "INUSE", "lunch")
        screen = await wait_for_screen(pilot, ConfirmScreen)
        details = dict(screen.action_to_confirm.details)
        assert details["New state"] == "INUSE → INUSE"
        assert details["New value"] == "night → lunch"


async def test_a_flow_changed_after_confirming_is_shown_anew_and_asked_again(sim, client, settings, journal):
    flow = next(f for f in await client.flows() if f.state == "NOT_INUSE")
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("set-flow", {"flow": flow.id}, flows.set_flow(flow, "DEVEL"))
        await _fill_flow_prompt(pilot, "INUSE", "lunch")
        first = await wait_for_screen(pilot, ConfirmScreen)
        assert dict(first.action_to_confirm.details)["New value"] == f"{flow.value or '—'} → lunch"
        with sim.pbx.lock:
            sim.pbx.set_flow(flow.number, "INUSE", "night", "DEVEL")
        await confirm(pilot)
        await pilot.pause(0.3)
        again = app.screen
        assert isinstance(again, ConfirmScreen) and again is not first
        assert again.action_to_confirm.changed.startswith("Changed since you confirmed")
        assert "value" in again.action_to_confirm.changed and "night" in again.action_to_confirm.changed
        assert dict(again.action_to_confirm.details)["New value"] == "night → lunch"
        assert [r for r in writes_sent(sim, "SETFLOW") if "number" in r.params] == []
        await pilot.press("escape")  # the operator leaves the other's setting alone
        await wait_until_idle(pilot)
    assert sim.pbx.flow(flow.number, "DEVEL").value == "night"
    assert [line["outcome"] for line in journal_lines(journal)] == ["target-changed"]


async def test_a_call_whose_other_leg_moved_away_is_asked_again_before_hanging_up(sim, client, settings, journal):
    channel, other = await bridged_call(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
        first = await wait_for_screen(pilot, ConfirmScreen)
        assert dict(first.action_to_confirm.details).get("Bridged to", other.channel) == other.channel
        with sim.pbx.lock:  # the other leg starts an attended transfer elsewhere: this one is held, unbridged
            ok, _ = sim.pbx.atxtransfer(other.channel, "0612345678", "DEVEL")
        assert ok
        await confirm(pilot)
        await pilot.pause(0.3)
        again = app.screen
        assert isinstance(again, ConfirmScreen) and again is not first
        assert "bridged to" in again.action_to_confirm.changed and other.channel in again.action_to_confirm.changed
        assert writes_sent(sim, "HANGUP") == []
        await confirm(pilot)  # confirmed as it is now: sent
        await wait_until_idle(pilot)
    assert len(writes_sent(sim, "HANGUP")) == 1
    assert [line["outcome"] for line in journal_lines(journal)] == ["target-changed", "success"]


async def test_a_transfer_confirmation_shows_the_call_as_it_is_once_the_destination_is_typed(
    sim, client, settings, journal
):
    channel, other = await bridged_call(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("transfer", call_identity(channel), calls.transfer(channel, attended=False))
        prompt = await wait_for_screen(pilot, TransferPrompt)
        with sim.pbx.lock:
            sim.pbx.atxtransfer(other.channel, "0612345678", "DEVEL")
        prompt.query_one("#destination", Input).value = "0201234567"
        prompt.query_one("#destination", Input).focus()
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, ConfirmScreen)
        details = dict(screen.action_to_confirm.details)
        assert other.channel not in details["Other party"] and other.channel not in details.get("Bridged to", "")
        assert other.channel not in screen.action_to_confirm.impact
