"""The PBX's traffic: which calls start, and the background life of phones, flows and agents.

``Traffic`` fills a fresh (or re-drawn) PBX with calls in progress and keeps
scheduling what happens by itself: calls arriving (internal, outbound,
inbound, into queues, into IVR menus), phones flapping between OK, LAGGED
and UNREACHABLE or restarting, flows toggling, agents pausing. What a call
does once started is the ``CallEngine``'s business; this module only decides
what starts, drawing from the engine's seeded generator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tringtui.sim.generate import outside_caller_name
from tringtui.sim.model import Call, Leg, Peer, Queue, Tenant

if TYPE_CHECKING:  # the engine owns its traffic
    from tringtui.sim.engine import CallEngine

MEAN_LEGS_PER_CALL = 1.8
MEAN_CALL_LIFETIME = 120.0
PAUSE_REASONS = ("lunch", "break", "admin work", "meeting", "")
CALL_KINDS = (("internal", 0.25), ("outbound", 0.35), ("inbound", 0.15), ("queue", 0.2), ("ivr", 0.05))


class Traffic:
    """Starts the calls of one ``CallEngine`` and schedules its background events (see the module docstring)."""

    def __init__(self, engine: CallEngine) -> None:
        self.engine = engine
        self.random = engine.random
        self.world = engine.world
        self._kinds, self._kind_weights = zip(*CALL_KINDS)

    def schedule_background(self) -> None:
        self.engine.schedule(self._next_arrival(), self._on_arrival)
        self.engine.schedule(self.random.expovariate(self._flap_rate()), self._on_flap)
        if self.world.flows:
            self.engine.schedule(self.random.expovariate(1 / 90), self._on_flow_toggle)
        if self.world.agents:
            self.engine.schedule(self.random.expovariate(1 / 45), self._on_pause_toggle)

    def _pick_idle_peer(self, candidates: list[Peer], exclude: Peer | None = None) -> Peer | None:
        if not candidates:
            return None
        for _ in range(6):  # random probes first: cheap when most phones are idle
            peer = candidates[self.random.randrange(len(candidates))]
            if peer is not exclude and self.engine.is_idle(peer):
                return peer
        idle = [p for p in candidates if p is not exclude and self.engine.is_idle(p)]
        return self.random.choice(idle) if idle else None

    def _pick_tenant(self) -> Tenant:
        return self.random.choices(self.world.tenant_list, cum_weights=self.world.tenant_weights)[0]

    def _external_number(self) -> str:
        if self.random.random() < 0.7:
            return f"0031{self.random.randrange(100000000, 999999999)}"
        return f"06{self.random.randrange(10000000, 99999999)}"

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
                neighbours = self.world.peers_by_tenant_node.get((tenant.code, caller.node), [])
                callee = self._pick_idle_peer(neighbours, caller)
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
        call = self.engine.new_call(tenant.code, caller.node, "ringing")
        call.started = self.engine.now - age
        if callee is not None:
            dest, dial = callee.ext, f"{callee.device},60,tTkK"
        else:
            dest = self._external_number()
            dial = f"SIP/kamailio/{dest},120,tT"
        a = self.engine.new_leg(call, caller, context="authenticated", exten=dest, priority="3",
                                state="Up" if answered else "Ring", app="Dial", data=dial,
                                cid_num=caller.ext, cid_name=caller.display, created=call.started)
        self._ring_destination(call, a, dest, callee, answered)
        return call

    def _ring_destination(self, call: Call, a: Leg, dest: str, callee: Peer | None, answered: bool) -> Leg:
        """Create the leg that ``a`` dials (a phone or the trunk) and schedule answer or talk."""
        # A call already talking started ringing its destination a moment after it began.
        created = min(self.engine.now, call.started + self.random.uniform(0.2, 1.5))
        b = self.engine.new_leg(call, callee, context="fromotherpbx", exten="s", priority="1",
                                state="Up" if answered else "Ringing", app="AppDial", data="(Outgoing Line)",
                                cid_num=callee.ext if callee else dest, cid_name=callee.display if callee else "",
                                created=created)
        if answered:
            self.engine.bridge(a, b)
            call.answered_at = self.engine.now
            self.engine.enter(call, "up", self.engine.talk_time())
        else:
            call.will_answer = self.random.random() < 0.85
            if not call.will_answer and callee is None and self.random.random() < 0.3:
                b.state = "Busy"  # the far end is busy; Asterisk shows it until the caller gives up
            self.engine.enter(call, "ringing", self.random.uniform(2, 15))
        return b

    def _call_from_trunk(self, tenant: Tenant, callee: Peer, answered: bool, age: float) -> Call:
        call = self.engine.new_call(tenant.code, callee.node, "ringing")
        call.started = self.engine.now - age
        a = self.engine.new_leg(call, None, context="fromoutside", exten=self.random.choice(tenant.dids), priority="5",
                                state="Up" if answered else "Ring", app="Dial", data=f"{callee.device},30,tT",
                                cid_num=self._external_number(), created=call.started)
        a.cid_name = outside_caller_name(a.cid_num)
        self._ring_destination(call, a, callee.ext, callee, answered)
        return call

    def _call_into_queue(self, tenant: Tenant, queue: Queue, age: float) -> Call:
        call = self.engine.new_call(tenant.code, tenant.nodes[0], "queued")
        call.started = call.queued_at = self.engine.now - min(age, 60.0)
        call.queue, call.max_wait = queue, self.random.uniform(60, 300)
        call.first_queue = queue
        caller = self.engine.new_leg(call, None, context="fromoutside", exten=self.random.choice(tenant.dids),
                                     priority="7", state="Up", app="Queue", data=f"{queue.id},tT,,,300",
                                     cid_num=self._external_number(), created=call.started)
        caller.cid_name = outside_caller_name(caller.cid_num)
        queue.received += 1
        queue.waiting.append(call)
        self.engine.log_queue(call, "ENTERQUEUE", "NONE", "", call.legs[0].cid_num, str(len(queue.waiting)))
        self.engine.enter(call, "queued", self.random.uniform(1, 8))
        return call

    def _call_into_ivr(self, tenant: Tenant, age: float) -> Call:
        call = self.engine.new_call(tenant.code, tenant.nodes[0], "ivr")
        call.started = self.engine.now - min(age, 30.0)
        caller = self.engine.new_leg(call, None, context="fromoutside", exten=self.random.choice(tenant.dids),
                                     priority="2", state="Up", app="BackGround", data=f"custom/welcome-{tenant.code}",
                                     cid_num=self._external_number(), created=call.started)
        caller.cid_name = outside_caller_name(caller.cid_num)
        self.engine.enter(call, "ivr", self.random.uniform(8, 45))
        return call

    def populate(self) -> None:
        """Fill the PBX with calls in progress until it has exactly the target number of channels."""
        target = self.engine.spec.channels
        failures = 0
        while len(self.engine.legs) < target:
            remaining = target - len(self.engine.legs)
            if remaining == 1 or failures > 20:
                kind = self.random.choice(("queue", "ivr"))  # single-leg calls fill the last slot
            else:
                kind = self.random.choices(self._kinds, weights=self._kind_weights)[0]
            answered = kind != "queue" and self.random.random() < 0.85
            age = self.random.expovariate(1 / 90) if answered else self.random.uniform(0, 10)
            if self._start_call(kind, answered=answered, age=age) is None:
                failures += 1
        for leg in self.engine.legs.values():
            if leg.peer is not None:  # phones have been busy since their call began, not since "now"
                leg.peer.state_since = leg.created

    def _next_arrival(self) -> float:
        rate = max(self.engine.spec.channels, 1) / (MEAN_LEGS_PER_CALL * MEAN_CALL_LIFETIME)
        return self.random.expovariate(rate)

    def _flap_rate(self) -> float:
        return max(1 / 30, len(self.world.peers) / 2000)

    def _on_arrival(self, _subject: object, _token: object) -> None:
        if self.engine.spec.channels:
            kind = self.random.choices(self._kinds, weights=self._kind_weights)[0]
            self._start_call(kind, answered=False)
        self.engine.schedule(self._next_arrival(), self._on_arrival)

    def _on_flap(self, _subject: object, _token: object) -> None:
        peer = self.random.choice(self.world.peer_list)
        if peer.registered and peer.back_at is None:
            roll = self.random.random()
            if roll < 0.1 and not peer.legs:
                self.engine.unregister(peer, self.random.uniform(30, 240))  # the phone restarts by itself
            elif peer.qualified:
                peer.health = ("LAGGED" if roll < 0.7 else "UNREACHABLE") if peer.health == "OK" else "OK"
        self.engine.schedule(self.random.expovariate(self._flap_rate()), self._on_flap)

    def _on_flow_toggle(self, _subject: object, _token: object) -> None:
        flow = self.random.choice(self.world.flows)
        self.engine.set_flow_state(flow, "INUSE" if flow.state == "NOT_INUSE" else "NOT_INUSE")
        self.engine.schedule(self.random.expovariate(1 / 90), self._on_flow_toggle)

    def _on_pause_toggle(self, _subject: object, _token: object) -> None:
        if self.world.agents:  # QUEUE clean may have emptied every queue
            agent = self.random.choice(self.world.agents)
            self.engine.pause(agent, not agent.paused, self.random.choice(PAUSE_REASONS))
        self.engine.schedule(self.random.expovariate(1 / 45), self._on_pause_toggle)
