"""The Channels cursor never moves silently onto another call, and a filter finds the row's own channel
before the other leg that names it in "Bridged to"."""

from __future__ import annotations

from tests.tui.conftest import first_data, refresh, table, wait_until
from tringtui.tui.textual_compat import current_notifications


async def end_the_selected_call(pilot, sim_pbx):
    """Select the third channel, end its call on the PBX, refresh; returns the channel that ended."""
    await first_data(pilot)
    await pilot.press("2", "down", "down")
    ended = pilot.app.panes["channels"].selected_row.channel
    with sim_pbx.lock:
        sim_pbx.hangup_channel(ended.channel, None)
    await refresh(pilot)
    return ended


async def test_the_cursor_on_an_ended_call_moves_and_says_so(make_app, sim_pbx):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ended = await end_the_selected_call(pilot, sim_pbx)
        now = app.panes["channels"].selected_row.channel
        assert now.uniqueid != ended.uniqueid
        await wait_until(lambda: any("selected call has ended" in n.message and now.channel in n.message
                                     for n in current_notifications(app)))


async def test_a_read_only_session_moves_the_cursor_without_a_warning(make_app, sim_pbx):
    """No H to surprise there (a read-only key, a replay playing through calls): no toast at each ended call."""
    app = make_app(readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        ended = await end_the_selected_call(pilot, sim_pbx)
        assert app.panes["channels"].selected_row.channel.uniqueid != ended.uniqueid
        await pilot.pause()
        assert not any("selected call has ended" in n.message for n in current_notifications(app))


async def test_a_filter_puts_the_cursor_on_the_rows_own_channel_not_on_the_other_leg(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("2")
        rows = table(app, "channels").visible_rows()
        by_name = {row.channel.channel: row for row in rows}
        # A leg whose bridged partner comes *before* it in the table: a naive "first match" picks the partner.
        leg = next(row for row in rows if row.channel.bridged_to in by_name
                   and rows.index(by_name[row.channel.bridged_to]) > rows.index(row))
        target = by_name[leg.channel.bridged_to].channel
        await pilot.press("slash", *target.channel, "enter")
        await pilot.pause()
        assert app.panes["channels"].selected_row.channel.uniqueid == target.uniqueid
