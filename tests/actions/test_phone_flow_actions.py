"""Phone and flow actions end to end, the ALL safeguards, and read-only sessions sending nothing."""

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
from tests.actions.conftest import make_settings, writes_sent
from tringtui.api.client import TringClient
from tringtui.api.journal import WriteJournal
from tringtui.audit import AuditJournal
from tringtui.settings import Secret, Settings
from tringtui.tui.actions import calls, flows, phones
from tringtui.tui.actions.calls import call_identity
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.flow_prompt import FlowPrompt


async def registered_peer(client):
    return next(peer for peer in await client.peers() if peer.tenant == "DEVEL" and peer.registered)


async def test_unregister_one_phone(sim, client, settings, journal):
    peer = await registered_peer(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("unregister", {"peer": peer.name}, phones.one_phone(peer, "unregister"))
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert dict(screen.action_to_confirm.details)["Phone"] == peer.name
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert not sim.pbx.peer(peer.name).registered
    (line,) = journal_lines(journal)
    assert (line["action"], line["outcome"], line["target"]["peer"]) == ("unregister", "success", peer.name)
    assert app.refreshed == ["peers"]


async def test_reboot_one_phone(sim, client, settings, journal):
    peer = await registered_peer(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("reboot", {"peer": peer.name}, phones.one_phone(peer, "reboot"))
        await wait_for_screen(pilot, ConfirmScreen)
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert not sim.pbx.peer(peer.name).registered
    assert writes_sent(sim, "REBOOT")[0].params["peer"] == peer.name


async def test_reboot_all_needs_the_tenant_code_typed(sim, client, settings, journal):
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("reboot-all", {"peer": "ALL"}, phones.all_phones("reboot", "DEVEL"))
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert screen.query_one("#confirm", Button).disabled
        await confirm(pilot)  # nothing to press: the button is disabled
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and writes_sent(sim, "REBOOT") == []
        screen.query_one("#confirm-typed", Input).focus()
        await pilot.press(*"DEVEL", "enter")
        await pilot.press("right", "enter")
        await wait_until_idle(pilot)
    (sent,) = writes_sent(sim, "REBOOT")
    assert sent.params["peer"] == "ALL" and sent.params["tenant"] == "DEVEL"
    devel = [peer for peer in sim.pbx.peers_snapshot() if peer.tenant == "DEVEL"]
    others = [peer for peer in sim.pbx.peers_snapshot() if peer.tenant != "DEVEL"]
    assert not any(peer.registered for peer in devel)
    assert any(peer.registered for peer in others)
    assert journal_lines(journal)[0]["action"] == "reboot-all"


async def test_all_phones_is_refused_without_a_session_tenant(sim, journal):
    admin = Settings(server=sim.url, key=Secret("demo-admin"), tenant="")
    async with TringClient(sim.url, "demo-admin", "", journal=WriteJournal(journal)) as client:
        app = ActionHost(client, admin, journal)
        async with app.run_test() as pilot:
            app.controller.start("unregister-all", {"peer": "ALL"}, phones.all_phones("unregister", ""))
            await wait_until_idle(pilot)
            assert not isinstance(app.screen, ConfirmScreen)
    assert writes_sent(sim, "UNREGISTER") == []
    assert "needs a tenant" in app.notifications_seen[-1][2]


async def test_set_flow_state_and_value(sim, client, settings, journal):
    flow = (await client.flows())[0]
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("set-flow", {"flow": flow.id}, flows.set_flow(flow, "DEVEL"))
        prompt = await wait_for_screen(pilot, FlowPrompt)
        prompt.query_one("#state", Select).value = "INUSE"
        prompt.query_one("#value", Input).value = "night"
        prompt.query_one("#continue", Button).press()
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert dict(screen.action_to_confirm.details)["New state"] == f"{flow.state} → INUSE"
        await confirm(pilot)
        await wait_until_idle(pilot)
    now = sim.pbx.flow(flow.number, "DEVEL")
    assert (now.state, now.value) == ("INUSE", "night")
    (line,) = journal_lines(journal)
    assert line["params"] == {"number": flow.number, "state": "INUSE", "value": "night"}
    assert app.refreshed == ["flows"]


async def test_read_only_session_sends_nothing_and_journals_the_attempt(sim, journal):
    settings = make_settings(sim, readonly=True)
    async with TringClient(sim.url, "demo-devel", "DEVEL", readonly=True, journal=WriteJournal(journal)) as client:
        channel, _ = await bridged_call(client)
        app = ActionHost(client, settings, journal)
        async with app.run_test() as pilot:
            assert app.controller.availability() is False
            assert not app.controller.start("hangup", call_identity(channel), calls.hang_up(channel))
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)
    assert writes_sent(sim, "HANGUP") == []
    (line,) = journal_lines(journal)
    assert (line["action"], line["outcome"], line["target"]["uniqueid"]) == ("hangup", "read-only", channel.uniqueid)
    assert app.notifications_seen[-1][0] == "warning"


async def test_a_key_refused_for_writes_turns_the_session_read_only(sim, journal):
    settings = make_settings(sim, key="demo-devel-ro")
    async with TringClient(sim.url, "demo-devel-ro", "DEVEL", journal=WriteJournal(journal, "test")) as client:
        peer = await registered_peer(client)
        app = ActionHost(client, settings, journal)
        async with app.run_test() as pilot:
            app.controller.start("reboot", {"peer": peer.name}, phones.one_phone(peer, "reboot"))
            await wait_for_screen(pilot, ConfirmScreen)
            await confirm(pilot)
            await wait_until_idle(pilot)
            assert app.controller.readonly and app.controller.availability() is False
            assert app.readonly_changes == 1
            assert not app.controller.start("reboot", {"peer": peer.name}, phones.one_phone(peer, "reboot"))
    assert sim.pbx.peer(peer.name).registered
    assert [line["outcome"] for line in journal_lines(journal)] == ["refused", "read-only"]
    assert "read-only" in app.notifications_seen[-2][2]


async def test_a_write_the_journal_cannot_record_is_not_sent(sim, client, settings, tmp_path):
    blocked = tmp_path / "not-a-file"
    blocked.mkdir()
    peer = await registered_peer(client)
    async with TringClient(sim.url, "demo-devel", "DEVEL", journal=WriteJournal(AuditJournal(blocked))) as unjournalled:
        app = ActionHost(unjournalled, settings, AuditJournal(blocked))
        async with app.run_test() as pilot:
            app.controller.start("unregister", {"peer": peer.name}, phones.one_phone(peer, "unregister"))
            await wait_for_screen(pilot, ConfirmScreen)
            await confirm(pilot)
            await wait_until_idle(pilot)
    # No attempt line, no request: a write is never sent unjournalled.
    assert sim.pbx.peer(peer.name).registered and writes_sent(sim, "UNREGISTER") == []
    messages = [(severity, title, message) for severity, title, message in app.notifications_seen]
    assert any("audit journal cannot be written" in message and "nothing was sent" in message for _, _, message in messages)
    assert ("error", "Audit journal") in [(severity, title) for severity, title, _ in messages]


async def test_setting_only_the_state_shows_the_value_it_brings(sim, client, settings, journal):
    flow = (await client.flows())[0]
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("set-flow", {"flow": flow.id}, flows.set_flow(flow, "DEVEL"))
        prompt = await wait_for_screen(pilot, FlowPrompt)
        prompt.query_one("#state", Select).value = "INUSE"
        prompt.query_one("#continue", Button).press()
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert screen.action_to_confirm.impact.endswith(f"→ {flow.value_for_inuse}.")
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert sim.pbx.flow(flow.number, "DEVEL").value == flow.value_for_inuse
