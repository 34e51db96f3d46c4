"""Agent actions end to end: pause/unpause in the selected queue only, queue add/remove, impact shown."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input, Select

from tests.actions.action_host import (
    ActionHost,
    confirm,
    journal_lines,
    wait_for_screen,
    wait_until_idle,
)
from tests.actions.conftest import writes_sent
from tringtui.api.client import TringClient
from tringtui.api.journal import WriteJournal
from tringtui.settings import Secret, Settings
from tringtui.tui.actions import agents
from tringtui.tui.actions.agents import agent_identity
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.pause_prompt import PausePrompt
from tringtui.tui.screens.queue_add_prompt import QueueAddPrompt


async def agent_in_two_queues(client):
    """An unpaused agent that belongs to two queues, the queue acted on, and the other queue."""
    queues = await client.queues()
    memberships = {queue.id: {agent.member: agent for agent in await client.agents(queue.id)} for queue in queues}
    for queue in queues:
        for member, agent in memberships[queue.id].items():
            others = [other for other in queues if other.id != queue.id and member in memberships[other.id]]
            if others and not agent.paused and not memberships[others[0].id][member].paused:
                return agent, queue, others[0]
    raise AssertionError("the seeded PBX has no agent in two queues")


async def run_pause(pilot, app, agent, queue, *, reason, all_queues=False):
    app.controller.start("pause", agent_identity(agent, queue.name), agents.pause(agent, queue.name, agent.tenant))
    prompt = await wait_for_screen(pilot, PausePrompt)
    prompt.query_one("#reason-choice", Select).value = reason
    prompt.query_one("#all-queues", Checkbox).value = all_queues
    prompt.query_one("#continue", Button).press()
    return await wait_for_screen(pilot, ConfirmScreen)


async def test_pause_in_the_selected_queue_only_with_its_reason_and_impact(sim, client, settings, journal):
    agent, queue, other_queue = await agent_in_two_queues(client)
    stats = await client.queue_stats(queue.id)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        screen = await run_pause(pilot, app, agent, queue, reason="Lunch")
        impact = screen.action_to_confirm.impact
        assert impact == (
            f"{queue.name} is left with {stats.agents_available - 1} agent"
            f"{'' if stats.agents_available - 1 == 1 else 's'} available, "
            f"{stats.calls_in_queue} call{'' if stats.calls_in_queue == 1 else 's'} waiting."
        )
        assert dict(screen.action_to_confirm.details)["Scope"] == f"only {queue.name}"
        await confirm(pilot)
        await wait_until_idle(pilot)
    paused = sim.pbx.agent(queue.id, agent.member)
    assert paused.paused and paused.pause_reason == "Lunch"
    assert not sim.pbx.agent(other_queue.id, agent.member).paused
    (sent,) = writes_sent(sim, "AGENT")
    assert sent.params["queue"] == queue.id and sent.params["action"] == "pause"
    (line,) = journal_lines(journal)
    assert line["action"] == "pause" and line["outcome"] == "success" and line["params"]["pausereason"] == "Lunch"
    assert line["target"] == {"member": agent.member, "queue": queue.id, "queue_name": queue.name}
    assert app.refreshed == ["queues"]


async def test_pause_in_all_queues_only_when_ticked(sim, client, settings, journal):
    agent, queue, other_queue = await agent_in_two_queues(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        screen = await run_pause(pilot, app, agent, queue, reason="Meeting", all_queues=True)
        assert dict(screen.action_to_confirm.details)["Scope"] == "ALL queues"
        assert "EVERY queue" in screen.action_to_confirm.impact
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert sim.pbx.agent(queue.id, agent.member).paused
    assert sim.pbx.agent(other_queue.id, agent.member).paused
    (sent,) = writes_sent(sim, "AGENT")
    assert "queue" not in sent.params


async def test_unpause_in_the_selected_queue(sim, client, settings, journal):
    rows = [(agent, queue) for queue in await client.queues() for agent in await client.agents(queue.id)]
    agent, queue = next((agent, queue) for agent, queue in rows if agent.paused)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("unpause", agent_identity(agent, queue.name), agents.unpause(agent, queue.name, "DEVEL"))
        screen = await wait_for_screen(pilot, ConfirmScreen)
        assert screen.action_to_confirm.impact.startswith(f"{queue.name} is left with")
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert not sim.pbx.agent(queue.id, agent.member).paused
    assert journal_lines(journal)[0]["outcome"] == "success"


async def test_add_and_remove_an_agent(sim, client, settings, journal):
    queue = (await client.queues())[0]
    members = {agent.member for agent in await client.agents(queue.id)}
    newcomer = next(
        peer for peer in await client.peers() if peer.tenant == "DEVEL" and peer.name not in members
    )
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        app.controller.start("queue-add", {"queue": queue.id}, agents.add_to_queue(queue.id, queue.name, "DEVEL"))
        prompt = await wait_for_screen(pilot, QueueAddPrompt)
        prompt.query_one("#extension", Input).focus()
        await pilot.press(*newcomer.extension, "enter")
        await wait_for_screen(pilot, ConfirmScreen)
        await confirm(pilot)
        await wait_until_idle(pilot)
        added = next(agent for agent in await client.agents(queue.id) if agent.member == newcomer.name)

        app.controller.start("queue-remove", agent_identity(added, queue.name),
                             agents.remove_from_queue(added, queue.name, "DEVEL"))
        await wait_for_screen(pilot, ConfirmScreen)
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert newcomer.name not in {agent.member for agent in await client.agents(queue.id)}
    assert [line["action"] for line in journal_lines(journal)] == ["queue-add", "queue-remove"]
    assert all(line["outcome"] == "success" for line in journal_lines(journal))


async def test_an_agent_removed_meanwhile_is_not_paused(sim, client, settings, journal):
    agent, queue, _ = await agent_in_two_queues(client)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        await run_pause(pilot, app, agent, queue, reason="Break")
        with sim.pbx.lock:
            sim.pbx.queue_del(sim.pbx.find_queue(queue.id, None, "DEVEL"), agent.member)
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert writes_sent(sim, "AGENT") == []
    assert journal_lines(journal)[0]["outcome"] == "target-changed"


async def test_an_admin_key_addresses_the_queue_s_tenant(sim, journal):
    admin = Settings(server=sim.url, key=Secret("demo-admin"), tenant="", profile="noc")
    async with TringClient(sim.url, "demo-admin", "", journal=WriteJournal(journal, "noc")) as client:
        agent, queue, other_queue = await agent_in_two_queues(client.with_tenant("DEVEL"))
        app = ActionHost(client, admin, journal)
        async with app.run_test() as pilot:
            await run_pause(pilot, app, agent, queue, reason="Training")
            await confirm(pilot)
            await wait_until_idle(pilot)
    (sent,) = writes_sent(sim, "AGENT")
    assert sent.params["tenant"] == "DEVEL" and sent.params["queue"] == queue.id
    assert sim.pbx.agent(queue.id, agent.member).paused
    assert not sim.pbx.agent(other_queue.id, agent.member).paused


async def test_unpause_in_all_queues_only_when_chosen(sim, client, settings, journal):
    agent, queue, other_queue = await agent_in_two_queues(client)
    with sim.pbx.lock:  # paused everywhere, as after a pause in all queues
        sim.pbx.set_pause(agent.member, None, True, "Break", "DEVEL")
    paused = next(a for a in await client.agents(queue.id) if a.member == agent.member)
    app = ActionHost(client, settings, journal)
    async with app.run_test() as pilot:
        names = {q.id: q.name for q in await client.queues()}
        app.controller.start("unpause-all-queues", {"member": paused.member, "queue": "ALL"},
                             agents.unpause_everywhere(paused, names, "DEVEL"))
        screen = await wait_for_screen(pilot, ConfirmScreen)
        details = dict(screen.action_to_confirm.details)
        assert details["Scope"] == "ALL queues"
        # Every queue it is paused in is named, not just the one the cursor was on.
        assert f"{queue.name} (id {queue.id})" in details["Paused in"]
        assert f"{other_queue.name} (id {other_queue.id})" in details["Paused in"]
        await confirm(pilot)
        await wait_until_idle(pilot)
    assert not sim.pbx.agent(queue.id, agent.member).paused
    assert not sim.pbx.agent(other_queue.id, agent.member).paused
    (sent,) = writes_sent(sim, "AGENT")
    assert "queue" not in sent.params and sent.params["action"] == "unpause"
    (line,) = journal_lines(journal)
    assert line["action"] == "unpause-all-queues"
    # The journal records what was sent: no queue id, since the request named none.
    assert "queue" not in line["params"] and line["target"]["queue"] == "ALL"


def test_unpausing_an_agent_whose_phone_is_offline_adds_no_one_available():
    from tringtui.api.models import Agent
    from tringtui.live.derived import available_once_unpaused

    offline = Agent(member="278-DEVEL", queue_id="281", paused=True, status="paused", device_state="UNAVAILABLE")
    online = Agent(member="208-DEVEL", queue_id="281", paused=True, status="paused", device_state="NOT_INUSE")
    not_paused = Agent(member="130-DEVEL", queue_id="281", paused=False, status="busy", device_state="INUSE")
    assert not available_once_unpaused(offline)
    assert available_once_unpaused(online)
    assert not available_once_unpaused(not_paused)
