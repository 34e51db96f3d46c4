"""A crash exits non-zero, also one Textual reports with ``App.panic`` (as its input thread does)."""

from __future__ import annotations

from tests.tui.conftest import first_data


async def test_a_panic_sets_a_non_zero_exit_status(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        app.panic("the input thread died")
    assert app.return_code == 1


async def test_quitting_exits_zero(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("q")
    assert app.return_code in (0, None)
