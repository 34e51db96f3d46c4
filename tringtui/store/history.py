"""History from the store: the figures the Nodes and Queues panes chart, over the recorded window.

The panes' sparklines show what the running app has seen; with a recording
they can show the last hour or day instead, including what happened before
the monitor was started (``tringtui record`` was running). These functions
read the store incrementally (one rebuild per source, not one per point) and
return plain series of (time, value) pairs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tringtui.live.derived import HISTORY_LENGTH, NodeRow, NodeTrends
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


def queue_history(store: Store, queue_id: str, since: float, until: float) -> QueueHistory:
    from tringtui.store.codec import codec

    stats_codec = codec("queue_stats")
    waiting = stats_codec.columns.index("calls_in_queue")
    longest = stats_codec.columns.index("first_waiting")
    level = stats_codec.columns.index("service_level")
    history = QueueHistory()
    for state in store.states_between("queues", since, until):
        row = state.tables.get("queue_stats", {}).get(queue_id)
        if row is None or state.fetched_at != state.polled_at:
            continue
        history.waiting.append((state.polled_at, float(row[waiting])))
        history.longest_wait.append((state.polled_at, float(row[longest])))
        history.service_level.append((state.polled_at, float(row[level])))
    return history


RECORDED_TREND_WINDOW = 3600.0
"""How far back the Nodes pane's trends reach into the recording when a monitor starts."""


def recorded_node_trends(store: Store, until: float, window: float = RECORDED_TREND_WINDOW) -> NodeTrends:
    """The Nodes pane's trends as the recording holds them up to ``until``, to start a session from.

    Each node's peers and channels, and the totals, over the last ``window``
    seconds (the newest ``HISTORY_LENGTH`` polls of it). No node is flagged
    yet: the session's next poll decides that, against this history.
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


def _recent(series: Series) -> tuple[int, ...]:
    return tuple(int(value) for _at, value in series[-HISTORY_LENGTH:])


def _totals(series: dict[str, Series]) -> Series:
    by_time: dict[float, float] = {}
    for points in series.values():
        for at, value in points:
            by_time[at] = by_time.get(at, 0.0) + value
    return sorted(by_time.items())
