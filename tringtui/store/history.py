"""History from the store: the figures the Nodes and Queues panes chart, over the recorded window.

The panes' trends start from the recording, not from what the running app
has seen: the last hour, including what happened before the monitor was
started (``tringtui record`` was running), and in replay the hour before
the moment shown (``trends_at``). The charts (Enter) read the last hour or
day. These functions read the store incrementally (one rebuild per source,
not one per point) and return plain series of (time, value) pairs, or the
live core's own trend types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tringtui.live.derived import (
    HISTORY_LENGTH,
    NodeRow,
    NodeTrends,
    QueueTrend,
    QueueTrends,
    advance_nodes,
    advance_queues,
)
from tringtui.live.snapshot import Snapshot
from tringtui.store.codec import codec
from tringtui.store.db import Store

Series = list[tuple[float, float]]


@dataclass
class NodeHistory:
    """Registered peers and channels of each node, at each nodes poll of the window."""

    peers: dict[str, Series] = field(default_factory=dict)
    channels: dict[str, Series] = field(default_factory=dict)


@dataclass
class QueueHistory:
    """One queue's calls waiting, longest wait and service level, at each queues poll of the window."""

    waiting: Series = field(default_factory=list)
    longest_wait: Series = field(default_factory=list)
    service_level: Series = field(default_factory=list)


def node_history(store: Store, since: float, until: float) -> NodeHistory:
    history = NodeHistory()
    for state in store.states_between("nodes", since, until):
        if state.fetched_at != state.polled_at:
            continue  # a failed poll: no new figure
        _append(history.peers, state.tables.get("node_peers", {}), state.polled_at)
        _append(history.channels, state.tables.get("node_channels", {}), state.polled_at)
    return history


def _append(series: dict[str, Series], table: Mapping[str, tuple[object, ...]], at: float) -> None:
    for node, (_name, count) in table.items():
        if isinstance(count, int):
            series.setdefault(node, []).append((at, float(count)))


def queue_histories(store: Store, since: float, until: float) -> dict[str, QueueHistory]:
    """Every queue's figures over the window, by queue id, from one pass over the recorded polls."""
    stats_codec = codec("queue_stats")
    waiting = stats_codec.columns.index("calls_in_queue")
    longest = stats_codec.columns.index("first_waiting")
    level = stats_codec.columns.index("service_level")
    histories: dict[str, QueueHistory] = {}
    for state in store.states_between("queues", since, until):
        if state.fetched_at != state.polled_at:
            continue  # a failed poll: no new figure
        at = state.polled_at
        for queue_id, row in state.tables.get("queue_stats", {}).items():
            history = histories.setdefault(queue_id, QueueHistory())
            history.waiting.append((at, float(row[waiting])))
            history.longest_wait.append((at, float(row[longest])))
            history.service_level.append((at, float(row[level])))
    return histories


def queue_history(store: Store, queue_id: str, since: float, until: float) -> QueueHistory:
    return queue_histories(store, since, until).get(queue_id, QueueHistory())


RECORDED_TREND_WINDOW = 3600.0
"""How far back the Nodes and Queues trends reach into the recording (a monitor starting, a replay)."""

SAME_MOMENT = 1e-3
"""Seconds between two stamps of one poll at most (polls are seconds apart): "before this poll" is before this."""


@dataclass(frozen=True)
class RecordedTrends:
    """The Nodes and Queues panes' trends, as a recording holds them."""

    nodes: NodeTrends = field(default_factory=NodeTrends)
    queues: QueueTrends = field(default_factory=QueueTrends)


def recorded_trends(store: Store, until: float, window: float = RECORDED_TREND_WINDOW) -> RecordedTrends:
    """The trends the recording holds up to ``until``, to start a live session from.

    No node is flagged yet: the session's next poll decides that, against this history.
    """
    return RecordedTrends(recorded_node_trends(store, until, window), recorded_queue_trends(store, until, window))


def trends_at(store: Store, snapshots: Mapping[str, Snapshot[Any]],
              window: float = RECORDED_TREND_WINDOW) -> RecordedTrends:
    """The trends a live session held when ``snapshots`` were its latest (what a replay shows).

    The recorded polls before the poll shown, then that poll added as the live
    session adds it (``advance_nodes``, ``advance_queues``), so a node losing
    phones is flagged as it was then.
    """
    nodes = snapshots.get("nodes")
    queues = snapshots.get("queues")
    node_trends, queue_trends = NodeTrends(), QueueTrends()
    if nodes is not None and nodes.data is not None and nodes.fetched_at is not None:
        before = recorded_node_trends(store, nodes.fetched_at - SAME_MOMENT, window)
        node_trends = advance_nodes(before, nodes.data)
    if queues is not None and queues.data is not None and queues.fetched_at is not None:
        queue_trends = advance_queues(recorded_queue_trends(store, queues.fetched_at - SAME_MOMENT, window),
                                      queues.data)
    return RecordedTrends(node_trends, queue_trends)


def recorded_node_trends(store: Store, until: float, window: float = RECORDED_TREND_WINDOW) -> NodeTrends:
    """The Nodes pane's trends as the recording holds them up to ``until``.

    Each node's peers and channels, and the totals, over the last ``window``
    seconds (the newest ``HISTORY_LENGTH`` polls of it), none flagged.
    """
    history = node_history(store, until - window, until)
    rows = []
    for node in dict.fromkeys((*history.peers, *history.channels)):
        peers = _recent(history.peers.get(node, []))
        channels = _recent(history.channels.get(node, []))
        rows.append(NodeRow(node=node, peers=peers[-1] if peers else None,
                            channels=channels[-1] if channels else None,
                            peer_history=peers, channel_history=channels, alert=""))
    return NodeTrends(rows=tuple(rows), total_peers=_recent(_totals(history.peers)),
                      total_channels=_recent(_totals(history.channels)))


def recorded_queue_trends(store: Store, until: float, window: float = RECORDED_TREND_WINDOW) -> QueueTrends:
    """The Queues pane's trends (calls waiting, service level) as the recording holds them up to ``until``."""
    return QueueTrends({
        queue_id: QueueTrend(waiting=_recent(history.waiting),
                             service_level=tuple(value for _at, value in history.service_level[-HISTORY_LENGTH:]))
        for queue_id, history in queue_histories(store, until - window, until).items()
    })


def _recent(series: Series) -> tuple[int, ...]:
    return tuple(int(value) for _at, value in series[-HISTORY_LENGTH:])


def _totals(series: dict[str, Series]) -> Series:
    by_time: dict[float, float] = {}
    for points in series.values():
        for at, value in points:
            by_time[at] = by_time.get(at, 0.0) + value
    return sorted(by_time.items())
