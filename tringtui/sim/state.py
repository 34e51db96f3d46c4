"""``SimulatedPBX``: the simulated PBX as one object, and the lock that makes it safe to share.

It puts together the standing ``World`` (``world.py``, drawn by
``generate.py``), the ``CallEngine`` that lives it over injected time
(``engine.py``, with ``traffic.py`` starting its calls), the read views (``snapshots.py``) and the actions
(``actions.py``).

Locking rule: all state lives behind ``self.lock`` (one re-entrant lock).
Every public method takes it, and every method that reads or changes the
state first advances to the clock, so a request, a test and the HTTP threads
can call any of them concurrently. Code that needs several steps to be atomic
(the request handlers, a test staging a race) holds ``pbx.lock`` around them.
The mutable objects reachable through the attributes (``legs``, ``peers``,
``tenants``, ...) may only be touched under the lock.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable

from tringtui.sim import actions, snapshots
from tringtui.sim.clock import wall_clock
from tringtui.sim.engine import CallEngine
from tringtui.sim.generate import Mess, default_mess, generate_world, make_messy, resolve_size
from tringtui.sim.model import (
    Agent, AgentInfo, Call, CallRecord, ChannelInfo, Flow, FlowInfo, Leg, Peer, PeerInfo, Queue, QueueInfo,
    QueueLogEntry, Tenant,
)
from tringtui.sim.world import World


class SimulatedPBX:
    """A live, stateful TRiNG PBX in memory (see the module docstring).

    ``seed`` fixes everything random, ``size`` picks a preset (``small``,
    ``medium``, ``large``, ``huge``) and ``nodes``/``tenants``/``peers``/
    ``channels`` override its counts. ``clock`` is a callable returning epoch
    seconds (default: the wall clock; tests pass a ``ManualClock``).
    ``mess`` says how untidy the world is (``generate.Mess``: names
    registered on two nodes, unicode names, counts as text); by default
    ``small`` is tidy and bigger sizes are not (``default_mess``).
    """

    def __init__(self, seed: int = 0, size: str = "small", clock: Callable[[], float] = wall_clock, *,
                 nodes: int | None = None, tenants: int | None = None, peers: int | None = None,
                 channels: int | None = None, mess: Mess | None = None) -> None:
        self.seed = seed
        self.size = size
        self.spec = resolve_size(size, nodes=nodes, tenants=tenants, peers=peers, channels=channels)
        self.lock = threading.RLock()
        self._clock = clock
        rng = random.Random(seed)
        now = float(clock())
        self.mess = default_mess(size, self.spec) if mess is None else mess
        generated = generate_world(rng, self.spec, now)
        make_messy(generated, self.mess, seed)
        self.world = World(generated, seed)
        self.engine = CallEngine(self.world, rng, clock, self.spec, now)

    # --- the state, for the wire renderers and tests (touch only under the lock) ---

    @property
    def nodes(self) -> list[str]:
        return self.world.nodes

    @property
    def tenants(self) -> dict[str, Tenant]:
        return self.world.tenants

    @property
    def peers(self) -> dict[str, Peer]:
        return self.world.peers

    @property
    def queues(self) -> dict[int, Queue]:
        return self.world.queues

    @property
    def flows(self) -> list[Flow]:
        return self.world.flows

    @property
    def calls(self) -> dict[int, Call]:
        return self.engine.calls

    @property
    def legs(self) -> dict[str, Leg]:
        return self.engine.legs

    @property
    def cdrs(self) -> deque[CallRecord]:
        return self.engine.cdrs

    @property
    def queue_log(self) -> deque[QueueLogEntry]:
        return self.engine.queue_log

    @property
    def now(self) -> float:
        """The simulation's time (the clock's time as of the last ``advance()``)."""
        return self.engine.now

    @property
    def version(self) -> int:
        """Bumped on every change; lets renderers cache bodies."""
        return self.engine.version

    # --- time ---

    def advance(self) -> float:
        """Process every event up to the clock's time; returns that time."""
        with self.lock:
            return self.engine.advance()

    def clock_time(self) -> float:
        """The injected clock's current time (without advancing the state)."""
        return float(self._clock())

    # --- inspection (frozen snapshots) ---

    def channels_snapshot(self) -> tuple[ChannelInfo, ...]:
        """Every live channel, ordered by node then creation."""
        with self.lock:
            self.engine.advance()
            return tuple(snapshots.channel_info(self.engine, leg) for leg in snapshots.ordered_legs(self.engine))

    def channel_by_uniqueid(self, uniqueid: str) -> ChannelInfo | None:
        with self.lock:
            self.engine.advance()
            leg = self.engine.legs_by_uniqueid.get(uniqueid)
            return snapshots.channel_info(self.engine, leg) if leg else None

    def channel(self, name: str) -> ChannelInfo | None:
        with self.lock:
            self.engine.advance()
            leg = self.engine.legs.get(name)
            return snapshots.channel_info(self.engine, leg) if leg else None

    def peer(self, name: str) -> PeerInfo | None:
        with self.lock:
            self.engine.advance()
            peer = self.world.peers.get(name)
            return snapshots.peer_info(self.engine, peer) if peer else None

    def peers_snapshot(self) -> tuple[PeerInfo, ...]:
        """Every peer row PEERS would send (a name registered on two nodes appears twice)."""
        with self.lock:
            self.engine.advance()
            return tuple(snapshots.peer_info(self.engine, peer) for peer in self.world.peer_list)

    def agent(self, queue_id: int | str, member: str) -> AgentInfo | None:
        """The membership of ``member`` (``103-DEVEL``) in queue ``queue_id``, or None."""
        with self.lock:
            self.engine.advance()
            queue = self.world.queues.get(int(queue_id))
            return snapshots.agent_info(queue, member) if queue else None

    def queue(self, queue_id: int | str) -> QueueInfo | None:
        with self.lock:
            self.engine.advance()
            queue = self.world.queues.get(int(queue_id))
            return snapshots.queue_info(self.engine, queue) if queue else None

    def flow(self, number: str, tenant: str | None = None) -> FlowInfo | None:
        """The flow with dial ``number`` (in ``tenant``, or the first tenant that has it)."""
        with self.lock:
            self.engine.advance()
            flow = self.world.find_flow(str(number), tenant)
            return snapshots.flow_info(flow) if flow else None

    # --- derived views and lookups for the wire renderers (under the lock) ---

    def ordered_legs(self) -> list[Leg]:
        with self.lock:
            return snapshots.ordered_legs(self.engine)

    def peer_status(self, peer: Peer) -> str:
        with self.lock:
            return snapshots.peer_status(self.engine, peer)

    def agent_status(self, agent: Agent) -> str:
        with self.lock:
            return snapshots.agent_status(agent)

    def queue_stats(self, queue: Queue) -> dict[str, float]:
        with self.lock:
            return snapshots.queue_stats(self.engine, queue)

    def find_flow(self, number: str, tenant: str | None) -> Flow | None:
        with self.lock:
            return self.world.find_flow(number, tenant)

    def find_extension(self, text: str, tenant: str | None) -> Peer | None:
        with self.lock:
            return self.world.find_extension(text, tenant)

    def find_queue(self, queue_id: str | None, number: str | None, tenant: str | None) -> Queue | None:
        with self.lock:
            return self.world.find_queue(None if queue_id is None else str(queue_id), number, tenant)

    # --- actions: each takes the lock, advances, acts; returns (ok, message) ---

    def _act(self, action: Callable[..., tuple[bool, str]], *args: object) -> tuple[bool, str]:
        with self.lock:
            self.engine.advance()
            return action(self.engine, *args)

    def hangup_channel(self, name: str, tenant: str | None) -> tuple[bool, str]:
        return self._act(actions.hangup_channel, name, tenant)

    def hangup_extension(self, extension: str, tenant: str | None) -> tuple[bool, str]:
        return self._act(actions.hangup_extension, extension, tenant)

    def transfer(self, name: str, dest: str, extra: str | None, tenant: str | None) -> tuple[bool, str]:
        return self._act(actions.transfer, name, dest, extra, tenant)

    def atxtransfer(self, name: str, dest: str, tenant: str | None) -> tuple[bool, str]:
        return self._act(actions.atxtransfer, name, dest, tenant)

    def set_pause(self, extension: str, queue: Queue | None, paused: bool, reason: str,
                  tenant: str | None) -> tuple[bool, str]:
        return self._act(actions.set_pause, extension, queue, paused, reason, tenant)

    def reboot(self, target: str, tenant: str | None) -> tuple[bool, str]:
        return self._act(actions.reboot, target, tenant)

    def unregister(self, target: str, tenant: str | None) -> tuple[bool, str]:
        return self._act(actions.unregister, target, tenant)

    def set_flow(self, number: str, state: str | None, value: str | None, tenant: str | None) -> tuple[bool, str]:
        return self._act(actions.set_flow, number, state, value, tenant)

    def dial(self, source: str, dest: str, tenant: str) -> tuple[bool, str]:
        return self._act(actions.dial, source, dest, tenant)

    def queue_add(self, queue: Queue, extension: str) -> tuple[bool, str]:
        return self._act(actions.queue_add, queue, extension)

    def queue_del(self, queue: Queue, extension: str) -> tuple[bool, str]:
        return self._act(actions.queue_del, queue, extension)

    def queue_clean(self, queue: Queue) -> tuple[bool, str]:
        return self._act(actions.queue_clean, queue)
