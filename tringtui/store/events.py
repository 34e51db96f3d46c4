"""Events: what changed between two successive polls of a source, as one line each.

"Why did calls drop at 03:12?" is answered by a time line, not by the state
now. The recorder hands every poll's tables and the previous ones to
``derive_events``, which is pure (no clock, no I/O): the same two polls always
give the same events, in the monitor, in ``tringtui record`` and in tests.

Each event has its time, kind (``family.what``), node, tenant, object, and
before → after as short text. Kinds:

- ``peer.unregistered`` / ``peer.registered``; ``peer.lagged`` / ``peer.lag_cleared``
- ``node.peers_dropped``; ``node.channels_zero``; ``node.channels_spike``
- ``queue.waiting``, ``queue.longest_wait``, ``queue.service_level`` (crossing a threshold, either way)
- ``agent.paused`` (with the reason), ``agent.unpaused``, ``agent.logged_in``, ``agent.logged_out``
- ``flow.state``, ``flow.value``
- ``call.long`` (a call passed the stuck-call threshold), ``call.long_ended``
- ``api.slow``, ``api.failed``, ``api.recovered`` (per source, naming its request types)
- ``alert.firing``, ``alert.resolved``: an alert rule's transitions (``alert_event``)
- ``write.*``: the audit journal's entries, put on the same time line by ``tringtui.store.timeline``
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tringtui.api.models import Agent, Channel, Flow, Peer, PeerStatus, QueueStats
from tringtui.store.codec import CODECS, Row, Table

if TYPE_CHECKING:  # only a type here: tringtui events must stay light (no live core, no httpx)
    from tringtui.live.alerts import Transition


@dataclass(frozen=True, slots=True)
class Event:
    """One change on the time line. ``at`` is epoch seconds; the rest is text for people and scripts."""

    at: float
    kind: str
    node: str = ""
    tenant: str = ""
    object: str = ""
    before: str = ""
    after: str = ""
    detail: str = ""

    def as_dict(self) -> dict[str, float | str]:
        return {"at": self.at, "kind": self.kind, "node": self.node, "tenant": self.tenant, "object": self.object,
                "before": self.before, "after": self.after, "detail": self.detail}


def alert_event(transition: Transition) -> Event:
    """An alert rule firing or resolving, as a line of the time line."""
    alert = transition.alert
    return Event(transition.at, f"alert.{transition.status}", alert.node, alert.tenant, alert.rule.name,
                 after=alert.describe_value(), detail=f"{alert.severity.value}: {alert.where}")


@dataclass(frozen=True)
class EventThresholds:
    """Where a figure becomes an event. One place, so the Events pane, ``tringtui events`` and alerts agree."""

    node_peers_drop_fraction: float = 0.10
    """A node losing more than this share of its registered peers in one poll…"""
    node_peers_drop_min: int = 3
    """…and at least this many."""
    channels_spike_factor: float = 2.0
    """A node's channels at least doubling in one poll…"""
    channels_spike_min: int = 10
    """…by at least this many."""
    queue_waiting: int = 5
    queue_longest_wait: int = 120
    """Seconds the longest caller has waited."""
    queue_service_level: float = 80.0
    """Percent; the event is the service level falling below it (or rising back)."""
    long_call: int = 4 * 3600
    """Seconds after which a call is suspect (a stuck channel)."""
    api_slow: float = 10.0
    """Seconds a poll may take before the API counts as slow."""


@dataclass
class PollFacts:
    """What the recorder knows about one poll of a source, besides its tables."""

    source: str
    at: float
    latency: float | None = None
    error: str | None = None
    tenant: str = ""
    request_types: str = ""
    previous_at: float | None = None
    previous_latency: float | None = None
    previous_error: str | None = None
    node_of: Callable[[str], str] = field(default=lambda _peer: "")


def derive_events(
    facts: PollFacts,
    before: Mapping[str, Table] | None,
    after: Mapping[str, Table] | None,
    thresholds: EventThresholds,
) -> list[Event]:
    """The events between two polls of one source. ``before`` is None on a session's first poll
    (nothing to compare with), ``after`` is None when the poll failed (the data did not change)."""
    events = _api_events(facts, thresholds)
    if before is None or after is None:
        return events
    for table, derive in _TABLE_EVENTS.items():
        if table == "agents" and _fact(before, "agents_queue_id") != _fact(after, "agents_queue_id"):
            continue  # the agents of another queue were asked for: not agents logging in and out
        if table in after and table in before:
            events.extend(derive(facts, before[table], after[table], after, thresholds))
    return events


def _fact(tables: Mapping[str, Table], name: str) -> object:
    row = tables.get("facts", {}).get(name)
    return None if row is None else row[1]


def _api_events(facts: PollFacts, limits: EventThresholds) -> list[Event]:
    what = facts.request_types or facts.source
    if facts.previous_at is None:
        if facts.error is not None:
            return [Event(facts.at, "api.failed", tenant=facts.tenant, object=what, before="", after=facts.error)]
        return []
    if facts.error is not None and facts.previous_error is None:
        return [Event(facts.at, "api.failed", tenant=facts.tenant, object=what, before="ok", after=facts.error)]
    if facts.error is None and facts.previous_error is not None:
        return [Event(facts.at, "api.recovered", tenant=facts.tenant, object=what, before=facts.previous_error, after="ok")]
    if facts.error is None and facts.latency is not None:
        was_slow = facts.previous_latency is not None and facts.previous_latency >= limits.api_slow
        if facts.latency >= limits.api_slow and not was_slow:
            return [Event(facts.at, "api.slow", tenant=facts.tenant, object=what,
                          before=_seconds(facts.previous_latency), after=_seconds(facts.latency),
                          detail=f"over {limits.api_slow:g} s")]
    return []


def _changed(before: Table, after: Table) -> list[tuple[str, Row | None, Row | None]]:
    """(key, old row, new row) for every key whose row differs; None where the key is absent."""
    out: list[tuple[str, Row | None, Row | None]] = [
        (key, before.get(key), row) for key, row in after.items() if before.get(key) != row
    ]
    out.extend((key, row, None) for key, row in before.items() if key not in after)
    return out


def _changed_models(table: str, before: Table, after: Table, at: float) -> Iterator[tuple[Any, Any]]:
    """(old, new) models of the rows in both polls that changed (rows added or gone are not changes of a row)."""
    codec = CODECS[table]
    for _key, old_row, new_row in _changed(before, after):
        if old_row is not None and new_row is not None:
            yield codec.decode(old_row, at), codec.decode(new_row, at)


def _peer_events(facts: PollFacts, before: Table, after: Table, _tables: Mapping[str, Table],
                 _limits: EventThresholds) -> list[Event]:
    # Most peers change on every poll (their latency): the status is read from the raw rows, and only
    # the few rows that make an event are decoded into models.
    codec = CODECS["peers"]
    status = codec.columns.index("status")
    unregistered, lagged = PeerStatus.UNREGISTERED.value, PeerStatus.LAGGED.value
    events = []
    for _key, old_row, new_row in _changed(before, after):
        if old_row is None or new_row is None or old_row[status] == new_row[status]:
            continue
        was, now = old_row[status], new_row[status]
        if was != unregistered and now == unregistered:
            kind = "peer.unregistered"
        elif now != unregistered and was == unregistered:
            kind = "peer.registered"
        elif now == lagged:
            kind = "peer.lagged"
        elif was == lagged:
            kind = "peer.lag_cleared"
        else:
            continue
        old: Peer = codec.decode(old_row, facts.at)
        new: Peer = codec.decode(new_row, facts.at)
        events.append(Event(facts.at, kind, new.node, new.tenant, new.name, _peer_text(old), _peer_text(new)))
    return events


def _peer_text(peer: Peer) -> str:
    return "unregistered" if not peer.registered else peer.status_text


def _node_peer_events(facts: PollFacts, before: Table, after: Table, _tables: Mapping[str, Table],
                      limits: EventThresholds) -> list[Event]:
    events = []
    for node, (old_count,) in _counts(before).items():
        new_count = _counts(after).get(node, (None,))[0]
        if old_count is None or new_count is None:
            continue
        drop = old_count - new_count
        if drop >= limits.node_peers_drop_min and drop > limits.node_peers_drop_fraction * old_count:
            events.append(Event(facts.at, "node.peers_dropped", node, facts.tenant, node, str(old_count), str(new_count),
                                f"-{drop} registered peers ({100 * drop / old_count:.0f} %)"))
    return events


def _node_channel_events(facts: PollFacts, before: Table, after: Table, _tables: Mapping[str, Table],
                         limits: EventThresholds) -> list[Event]:
    events = []
    new_counts = {node: count for node, (count,) in _counts(after).items()}
    for node, (old_count,) in _counts(before).items():
        new_count = new_counts.get(node)
        if old_count is None or new_count is None:
            continue
        others = sum(count or 0 for other, count in new_counts.items() if other != node)
        if old_count > 0 and new_count == 0 and others > 0:
            events.append(Event(facts.at, "node.channels_zero", node, facts.tenant, node, str(old_count), "0",
                                f"other nodes carry {others} channels"))
        elif new_count - old_count >= limits.channels_spike_min and new_count >= limits.channels_spike_factor * old_count:
            events.append(Event(facts.at, "node.channels_spike", node, facts.tenant, node, str(old_count), str(new_count)))
    return events


def _counts(table: Table) -> dict[str, tuple[int | None]]:
    return {key: (row[1],) for key, row in table.items()}


def _queue_events(facts: PollFacts, before: Table, after: Table, tables: Mapping[str, Table],
                  limits: EventThresholds) -> list[Event]:
    names = tables.get("queues", {})
    events = []
    old: QueueStats
    new: QueueStats
    for old, new in _changed_models("queue_stats", before, after, facts.at):
        name_row = names.get(new.queue_id)
        label = f"{name_row[1]} ({new.queue_id})" if name_row else new.queue_id
        for kind, old_value, new_value, limit, unit in (
            ("queue.waiting", old.calls_in_queue, new.calls_in_queue, limits.queue_waiting, " waiting"),
            ("queue.longest_wait", old.longest_wait, new.longest_wait, limits.queue_longest_wait, " s"),
        ):
            if (old_value >= limit) != (new_value >= limit):
                side = "reached" if new_value >= limit else "back below"
                events.append(Event(facts.at, kind, "", facts.tenant, label, f"{old_value}{unit}", f"{new_value}{unit}",
                                    f"{side} {limit}{unit}"))
        low = limits.queue_service_level
        if (old.service_level < low) != (new.service_level < low) and new.calls_received > 0:
            side = "fell below" if new.service_level < low else "back at or above"
            events.append(Event(facts.at, "queue.service_level", "", facts.tenant, label, f"{old.service_level:g} %",
                                f"{new.service_level:g} %", f"{side} {low:g} %"))
    return events


def _agent_events(facts: PollFacts, before: Table, after: Table, tables: Mapping[str, Table],
                  _limits: EventThresholds) -> list[Event]:
    codec = CODECS["agents"]
    names = tables.get("queues", {})
    events = []
    for _key, old_row, new_row in _changed(before, after):
        old: Agent | None = None if old_row is None else codec.decode(old_row, facts.at)
        new: Agent | None = None if new_row is None else codec.decode(new_row, facts.at)
        agent = new or old
        assert agent is not None
        name_row = names.get(agent.queue_id)
        queue = f"queue {name_row[1]} ({agent.queue_id})" if name_row else f"queue {agent.queue_id}"
        node = facts.node_of(agent.member)
        if old is None:
            event = Event(facts.at, "agent.logged_in", node, agent.tenant, agent.member, "out", "in", queue)
        elif new is None:
            event = Event(facts.at, "agent.logged_out", node, agent.tenant, agent.member, "in", "out", queue)
        elif new.paused and not old.paused:
            after_text = f"paused: {new.pause_reason}" if new.pause_reason else "paused"
            event = Event(facts.at, "agent.paused", node, agent.tenant, agent.member, old.status, after_text, queue)
        elif old.paused and not new.paused:
            before_text = f"paused: {old.pause_reason}" if old.pause_reason else "paused"
            event = Event(facts.at, "agent.unpaused", node, agent.tenant, agent.member, before_text, new.status, queue)
        else:
            continue
        events.append(event)
    return events


def _flow_events(facts: PollFacts, before: Table, after: Table, _tables: Mapping[str, Table],
                 _limits: EventThresholds) -> list[Event]:
    events = []
    old: Flow
    new: Flow
    for old, new in _changed_models("flows", before, after, facts.at):
        label = f"{new.name} ({new.number})" if new.name else new.number
        if old.state != new.state:
            events.append(Event(facts.at, "flow.state", "", facts.tenant, label, old.state, new.state,
                                f"value {new.value}" if new.value else ""))
        elif old.value != new.value:
            events.append(Event(facts.at, "flow.value", "", facts.tenant, label, old.value, new.value))
    return events


def _channel_events(facts: PollFacts, before: Table, after: Table, _tables: Mapping[str, Table],
                    limits: EventThresholds) -> list[Event]:
    """Calls passing the long-call threshold since the previous poll, and long calls that ended."""
    codec = CODECS["channels"]
    started = codec.columns.index("started")
    previous_at = facts.previous_at if facts.previous_at is not None else facts.at
    long_since = facts.at - limits.long_call  # a call that started at or before this is long now
    events = []
    for key, row in after.items():
        if row[started] > long_since:
            continue  # most calls: not long, nothing else to look at
        age, old_row = facts.at - row[started], before.get(key)
        if age >= limits.long_call and (old_row is None or previous_at - old_row[started] < limits.long_call):
            if old_row is None and age - (facts.at - previous_at) >= limits.long_call:
                continue  # a new row already long: seen long before (another tenant's view, a restart)
            channel: Channel = codec.decode(row, facts.at)
            was = "" if old_row is None else _duration(previous_at - old_row[started])
            events.append(Event(facts.at, "call.long", channel.node, channel.tenant, channel.channel,
                                was, _duration(channel.duration), _call_detail(channel)))
    for key, row in before.items():
        if key not in after and previous_at - row[started] >= limits.long_call:
            channel = codec.decode(row, previous_at)
            events.append(Event(facts.at, "call.long_ended", channel.node, channel.tenant, channel.channel,
                                f"up {_duration(channel.duration)}", "ended", _call_detail(channel)))
    return events


def _call_detail(channel: Channel) -> str:
    parts = [part for part in (channel.caller_id and f"from {channel.caller_id}", channel.exten and f"to {channel.exten}",
                               f"uniqueid {channel.uniqueid}") if part]
    return ", ".join(parts)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m{rest % 60:02d}s" if hours else f"{rest // 60}m{rest % 60:02d}s"


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f} s"


_TABLE_EVENTS: dict[str, Callable[[PollFacts, Table, Table, Mapping[str, Table], EventThresholds], list[Event]]] = {
    "peers": _peer_events,
    "node_peers": _node_peer_events,
    "node_channels": _node_channel_events,
    "queue_stats": _queue_events,
    "agents": _agent_events,
    "flows": _flow_events,
    "channels": _channel_events,
}
