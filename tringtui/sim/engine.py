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

from tringtui.sim.generate import SizeSpec
from tringtui.sim.model import (
    INUSE, NOT_INUSE, ONHOLD, RINGINUSE, RINGING, UNAVAILABLE, Agent, Call, CallRecord, Flow, Leg, Peer, Queue,
    QueueLogEntry,
)
from tringtui.sim.traffic import Traffic
from tringtui.sim.world import World

HISTORY_LIMIT = 5000
"""Finished calls and queue log lines kept (each), oldest dropped first."""

MAX_CATCH_UP = 900.0
"""Seconds of events replayed at most; a longer gap re-draws the calls."""

MEAN_TALK = 120.0
SERVICE_LEVEL_SECONDS = 20.0

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
        self.traffic = Traffic(self)
        self.traffic.populate()
        self.traffic.schedule_background()

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

    def schedule(self, delay: float, handler: Callable, subject: object = None, token: object = None) -> None:
        heapq.heappush(self._events, (self.now + max(delay, 0.001), next(self._event_seq), handler, subject, token))

    def _redraw(self, target: float) -> None:
        for call in list(self.calls.values()):
            self.end_call(call, count_stats=False)
        self._events.clear()
        self.now = target
        for peer in self.world.peer_list:
            if peer.back_at is not None:
                self.register(peer)
        self.traffic.populate()
        self.traffic.schedule_background()
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
        self.schedule(delay, self._on_call_step, call, (call.generation, step))

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

    def is_idle(self, peer: Peer) -> bool:
        """Free to take a call: registered, reachable, in no call."""
        return peer.registered and not peer.legs and peer.health != "UNREACHABLE"

    def talk_time(self) -> float:
        return min(5 + self.random.expovariate(1 / MEAN_TALK), 1800.0)

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
        free = [a for a in queue.members.values() if not a.paused and self.is_idle(a.peer)]
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
        self.schedule(back_in, self._on_registration_due, peer, peer.back_at)

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

