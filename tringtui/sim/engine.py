"""The call engine: the simulated PBX's clock-driven life (events, calls, legs, registrations).

``CallEngine`` owns everything that changes over time on top of the standing
``World``: the live calls and their legs, the time-ordered event heap, the
call records and queue log. It is an event-driven simulation: every future
change (a call arriving, a phone answering, a call ending, a peer flapping, a
flow toggling, an agent pausing, a rebooted phone registering again) is an
event in a heap. Nothing runs in the background: ``advance()`` processes every
event up to the clock's time, in time order, drawing from one seeded
``random.Random``. The state at a given time therefore depends only on the
seed and the actions taken, not on how often anyone looked. After a gap longer
than ``MAX_CATCH_UP`` (a laptop waking up) the calls are re-drawn at the new
time rather than replayed.

A call moves through phases (see ``Call``); each phase's next step is a method
referenced in ``self._steps``, scheduled by ``enter()``.

Not thread-safe on its own: ``SimulatedPBX`` calls it under its lock.
"""

from __future__ import annotations

import heapq
import itertools
import random
import zlib
from collections import deque
from collections.abc import Callable

from tringtui.sim.generate import SizeSpec, outside_caller_name
from tringtui.sim.model import (
    INUSE, NOT_INUSE, ONHOLD, RINGINUSE, RINGING, UNAVAILABLE, Agent, Call, CallRecord, Flow, Leg, Peer, Queue,
    QueueLogEntry, Tenant,
)
from tringtui.sim.world import World

HISTORY_LIMIT = 5000
"""Finished calls and queue log lines kept (each), oldest dropped first."""

MAX_CATCH_UP = 900.0
"""Seconds of events replayed at most; a longer gap re-draws the calls."""

MEAN_TALK = 120.0
MEAN_LEGS_PER_CALL = 1.8
MEAN_CALL_LIFETIME = 120.0
SERVICE_LEVEL_SECONDS = 20.0
PAUSE_REASONS = ("lunch", "break", "admin work", "meeting", "")
CALL_KINDS = (("internal", 0.25), ("outbound", 0.35), ("inbound", 0.15), ("queue", 0.2), ("ivr", 0.05))


def is_recorded(call: Call) -> bool:
    """Whether a call is recorded: most queue calls, some others (fixed by its linkedid, no random draw)."""
    share = 7 if call.first_queue is not None else 2
    return zlib.crc32(call.linkedid.encode()) % 10 < share


class CallEngine:
    """The live part of a simulated PBX: calls, legs, events and history (see the module docstring)."""

    def __init__(self, world: World, rng: random.Random, clock: Callable[[], float], spec: SizeSpec,
                 now: float) -> None:
        self.world = world
        self.random = rng
        self.spec = spec
        self._clock = clock
        self.now = now
        self.calls: dict[int, Call] = {}
        self.legs: dict[str, Leg] = {}
        self.legs_by_uniqueid: dict[str, Leg] = {}
        self._events: list[tuple] = []
        self._event_seq = itertools.count()
        self._call_ids = itertools.count(1)
        # One channel counter for the whole cluster: names stay unique across nodes, since the API
        # addresses channels by name alone (CHANNEL, HANGUP, TRANSFER).
        self._channel_suffix = rng.randrange(0x1000, 0xF000)
        self._uniqueid_seq = {node: rng.randrange(100, 5000) for node in world.nodes}
        self._kinds, self._kind_weights = zip(*CALL_KINDS)
        self._steps: dict[str, Callable[[Call], None]] = {
            "ringing": self._step_ringing, "up": self.end_call, "ivr": self.end_call, "queued": self._step_queued,
            "queue_ringing": self._step_queue_ringing, "originate": self._step_originate,
            "consult": self._step_consult, "consult_up": self._step_consult_up,
        }
        self.cdrs: deque[CallRecord] = deque(maxlen=HISTORY_LIMIT)
        self.queue_log: deque[QueueLogEntry] = deque(maxlen=HISTORY_LIMIT)
        self._cdr_ids = 1000  # database ids of the call records
        self.version = 0
        """Bumped on every change; lets renderers cache bodies."""
        self._populate()
        self._schedule_background()

    # ------------------------------------------------------------------
    # time
    # ------------------------------------------------------------------

    def advance(self) -> float:
        """Process every event up to the clock's time; returns that time."""
        target = float(self._clock())
        if target <= self.now:
            return self.now
        if target - self.now > MAX_CATCH_UP:
            self._redraw(target)
            return self.now
        events = self._events
        while events and events[0][0] <= target:
            when, _, handler, subject, token = heapq.heappop(events)
            self.now = when
            handler(subject, token)
            self.version += 1
        self.now = target
        return target

    def clock_time(self) -> float:
        """The injected clock's current time (without advancing the state)."""
        return float(self._clock())

    def _schedule(self, delay: float, handler: Callable, subject: object = None, token: object = None) -> None:
        heapq.heappush(self._events, (self.now + max(delay, 0.001), next(self._event_seq), handler, subject, token))

    def _schedule_background(self) -> None:
        self._schedule(self._next_arrival(), self._on_arrival)
        self._schedule(self.random.expovariate(self._flap_rate()), self._on_flap)
        if self.world.flows:
            self._schedule(self.random.expovariate(1 / 90), self._on_flow_toggle)
        if self.world.agents:
            self._schedule(self.random.expovariate(1 / 45), self._on_pause_toggle)

    def _redraw(self, target: float) -> None:
        for call in list(self.calls.values()):
            self.end_call(call, count_stats=False)
        self._events.clear()
        self.now = target
        for peer in self.world.peer_list:
            if peer.back_at is not None:
                self.register(peer)
        self._populate()
        self._schedule_background()
        self.version += 1

    # ------------------------------------------------------------------
    # legs, calls, device states
    # ------------------------------------------------------------------

    def new_leg(self, call: Call, peer: Peer | None, *, context: str, exten: str, priority: str, state: str,
                 app: str, data: str, cid_num: str, cid_name: str = "", created: float | None = None) -> Leg:
        node = call.node
        created = self.now if created is None else created
        suffix = self._channel_suffix
        self._channel_suffix = (suffix + 1) & 0xFFFFFFFF
        seq = self._uniqueid_seq[node]
        self._uniqueid_seq[node] = seq + 1
        name = f"{peer.tech}/{peer.name}-{suffix:08x}" if peer else f"SIP/kamailio-{suffix:08x}"
        leg = Leg(name=name, uniqueid=f"{node}-{int(created)}.{seq}", node=node, tenant=call.tenant, call=call,
                  peer=peer, context=context, exten=exten, priority=priority, state=state, app=app, data=data,
                  cid_num=cid_num, cid_name=cid_name, created=created)
        call.legs.append(leg)
        self.legs[name] = leg
        self.legs_by_uniqueid[leg.uniqueid] = leg
        if not call.linkedid:
            call.linkedid = leg.uniqueid
            call.first_dst = exten
        if peer is not None:
            peer.legs.append(leg)
            self.refresh_device(peer)
        return leg

    def drop_leg(self, leg: Leg) -> None:
        call = leg.call
        if leg in call.legs:
            call.legs.remove(leg)
        self.legs.pop(leg.name, None)
        self.legs_by_uniqueid.pop(leg.uniqueid, None)
        if leg.bridged is not None and leg.bridged.bridged is leg:
            leg.bridged.bridged = None
        leg.bridged = None
        if call.held is leg:
            call.held = None
        if leg.peer is not None:
            leg.peer.legs.remove(leg)
            self.refresh_device(leg.peer)

    def set_state(self, leg: Leg, state: str) -> None:
        leg.state = state
        if leg.peer is not None:
            self.refresh_device(leg.peer)

    def bridge(self, a: Leg, b: Leg) -> None:
        a.bridged, b.bridged = b, a

    def refresh_device(self, peer: Peer) -> None:
        if not peer.registered:
            state = UNAVAILABLE
        elif not peer.legs:
            state = NOT_INUSE
        else:
            ringing = any(leg.state == "Ringing" for leg in peer.legs)
            talking = any(leg.state != "Ringing" for leg in peer.legs)
            if any(leg.on_hold for leg in peer.legs):
                state = ONHOLD
            elif ringing and talking:
                state = RINGINUSE
            else:
                state = RINGING if ringing else INUSE
        if state != peer.device_state:
            peer.device_state = state
            peer.state_since = self.now

    def new_call(self, tenant: str, node: str, phase: str) -> Call:
        call = Call(id=next(self._call_ids), tenant=tenant, node=node, phase=phase, started=self.now, linkedid="")
        self.calls[call.id] = call
        return call

    def enter(self, call: Call, phase: str, delay: float) -> None:
        """Move ``call`` to ``phase`` and schedule its next step; earlier steps become stale."""
        step = self._steps[phase]  # an unknown phase fails here, where it is entered
        call.phase = phase
        call.generation += 1
        self._schedule(delay, self._on_call_step, call, (call.generation, step))

    def end_call(self, call: Call, *, count_stats: bool = True) -> None:
        if self.calls.pop(call.id, None) is None:
            return
        call.generation += 1
        queue = call.queue
        if queue is not None:
            if call in queue.waiting:
                queue.waiting.remove(call)
                if count_stats:
                    queue.abandoned += 1
                    self.log_queue(call, "ABANDON", "NONE", "1", "1", str(int(self.now - call.queued_at)))
            if call.answered_at is not None:
                queue.talking -= 1
                if count_stats:
                    queue.talk_time += self.now - call.answered_at
                    self.log_queue(call, "COMPLETECALLER", call.agent.peer.name if call.agent else "NONE",
                                    str(int(call.answered_at - call.queued_at)),
                                    str(int(self.now - call.answered_at)), "1")
        if count_stats and call.legs:
            self._record_cdr(call)
        for leg in list(call.legs):
            self.drop_leg(leg)

    def _record_cdr(self, call: Call) -> None:
        first, last = call.legs[0], call.legs[-1]
        answerer = (first.bridged or (last if last is not first else None)) if call.answered_at is not None else None
        reached = answerer or (last if last is not first else None)
        if first.peer is None:
            direction = "in"
        elif any(leg.peer is None for leg in call.legs):
            direction = "out"
        else:
            direction = "internal"
        if call.answered_at is not None:
            disposition = "ANSWERED"
        elif any(leg.state == "Busy" for leg in call.legs):
            disposition = "BUSY"
        elif direction == "out" and zlib.crc32(call.linkedid.encode()) % 5 == 0:
            disposition = "FAILED"  # the carrier refused the number
        else:
            disposition = "NO ANSWER"
        queue = call.first_queue
        last_dst = queue.number if queue is not None else first.exten
        if direction == "out" and reached is not None and reached.peer is None:
            last_dst = f"#{100 + self.world.tenants[call.tenant].te_id % 900:03d}#{reached.cid_num}"
        self._cdr_ids += 1
        self.cdrs.append(CallRecord(
            id=self._cdr_ids, tenant=call.tenant, node=call.node, started=call.started, ended=self.now,
            answered_at=call.answered_at, direction=direction, disposition=disposition,
            src_number=first.cid_num, src_name=first.cid_name, src_peer=first.peer.name if first.peer else "",
            first_dst=call.first_dst, last_dst=last_dst, dst_number=reached.cid_num if reached else "",
            whoanswered=(answerer.peer.name if answerer.peer else answerer.cid_num) if answerer else "",
            dcontext="fromoutside" if first.peer is None else "fromotherpbx" if call.originate_id else "authenticated",
            srcchannel=first.name, dstchannel=reached.name if reached else "", lastapp=first.app,
            lastdata=first.data, uniqueid=first.uniqueid, linkedid=call.linkedid, originate_id=call.originate_id,
            queue_id=queue.id if queue is not None else None, recorded=is_recorded(call),
        ))

    def log_queue(self, call: Call | None, event: str, agent: str, *data: str, queue: Queue | None = None) -> None:
        queue = queue or call.queue
        self.queue_log.append(QueueLogEntry(
            time=self.now, callid=call.linkedid if call else "NONE", queue_id=queue.id, tenant=queue.tenant,
            agent=agent, event=event, data=data,
        ))

    # ------------------------------------------------------------------
    # picking participants
    # ------------------------------------------------------------------

    def _idle(self, peer: Peer) -> bool:
        return peer.registered and not peer.legs and peer.health != "UNREACHABLE"

    def _pick_idle_peer(self, candidates: list[Peer], exclude: Peer | None = None) -> Peer | None:
        if not candidates:
            return None
        for _ in range(6):  # random probes first: cheap when most phones are idle
            peer = candidates[self.random.randrange(len(candidates))]
            if peer is not exclude and self._idle(peer):
                return peer
        idle = [p for p in candidates if p is not exclude and self._idle(p)]
        return self.random.choice(idle) if idle else None

    def _pick_tenant(self) -> Tenant:
        return self.random.choices(self.world.tenant_list, cum_weights=self.world.tenant_weights)[0]

    def _external_number(self) -> str:
        if self.random.random() < 0.7:
            return f"0031{self.random.randrange(100000000, 999999999)}"
        return f"06{self.random.randrange(10000000, 99999999)}"

    def talk_time(self) -> float:
        return min(5 + self.random.expovariate(1 / MEAN_TALK), 1800.0)

    # ------------------------------------------------------------------
    # starting calls
    # ------------------------------------------------------------------

    def _start_call(self, kind: str, *, answered: bool, age: float = 0.0) -> Call | None:
        """Start a call of ``kind``; ``answered`` starts it already talking for ``age`` seconds."""
        tenant = self._pick_tenant()
        if kind == "queue" and not tenant.queues:
            kind = "ivr"
        if kind in ("internal", "outbound"):
            caller = self._pick_idle_peer(tenant.peers)
            if caller is None:
                return None
            callee = None
            if kind == "internal":
                callee = self._pick_idle_peer(self.world.peers_by_tenant_node.get((tenant.code, caller.node), []), caller)
            return self._call_from_peer(tenant, caller, callee, answered, age)
        if kind == "inbound":
            callee = self._pick_idle_peer(tenant.peers)
            if callee is None:
                return None
            return self._call_from_trunk(tenant, callee, answered, age)
        if kind == "queue":
            return self._call_into_queue(tenant, self.random.choice(tenant.queues), age)
        return self._call_into_ivr(tenant, age)

    def _call_from_peer(self, tenant: Tenant, caller: Peer, callee: Peer | None, answered: bool, age: float) -> Call:
        call = self.new_call(tenant.code, caller.node, "ringing")
        call.started = self.now - age
        if callee is not None:
            dest, dial = callee.ext, f"{callee.device},60,tTkK"
        else:
            dest = self._external_number()
            dial = f"SIP/kamailio/{dest},120,tT"
        a = self.new_leg(call, caller, context="authenticated", exten=dest, priority="3",
                          state="Up" if answered else "Ring", app="Dial", data=dial,
                          cid_num=caller.ext, cid_name=caller.display, created=call.started)
        self._ring_destination(call, a, dest, callee, answered)
        return call

    def _ring_destination(self, call: Call, a: Leg, dest: str, callee: Peer | None, answered: bool) -> Leg:
        """Create the leg that ``a`` dials (a phone or the trunk) and schedule answer or talk."""
        # A call already talking started ringing its destination a moment after it began.
        created = min(self.now, call.started + self.random.uniform(0.2, 1.5))
        b = self.new_leg(call, callee, context="fromotherpbx", exten="s", priority="1",
                          state="Up" if answered else "Ringing", app="AppDial", data="(Outgoing Line)",
                          cid_num=callee.ext if callee else dest, cid_name=callee.display if callee else "",
                          created=created)
        if answered:
            self.bridge(a, b)
            call.answered_at = self.now
            self.enter(call, "up", self.talk_time())
        else:
            call.will_answer = self.random.random() < 0.85
            if not call.will_answer and callee is None and self.random.random() < 0.3:
                b.state = "Busy"  # the far end is busy; Asterisk shows it until the caller gives up
            self.enter(call, "ringing", self.random.uniform(2, 15))
        return b

    def _call_from_trunk(self, tenant: Tenant, callee: Peer, answered: bool, age: float) -> Call:
        call = self.new_call(tenant.code, callee.node, "ringing")
        call.started = self.now - age
        a = self.new_leg(call, None, context="fromoutside", exten=self.random.choice(tenant.dids), priority="5",
                          state="Up" if answered else "Ring", app="Dial", data=f"{callee.device},30,tT",
                          cid_num=self._external_number(), created=call.started)
        a.cid_name = outside_caller_name(a.cid_num)
        self._ring_destination(call, a, callee.ext, callee, answered)
        return call

    def _call_into_queue(self, tenant: Tenant, queue: Queue, age: float) -> Call:
        call = self.new_call(tenant.code, tenant.nodes[0], "queued")
        call.started = call.queued_at = self.now - min(age, 60.0)
        call.queue, call.max_wait = queue, self.random.uniform(60, 300)
        call.first_queue = queue
        caller = self.new_leg(call, None, context="fromoutside", exten=self.random.choice(tenant.dids),
                              priority="7", state="Up", app="Queue", data=f"{queue.id},tT,,,300",
                              cid_num=self._external_number(), created=call.started)
        caller.cid_name = outside_caller_name(caller.cid_num)
        queue.received += 1
        queue.waiting.append(call)
        self.log_queue(call, "ENTERQUEUE", "NONE", "", call.legs[0].cid_num, str(len(queue.waiting)))
        self.enter(call, "queued", self.random.uniform(1, 8))
        return call

    def _call_into_ivr(self, tenant: Tenant, age: float) -> Call:
        call = self.new_call(tenant.code, tenant.nodes[0], "ivr")
        call.started = self.now - min(age, 30.0)
        caller = self.new_leg(call, None, context="fromoutside", exten=self.random.choice(tenant.dids),
                              priority="2", state="Up", app="BackGround", data=f"custom/welcome-{tenant.code}",
                              cid_num=self._external_number(), created=call.started)
        caller.cid_name = outside_caller_name(caller.cid_num)
        self.enter(call, "ivr", self.random.uniform(8, 45))
        return call

    def _populate(self) -> None:
        """Fill the PBX with calls in progress until it has exactly the target number of channels."""
        target = self.spec.channels
        failures = 0
        while len(self.legs) < target:
            remaining = target - len(self.legs)
            if remaining == 1 or failures > 20:
                kind = self.random.choice(("queue", "ivr"))  # single-leg calls fill the last slot
            else:
                kind = self.random.choices(self._kinds, weights=self._kind_weights)[0]
            answered = kind != "queue" and self.random.random() < 0.85
            age = self.random.expovariate(1 / 90) if answered else self.random.uniform(0, 10)
            if self._start_call(kind, answered=answered, age=age) is None:
                failures += 1
        for leg in self.legs.values():
            if leg.peer is not None:  # phones have been busy since their call began, not since "now"
                leg.peer.state_since = leg.created

    # ------------------------------------------------------------------
    # events
    # ------------------------------------------------------------------

    def _next_arrival(self) -> float:
        rate = max(self.spec.channels, 1) / (MEAN_LEGS_PER_CALL * MEAN_CALL_LIFETIME)
        return self.random.expovariate(rate)

    def _flap_rate(self) -> float:
        return max(1 / 30, len(self.world.peers) / 2000)

    def _on_arrival(self, _subject: object, _token: object) -> None:
        if self.spec.channels:
            kind = self.random.choices(self._kinds, weights=self._kind_weights)[0]
            self._start_call(kind, answered=False)
        self._schedule(self._next_arrival(), self._on_arrival)

    def _on_flap(self, _subject: object, _token: object) -> None:
        peer = self.random.choice(self.world.peer_list)
        if peer.registered and peer.back_at is None:
            roll = self.random.random()
            if roll < 0.1 and not peer.legs:
                self.unregister(peer, self.random.uniform(30, 240))  # the phone restarts by itself
            elif peer.qualified:
                peer.health = ("LAGGED" if roll < 0.7 else "UNREACHABLE") if peer.health == "OK" else "OK"
        self._schedule(self.random.expovariate(self._flap_rate()), self._on_flap)

    def _on_flow_toggle(self, _subject: object, _token: object) -> None:
        flow = self.random.choice(self.world.flows)
        self.set_flow_state(flow, "INUSE" if flow.state == "NOT_INUSE" else "NOT_INUSE")
        self._schedule(self.random.expovariate(1 / 90), self._on_flow_toggle)

    def _on_pause_toggle(self, _subject: object, _token: object) -> None:
        if self.world.agents:  # QUEUE clean may have emptied every queue
            agent = self.random.choice(self.world.agents)
            self.pause(agent, not agent.paused, self.random.choice(PAUSE_REASONS))
        self._schedule(self.random.expovariate(1 / 45), self._on_pause_toggle)

    def pause(self, agent: Agent, paused: bool, reason: str) -> None:
        agent.paused = paused
        agent.pause_reason = reason if paused else ""
        self.log_queue(None, "PAUSE" if paused else "UNPAUSE", agent.peer.name, agent.pause_reason,
                        queue=agent.queue)

    def _on_registration_due(self, peer: Peer, token: object) -> None:
        if peer.back_at == token:
            self.register(peer)

    def _on_call_step(self, call: Call, token: tuple[int, Callable[[Call], None]]) -> None:
        generation, step = token
        if call.generation != generation or call.id not in self.calls:
            return  # stale: the call moved on or ended (hangup, transfer)
        step(call)

    def _step_ringing(self, call: Call) -> None:
        if not call.will_answer or len(call.legs) < 2:
            self.end_call(call)
            return
        a, b = call.legs[-2], call.legs[-1]
        self.set_state(a, "Up")
        self.set_state(b, "Up")
        self.bridge(a, b)
        call.answered_at = call.answered_at or self.now
        self.enter(call, "up", self.talk_time())

    def _step_queued(self, call: Call) -> None:
        queue = call.queue
        waited = self.now - call.queued_at
        if waited >= call.max_wait:
            queue.waiting.remove(call)
            queue.timed_out += 1
            self.log_queue(call, "EXITWITHTIMEOUT", "NONE", "1", "1", str(int(waited)))
            self.end_call(call)
            return
        if self.random.random() < 0.04:
            self.end_call(call)  # the caller gives up (counted as abandoned)
            return
        free = [a for a in queue.members.values() if not a.paused and self._idle(a.peer)]
        if not free:
            self.enter(call, "queued", self.random.uniform(3, 10))
            return
        agent = self.random.choice(free)
        call.agent = agent
        self.new_leg(call, agent.peer, context="fromotherpbx", exten="s", priority="1", state="Ringing",
                      app="AppDial", data="(Outgoing Line)", cid_num=agent.peer.ext, cid_name=agent.peer.display)
        call.will_answer = self.random.random() < 0.85
        self.enter(call, "queue_ringing", self.random.uniform(2, 10))

    def _step_queue_ringing(self, call: Call) -> None:
        queue, agent = call.queue, call.agent
        caller, agent_leg = call.legs[0], call.legs[-1]
        if not call.will_answer:
            self.log_queue(call, "RINGNOANSWER", agent.peer.name, str(int((self.now - agent_leg.created) * 1000)))
            agent.rings_missed += 1
            self.drop_leg(agent_leg)
            call.agent = None
            self.enter(call, "queued", self.random.uniform(2, 5))
            return
        hold = self.now - call.queued_at
        queue.waiting.remove(call)
        queue.answered += 1
        queue.answered_in_sl += hold <= SERVICE_LEVEL_SECONDS
        queue.hold_time += hold
        queue.max_hold = max(queue.max_hold, hold)
        queue.talking += 1
        agent.calls_taken += 1
        delay = self.now - agent_leg.created
        agent.rings_answered += 1
        agent.ring_delay_total += delay
        agent.ring_delay_max = max(agent.ring_delay_max, delay)
        agent.last_call = self.now
        self.log_queue(call, "CONNECT", agent.peer.name, str(int(hold)), agent_leg.uniqueid,
                        str(int(self.now - agent_leg.created)))
        self.set_state(agent_leg, "Up")
        self.bridge(caller, agent_leg)
        call.answered_at = self.now
        self.enter(call, "up", self.talk_time())

    def _step_originate(self, call: Call) -> None:
        source = call.legs[0]
        if not call.will_answer:
            self.end_call(call)
            return
        source.app, source.context, source.exten, source.priority = "Dial", "authenticated", call.pending_dest, "1"
        self.set_state(source, "Up")
        self.dial_from(call, source, call.pending_dest)

    def _step_consult(self, call: Call) -> None:
        transferrer, dest_leg = call.legs[0], call.legs[-1]  # atxtransfer() put them first and last
        if not call.will_answer:
            # Nobody answered the consultation: the transferrer gets the held party back.
            self.drop_leg(dest_leg)
            if call.held is not None:
                call.held.on_hold = False
                self.bridge(transferrer, call.held)
                self.refresh_leg_device(call.held)
                call.held = None
            self.enter(call, "up", self.talk_time())
            return
        self.set_state(dest_leg, "Up")
        self.bridge(transferrer, dest_leg)
        self.enter(call, "consult_up", self.random.uniform(3, 12))

    def _step_consult_up(self, call: Call) -> None:
        held, dest_leg = call.held, call.legs[-1]
        transferrer = next((leg for leg in call.legs if leg is not held and leg is not dest_leg), None)
        if transferrer is not None:
            self.drop_leg(transferrer)
        if held is not None:
            held.on_hold = False
            self.bridge(held, dest_leg)
            self.refresh_leg_device(held)
            call.held = None
        self.enter(call, "up", self.talk_time())

    def refresh_leg_device(self, leg: Leg) -> None:
        if leg.peer is not None:
            self.refresh_device(leg.peer)

    # ------------------------------------------------------------------
    # registrations and flows
    # ------------------------------------------------------------------

    def unregister(self, peer: Peer, back_in: float) -> None:
        peer.registered = False
        peer.back_at = self.now + back_in
        self.refresh_device(peer)
        self._schedule(back_in, self._on_registration_due, peer, peer.back_at)

    def register(self, peer: Peer) -> None:
        peer.registered = True
        peer.back_at = None
        peer.health = "OK"
        self.refresh_device(peer)

    def set_flow_state(self, flow: Flow, state: str) -> None:
        flow.state = state
        flow.value = flow.value_for.get(state, flow.value)
        flow.since = self.now

    def dial_from(self, call: Call, leg: Leg, dest: str) -> None:
        """``leg`` dials ``dest`` (an extension of the call's tenant or an outside number)."""
        leg.app, leg.data, leg.exten = "Dial", self.dial_data(call, dest), dest
        callee = self.dest_peer(call, dest)
        if callee is not None and not callee.registered:
            leg.app, leg.data = "VoiceMail", f"{callee.ext}@{call.tenant},u"
            self.enter(call, "ivr", self.random.uniform(10, 40))
            return
        # Destinations of actions answer unless busy, so what an action does is predictable.
        busy = callee is not None and bool(callee.legs)
        dest_leg = self.new_dest_leg(call, dest, callee)
        if busy:
            self.set_state(dest_leg, "Busy")
        call.will_answer = not busy
        self.enter(call, "ringing", self.random.uniform(2, 8))

    def dest_peer(self, call: Call, dest: str) -> Peer | None:
        return self.world.peers.get(f"{dest}-{call.tenant}")

    def dial_data(self, call: Call, dest: str) -> str:
        callee = self.dest_peer(call, dest)
        return f"{callee.device},60,tTkK" if callee else f"SIP/kamailio/{dest},120,tT"

    def new_dest_leg(self, call: Call, dest: str, callee: Peer | None) -> Leg:
        return self.new_leg(call, callee, context="fromotherpbx", exten="s", priority="1", state="Ringing",
                             app="AppDial", data="(Outgoing Line)", cid_num=callee.ext if callee else dest,
                             cid_name=callee.display if callee else "")

