"""The simulated PBX's objects: nodes, tenants, peers, calls and their legs, queues, agents, flows.

These are mutable and owned by ``SimulatedPBX`` (always changed under its
lock). Tests never see them: they get the frozen ``*Info`` snapshots defined
at the end of this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Asterisk device states, as BLFS and INFO agents report them.
NOT_INUSE, INUSE, RINGING, RINGINUSE, ONHOLD, UNAVAILABLE = (
    "NOT_INUSE", "INUSE", "RINGING", "RINGINUSE", "ONHOLD", "UNAVAILABLE",
)
FLOW_STATES = ("INUSE", "NOT_INUSE", "UNAVAILABLE", "RINGING")


@dataclass(eq=False, slots=True)
class Tenant:
    """A customer of the hosted PBX, known by its code (case kept, e.g. ``Shop42``)."""

    code: str
    te_id: int
    nodes: list[str]
    peers: list[Peer] = field(default_factory=list)
    queues: list[Queue] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    balance: float = 0.0
    max_channels: int = 10
    max_extensions: int = 50
    max_dids: int = 5
    dids: list[str] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Peer:
    """A SIP/PJSIP endpoint ``<ext>-<TENANT>``, registered on one node (or not at all).

    A name may be registered on a second node too (during a migration): that
    registration is a ``Peer`` of its own with ``duplicate_of`` set; it shows in
    PEERS and COUNTPEERS but carries no calls.
    """

    name: str
    ext: str
    tenant: str
    node: str
    tech: str                # "SIP" or "PJSIP"
    ex_id: int               # the extension's database id
    display: str             # caller id name
    address: str             # IP it registers from
    port: int
    registered: bool
    qualified: bool          # False → Asterisk prints "Unmonitored"
    health: str              # "OK", "LAGGED" or "UNREACHABLE" (when registered and qualified)
    base_ms: int             # typical qualify round trip
    back_at: float | None = None   # when a rebooted/unregistered phone registers again
    description: str = ""    # PEERS' Description column
    duplicate_of: Peer | None = None  # a second registration of the same name on another node (a migration)
    legs: list[Leg] = field(default_factory=list)
    device_state: str = NOT_INUSE
    state_since: float = 0.0

    @property
    def device(self) -> str:
        return f"{self.tech}/{self.name}"


@dataclass(eq=False, slots=True)
class Leg:
    """One Asterisk channel: a row of ``core show channels concise``."""

    name: str
    uniqueid: str
    node: str
    tenant: str
    call: Call
    peer: Peer | None        # None for trunk legs
    context: str
    exten: str
    priority: str
    state: str               # Up, Ring, Ringing, ...
    app: str
    data: str
    cid_num: str
    cid_name: str
    created: float
    bridged: Leg | None = None
    on_hold: bool = False


@dataclass(eq=False, slots=True)
class Call:
    """A call: one or more legs on one node, moving through phases driven by scheduled events.

    ``phase`` is one of ``ringing`` (legs ringing, answer or give up next),
    ``up`` (talking, ends next), ``queued`` (caller waiting in ``queue``),
    ``queue_ringing`` (an agent's phone rings), ``ivr`` (caller alone in a
    menu), ``originate`` (DIAL: the source phone rings), ``consult``/
    ``consult_up`` (ATXTRANSFER: the transferrer talks to the destination
    while the other party is on hold).
    """

    id: int
    tenant: str
    node: str
    phase: str
    started: float
    linkedid: str
    legs: list[Leg] = field(default_factory=list)
    generation: int = 0      # bumped on every phase change; stale events are ignored
    will_answer: bool = True
    queue: Queue | None = None
    queued_at: float = 0.0
    max_wait: float = 0.0
    agent: Agent | None = None
    answered_at: float | None = None
    held: Leg | None = None  # ATXTRANSFER: the party waiting on hold
    originate_id: str = ""
    pending_dest: str = ""   # DIAL: the number to ring once the source answers
    first_dst: str = ""      # the number first dialed (CDR firstdst)
    first_queue: Queue | None = None  # the queue it entered, kept after a transfer takes it out


@dataclass(eq=False, slots=True)
class Agent:
    """A queue member: a peer's membership of one queue, with its pause state."""

    peer: Peer
    queue: Queue
    type_code: str = "NF"
    penalty: int = 0
    paused: bool = False
    pause_reason: str = ""
    calls_taken: int = 0
    last_call: float | None = None
    rings_answered: int = 0    # INFO agentsdelay: rings answered, their total and longest delay, rings missed
    ring_delay_total: float = 0.0
    ring_delay_max: float = 0.0
    rings_missed: int = 0


@dataclass(eq=False, slots=True)
class Queue:
    """A call queue with database ``id``, dial ``number`` and running statistics."""

    id: int
    number: str
    name: str
    tenant: str
    members: dict[str, Agent] = field(default_factory=dict)
    waiting: list[Call] = field(default_factory=list)
    received: int = 0
    answered: int = 0
    abandoned: int = 0
    timed_out: int = 0
    transferred: int = 0
    exit_with_key: int = 0
    talk_time: float = 0.0
    hold_time: float = 0.0
    max_hold: float = 0.0
    answered_in_sl: int = 0  # answered within the 20 s service level
    talking: int = 0         # queue calls being talked right now


@dataclass(eq=False, slots=True)
class Flow:
    """A flow (day/night style switch): a state with a value per state, or a free value."""

    id: int
    tenant: str
    te_id: int
    name: str
    comment: str
    number: str
    state: str
    value: str
    value_for: dict[str, str]  # state → value
    variable: str
    since: float


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A finished call, written when it ends, for INFO cdrs / simplecdrs / inforecording (one per call).

    ``uniqueid`` and ``linkedid`` are those of the live call (its first leg), so
    history matches what CHANNELS and CHANNEL showed while it was live.
    """

    id: int
    tenant: str
    node: str
    started: float
    ended: float
    answered_at: float | None
    direction: str           # "in", "out" or "internal"
    disposition: str         # ANSWERED, NO ANSWER, BUSY, FAILED
    src_number: str          # the caller's number: an extension or an outside number
    src_name: str
    src_peer: str            # the calling phone (103-DEVEL), or "" for a trunk
    first_dst: str
    last_dst: str
    dst_number: str          # who was reached (or last tried): extension or outside number
    whoanswered: str         # peer name or outside number; "" when nobody answered
    dcontext: str
    srcchannel: str
    dstchannel: str
    lastapp: str
    lastdata: str
    uniqueid: str
    linkedid: str
    originate_id: str
    queue_id: int | None
    recorded: bool


@dataclass(frozen=True, slots=True)
class QueueLogEntry:
    """One line of Asterisk's queue_log, for INFO queuelogs."""

    time: float
    callid: str
    queue_id: int
    tenant: str
    agent: str
    event: str
    data: tuple[str, ...] = ()


# --- frozen snapshots for tests and other tools --------------------------


@dataclass(frozen=True)
class ChannelInfo:
    """A channel as the simulator knows it (more than CHANNELS shows: tenant, peer, call)."""

    name: str
    uniqueid: str
    linkedid: str
    node: str
    tenant: str
    call_id: int
    peer: str | None
    context: str
    exten: str
    state: str
    application: str
    data: str
    caller_id: str
    bridged: str | None
    duration: int
    on_hold: bool


@dataclass(frozen=True)
class PeerInfo:
    """A peer's registration and device state."""

    name: str
    tenant: str
    node: str
    tech: str
    registered: bool
    host: str
    status: str
    device_state: str
    back_at: float | None


@dataclass(frozen=True)
class AgentInfo:
    """An agent's membership of one queue."""

    member: str
    queue_id: int
    paused: bool
    pause_reason: str
    status: str
    device_state: str
    calls_taken: int


@dataclass(frozen=True)
class QueueInfo:
    """A queue: identity, members and the INFO queue statistics (as numbers)."""

    id: int
    number: str
    name: str
    tenant: str
    members: tuple[str, ...]
    stats: Mapping[str, float]


@dataclass(frozen=True)
class FlowInfo:
    """A flow's state and value."""

    id: int
    tenant: str
    number: str
    name: str
    state: str
    value: str
