"""Operator actions from the keyboard in the real monitor (TringApp) against the simulated PBX over HTTP."""

from __future__ import annotations

import json

import pytest
from textual import events
from textual.widgets import Button, Input, Label

from tests.actions.action_host import wait_for_screen
from tests.tui.conftest import first_data, wait_until
from tringtui.api.client import TringClient
from tringtui.api.journal import WriteJournal
from tringtui.audit import NO_OUTCOME_MESSAGE, AuditJournal, writes
from tringtui.settings import PANES, Secret, Settings
from tringtui.sim import ManualClock, SimServer, SimulatedPBX
from tringtui.tui.actions import catalog
from tringtui.tui.app import TringApp
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.flow_prompt import FlowPrompt
from tringtui.tui.screens.pause_prompt import PausePrompt
from tringtui.tui.screens.transfer_prompt import TransferPrompt
from tringtui.tui.screens.waiting import WaitingScreen

HOUR = 3600.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def pbx(clock) -> SimulatedPBX:
    return SimulatedPBX(seed=7, size="small", clock=clock)


@pytest.fixture
def sim(pbx):
    server = SimServer(pbx, host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_app(sim, clock, tmp_path):
    def make(
        *, key: str = "demo-devel", tenant: str = "DEVEL", readonly: bool = False, start_pane: str, timeout: float = 2.0
    ) -> TringApp:
        settings = Settings(
            server=sim.url, key=Secret(key), tenant=tenant, profile="keys", readonly=readonly,
            intervals={pane: HOUR for pane in PANES}, start_pane=start_pane,
            audit_path=str(tmp_path / "audit.jsonl"),
        )
        return TringApp(
            settings, clock=clock,
            client_factory=lambda s: TringClient(
                s.server, s.key, tenant=s.tenant, readonly=s.readonly, timeout=timeout,
                journal=WriteJournal(AuditJournal(s.audit_path), profile=s.profile),
            ),
            tick_interval=0,
        )

    return make


def journal(tmp_path) -> list[dict]:
    """One entry per operator write (an attempt line merged with its outcome line), as dicts; the
    start-up rights probe (SETFLOW without a number, journalled like every write) is left out."""
    entries = writes(AuditJournal(tmp_path / "audit.jsonl").entries())
    return [json.loads(entry.to_json()) for entry in entries if entry.action != "rights-probe"]


def sent(sim, reqtype: str) -> list:
    return [record for record in sim.request_log if record.reqtype == reqtype]


def footer_keys(app) -> set[str]:
    """The keys the footer offers right now (enabled ones)."""
    return {key for key, active in app.screen.active_bindings.items() if active.enabled and active.binding.show}


async def test_shift_h_hangs_up_the_selected_call(make_app, sim, pbx, tmp_path):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("down", "down")
        target = app.panes["channels"].selected_row.channel
        await pilot.press("H")
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert screen.action_to_confirm.target["uniqueid"] == target.uniqueid
        await pilot.press("right", "enter")
        await wait_until(lambda: bool(journal(tmp_path)))
    assert pbx.channel_by_uniqueid(target.uniqueid) is None
    (hangup,) = sent(sim, "HANGUP")
    assert hangup.params["channel"] == target.channel
    (line,) = journal(tmp_path)
    assert (line["action"], line["outcome"], line["profile"]) == ("hangup", "success", "keys")


async def test_keys_typed_in_one_burst_act_on_the_row_the_cursor_reached(make_app, sim):
    """"Down Down H" arriving at once (a fast typist, a paste, tmux send-keys) must aim at the third call.

    The cursor keys are handled by the table in its own queue; a write key that
    jumped that queue would confirm against the row the cursor was leaving.
    """
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        table_rows = app.panes["channels"].active_table.visible_rows()
        for key in ("down", "down", "H"):  # posted without waiting in between, like a burst from the terminal
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert screen.action_to_confirm.target["uniqueid"] == table_rows[2].channel.uniqueid
        assert app.panes["channels"].selected_row.channel.uniqueid == table_rows[2].channel.uniqueid


async def hang_up_on_a_slow_pbx(pilot, sim) -> WaitingScreen:
    """Press H while CHANNEL takes 10 s to answer: the waiting screen comes up."""
    await first_data(pilot)
    sim.faults.set_latency("CHANNEL", 10)
    await pilot.press("H")
    return await wait_for_screen(pilot, WaitingScreen)


async def test_a_slow_pbx_shows_what_the_action_waits_for_and_esc_stops_waiting(make_app, sim):
    app = make_app(start_pane="channels", timeout=30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        waiting = await hang_up_on_a_slow_pbx(pilot, sim)
        assert "Hang up call" in str(waiting.query_one("#waiting-title", Label).content)
        assert "asking the PBX about the call" in str(waiting.query_one("#waiting-progress", Label).content)
        await pilot.press("H", "enter")  # keys typed while waiting land on the waiting screen, not the table
        assert app.screen is waiting
        await pilot.press("escape")
        await wait_until(lambda: not app.operator_actions.busy)
        assert not isinstance(app.screen, (WaitingScreen, ConfirmScreen))
        assert any("Stopped waiting" in n.message for n in app._notifications)
        # Free again at once: the next attempt is not held up by the abandoned read.
        sim.faults.set_latency("CHANNEL", 0)
        await pilot.press("H")
        await wait_for_screen(pilot, ConfirmScreen)
    assert sent(sim, "HANGUP") == []


async def test_quitting_while_an_action_waits_for_the_pbx_is_clean(make_app, sim):
    app = make_app(start_pane="channels", timeout=30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await hang_up_on_a_slow_pbx(pilot, sim)
        await pilot.press("ctrl+q")  # Ctrl+Q quits from any dialog
        await pilot.pause()
        assert app._exit, "Ctrl+Q did not quit"
    assert app.return_code == 0 and app._exception is None
    assert sent(sim, "HANGUP") == []


async def test_a_write_awaiting_the_pbx_is_marked_in_the_header(make_app, sim, tmp_path):
    app = make_app(start_pane="channels", timeout=30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        sending = app.query_one("#header-sending", Label)
        assert not sending.display
        sim.faults.set_latency("HANGUP", 1.5)
        await pilot.press("H")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("right", "enter")
        await wait_until(lambda: sending.display)
        assert str(sending.content).strip().startswith("SENDING Hang up call")
        # While the PBX holds the request, its attempt is already in the journal.
        await wait_until(lambda: bool(journal(tmp_path)))
        first_read = journal(tmp_path)[0]  # read once: the outcome may land between two reads
        if first_read["outcome"] != "success":
            assert first_read["message"] == NO_OUTCOME_MESSAGE
        await wait_until(lambda: journal(tmp_path)[0]["outcome"] == "success")
        await pilot.pause()
        assert not sending.display
    assert len(sent(sim, "HANGUP")) == 1


async def test_lowercase_h_does_nothing(make_app, sim):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)


async def test_every_write_key_is_in_its_pane_s_footer(make_app):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        for pane in ("channels", "queues", "flows", "peers"):
            app.action_show_pane(pane)
            await pilot.pause()
            offered = footer_keys(app)
            assert {spec.key for spec in catalog.ACTIONS if spec.pane == pane} <= offered, pane


async def test_read_only_hides_write_keys_and_sends_nothing(make_app, sim, tmp_path):
    app = make_app(start_pane="channels", readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert app.query_one("#header-readonly").display
        assert "H" not in footer_keys(app)
        await pilot.press("H")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        # The palette still lists the action; choosing it is refused, and journalled as blocked.
        await app.run_pane_command("channels", "hangup")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    assert sent(sim, "HANGUP") == []
    assert [line["outcome"] for line in journal(tmp_path)] == ["read-only"]


async def test_a_key_the_server_refuses_for_writes_makes_the_session_read_only(make_app, sim, tmp_path):
    """When the start-up rights probe cannot tell (here its answer is an HTML error page), the first
    write is refused by the server and the session turns read-only then."""
    sim.faults.mode = "html"
    sim.faults.only = {"SETFLOW"}
    app = make_app(start_pane="peers", key="demo-devel-ro")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await wait_until(lambda: bool(sent(sim, "SETFLOW")))
        await pilot.pause(0.1)
        assert not app.query_one("#header-readonly").display
        await pilot.press("B")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("right", "enter")
        await wait_until(lambda: app.readonly)
        await pilot.pause()
        assert app.query_one("#header-readonly").display
        assert "B" not in footer_keys(app)
    assert [line["outcome"] for line in journal(tmp_path)] == ["refused"]


async def test_set_flow_from_the_flows_pane_via_the_palette(make_app, sim, pbx, tmp_path):
    app = make_app(start_pane="flows")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        flow = app.panes["flows"].selected_row
        await app.run_pane_command("flows", "set-flow")
        prompt = await wait_for_screen(pilot, FlowPrompt)
        prompt.query_one("#value").value = "holiday"
        await pilot.press("tab", "enter")  # from the state list to the value field, then submit
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("right", "enter")
        await wait_until(lambda: bool(journal(tmp_path)))
    assert pbx.flow(flow.number, "DEVEL").value == "holiday"
    assert journal(tmp_path)[0]["params"] == {"number": flow.number, "value": "holiday"}


async def test_z_pauses_the_selected_agent_in_the_selected_queue(make_app, sim, pbx, tmp_path):
    app = make_app(start_pane="queues")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("Z")  # the queues table has focus: no agent selected yet
        await pilot.pause()
        assert not isinstance(app.screen, PausePrompt)
        await pilot.press("tab")
        await pilot.pause()
        agent = app.panes["queues"].selected_row
        await pilot.press("Z")
        prompt = await wait_for_screen(pilot, PausePrompt)
        prompt.query_one("#reason-typed", Input).value = "Coffee"
        prompt.query_one("#continue", Button).press()
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert dict(screen.action_to_confirm.details)["Queue"].endswith(f"(id {agent.queue_id})")
        await pilot.press("right", "enter")
        await wait_until(lambda: bool(journal(tmp_path)))
    state = pbx.agent(agent.queue_id, agent.member)
    assert state.paused and state.pause_reason == "Coffee"
    (pause,) = sent(sim, "AGENT")
    assert pause.params["queue"] == agent.queue_id


async def test_tab_and_z_in_one_burst_pause_the_agent_tab_reached(make_app):
    app = make_app(start_pane="queues")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        agents_table = app.panes["queues"].query_one("#agents-table")
        first_agent = agents_table.visible_rows()[0]
        for key in ("tab", "Z"):  # posted without waiting in between, like a burst from the terminal
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        prompt = await wait_for_screen(pilot, PausePrompt)
        assert first_agent.member in prompt.subject


async def test_ctrl_r_reboots_all_phones_of_the_session_tenant_only_after_typing_it(make_app, sim, pbx):
    app = make_app(start_pane="peers")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("ctrl+r")
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert screen.action_to_confirm.typed_confirmation == "DEVEL"
        await pilot.press("right", "enter")  # Confirm is disabled: nothing happens
        await pilot.pause()
        assert sent(sim, "REBOOT") == []
        await pilot.press("escape")
        await pilot.pause()
    assert sent(sim, "REBOOT") == []


async def test_capitals_typed_into_the_filter_stay_in_the_filter(make_app, sim):
    app = make_app(start_pane="channels")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("slash", "H", "T", "A")
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmScreen, TransferPrompt))
        assert app.focused.value == "HTA"
    assert sent(sim, "HANGUP") == [] and sent(sim, "TRANSFER") == []
