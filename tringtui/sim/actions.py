"""The actions of the API (HANGUP, TRANSFER, ATXTRANSFER, AGENT, REBOOT, UNREGISTER, SETFLOW, DIAL, QUEUE).

One function per action, on a ``CallEngine`` that is already advanced to the
clock; each returns ``(ok, message)``, which the request handlers render as
``Success|…|`` / ``Error|…|``. ``SimulatedPBX``'s methods of the same names
take its lock and advance before calling these: call those from outside.
"""

from __future__ import annotations

from tringtui.sim.engine import CallEngine
from tringtui.sim.model import FLOW_STATES, Agent, Leg, Peer, Queue

_VALID_DEST = frozenset("0123456789*#+")


def _visible_leg(engine: CallEngine, name: str, tenant: str | None) -> Leg | None:
    leg = engine.legs.get(name)
    if leg is None or (tenant is not None and leg.tenant != tenant):
        return None
    return leg


def hangup_channel(engine: CallEngine, name: str, tenant: str | None) -> tuple[bool, str]:
    leg = _visible_leg(engine, name, tenant)
    if leg is None:
        return False, "Channel not found"
    engine.end_call(leg.call)
    engine.version += 1
    return True, "Channel hungup"


def hangup_extension(engine: CallEngine, extension: str, tenant: str | None) -> tuple[bool, str]:
    peer = engine.world.find_extension(extension, tenant)
    if peer is None:
        return False, "Extension not found"
    if not peer.legs:
        return False, "Channel not found"
    for call in {leg.call.id: leg.call for leg in peer.legs}.values():
        engine.end_call(call)
    engine.version += 1
    return True, "Channel hungup"


def transfer(engine: CallEngine, name: str, dest: str, extra: str | None, tenant: str | None) -> tuple[bool, str]:
    """Blind transfer: ``name`` now talks to ``dest``; its former party hangs up.

    ``extra`` (TRANSFER's ``extrachannel``) is redirected along with it: it
    stays in the call and follows to the destination instead of hanging up.
    """
    leg = _visible_leg(engine, name, tenant)
    if leg is None:
        return False, "Channel not found"
    extra_leg = None
    if extra:
        extra_leg = _visible_leg(engine, extra, tenant)
        if extra_leg is None or extra_leg.call is not leg.call:
            return False, "Extra channel not found"
    if not _valid_dest(dest):
        return False, "Invalid destination"
    _redirect(engine, leg, dest, keep=extra_leg)
    engine.version += 1
    return True, "Transfer requested"


def atxtransfer(engine: CallEngine, name: str, dest: str, tenant: str | None) -> tuple[bool, str]:
    """Attended transfer: ``name`` consults ``dest`` while its party holds, then leaves them together."""
    leg = _visible_leg(engine, name, tenant)
    if leg is None:
        return False, "Channel not found"
    if leg.bridged is None or leg.call.phase != "up":
        return False, "Channel is not in a call"
    if not _valid_dest(dest):
        return False, "Invalid destination"
    callee = engine.dest_peer(leg.call, dest)
    if callee is not None and not callee.registered:
        return False, "Destination not available"
    call, held = leg.call, leg.bridged
    held.bridged = leg.bridged = None
    held.on_hold = True
    engine.refresh_leg_device(held)
    call.held = held
    for other in [x for x in call.legs if x is not leg and x is not held]:
        engine.drop_leg(other)
    call.legs.remove(leg)
    call.legs.insert(0, leg)  # transferrer first, then the held party, then the destination
    leg.app, leg.data, leg.exten = "Dial", engine.dial_data(call, dest), dest
    busy = callee is not None and bool(callee.legs)
    engine.new_dest_leg(call, dest, callee)
    call.will_answer = not busy
    engine.enter(call, "consult", engine.random.uniform(2, 8))
    if call.queue is not None:
        call.queue.transferred += 1
    engine.version += 1
    return True, "Attended transfer requested"


def _redirect(engine: CallEngine, leg: Leg, dest: str, keep: Leg | None = None) -> None:
    call = leg.call
    if call.queue is not None:
        if call in call.queue.waiting:
            call.queue.waiting.remove(call)
        if call.answered_at is not None:
            call.queue.transferred += 1
            call.queue.talking -= 1
            call.queue.talk_time += engine.now - call.answered_at
        call.queue = None
    for other in [x for x in call.legs if x is not leg and x is not keep]:
        engine.drop_leg(other)
    leg.bridged = None
    if keep is not None:
        keep.bridged = None
        call.legs.remove(keep)
        call.legs.insert(0, keep)
    call.held = None
    call.answered_at = None
    leg.context, leg.exten, leg.priority = "authenticated", dest, "1"
    engine.dial_from(call, leg, dest)


def set_pause(engine: CallEngine, extension: str, queue: Queue | None, paused: bool, reason: str,
              tenant: str | None) -> tuple[bool, str]:
    """Pause or unpause an agent in ``queue`` only, or in every queue it belongs to when ``queue`` is None."""
    peer = engine.world.find_extension(extension, tenant)
    if peer is None:
        return False, "Agent not found"
    if queue is not None:
        agents = [queue.members[peer.name]] if peer.name in queue.members else []
        if not agents:
            return False, "Agent not in queue"
    else:
        agents = [q.members[peer.name] for q in engine.world.queues.values() if peer.name in q.members]
        if not agents:
            return False, "Agent not in any queue"
    for agent in agents:
        engine.pause(agent, paused, reason)
    engine.version += 1
    return True, "Agent paused" if paused else "Agent unpaused"


def _peers_in_scope(engine: CallEngine, target: str, tenant: str | None) -> list[Peer] | None:
    if target.upper() == "ALL":
        return [p for p in engine.world.peer_list if tenant is None or p.tenant == tenant]
    peer = engine.world.find_extension(target, tenant)
    return engine.world.registrations_of(peer) if peer is not None else None


def reboot(engine: CallEngine, target: str, tenant: str | None) -> tuple[bool, str]:
    """Reboot phones: calls drop, registration is lost and comes back 30-90 s later."""
    peers = _peers_in_scope(engine, target, tenant)
    if peers is None:
        return False, "Peer not found"
    for peer in peers:
        for call in {leg.call.id: leg.call for leg in peer.legs}.values():
            engine.end_call(call)
        if peer.registered or peer.back_at is not None:
            engine.unregister(peer, engine.random.uniform(30, 90))
    engine.version += 1
    return True, f"Reboot sent to {len(peers)} peer{'s' if len(peers) != 1 else ''}"


def unregister(engine: CallEngine, target: str, tenant: str | None) -> tuple[bool, str]:
    """Drop registrations (calls continue); phones register again 60-240 s later."""
    peers = _peers_in_scope(engine, target, tenant)
    if peers is None:
        return False, "Peer not found"
    for peer in peers:
        if peer.registered or peer.back_at is not None:
            engine.unregister(peer, engine.random.uniform(60, 240))
    engine.version += 1
    return True, f"{len(peers)} peer{'s' if len(peers) != 1 else ''} unregistered"


def set_flow(engine: CallEngine, number: str, state: str | None, value: str | None,
             tenant: str | None) -> tuple[bool, str]:
    flow = engine.world.find_flow(number, tenant)
    if flow is None:
        return False, "Flow not found"
    if state is not None and state not in FLOW_STATES:
        return False, "Invalid state"
    if state is None and value is None:
        return False, "No state or value specified"
    if state is not None:
        engine.set_flow_state(flow, state)
    if value is not None:
        flow.value, flow.since = value, engine.now
    engine.version += 1
    return True, "Flow updated"


def dial(engine: CallEngine, source: str, dest: str, tenant: str) -> tuple[bool, str]:
    """Originate: ring the source phone, then connect it to ``dest``; returns the originate id."""
    if not _valid_dest(dest):
        return False, "Invalid destination"
    peer = engine.world.find_extension(source, tenant)
    if peer is None:
        return False, "Source not found"
    originate_id = f"{engine.random.getrandbits(56):014x}"
    if peer.registered:
        call = engine.new_call(tenant, peer.node, "originate")
        call.originate_id, call.pending_dest = originate_id, dest
        engine.new_leg(call, peer, context="fromotherpbx", exten="s", priority="1", state="Ringing",
                       app="AppDial2", data="(Outgoing Line)", cid_num=peer.ext, cid_name=peer.display)
        call.first_dst = dest
        call.will_answer = not peer.legs[:-1]  # a phone already in a call does not pick up
        engine.enter(call, "originate", engine.random.uniform(1, 5))
    engine.version += 1
    return True, originate_id


def queue_add(engine: CallEngine, queue: Queue, extension: str) -> tuple[bool, str]:
    peer = engine.world.find_extension(extension, queue.tenant)
    if peer is None:
        return False, "Extension not found"
    if peer.name not in queue.members:
        agent = Agent(peer=peer, queue=queue)
        queue.members[peer.name] = agent
        engine.world.agents.append(agent)
        engine.log_queue(None, "ADDMEMBER", peer.name, queue=queue)
    engine.version += 1
    return True, "OK"


def queue_del(engine: CallEngine, queue: Queue, extension: str) -> tuple[bool, str]:
    peer = engine.world.find_extension(extension, queue.tenant)
    if peer is None or peer.name not in queue.members:
        return False, "Agent not in queue"
    engine.world.agents.remove(queue.members.pop(peer.name))
    engine.log_queue(None, "REMOVEMEMBER", peer.name, queue=queue)
    engine.version += 1
    return True, "Agent removed"


def queue_clean(engine: CallEngine, queue: Queue) -> tuple[bool, str]:
    for agent in queue.members.values():
        engine.world.agents.remove(agent)
        engine.log_queue(None, "REMOVEMEMBER", agent.peer.name, queue=queue)
    queue.members.clear()
    engine.version += 1
    return True, "Queue cleaned"


def _valid_dest(dest: str) -> bool:
    return bool(dest) and all(ch in _VALID_DEST for ch in dest)
