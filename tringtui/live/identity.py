"""The identity of a row, wherever a row is keyed (tables, diffs, the recorder).

Identity is explicit and complete, so rows the server sent never collapse
into one: the same peer name registered on two nodes is two peers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from tringtui.api.models import Agent, Blf, Channel, Flow, Peer
from tringtui.live.sources.queues import QueueRow


def peer_key(peer: Peer) -> tuple[str, str]:
    """A peer is its node and its name (``488-DEVEL`` may be on two nodes during a migration)."""
    return (peer.node, peer.name)


def channel_key(channel: Channel) -> str:
    """A channel is its uniqueid (names are reused; a uniqueid is not)."""
    return channel.uniqueid


def agent_key(agent: Agent) -> tuple[str, str]:
    """An agent is its queue and its member (the same phone is an agent of several queues)."""
    return (agent.queue_id, agent.member)


class NumberedBlf(NamedTuple):
    """A BLF and how many rows of the same extension came before it in the answer."""

    blf: Blf
    occurrence: int


def numbered_blfs(blfs: Iterable[Blf]) -> tuple[NumberedBlf, ...]:
    """BLFS names no node, so the same extension listed twice (two nodes) is told apart by its place
    among the rows of that extension; an extension listed once is always occurrence 0."""
    seen: Counter[str] = Counter()
    rows = []
    for blf in blfs:
        rows.append(NumberedBlf(blf, seen[blf.extension]))
        seen[blf.extension] += 1
    return tuple(rows)


def blf_key(row: NumberedBlf) -> tuple[str, int]:
    """A BLF is its extension and its occurrence (see ``numbered_blfs``)."""
    return (row.blf.extension, row.occurrence)


def flow_key(flow: Flow) -> str:
    """A flow is its database id."""
    return flow.id


def queue_key(row: QueueRow) -> str:
    """A queue is its database id."""
    return row.queue.id
