"""Agent actions (Queues pane): pause, unpause, add to and remove from a queue.

An agent is identified by (queue id, member), captured when the key was
pressed. Pause and unpause act on that queue only; pausing in every queue
happens only when the operator ticks it in the prompt. The confirmation shows
what the queue is left with (agents available, calls waiting), computed from
a fresh INFO queue; just before sending, the agent's membership is re-checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tringtui.api.models import Agent, QueueStats
from tringtui.live.derived import available_after
from tringtui.tui.actions.write_action import WriteAction
from tringtui.tui.screens.pause_prompt import PausePrompt, PauseRequest
from tringtui.tui.screens.queue_add_prompt import QueueAddPrompt, QueueAddRequest

if TYPE_CHECKING:
    from tringtui.api.client import TringClient
    from tringtui.tui.actions.controller import ActionController


def agent_identity(agent: Agent, queue_name: str) -> dict[str, str]:
    return {"member": agent.member, "queue": agent.queue_id, "queue_name": queue_name}


def recheck_membership(agent: Agent):
    """A re-check that fails once the agent is no longer a member of that queue."""

    async def recheck(client: TringClient) -> str | None:
        members = {current.member for current in await client.agents(agent.queue_id)}
        if agent.member not in members:
            return f"{agent.member} is no longer an agent of queue {agent.queue_id}."
        return None

    return recheck


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def queue_outlook(queue_name: str, stats: QueueStats | None, agent: Agent, *, leaving: bool) -> str:
    """``Sales is left with 0 agents available, 4 calls waiting.`` once ``agent`` leaves (pause, removal)
    or comes back (unpause)."""
    if stats is None:
        return f"{queue_name}: its statistics could not be read, so the impact is unknown."
    available = available_after(stats, agent, pausing=leaving)
    return (
        f"{queue_name} is left with {_plural(available, 'agent')} available, "
        f"{_plural(stats.calls_in_queue, 'call')} waiting."
    )


def _agent_details(agent: Agent, queue_name: str, tenant: str) -> list[tuple[str, str]]:
    shown = f"{agent.member} ({agent.display_name})" if agent.display_name else agent.member
    state = "paused" + (f": {agent.pause_reason}" if agent.pause_reason else "") if agent.paused else agent.status
    return [
        ("Tenant", tenant or agent.tenant or "—"),
        ("Agent", shown),
        ("Queue", f"{queue_name} (id {agent.queue_id})"),
        ("Now", state or "—"),
    ]


async def _queue_stats(ctx: ActionController, queue_id: str, tenant: str) -> QueueStats | None:
    """The queue's current figures, for the impact line of the confirmation."""
    return await ctx.call(lambda client: client.queue_stats(queue_id), tenant, what="asking the PBX for the queue's figures")


def pause(agent: Agent, queue_name: str, tenant: str):
    """Prepare an AGENT pause in this queue (or, if ticked, in every queue)."""

    async def prepare(ctx: ActionController) -> WriteAction | None:
        request: PauseRequest | None = await ctx.ask(
            PausePrompt(f"{agent.member} in {queue_name}", queue_name=queue_name)
        )
        if request is None:
            return None
        stats = await _queue_stats(ctx, agent.queue_id, tenant)
        impact = queue_outlook(queue_name, stats, agent, leaving=True)
        if request.all_queues:
            impact = f"Paused in EVERY queue {agent.member} belongs to. {impact}"

        async def send(client: TringClient):
            if request.all_queues:
                return await client.pause_agent(agent.member, reason=request.reason, all_queues=True)
            return await client.pause_agent(agent.member, agent.queue_id, reason=request.reason)

        params = {"extension": agent.member, "action": "pause", "pausereason": request.reason}
        if not request.all_queues:
            params["queue"] = agent.queue_id
        details = [
            *_agent_details(agent, queue_name, tenant),
            ("Scope", "ALL queues" if request.all_queues else f"only {queue_name}"),
            ("Reason", request.reason or "(none)"),
        ]
        return WriteAction(
            name="pause",
            title="Pause agent",
            verb="Pause",
            pane="queues",
            target=agent_identity(agent, queue_name),
            params=params,
            details=tuple(details),
            send=send,
            recheck=recheck_membership(agent),
            impact=impact,
            tenant=tenant,
        )

    return prepare


async def paused_in(ctx: ActionController, member: str, queues: Mapping[str, str], tenant: str) -> list[str]:
    """The queues (``name (id N)``) of ``queues`` (id → name) in which ``member`` is paused now."""

    async def read(client: TringClient) -> list[str]:
        found = []
        for queue_id, name in queues.items():
            if any(a.member == member and a.paused for a in await client.agents(queue_id)):
                found.append(f"{name} (id {queue_id})")
        return found

    return await ctx.call(read, tenant, what="asking the PBX which queues the agent is paused in")


def unpause(agent: Agent, queue_name: str, tenant: str):
    """Prepare an AGENT unpause in this queue only."""

    async def prepare(ctx: ActionController) -> WriteAction:
        stats = await _queue_stats(ctx, agent.queue_id, tenant)
        impact = queue_outlook(queue_name, stats, agent, leaving=False)
        if not agent.paused:
            impact = f"{agent.member} is not paused in {queue_name}. {impact}"

        async def send(client: TringClient):
            return await client.unpause_agent(agent.member, agent.queue_id)

        return WriteAction(
            name="unpause",
            title="Unpause agent",
            verb="Unpause",
            pane="queues",
            target=agent_identity(agent, queue_name),
            params={"extension": agent.member, "action": "unpause", "queue": agent.queue_id},
            details=(*_agent_details(agent, queue_name, tenant), ("Scope", f"only {queue_name}")),
            send=send,
            recheck=recheck_membership(agent),
            impact=impact,
            tenant=tenant,
        )

    return prepare


def unpause_everywhere(agent: Agent, queues: Mapping[str, str], tenant: str):
    """Prepare an AGENT unpause without a queue: the agent is unpaused in every queue.

    The request names no queue, and neither does the journal's target; the
    confirmation lists the queues of ``queues`` (the tenant's, id → name) the
    agent is paused in now.
    """

    async def prepare(ctx: ActionController) -> WriteAction:
        paused = await paused_in(ctx, agent.member, queues, tenant)

        async def send(client: TringClient):
            return await client.unpause_agent(agent.member, all_queues=True)

        shown = f"{agent.member} ({agent.display_name})" if agent.display_name else agent.member
        return WriteAction(
            name="unpause-all-queues",
            title="Unpause agent in ALL queues",
            verb="Unpause",
            pane="queues",
            target={"member": agent.member, "queue": "ALL"},
            params={"extension": agent.member, "action": "unpause"},
            details=(
                ("Tenant", tenant or agent.tenant or "—"),
                ("Agent", shown),
                ("Scope", "ALL queues"),
                ("Paused in", ", ".join(paused) or "no queue (nothing to unpause)"),
            ),
            send=send,
            impact=f"Unpaused in EVERY queue {agent.member} belongs to"
                   + (f": {len(paused)} now paused." if paused else "."),
            tenant=tenant,
        )

    return prepare


def add_to_queue(queue_id: str, queue_name: str, tenant: str):
    """Prepare a QUEUE add of an extension the operator types."""

    async def prepare(ctx: ActionController) -> WriteAction | None:
        request: QueueAddRequest | None = await ctx.ask(QueueAddPrompt(f"Queue {queue_name} (id {queue_id})"))
        if request is None:
            return None

        async def send(client: TringClient):
            return await client.queue_add(request.extension, queue_id, agent_type=request.agent_type or None)

        params = {"id": queue_id, "extension": request.extension, "action": "add"}
        if request.agent_type:
            params["type"] = request.agent_type
        return WriteAction(
            name="queue-add",
            title="Add agent to queue",
            verb="Add",
            pane="queues",
            target={"queue": queue_id, "queue_name": queue_name, "extension": request.extension},
            params=params,
            details=(
                ("Tenant", tenant or "—"),
                ("Queue", f"{queue_name} (id {queue_id})"),
                ("Extension", request.extension),
                ("Agent type", request.agent_type or "PBX default"),
            ),
            send=send,
            tenant=tenant,
        )

    return prepare


def remove_from_queue(agent: Agent, queue_name: str, tenant: str):
    """Prepare a QUEUE del of this agent from this queue."""

    async def prepare(ctx: ActionController) -> WriteAction:
        stats = await _queue_stats(ctx, agent.queue_id, tenant)

        async def send(client: TringClient):
            return await client.queue_remove(agent.member, agent.queue_id)

        return WriteAction(
            name="queue-remove",
            title="Remove agent from queue",
            verb="Remove",
            pane="queues",
            target=agent_identity(agent, queue_name),
            params={"id": agent.queue_id, "extension": agent.member, "action": "del"},
            details=tuple(_agent_details(agent, queue_name, tenant)),
            send=send,
            recheck=recheck_membership(agent),
            impact=queue_outlook(queue_name, stats, agent, leaving=True),
            tenant=tenant,
        )

    return prepare
