"""Frozen dataclass models for what the TRiNG API returns.

Panes, the CLI and the actions receive these, never raw JSON: every wire quirk
is resolved by ``tringtui.api.parsing`` before a model is built. Models are
immutable and hashable so tables can diff them cheaply by identity and value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


# Asterisk's "Elapsed Time" line of ``core show channel``: ``0h1m29s``.
_ELAPSED = re.compile(r"(\d+)h(\d+)m(\d+)s")


def split_peer_name(name: str) -> tuple[str, str]:
    """Split ``103-DEVEL`` into (``103``, ``DEVEL``); a name without a tenant gives ``(name, "")``.

    Extensions are digits, tenant codes may contain ``-``: split at the first dash.
    """
    ext, sep, tenant = name.partition("-")
    return (ext, tenant) if sep else (name, "")


@dataclass(frozen=True, slots=True)
class NodeCount:
    """A count (peers or channels) on one PBX node; ``None`` when the server listed the node
    without a number (its Asterisk did not answer, most likely)."""

    node: str
    count: int | None


@dataclass(frozen=True, slots=True)
class NodeCounts:
    """COUNTPEERS / COUNTCHANNELS: per-node counts, never including a ``total`` entry as a node.

    ``reported_total`` is the server's own total when it sent one; ``total`` is
    the server's total when present, else the sum over nodes.
    """

    nodes: tuple[NodeCount, ...]
    reported_total: int | None = None

    @property
    def total(self) -> int:
        """The server's total, else the sum of the nodes that have a count."""
        if self.reported_total is not None:
            return self.reported_total
        return sum(n.count for n in self.nodes if n.count is not None)

    @property
    def uncounted(self) -> tuple[str, ...]:
        """Nodes listed without a number."""
        return tuple(n.node for n in self.nodes if n.count is None)

    def as_dict(self) -> dict[str, int | None]:
        return {n.node: n.count for n in self.nodes}


class PeerStatus(str, Enum):
    """Registration / qualify state of a peer, classified from Asterisk's status text."""

    OK = "ok"
    LAGGED = "lagged"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"
    UNMONITORED = "unmonitored"
    UNREGISTERED = "unregistered"


@dataclass(frozen=True, slots=True)
class Peer:
    """One row of PEERS (``sip show peers`` plus the node). Identity: ``name``."""

    name: str
    node: str
    host: str
    status_text: str
    status: PeerStatus
    latency_ms: int | None = None
    port: int | None = None
    dynamic: bool = False
    forcerport: str = ""
    comedia: str = ""
    acl: str = ""
    description: str = ""
    realtime: str = ""

    @property
    def extension(self) -> str:
        return split_peer_name(self.name)[0]

    @property
    def tenant(self) -> str:
        return split_peer_name(self.name)[1]

    @property
    def registered(self) -> bool:
        return self.status is not PeerStatus.UNREGISTERED


@dataclass(frozen=True, slots=True)
class Channel:
    """One row of CHANNELS (``core show channels concise``). Identity: ``uniqueid``."""

    channel: str
    context: str
    exten: str
    priority: str
    state: str
    application: str
    data: str
    caller_id: str
    accountcode: str
    peeraccount: str
    ama_flags: str
    duration: int
    bridged_to: str
    uniqueid: str

    @property
    def node(self) -> str:
        """The node from the uniqueid ``<node>-<epoch>.<seq>`` (node names may contain dashes)."""
        node, sep, _ = self.uniqueid.rpartition("-")
        return node if sep else ""

    @property
    def device(self) -> str:
        """``SIP/103-DEVEL`` from ``SIP/103-DEVEL-0000a3f1``."""
        head, sep, _ = self.channel.rpartition("-")
        return head if sep else self.channel

    @property
    def peer_name(self) -> str:
        """``103-DEVEL`` for a phone's channel, ``kamailio`` for a trunk leg."""
        return self.device.partition("/")[2]

    @property
    def tenant(self) -> str:
        """Tenant code for a phone channel; empty for trunk legs and local channels."""
        return split_peer_name(self.peer_name)[1] if "@" not in self.peer_name else ""


@dataclass(frozen=True, slots=True)
class ChannelDetail:
    """CHANNEL: the ``[label, value]`` lines of ``core show channel``, in order."""

    channel: str
    fields: tuple[tuple[str, str], ...]

    def get(self, label: str, default: str = "") -> str:
        for key, value in self.fields:
            if key == label:
                return value
        return default

    @property
    def uniqueid(self) -> str:
        return self.get("UniqueID")

    @property
    def elapsed_seconds(self) -> int | None:
        """The call's age from Asterisk's ``Elapsed Time`` (``0h1m29s``), or None when absent or unreadable."""
        match = _ELAPSED.fullmatch(self.get("Elapsed Time").strip())
        if match is None:
            return None
        hours, minutes, seconds = (int(part) for part in match.groups())
        return hours * 3600 + minutes * 60 + seconds


@dataclass(frozen=True, slots=True)
class Blf:
    """One BLF (device state of an extension). Identity: ``extension``."""

    extension: str
    state: str
    timestamp: datetime | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    """One FLOWS row: a day/night style switch. Identity: ``id``; set by ``number``."""

    id: str
    tenant_id: str
    name: str
    number: str
    value: str
    state: str
    comment: str = ""
    value_for_unavailable: str = ""
    value_for_inuse: str = ""
    value_for_notinuse: str = ""
    value_for_ringing: str = ""
    variable_name: str = ""
    monitor_type: str = ""
    monitor_type_id: str = ""
    monitor_parameter: str = ""
    extension: str = ""
    state_timestamp: datetime | None = None
    peername: str = ""


@dataclass(frozen=True, slots=True)
class Queue:
    """INFO queues: a queue's database id (not its dial number) and name."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class QueueStats:
    """INFO queue: live statistics of one queue. Times are seconds."""

    queue_id: str
    agents_available: int = 0
    agents_paused: int = 0
    agents_free: int = 0
    agents_online: int = 0
    calls_in_queue: int = 0
    service_level: float = 0.0
    first_waiting: int = 0
    second_waiting: int = 0
    third_waiting: int = 0
    calls_online: int = 0
    talk_time: int = 0
    hold_time: int = 0
    answered_calls: int = 0
    calls_received: int = 0
    real_answered_calls: int = 0
    transferred_calls: int = 0
    abandoned_calls: int = 0
    timed_out_calls: int = 0
    queue_car: int = 0
    exit_with_key_calls: int = 0
    max_hold_time: int = 0
    average_talk_time: int = 0
    average_hold_time: int = 0

    @property
    def longest_wait(self) -> int:
        """Seconds the longest-waiting caller has waited (FIRSTWAITING)."""
        return self.first_waiting


@dataclass(frozen=True, slots=True)
class Agent:
    """INFO agents: one agent's membership of one queue. Identity: (``queue_id``, ``member``)."""

    member: str
    queue_id: str
    paused: bool
    status: str
    device_state: str = ""
    calls_taken: int = 0
    pause_reason: str = ""
    last_call: datetime | None = None
    display_name: str = ""
    penalty: int = 0
    agent_type: str = ""
    extension_id: str = ""

    @property
    def extension(self) -> str:
        return split_peer_name(self.member)[0]

    @property
    def tenant(self) -> str:
        return split_peer_name(self.member)[1]

    @property
    def key(self) -> tuple[str, str]:
        return (self.queue_id, self.member)


@dataclass(frozen=True, slots=True)
class ExtensionState:
    """INFO extstate: whether an extension is registered and whom it is talking to."""

    extension: str
    registered: bool
    in_call: bool
    fields: tuple[tuple[str, str], ...] = ()

    def get(self, label: str, default: str = "") -> str:
        for key, value in self.fields:
            if key == label:
                return value
        return default


@dataclass(frozen=True, slots=True)
class Extension:
    """INFO extensions, without any password field (those are dropped while parsing)."""

    number: str
    name: str = ""
    tech: str = ""
    state: str = ""
    username: str = ""


@dataclass(frozen=True, slots=True)
class TenantConfig:
    """INFO config: the tenant's configured limits."""

    max_channels: int | None = None
    max_extensions: int | None = None
    max_dids: int | None = None


class Outcome(str, Enum):
    """What the server said about a write."""

    SUCCESS = "success"
    REFUSED = "refused"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The server's answer to a write (HANGUP, AGENT, SETFLOW, …).

    ``reference`` carries the originate id of a DIAL. Refusals normally raise
    ``ActionRefused``; this model is what a successful write returns.
    """

    reqtype: str
    outcome: Outcome
    message: str
    reference: str = ""
    raw: str = field(default="", repr=False)
    # The parameters actually sent (never the key), as the client checked and sent them.
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.SUCCESS
