"""Between the live core's snapshots and the store's tables, both ways.

``tables_of`` breaks one source's data (``NodesData``, ``ChannelsData``, …)
into the store's tables of models; ``data_of`` builds the very same data type
back from tables, so replay hands the panes what the live session would
have; ``snapshot_of`` makes a ``Snapshot`` of a rebuilt ``SourceState``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tringtui.api.models import NodeCounts
from tringtui.live.snapshot import ErrorKind, Snapshot, SourceError
from tringtui.live.calls import group_calls
from tringtui.live.sources import channels, flows, nodes, peers, queues
from tringtui.store.codec import Fact, LinkedId, Table, codec
from tringtui.store.db import SourceState
from tringtui.store.gc_pause import collector_paused

# What each source's data becomes in the store, table by table.
SOURCE_TABLES: Mapping[str, tuple[str, ...]] = {
    nodes.NAME: ("facts", "node_peers", "node_channels"),
    channels.NAME: ("channels", "links"),
    queues.NAME: ("facts", "queues", "queue_stats", "agents"),
    flows.NAME: ("flows", "blfs"),
    peers.NAME: ("peers",),
}

# The request types behind each source, named by API events.
SOURCE_REQUESTS: Mapping[str, str] = {
    nodes.NAME: "COUNTPEERS+COUNTCHANNELS",
    channels.NAME: "CHANNELS",
    queues.NAME: "INFO queues/queue/agents",
    flows.NAME: "FLOWS+BLFS",
    peers.NAME: "PEERS",
}


def tables_of(source: str, data: Any) -> dict[str, Sequence[Any]]:
    """The store's tables (of models) for one source's data."""
    if isinstance(data, nodes.NodesData):
        return {
            "facts": (Fact("peers_total", data.peers.reported_total), Fact("channels_total", data.channels.reported_total),
                      Fact("tenant_scoped", data.tenant_scoped)),
            "node_peers": data.peers.nodes,
            "node_channels": data.channels.nodes,
        }
    if isinstance(data, channels.ChannelsData):
        return {"channels": data.channels, "links": tuple(LinkedId(*pair) for pair in data.linked_ids)}
    if isinstance(data, queues.QueuesData):
        return {
            "facts": (Fact("agents_queue_id", data.agents_queue_id),),
            "queues": tuple(row.queue for row in data.queues),
            "queue_stats": tuple(row.stats for row in data.queues if row.stats is not None),
            "agents": data.agents,
        }
    if isinstance(data, flows.FlowsData):
        return {"flows": data.flows, "blfs": data.blfs}
    if isinstance(data, peers.PeersData):
        return {"peers": data.peers}
    raise ValueError(f"the store cannot record {type(data).__name__} of source {source!r}")


def data_of(source: str, tables: Mapping[str, Table], at: float) -> Any:
    """The source's data type rebuilt from its tables, as it stood at ``at``."""

    def models(name: str) -> list[Any]:
        return codec(name).models(tables.get(name, {}), at)

    facts = {fact.name: fact.value for fact in models("facts")}
    if source == nodes.NAME:
        return nodes.NodesData(
            peers=NodeCounts(tuple(models("node_peers")), _int_or_none(facts.get("peers_total"))),
            channels=NodeCounts(tuple(models("node_channels")), _int_or_none(facts.get("channels_total"))),
            tenant_scoped=bool(facts.get("tenant_scoped")),
        )
    if source == channels.NAME:
        rows = tuple(models("channels"))
        links = tuple((link.uniqueid, link.linked_id) for link in models("links"))
        return channels.ChannelsData(channels=rows, linked_ids=links, calls=tuple(group_calls(rows, dict(links))))
    if source == queues.NAME:
        stats = {item.queue_id: item for item in models("queue_stats")}
        rows = tuple(queues.QueueRow(queue, stats.get(queue.id)) for queue in models("queues"))
        agents_queue = facts.get("agents_queue_id")
        return queues.QueuesData(queues=rows, agents_queue_id=None if agents_queue is None else str(agents_queue),
                                 agents=tuple(models("agents")))
    if source == flows.NAME:
        return flows.FlowsData(flows=tuple(models("flows")), blfs=tuple(models("blfs")))
    if source == peers.NAME:
        peer_rows = tuple(models("peers"))
        return peers.PeersData(peers=peer_rows, registered=peers.count_registered(peer_rows))
    raise ValueError(f"the store knows no source {source!r}")


def snapshot_of(state: SourceState) -> Snapshot[Any]:
    """A snapshot as the live session would have held it at the state's last poll."""
    at = state.fetched_at if state.fetched_at is not None else state.polled_at
    error = None if state.error is None else SourceError(
        ErrorKind.EMPTY_ANSWER if state.error.endswith("empty answer (no data)") else ErrorKind.FAILED, state.error)
    with collector_paused():
        data = data_of(state.source, state.tables, at) if state.fetched_at is not None else None
    # The generation tells a pane whether the data changed: it did exactly when it was fetched at another moment.
    generation = 0 if state.fetched_at is None else int(state.fetched_at * 1000)
    return Snapshot(state.source, data=data, fetched_at=state.fetched_at, latency=state.latency, error=error,
                    failures=1 if error else 0, generation=generation, completed=1)


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
