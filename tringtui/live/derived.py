"""Figures derived from snapshots: pure functions, one per figure, whichever face shows it.

A figure shown in two places (the summary line and a pane, a confirmation
and a queue row, the monitor and ``tringtui snapshot``) comes from one
function here, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tringtui.api.models import Agent, QueueStats
from tringtui.live.snapshot import Snapshot
from tringtui.live.sources.channels import ChannelsData
from tringtui.live.sources.nodes import NodesData
from tringtui.live.sources.peers import PeersData
from tringtui.live.sources.queues import QueueRow, QueuesData

HISTORY_LENGTH = 120
"""Samples kept per node and queue for the trends (2 h at a 60 s interval… 30 min at 15 s)."""
RECENT_SAMPLES = 20
"""Samples the drop alert compares against: the recent maximum, not the all-time one."""
DROP_ALERT_FRACTION = 0.2

Figure = TypeVar("Figure", int, float)


# -- peers and channels ---------------------------------------------------------------


def peers_registered(nodes: NodesData | None, peers: PeersData | None) -> int | None:
    """Registered peers: counted in PEERS when it was read, else COUNTPEERS's total; None when unknown."""
    if peers is not None:
        return peers.registered
    return nodes.peers.total if nodes is not None else None


def peers_total(peers: PeersData | None) -> int | None:
    """Every peer PEERS listed (registered or not), one per row the server sent."""
    return len(peers.peers) if peers is not None else None


def active_channels(nodes: NodesData | None, channels: ChannelsData | None) -> int | None:
    """Active channels: the rows CHANNELS listed when it was read, else COUNTCHANNELS's total."""
    if channels is not None:
        return len(channels.channels)
    return nodes.channels.total if nodes is not None else None


# -- queues ----------------------------------------------------------------------------


def agent_is_available(agent: Agent) -> bool:
    """Whether an agent can take a queue call now: logged in, not paused, and not busy or ringing."""
    return not agent.paused and agent.status.lower() == "available"


def queue_waiting(row: QueueRow) -> int:
    return row.stats.calls_in_queue if row.stats else 0


def queue_available(row: QueueRow) -> int | None:
    """Agents available in one queue, as the PBX counts them; None when its statistics are missing."""
    return row.stats.agents_available if row.stats else None


# Device states of a phone that cannot take a call now.
_DEVICE_UNABLE = frozenset({"UNAVAILABLE", "INVALID", "INUSE", "BUSY", "RINGING", "RINGINUSE", "ONHOLD"})


def available_once_unpaused(agent: Agent) -> bool:
    """Whether unpausing this agent adds one to the queue's available agents (its phone can take a call)."""
    return agent.paused and agent.device_state.upper() not in _DEVICE_UNABLE


def available_after(stats: QueueStats, agent: Agent, *, pausing: bool) -> int:
    """The queue's available agents once ``agent`` is paused (or unpaused). Pausing a busy agent
    changes nothing: it was not counted as available."""
    if pausing:
        return max(0, stats.agents_available - (1 if agent_is_available(agent) else 0))
    return stats.agents_available + (1 if available_once_unpaused(agent) else 0)


@dataclass(frozen=True, slots=True)
class QueueFigures:
    """A tenant's queues at a glance: calls waiting and agents available, summed over its queues."""

    calls_waiting: int
    agents_available: int


def queue_figures(queues: QueuesData) -> QueueFigures:
    return QueueFigures(
        calls_waiting=sum(queue_waiting(row) for row in queues.queues),
        agents_available=sum(queue_available(row) or 0 for row in queues.queues),
    )


# -- nodes losing phones ---------------------------------------------------------------


def peer_alert(current: int | None, recent: Iterable[int], *, had_peers: bool = True) -> str:
    """The marker for a node's registrations: gone, zero, or a sharp drop against its recent maximum.

    ``had_peers=False`` says zero is this node's normal (a tenant's view of a node without its phones).
    """
    if not had_peers and not current:
        return ""
    if current is None:
        return "MISSING"
    if current == 0:
        return "NO PEERS"
    peak = max(recent, default=0)
    if peak and current < peak * (1 - DROP_ALERT_FRACTION):
        return f"DROP -{round(100 * (peak - current) / peak)}%"
    return ""


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One node now: its counts, their history (oldest first), and why it is flagged ("" when fine)."""

    node: str
    peers: int | None
    channels: int | None
    peer_history: tuple[int, ...]
    channel_history: tuple[int, ...]
    alert: str


@dataclass(frozen=True, slots=True)
class NodeTrends:
    """Every node seen since the start, with its history; ``advance`` it with each new nodes poll."""

    rows: tuple[NodeRow, ...] = ()
    total_peers: tuple[int, ...] = ()
    total_channels: tuple[int, ...] = ()

    @property
    def alerting_nodes(self) -> tuple[str, ...]:
        """The nodes losing phones (or not counted), in the order they were first seen."""
        return tuple(row.node for row in self.rows if row.alert)


def _keep(history: tuple[Figure, ...], value: Figure | None) -> tuple[Figure, ...]:
    if value is None:
        return history
    return (history + (value,))[-HISTORY_LENGTH:]


def advance_nodes(trends: NodeTrends, data: NodesData) -> NodeTrends:
    """The trends after one more nodes poll: a node keeps its row (MISSING) once it has been seen.

    A node whose registrations fall sharply, reach zero, vanish from COUNTPEERS,
    or that is listed without a number (NO COUNT) is flagged. With a tenant's
    key a node hosting none of its phones is normal, flagged only once it had some.
    """
    peers = data.peers.as_dict()
    channels = data.channels.as_dict()
    uncounted = set(data.peers.uncounted)
    before = {row.node: row for row in trends.rows}
    order = [*before, *(node for node in dict.fromkeys((*peers, *channels)) if node not in before)]
    rows = []
    for node in order:
        previous = before.get(node)
        peer_history = previous.peer_history if previous else ()
        channel_history = previous.channel_history if previous else ()
        current = peers.get(node)
        had_peers = not data.tenant_scoped or any(peer_history)
        if node in uncounted:
            alert = "NO COUNT"
        else:
            alert = peer_alert(current, peer_history[-RECENT_SAMPLES:], had_peers=had_peers)
        rows.append(NodeRow(
            node=node,
            peers=current,
            channels=channels.get(node),
            peer_history=_keep(peer_history, current),
            channel_history=_keep(channel_history, channels.get(node)),
            alert=alert,
        ))
    return NodeTrends(
        rows=tuple(rows),
        total_peers=_keep(trends.total_peers, data.peers.total),
        total_channels=_keep(trends.total_channels, data.channels.total),
    )


# -- queue trends ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueTrend:
    """One queue's calls waiting and service level (percent) at each queues poll, oldest first."""

    waiting: tuple[int, ...] = ()
    service_level: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class QueueTrends:
    """Every queue seen since the start, by queue id, with its trend; ``advance_queues`` it with each poll."""

    queues: Mapping[str, QueueTrend] = field(default_factory=dict)

    def of(self, queue_id: str) -> QueueTrend:
        return self.queues.get(queue_id, QueueTrend())


def advance_queues(trends: QueueTrends, data: QueuesData) -> QueueTrends:
    """The trends after one more queues poll: each queue with statistics gains a sample.

    A queue without statistics this time (INFO queue answered nothing) keeps
    its history unchanged: a missing figure is not a zero.
    """
    queues = dict(trends.queues)
    for row in data.queues:
        if row.stats is None:
            continue
        trend = queues.get(row.queue.id, QueueTrend())
        queues[row.queue.id] = QueueTrend(
            waiting=_keep(trend.waiting, row.stats.calls_in_queue),
            service_level=_keep(trend.service_level, row.stats.service_level),
        )
    return QueueTrends(queues)


# -- a tenant's share -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TenantShare:
    """One tenant's part of an all-tenants view: its peers (registered of total) and its phones' active
    channels (a trunk leg names no tenant on the wire)."""

    tenant: str
    peers_registered: int | None
    peers_total: int | None
    channels: int | None


def tenant_share(tenant: str, peers: PeersData | None, channels: ChannelsData | None) -> TenantShare:
    code = tenant.upper()
    own_peers = [peer for peer in peers.peers if peer.tenant.upper() == code] if peers is not None else None
    return TenantShare(
        tenant=tenant,
        peers_registered=sum(1 for peer in own_peers if peer.registered) if own_peers is not None else None,
        peers_total=len(own_peers) if own_peers is not None else None,
        channels=(sum(1 for channel in channels.channels if channel.tenant.upper() == code)
                  if channels is not None else None),
    )


# -- the summary ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Totals:
    """The figures a NOC engineer checks first; ``None`` means not known yet."""

    peers_registered: int | None = None
    peers_total: int | None = None
    channels: int | None = None
    calls_waiting: int | None = None
    agents_available: int | None = None
    queue_scope: str = ""
    """The tenant the queue figures are for, when the session watches all tenants (else "")."""
    stale_sources: tuple[str, ...] = ()
    failing_sources: tuple[str, ...] = ()
    alerting_nodes: tuple[str, ...] = ()


def totals(
    snapshots: Mapping[str, Snapshot[Any]],
    *,
    now: float,
    intervals: Mapping[str, float],
    queue_scope: str = "",
    node_trends: NodeTrends | None = None,
) -> Totals:
    """The summary's figures from the latest snapshot of each source (missing sources: unknown)."""

    def data(source: str) -> Any:
        snapshot = snapshots.get(source)
        return snapshot.data if snapshot is not None else None

    nodes, channels, queues, peers = data("nodes"), data("channels"), data("queues"), data("peers")
    figures = queue_figures(queues) if queues is not None else None
    return Totals(
        peers_registered=peers_registered(nodes, peers),
        peers_total=peers_total(peers),
        channels=active_channels(nodes, channels),
        calls_waiting=figures.calls_waiting if figures else None,
        agents_available=figures.agents_available if figures else None,
        queue_scope=queue_scope,
        stale_sources=tuple(
            name for name, snapshot in snapshots.items()
            if name in intervals and snapshot.is_stale(now, intervals[name])
        ),
        failing_sources=tuple(name for name, snapshot in snapshots.items() if snapshot.error is not None),
        alerting_nodes=node_trends.alerting_nodes if node_trends else (),
    )
