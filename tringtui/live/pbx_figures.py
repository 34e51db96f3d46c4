"""The figures one round of polling gives: what alert rules and metrics read.

``PbxFigures`` is immutable and stamped with the injected clock's time. Each
source's part is ``None`` until its first good answer; after a failure the
last good part stays (with its ``fetched_at``), so a failing source holds
alerts where they are instead of resolving them on missing data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from tringtui.api.models import Channel, Peer


@dataclass(frozen=True, slots=True)
class QueueFigures:
    """One queue's figures (INFO queue), with its tenant."""

    tenant: str
    queue_id: str
    name: str
    waiting: int
    longest_wait: int  # seconds
    service_level: float  # %
    calls_received: int
    agents: Mapping[str, int]  # available, paused, free, online


@dataclass(frozen=True, slots=True)
class RequestHealth:
    """How one request type has fared: counts by outcome, failures in a row, the last answer's latency."""

    reqtype: str
    outcomes: Mapping[str, int]
    failures_in_row: int
    last_latency: float | None  # seconds, None before the first answer
    last_error: str = ""


@dataclass(frozen=True, slots=True)
class PbxFigures:
    """Everything alert rules and metrics read, from the latest good answer of each source."""

    now: float
    node_registered: Mapping[str, int] | None = None  # COUNTPEERS
    node_channels: Mapping[str, int] | None = None  # COUNTCHANNELS
    peers: tuple[Peer, ...] | None = None  # PEERS
    channels: tuple[Channel, ...] | None = None  # CHANNELS
    queues: tuple[QueueFigures, ...] | None = None  # INFO queues + INFO queue, for the watched tenants
    balances: Mapping[str, float] = field(default_factory=dict)  # INFO balance per tenant
    max_channels: Mapping[str, int] = field(default_factory=dict)  # INFO config per tenant
    requests: Mapping[str, RequestHealth] = field(default_factory=dict)
    fetched_at: Mapping[str, float] = field(default_factory=dict)  # source -> clock time of its last good answer

    def node_peers(self) -> dict[str, int]:
        """Peers per node in the PEERS answer (registered or not)."""
        return dict(Counter(peer.node for peer in self.peers or ()))

    def tenant_peers(self) -> dict[str, int]:
        return dict(Counter(peer.tenant for peer in self.peers or () if peer.tenant))

    def tenant_channels(self) -> dict[str, int]:
        return dict(Counter(channel.tenant for channel in self.channels or () if channel.tenant))

    def age(self, source: str) -> float | None:
        """Seconds since ``source`` last answered well, None before it ever did."""
        fetched = self.fetched_at.get(source)
        return None if fetched is None else max(0.0, self.now - fetched)
