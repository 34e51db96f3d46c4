"""The confirmation and prompt screens: focus, cancelling, typed confirmation, validation."""

import pytest
from textual.widgets import Button, Checkbox, Input, Select

from tests.actions.screen_host import UNANSWERED, ScreenHost
from tringtui.tui.actions.write_action import WriteAction
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.flow_prompt import FlowPrompt, FlowRequest
from tringtui.tui.screens.originate_prompt import OriginatePrompt, OriginateRequest
from tringtui.tui.screens.pause_prompt import PausePrompt, PauseRequest
from tringtui.tui.screens.queue_add_prompt import QueueAddPrompt, QueueAddRequest
from tringtui.tui.screens.transfer_prompt import TransferPrompt, TransferRequest


async def never_sent(client):
    raise AssertionError("a screen test must never send")


def action(typed: str = "") -> WriteAction:
    return WriteAction(
        name="reboot-all" if typed else "hangup", title="Hang up call", verb="Hang up", pane="channels",
        target={"channel": "SIP/103-DEVEL-00000001"}, params={"channel": "SIP/103-DEVEL-00000001"},
        details=(("Tenant", "DEVEL"), ("Caller", "[b]103[/b]")), send=never_sent, impact="Both parties hang up.",
        typed_confirmation=typed,
    )


async def test_confirm_focus_starts_on_cancel_and_enter_cancels():
    app = ScreenHost(ConfirmScreen(action()))
    async with app.run_test() as pilot:
        assert app.focused.id == "cancel"
        await pilot.press("enter")
        await pilot.pause()
    assert app.answer is False


async def test_confirm_escape_cancels():
    app = ScreenHost(ConfirmScreen(action()))
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.answer is False


async def test_confirm_needs_a_deliberate_move_to_confirm():
    app = ScreenHost(ConfirmScreen(action()))
    async with app.run_test() as pilot:
        await pilot.press("right", "enter")
        await pilot.pause()
    assert app.answer is True


async def test_confirm_shows_values_literally_not_as_markup():
    app = ScreenHost(ConfirmScreen(action()))
    async with app.run_test() as pilot:
        await pilot.pause()
        texts = [str(widget.render()) for widget in app.screen.query("Static")]
    assert any("[b]103[/b]" in text for text in texts)


async def test_typed_confirmation_must_match_exactly():
    app = ScreenHost(ConfirmScreen(action(typed="DEVEL")))
    async with app.run_test() as pilot:
        confirm = app.screen.query_one("#confirm", Button)
        assert confirm.disabled
        # The code field has the focus from the start: what the operator types goes there.
        assert app.focused.id == "confirm-typed"
        await pilot.press(*"devel")
        await pilot.pause()
        assert confirm.disabled, "case matters"
        app.screen.query_one("#confirm-typed", Input).value = ""
        app.screen.query_one("#confirm-typed", Input).focus()
        await pilot.press(*"DEVEL", "enter")
        await pilot.pause()
        assert not confirm.disabled
        assert app.focused.id == "cancel", "Enter in the code field must not confirm"
        assert app.answer is UNANSWERED
        await pilot.press("right", "enter")
        await pilot.pause()
    assert app.answer is True


async def test_typed_confirmation_enter_on_an_empty_code_never_confirms():
    app = ScreenHost(ConfirmScreen(action(typed="DEVEL")))
    async with app.run_test() as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
    assert app.answer is False


async def test_transfer_prompt_validates_and_offers_the_other_leg():
    app = ScreenHost(TransferPrompt("call", attended=False, other_leg="SIP/kamailio-00000002"))
    async with app.run_test() as pilot:
        await pilot.press(*"12a", "enter")
        await pilot.pause()
        assert app.answer is UNANSWERED
        assert "invalid destination" in str(app.screen.query_one("#prompt-error").render())
        app.screen.query_one("#destination", Input).value = "201"
        app.screen.query_one("#other-leg", Checkbox).value = True
        await pilot.press("enter")
        await pilot.pause()
    assert app.answer == TransferRequest("201", with_other_leg=True)


async def test_attended_transfer_prompt_has_no_other_leg_and_escape_cancels():
    app = ScreenHost(TransferPrompt("call", attended=True, other_leg="SIP/kamailio-00000002"))
    async with app.run_test() as pilot:
        assert not app.screen.query("#other-leg")
        await pilot.press(*"201", "escape")
        await pilot.pause()
    assert app.answer is None


async def test_originate_prompt_prefills_the_source():
    app = ScreenHost(OriginatePrompt("new call", source="103"))
    async with app.run_test() as pilot:
        await pilot.press(*"0612345678", "enter")
        await pilot.pause()
    assert app.answer == OriginateRequest("103", "0612345678", "")


async def test_pause_prompt_typed_reason_wins_and_all_queues_is_off_by_default():
    app = ScreenHost(PausePrompt("201-DEVEL in Sales", queue_name="Sales"))
    async with app.run_test() as pilot:
        app.screen.query_one("#reason-choice", Select).value = "Lunch"
        await pilot.pause()
        app.screen.query_one("#continue", Button).press()
        await pilot.pause()
    assert app.answer == PauseRequest("Lunch", all_queues=False)

    app = ScreenHost(PausePrompt("201-DEVEL in Sales", queue_name="Sales"))
    async with app.run_test() as pilot:
        app.screen.query_one("#reason-choice", Select).value = "Lunch"
        app.screen.query_one("#reason-typed", Input).focus()
        await pilot.press(*"Doctor", "enter")
        await pilot.pause()
    assert app.answer == PauseRequest("Doctor", all_queues=False)


async def test_queue_add_prompt_requires_an_extension():
    app = ScreenHost(QueueAddPrompt("Sales"))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.answer is UNANSWERED
        await pilot.press(*"105", "enter")
        await pilot.pause()
    assert app.answer == QueueAddRequest("105", "")


@pytest.mark.parametrize(
    ("state", "value", "expected"),
    [
        ("INUSE", "night", FlowRequest("INUSE", None)),
        (Select.NULL, "day", FlowRequest(None, "day")),
    ],
)
async def test_flow_prompt_sends_only_what_changed(state, value, expected):
    app = ScreenHost(FlowPrompt("Night mode", current_value="night"))
    async with app.run_test() as pilot:
        app.screen.query_one("#state", Select).value = state
        app.screen.query_one("#value", Input).value = value
        app.screen.query_one("#continue", Button).press()
        await pilot.pause()
    assert app.answer == expected


async def test_flow_prompt_with_no_change_says_so():
    app = ScreenHost(FlowPrompt("Night mode", current_value="night"))
    async with app.run_test() as pilot:
        app.screen.query_one("#continue", Button).press()
        await pilot.pause()
        assert app.answer is UNANSWERED
        assert "Nothing to change" in str(app.screen.query_one("#prompt-error").render())
