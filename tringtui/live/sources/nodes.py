"""The nodes source: COUNTPEERS and COUNTCHANNELS, per PBX node."""

from __future__ import annotations

from dataclasses import dataclass

from tringtui.api.client import TringClient
from tringtui.api.models import NodeCounts
from tringtui.live.sources.suspect import empty_answer

NAME = "nodes"


@dataclass(frozen=True, slots=True)
class NodesData:
    """One poll of COUNTPEERS and COUNTCHANNELS."""

    peers: NodeCounts
    channels: NodeCounts
    tenant_scoped: bool = False
    """The counts are one tenant's (a tenant's key), not the whole PBX's."""


def _filled(reqtype: str, counts: NodeCounts) -> NodeCounts:
    # A PBX always has nodes: counts with no node and no total are an empty answer, not "no nodes".
    if not counts.nodes and counts.reported_total is None:
        raise empty_answer(reqtype)
    return counts


async def fetch(client: TringClient) -> NodesData:
    peers = _filled("COUNTPEERS", await client.count_peers())
    channels = _filled("COUNTCHANNELS", await client.count_channels())
    return NodesData(peers=peers, channels=channels, tenant_scoped=bool(client.tenant))
