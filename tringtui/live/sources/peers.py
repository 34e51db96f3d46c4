"""The peers source: PEERS, the registration of every phone (a peer's identity is its node and name)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tringtui.api.client import TringClient
from tringtui.api.models import Peer
from tringtui.live.sources.suspect import empty_answer

NAME = "peers"


@dataclass(frozen=True, slots=True)
class PeersData:
    """One poll of PEERS, in the server's order; the same name may appear on two nodes."""

    peers: tuple[Peer, ...]
    registered: int
    """How many of them are registered: counted once here, where the fetch runs (off a UI's loop),
    not at every redraw of a figure (20,000 peers)."""


def count_registered(peers: Iterable[Peer]) -> int:
    return sum(1 for peer in peers if peer.registered)


async def fetch(client: TringClient) -> PeersData:
    peers = await client.peers()
    if not peers:
        raise empty_answer("PEERS")
    return PeersData(peers=tuple(peers), registered=count_registered(peers))
