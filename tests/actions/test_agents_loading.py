"""Z, U and X refuse while the agents table still shows the previously selected queue's agents."""

from __future__ import annotations

from tests.actions.test_monitor_keys import clock, make_app, pbx, sent, sim  # noqa: F401
from tests.tui.conftest import first_data, wait_until
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.pause_prompt import PausePrompt
from tringtui.tui.textual_compat import current_notifications


async def test_down_tab_z_in_one_burst_refuses_until_the_agents_arrive(make_app, sim):  # noqa: F811
    app = make_app(start_pane="queues", timeout=30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        pane = app.panes["queues"]
        sim.faults.set_latency("INFO", 1.0)  # the next queue's agents take a while
        await pilot.press("down", "tab", "Z")
        await pilot.pause(0.1)
        assert pane.agents_loading()
        assert not isinstance(app.screen, (PausePrompt, ConfirmScreen))
        await wait_until(lambda: any("are still loading" in n.message for n in current_notifications(app)))
        sim.faults.set_latency("INFO", 0)
        await wait_until(lambda: not pane.agents_loading(), timeout=10)
    assert sent(sim, "AGENT") == []
