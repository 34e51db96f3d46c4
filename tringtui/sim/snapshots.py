"""Read views of the simulated PBX: derived statuses and the frozen ``*Info`` snapshots.

Pure functions of the world and the call engine at its current time: they
change nothing and draw no random numbers, so looking never changes what
happens next. ``SimulatedPBX`` calls them under its lock after advancing to
the clock; the wire renderers use the status functions too.
"""

from __future__ import annotations

from tringtui.sim.engine import CallEngine
from tringtui.sim.model import (
    NOT_INUSE, RINGINUSE, RINGING, UNAVAILABLE, Agent, AgentInfo, ChannelInfo, Flow, FlowInfo, Leg, Peer, PeerInfo,
    Queue, QueueInfo,
)


def ordered_legs(engine: CallEngine) -> list[Leg]:
    """Live legs in a stable order: by node, then oldest first (dicts keep insertion order)."""
    order = {node: index for index, node in enumerate(engine.world.nodes)}
    return sorted(engine.legs.values(), key=lambda leg: order[leg.node])


def peer_status(engine: CallEngine, peer: Peer) -> str:
    """The Status column as ``sip show peers`` prints it."""
    if not peer.qualified:
        return "Unmonitored"
    if not peer.registered:
        return "UNKNOWN"
    if peer.health == "UNREACHABLE":
        return "UNREACHABLE"
    # The round trip wobbles every 10 s, from a hash so it costs no random draws.
    wobble = (hash((engine.world.seed, peer.ex_id, int(engine.now // 10))) & 0xFFFF) / 0xFFFF
    if peer.health == "LAGGED":
        return f"LAGGED ({int(600 + 1400 * wobble)} ms)"
    return f"OK ({max(1, int(peer.base_ms * (0.7 + 0.6 * wobble)))} ms)"


def agent_status(agent: Agent) -> str:
    """INFO agents' position 1: available, busy, paused, ringing or unavailable."""
    if agent.paused:
        return "paused"
    state = agent.peer.device_state
    if state == UNAVAILABLE:
        # Agents that follow to other destinations stay reachable without their phone: the real API
        # shows such rows as "available" with device state UNAVAILABLE.
        return "available" if agent.type_code in ("AD", "EA") else "unavailable"
    if state in (RINGING, RINGINUSE):
        return "ringing"
    if state == NOT_INUSE:
        return "available"
    return "busy"


def queue_stats(engine: CallEngine, queue: Queue) -> dict[str, float]:
    """INFO queue's statistics, as numbers."""
    online = [a for a in queue.members.values() if a.peer.registered]
    available = [a for a in online if not a.paused]
    waits = [engine.now - call.queued_at for call in queue.waiting]
    answered = max(queue.answered, 1)
    return {
        "AGENTSAVAILABLE": len(available),
        "AGENTSPAUSED": sum(1 for a in queue.members.values() if a.paused),
        "AGENTSFREE": sum(1 for a in available if a.peer.device_state == NOT_INUSE),
        "AGENTSONLINE": len(online),
        "CALLSINQUEUE": len(queue.waiting),
        "SERVICELEVEL": round(100.0 * queue.answered_in_sl / answered, 1),
        "FIRSTWAITING": int(waits[0]) if len(waits) > 0 else 0,
        "SECONDWAITING": int(waits[1]) if len(waits) > 1 else 0,
        "THIRDWAITING": int(waits[2]) if len(waits) > 2 else 0,
        "CALLSONLINE": queue.talking,
        "TALKTIME": int(queue.talk_time),
        "HOLDTIME": int(queue.hold_time),
        "ANSWEREDCALLS": queue.answered,
        "CALLSRECEIVED": queue.received,
        "REALANSWEREDCALLS": queue.answered - queue.transferred,
        "TRANSFEREDCALLS": queue.transferred,
        "ABANDONEDCALLS": queue.abandoned,
        "TIMEDOUTCALLS": queue.timed_out,
        "QUEUECAR": round(100.0 * queue.abandoned / max(queue.received, 1), 1),
        "EXITWITHKEYCALLS": queue.exit_with_key,
        "MAXHOLDTIME": int(queue.max_hold),
        "AVERAGETALKTIME": int(queue.talk_time / answered),
        "AVERAGEHOLDTIME": int(queue.hold_time / answered),
    }


def channel_info(engine: CallEngine, leg: Leg) -> ChannelInfo:
    return ChannelInfo(
        name=leg.name, uniqueid=leg.uniqueid, linkedid=leg.call.linkedid, node=leg.node, tenant=leg.tenant,
        call_id=leg.call.id, peer=leg.peer.name if leg.peer else None, context=leg.context, exten=leg.exten,
        state=leg.state, application=leg.app, data=leg.data, caller_id=leg.cid_num,
        bridged=leg.bridged.name if leg.bridged else None, duration=int(engine.now) - int(leg.created),
        on_hold=leg.on_hold,
    )


def peer_info(engine: CallEngine, peer: Peer) -> PeerInfo:
    return PeerInfo(name=peer.name, tenant=peer.tenant, node=peer.node, tech=peer.tech,
                    registered=peer.registered, host=peer.address if peer.registered else "(Unspecified)",
                    status=peer_status(engine, peer), device_state=peer.device_state, back_at=peer.back_at)


def agent_info(queue: Queue, member: str) -> AgentInfo | None:
    agent = queue.members.get(member)
    if agent is None:
        return None
    return AgentInfo(member=member, queue_id=queue.id, paused=agent.paused, pause_reason=agent.pause_reason,
                     status=agent_status(agent), device_state=agent.peer.device_state,
                     calls_taken=agent.calls_taken)


def queue_info(engine: CallEngine, queue: Queue) -> QueueInfo:
    return QueueInfo(id=queue.id, number=queue.number, name=queue.name, tenant=queue.tenant,
                     members=tuple(queue.members), stats=queue_stats(engine, queue))


def flow_info(flow: Flow) -> FlowInfo:
    return FlowInfo(id=flow.id, tenant=flow.tenant, number=flow.number, name=flow.name, state=flow.state,
                    value=flow.value)
