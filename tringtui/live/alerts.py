"""The alert engine: rules evaluated on ``PbxFigures``, giving fire and resolve transitions.

Each rule yields readings (a subject, where it is, its current value); a
reading whose value crosses the threshold starts the rule's duration ("for
2m"), and once it has held that long the alert fires: once. It stays firing,
its value kept current, while the condition holds, and resolves once when it
no longer does (or its subject is gone). When a rule's data is missing (its
source never answered) nothing changes: missing data neither fires nor
resolves. Time comes from the figures' clock stamp, so tests drive it.

``evaluate`` returns the transitions as plain values: the monitor shows them,
notifiers send them, the timeline records them (``Transition.as_event``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from tringtui.alert_rules import AlertRule, Severity, format_number
from tringtui.live.pbx_figures import PbxFigures
from tringtui.live.sources.queues import QueueRow


@dataclass(frozen=True, slots=True)
class Target:
    """The object an alert is about, for the monitor to jump to: a pane and the row's key there."""

    pane: str  # nodes, channels, queues, peers
    key: str | tuple[str, str]  # the row's identity there (tringtui.live.identity): a peer is (node, name)


@dataclass(frozen=True, slots=True)
class Reading:
    """One subject of a rule right now: its identity, where it is, the measured value."""

    subject: str
    where: str
    value: float
    target: Target | None = None
    node: str = ""
    tenant: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    """A firing alert: which rule, about what, since when, and its latest value."""

    rule: AlertRule
    subject: str
    where: str
    value: float
    since: float  # clock time it fired
    target: Target | None = None
    node: str = ""
    tenant: str = ""
    acknowledged: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule.name, self.subject)

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def describe_value(self) -> str:
        """'7 calls (>= 5 calls)': the value against the threshold."""
        return f"{format_number(self.value)} {self.rule.spec.unit} ({self.rule.describe_threshold()})"

    def as_dict(self) -> dict[str, object]:
        """The alert as notifications and the timeline carry it (never the key: nothing here holds it)."""
        return {
            "rule": self.rule.name,
            "condition": self.rule.condition,
            "severity": self.rule.severity.value,
            "subject": self.subject,
            "where": self.where,
            "node": self.node,
            "tenant": self.tenant,
            "value": self.value,
            "threshold": self.rule.threshold,
            "compare": self.rule.spec.compare.value,
            "unit": self.rule.spec.unit,
            "summary": self.rule.spec.summary,
            "since": self.since,
        }


FIRE = "fire"
RESOLVE = "resolve"


@dataclass(frozen=True, slots=True)
class Transition:
    """An alert fired or resolved at a clock time."""

    kind: str  # FIRE or RESOLVE
    alert: Alert
    at: float

    @property
    def status(self) -> str:
        return "firing" if self.kind == FIRE else "resolved"

    def as_event(self) -> dict[str, object]:
        """The transition as a timeline event: its time, kind and the alert's fields."""
        return {"time": self.at, "kind": f"alert_{self.status}", **self.alert.as_dict()}


# ---- readings per condition -------------------------------------------------------------------


class History:
    """What some conditions need from earlier figures: registered peers per node over time, and
    each peer's registration changes. Bounded by the longest window of the rules that use it."""

    def __init__(self, window: float) -> None:
        self.window = window
        self.node_samples: dict[str, deque[tuple[float, int]]] = {}
        self.peer_registered: dict[str, bool] = {}
        self.peer_changes: dict[str, deque[float]] = {}
        self.node_changes: dict[str, int] = {}  # registration changes seen per node, ever (a counter)
        self._seen: dict[str, object] = {}

    def _is_new(self, name: str, data: object) -> bool:
        """True once per new piece of data (snapshot data stays the same object until the next answer)."""
        if data is None or self._seen.get(name) is data:
            return False
        self._seen[name] = data
        return True

    def observe(self, figures: PbxFigures) -> None:
        horizon = figures.now - self.window
        registered = figures.node_registered()
        if registered is not None and self._is_new("nodes", figures.nodes):
            for node, count in registered.items():
                self.node_samples.setdefault(node, deque()).append((figures.now, count))
        for samples in self.node_samples.values():
            while len(samples) > 1 and samples[0][0] < horizon:
                samples.popleft()
        if figures.peers is not None and self._is_new("peers", figures.peers):
            for peer in figures.peers.peers:
                key = f"{peer.node}/{peer.name}"
                before = self.peer_registered.get(key)
                self.peer_registered[key] = peer.registered
                if before is not None and before != peer.registered:
                    self.peer_changes.setdefault(key, deque()).append(figures.now)
                    self.node_changes[peer.node] = self.node_changes.get(peer.node, 0) + 1
        for key in list(self.peer_changes):
            changes = self.peer_changes[key]
            while changes and changes[0] < horizon:
                changes.popleft()
            if not changes:
                del self.peer_changes[key]

    def peak(self, node: str, since: float) -> int:
        return max((count for at, count in self.node_samples.get(node, ()) if at >= since), default=0)

    def changes(self, key: str, since: float) -> int:
        return sum(1 for at in self.peer_changes.get(key, ()) if at >= since)


def _matches(rule: AlertRule, **values: str) -> bool:
    """Whether the subject's queue/node/tenant/request agree with the rule's selectors (case-insensitive)."""
    for name, wanted in rule.selectors:
        value = values.get(name)
        if value is None or value.lower() != wanted.lower():
            return False
    return True


Readings = list[Reading] | None
Evaluator = Callable[[AlertRule, PbxFigures, History], Readings]


def _node_peers_lost(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    registered = figures.node_registered()
    if registered is None:
        return None
    since = figures.now - (rule.window or 0)
    readings = []
    for node, count in registered.items():
        if not _matches(rule, node=node):
            continue
        peak = history.peak(node, since)
        lost = 100.0 * (peak - count) / peak if peak > 0 else 0.0
        where = f"node {node}: {count} registered, {peak} at most in the window"
        readings.append(Reading(node, where, round(lost, 1), Target("nodes", node), node=node))
    return readings


def _node_no_channels(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    channels, registered = figures.node_channels(), figures.node_registered()
    if channels is None or registered is None:
        return None
    total = sum(channels.values())
    readings = []
    for node, count in channels.items():
        if _matches(rule, node=node):
            # The value is what the other nodes carry; a node with calls of its own never holds, nor
            # one without registered phones (no phones, no calls: nothing is stuck there).
            others = total - count if count == 0 and registered.get(node, 1) > 0 else 0
            readings.append(Reading(node, f"node {node}: no channels", float(others), Target("nodes", node), node=node))
    return readings


def _queue_service_level(row: QueueRow) -> float | None:
    # A queue that received no call has no service level to speak of.
    return row.stats.service_level if row.stats is not None and row.stats.calls_received > 0 else None


QUEUE_VALUES: dict[str, Callable[[QueueRow], float | None]] = {
    "queue_waiting": lambda row: float(row.stats.calls_in_queue) if row.stats is not None else None,
    "queue_longest_wait": lambda row: float(row.stats.longest_wait) if row.stats is not None else None,
    "queue_service_level": _queue_service_level,
}


def _queue(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    if figures.queues is None:
        return None
    wanted = rule.selector("queue")
    value_of = QUEUE_VALUES[rule.condition]
    readings = []
    for row in figures.queues.queues:
        queue = row.queue
        if wanted and wanted not in (queue.id, queue.name):
            continue
        value = value_of(row)
        if value is not None and _matches(rule, tenant=figures.tenant, queue=wanted or queue.id):
            readings.append(Reading(f"{figures.tenant}/{queue.id}", f"queue {queue.id} {queue.name} ({figures.tenant})",
                                    value, Target("queues", queue.id), tenant=figures.tenant))
    return readings


def _call_stuck(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    if figures.channels is None:
        return None
    limit = rule.threshold * 3600
    return [
        Reading(channel.uniqueid, f"{channel.channel} on {channel.node or '?'} ({channel.tenant or 'trunk'})",
                round(channel.duration / 3600, 2), Target("channels", channel.uniqueid), node=channel.node,
                tenant=channel.tenant)
        for channel in figures.channels.channels
        # Only channels past the limit are read: thousands of young calls need no reading.
        if channel.duration >= limit and _matches(rule, node=channel.node, tenant=channel.tenant)
    ]


def _peer_flapping(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    if figures.peers is None:
        return None
    since = figures.now - (rule.window or 0)
    readings = []
    for key in history.peer_changes:
        node, _, name = key.partition("/")
        if _matches(rule, node=node, tenant=name.partition("-")[2]):
            readings.append(Reading(key, f"phone {name} on {node}", float(history.changes(key, since)),
                                    Target("peers", (node, name)), node=node, tenant=name.partition("-")[2]))
    return readings


def _request_failing(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    return [
        Reading(health.request, f"{health.request} requests" + (f" ({health.last_outcome})" if health.failures_in_row else ""),
                float(health.failures_in_row))
        for health in figures.requests.values()
        if _matches(rule, request=health.request)
    ]


def _request_slow(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    return [
        Reading(health.request, f"{health.request} requests", round(health.last_latency, 2))
        for health in figures.requests.values()
        if health.last_latency is not None and _matches(rule, request=health.request)
    ]


def _balance_low(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    info = figures.tenant_info
    if info is None or info.balance is None:
        return None
    if not _matches(rule, tenant=info.tenant):
        return []
    return [Reading(info.tenant, f"tenant {info.tenant} balance", info.balance, tenant=info.tenant)]


def _channels_near_max(rule: AlertRule, figures: PbxFigures, history: History) -> Readings:
    info = figures.tenant_info
    if info is None or not info.max_channels or figures.channels is None:
        return None
    if not _matches(rule, tenant=info.tenant):
        return []
    used = figures.tenant_share(info.tenant).channels or 0
    headroom = 100.0 * (info.max_channels - used) / info.max_channels
    return [Reading(info.tenant, f"tenant {info.tenant}: {used} of {info.max_channels} channels", round(headroom, 1),
                    tenant=info.tenant)]


EVALUATORS: dict[str, Evaluator] = {
    "node_peers_lost": _node_peers_lost,
    "node_no_channels": _node_no_channels,
    "queue_waiting": _queue,
    "queue_longest_wait": _queue,
    "queue_service_level": _queue,
    "call_stuck": _call_stuck,
    "peer_flapping": _peer_flapping,
    "request_failing": _request_failing,
    "request_slow": _request_slow,
    "balance_low": _balance_low,
    "channels_near_max": _channels_near_max,
}


# ---- the engine ------------------------------------------------------------------------------


class AlertEngine:
    """Evaluates a profile's rules on successive figures; remembers what is pending and firing."""

    def __init__(self, rules: Iterable[AlertRule]) -> None:
        self.rules = tuple(rules)
        windows = [rule.window for rule in self.rules if rule.window]
        self.history = History(max(windows, default=0.0))
        self._pending: dict[tuple[str, str], float] = {}
        self._firing: dict[tuple[str, str], Alert] = {}

    @property
    def firing(self) -> tuple[Alert, ...]:
        """Firing alerts, the worst first, then the oldest."""
        return tuple(sorted(self._firing.values(), key=lambda alert: (-alert.severity.rank, alert.since, alert.key)))

    @property
    def worst(self) -> Severity | None:
        return max((alert.severity for alert in self._firing.values()), key=lambda s: s.rank, default=None)

    def acknowledge(self, key: tuple[str, str]) -> Alert | None:
        """Mark a firing alert acknowledged (it stays listed); the alert as it now is, or None if gone."""
        alert = self._firing.get(key)
        if alert is not None:
            alert = self._firing[key] = replace(alert, acknowledged=True)
        return alert

    def evaluate(self, figures: PbxFigures) -> list[Transition]:
        """Fold the latest figures in; the alerts that fired or resolved now."""
        self.history.observe(figures)
        transitions: list[Transition] = []
        for rule in self.rules:
            readings = EVALUATORS[rule.condition](rule, figures, self.history)
            if readings is None:
                continue  # no data: hold every alert of this rule as it is
            transitions.extend(self._apply(rule, readings, figures.now))
        return transitions

    def _apply(self, rule: AlertRule, readings: list[Reading], now: float) -> list[Transition]:
        transitions = []
        holding = set()
        compare = rule.spec.compare
        for reading in readings:
            if not compare.holds(reading.value, rule.threshold):
                continue
            key = (rule.name, reading.subject)
            holding.add(key)
            firing = self._firing.get(key)
            if firing is not None:
                self._firing[key] = replace(firing, value=reading.value, where=reading.where)
                continue
            started = self._pending.setdefault(key, now)
            if now - started >= rule.hold:
                del self._pending[key]
                alert = Alert(rule, reading.subject, reading.where, reading.value, now, reading.target,
                              reading.node, reading.tenant)
                self._firing[key] = alert
                transitions.append(Transition(FIRE, alert, now))
        for key in [key for key in self._pending if key[0] == rule.name and key not in holding]:
            del self._pending[key]
        for key in [key for key in self._firing if key[0] == rule.name and key not in holding]:
            transitions.append(Transition(RESOLVE, self._firing.pop(key), now))
        return transitions
