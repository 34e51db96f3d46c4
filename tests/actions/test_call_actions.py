"""Call actions end to end: key-free Pilot runs of the controller against the simulator over HTTP."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from tests.actions.action_host import ActionHost, bridged_call, confirm, journal_lines, wait_for_screen, wait_until_idle
from tests.actions.conftest import writes_sent
from tringtui.api.client import TringClient
from tringtui.api.journal import WriteJournal
from tringtui.tui.actions import calls
from tringtui.tui.actions.calls import call_identity
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.originate_prompt import OriginatePrompt
from tringtui.tui.screens.transfer_prompt import TransferPrompt


async def test_hang_up_ends_the_call_and_journals_it(sim, client, settings, journal):
    channel, other = await bridged_call(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
        screen = await wait_for_screen(pilot, ConfirmScreen)
        shown = dict(screen.action_to_confirm.details)
        assert shown["Node"] == channel.node and shown["Tenant"] == "DEVEL"
        assert shown["Unique id"] == channel.uniqueid and shown["Duration"]
        await confirm(pilot)
        await wait_until_idle(pilot)
    remaining = {c.uniqueid for c in await client.channels()}
    assert channel.uniqueid not in remaining and other.uniqueid not in remaining
    sent = writes_sent(sim, "HANGUP")
    assert len(sent) == 1 and sent[0].params["channel"] == channel.channel
    (line,) = journal_lines(journal)
    assert line["action"] == "hangup" and line["outcome"] == "success"
    assert line["target"]["uniqueid"] == channel.uniqueid and line["server"] == settings.server_host
    assert line["message"] == "Channel hungup" and isinstance(line["latency_ms"], int)
    assert "demo-devel" not in journal.path.read_text()
    assert app.refreshed == ["channels"]
    assert app.notifications_seen[-1][0] == "information" and "Channel hungup" in app.notifications_seen[-1][2]


async def test_cancel_and_escape_send_nothing(sim, client, settings, journal):
    channel, _ = await bridged_call(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        for keys in (("enter",), ("escape",)):
            assert app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
            await wait_for_screen(pilot, ConfirmScreen)
            await pilot.press(*keys)
            await wait_until_idle(pilot)
    assert writes_sent(sim, "HANGUP") == []
    assert channel.uniqueid in {c.uniqueid for c in await client.channels()}
    assert journal_lines(journal) == []


async def test_a_second_press_while_busy_does_nothing(sim, client, settings, journal):
    channel, _ = await bridged_call(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        assert app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
        assert not app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
        assert app.controller.availability() is None
        await wait_for_screen(pilot, ConfirmScreen)
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert len(writes_sent(sim, "HANGUP")) == 1
    assert len(journal_lines(journal)) == 1


async def test_a_call_that_ends_before_confirmation_is_not_hung_up(sim, client, settings, journal):
    channel, _ = await bridged_call(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
        await wait_for_screen(pilot, ConfirmScreen)
        with sim.pbx.lock:  # the caller hangs up while the operator reads the dialog
            sim.pbx.hangup_channel(channel.channel, "DEVEL")
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert writes_sent(sim, "HANGUP") == []
    (line,) = journal_lines(journal)
    assert line["outcome"] == "target-changed"
    severity, title, message = app.notifications_seen[-1]
    assert severity == "warning" and "ended" in message and "Nothing was sent" in message


async def test_a_call_already_gone_is_reported_before_any_dialog(sim, client, settings, journal):
    channel, _ = await bridged_call(client)
    with sim.pbx.lock:
        sim.pbx.hangup_channel(channel.channel, "DEVEL")
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
        await wait_until_idle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
    assert writes_sent(sim, "HANGUP") == []
    assert "already ended" in app.notifications_seen[-1][2]


async def test_a_write_that_times_out_is_sent_once_and_reported_unknown(sim, client, settings, journal):
    channel, _ = await bridged_call(client)
    sim.faults.only = {"HANGUP"}
    sim.faults.mode = "hang"  # never answered: only the client's timeout ends the wait, however slow the machine
    async with TringClient(
        settings.server, settings.key.reveal(), settings.tenant, timeout=0.5,
        journal=WriteJournal(journal, profile=settings.profile),
    ) as impatient:
        app = ActionHost(impatient, settings, journal)
        async with app.run_test() as pilot:
            app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
            await wait_for_screen(pilot, ConfirmScreen)
            await confirm(pilot)
            await wait_until_idle(pilot)
    assert len(writes_sent(sim, "HANGUP")) == 1
    (line,) = journal_lines(journal)
    assert line["outcome"] == "unknown"
    severity, title, message = app.notifications_seen[-1]
    assert severity == "warning" and "OUTCOME UNKNOWN" in title and "not retried" in message
    assert app.refreshed == ["channels"]


async def test_blind_transfer_with_the_other_leg(sim, client, settings, journal):
    channel, other = await bridged_call(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("transfer", call_identity(channel), calls.transfer(channel, attended=False))
        prompt = await wait_for_screen(pilot, TransferPrompt)
        prompt.query_one("#destination", Input).value = "0201234567"
        prompt.query_one("#other-leg", Checkbox).value = True
        prompt.query_one("#destination", Input).focus()
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert dict(screen.action_to_confirm.details)["Transfer to"] == "0201234567"
        await confirm(pilot)
        await wait_until_idle(pilot)
    (sent,) = writes_sent(sim, "TRANSFER")
    assert sent.params["channel"] == channel.channel and sent.params["dest"] == "0201234567"
    assert sent.params["extrachannel"] == other.channel
    (line,) = journal_lines(journal)
    assert line["action"] == "transfer" and line["outcome"] == "success"
    assert line["params"]["extrachannel"] == other.channel
    moved = sim.pbx.channel(channel.channel)
    assert moved is not None and moved.exten == "0201234567"


async def test_attended_transfer(sim, client, settings, journal):
    channel, _ = await bridged_call(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("attended-transfer", call_identity(channel), calls.transfer(channel, attended=True))
        await wait_for_screen(pilot, TransferPrompt)
        await pilot.press(*"201", "enter")
        await wait_for_screen(pilot, ConfirmScreen)
        await confirm(pilot)
        await wait_until_idle(pilot)
    (sent,) = writes_sent(sim, "ATXTRANSFER")
    assert sent.params["dest"] == "201"
    assert journal_lines(journal)[0]["outcome"] == "success"


async def test_originate_rings_the_source_phone(sim, client, settings, journal):
    busy = {channel.peer_name for channel in await client.channels()}
    idle = next(
        peer for peer in await client.peers() if peer.tenant == "DEVEL" and peer.registered and peer.name not in busy
    )
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("originate", {}, calls.originate("DEVEL"))
        prompt = await wait_for_screen(pilot, OriginatePrompt)
        prompt.query_one("#source", Input).value = idle.extension
        prompt.query_one("#destination", Input).value = "0612345678"
        prompt.query_one("#destination", Input).focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmScreen)
        await confirm(pilot)
        await wait_until_idle(pilot)
    (sent,) = writes_sent(sim, "DIAL")
    assert sent.params["source"] == idle.extension and sent.params["dest"] == "0612345678"
    assert "autoanswer" not in sent.params  # off unless ticked
    assert any(c.peer_name == idle.name for c in await client.channels())
    line = journal_lines(journal)[0]
    assert line["action"] == "originate" and line["outcome"] == "success"


async def test_originate_with_auto_answer_says_so_and_sends_it(sim, client, settings, journal):
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("originate", {}, calls.originate("DEVEL"))
        prompt = await wait_for_screen(pilot, OriginatePrompt)
        prompt.query_one("#source", Input).value = "103"
        prompt.query_one("#destination", Input).value = "*43"
        prompt.query_one("#autoanswer", Checkbox).value = True
        prompt.query_one("#destination", Input).focus()
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert ("Auto answer", "yes: 103 answers by itself") in screen.action_to_confirm.details
        await confirm(pilot)
        await wait_until_idle(pilot)
    (sent,) = writes_sent(sim, "DIAL")
    assert sent.params["autoanswer"] == "yes"
    assert journal_lines(journal)[0]["params"]["autoanswer"] == "yes"
