"""Toasts never cover a dialog: an outcome toast raised before (or while) a confirmation is open is
held, and shown once the dialog closes. At 80x24 the "done" toast used to hide the next confirm button."""

from __future__ import annotations

from tests.actions.action_host import wait_for_screen
from tests.tui.conftest import first_data, wait_until
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.textual_compat import current_notifications


async def _hang_up_then_open_the_next_confirmation(pilot) -> None:
    app = pilot.app
    await first_data(pilot)
    await pilot.press("2", "H")
    await wait_for_screen(pilot, ConfirmScreen)
    await pilot.press("right", "enter")
    await wait_until(lambda: any("done" in n.title for n in current_notifications(app)))
    await pilot.press("down", "H")
    await wait_for_screen(pilot, ConfirmScreen)
    await pilot.pause()


async def test_a_done_toast_waits_while_the_next_confirmation_is_open(make_app, tmp_path):
    app = make_app(audit_path=str(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _hang_up_then_open_the_next_confirmation(pilot)
        assert current_notifications(app) == []
        # (The hung-up call was the selected one, so "Selection moved" waits too.)
        assert "Hang up call: done" in [toast.title for toast in app.toasts.held]
        await pilot.press("escape")
        await wait_until(lambda: any(n.title == "Hang up call: done" for n in current_notifications(app)))
        assert app.toasts.held == []


def test_no_toast_over_the_confirmation_at_80x24(snap_compare, make_app, utc, tmp_path):
    app = make_app(audit_path=str(tmp_path / "audit.jsonl"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_hang_up_then_open_the_next_confirmation)
