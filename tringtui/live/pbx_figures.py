"""What alert rules and metrics read: the latest snapshot data of each source, stamped with the clock.

``PbxFigures`` gathers one moment's data (the last *good* data of each
source: a failing source keeps its last part, and one that never answered is
``None``, so missing data never looks like zero) and the request health, with
small pure functions for the per-node and per-tenant figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tringtui.live.derived import TenantShare, active_channels, peers_registered, peers_total, tenant_share
from tringtui.live.request_stats import RequestHealth
from tringtui.live.snapshot import Snapshot
from tringtui.live.sources import channels as channels_source
from tringtui.live.sources import nodes as nodes_source
from tringtui.live.sources import peers as peers_source
from tringtui.live.sources import queues as queues_source
from tringtui.live.sources import tenant_info as tenant_info_source
from tringtui.live.sources.channels import ChannelsData
from tringtui.live.sources.nodes import NodesData
from tringtui.live.sources.peers import PeersData
from tringtui.live.sources.queues import QueuesData
from tringtui.live.sources.tenant_info import TenantInfoData


@dataclass(frozen=True, slots=True)
class PbxFigures:
    """The latest good data of each source at ``now``; ``tenant`` is whose queues and tenant info these are."""

    now: float
    tenant: str = ""
    nodes: NodesData | None = None
    channels: ChannelsData | None = None
    peers: PeersData | None = None
    queues: QueuesData | None = None
    tenant_info: TenantInfoData | None = None
    requests: Mapping[str, RequestHealth] = field(default_factory=dict)
    fetched_at: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_snapshots(
        cls, snapshots: Mapping[str, Snapshot[Any]], *, now: float, tenant: str = "",
        requests: Mapping[str, RequestHealth] | None = None,
    ) -> PbxFigures:
        def data(name: str) -> Any:
            snapshot = snapshots.get(name)
            return snapshot.data if snapshot is not None else None

        return cls(
            now=now,
            tenant=tenant,
            nodes=data(nodes_source.NAME),
            channels=data(channels_source.NAME),
            peers=data(peers_source.NAME),
            queues=data(queues_source.NAME),
            tenant_info=data(tenant_info_source.NAME),
            requests=dict(requests or {}),
            fetched_at={name: s.fetched_at for name, s in snapshots.items() if s.fetched_at is not None},
        )

    def node_registered(self) -> dict[str, int] | None:
        """Registered peers per node (COUNTPEERS); nodes listed without a number are left out."""
        if self.nodes is None:
            return None
        return {n.node: n.count for n in self.nodes.peers.nodes if n.count is not None}

    def node_channels(self) -> dict[str, int] | None:
        """Channels per node (COUNTCHANNELS)."""
        if self.nodes is None:
            return None
        return {n.node: n.count for n in self.nodes.channels.nodes if n.count is not None}

    def node_peers(self) -> dict[str, int] | None:
        """Peers per node in the PEERS answer, registered or not."""
        return None if self.peers is None else dict(Counter(peer.node for peer in self.peers.peers))

    def oldest_channel_per_node(self) -> dict[str, int]:
        """Seconds the oldest channel of each node has lasted (CHANNELS)."""
        oldest: dict[str, int] = {}
        for channel in self.channels.channels if self.channels is not None else ():
            node = channel.node or "?"
            oldest[node] = max(oldest.get(node, 0), channel.duration)
        return oldest

    @property
    def tenant_scoped(self) -> bool:
        """The data is one tenant's (a tenant's key), not the whole PBX's."""
        return self.nodes is not None and self.nodes.tenant_scoped and bool(self.tenant)

    def tenants(self) -> list[str]:
        """The tenants the data covers: a tenant key's own, else those the PEERS answer names, sorted."""
        if self.tenant_scoped:
            return [self.tenant]
        return sorted({peer.tenant for peer in self.peers.peers if peer.tenant}) if self.peers is not None else []

    def tenant_share(self, tenant: str) -> TenantShare:
        """One tenant's peers and channels, as the monitor counts them: with a tenant's key, the session's
        totals (its CHANNELS answer, trunk legs included); in an all-tenants view, its share of the rows."""
        if self.tenant_scoped and tenant.upper() == self.tenant.upper():
            return TenantShare(tenant, peers_registered(self.nodes, self.peers), peers_total(self.peers),
                               active_channels(self.nodes, self.channels))
        return tenant_share(tenant, self.peers, self.channels)

    def age(self, source: str) -> float | None:
        """Seconds since ``source`` last answered well, None before it ever did."""
        fetched = self.fetched_at.get(source)
        return None if fetched is None else max(0.0, self.now - fetched)
