"""The alert rules: the catalogue of built-in conditions, one rule's settings, and the defaults.

A rule names one condition of ``CONDITIONS`` (what is measured, how it is
compared with the threshold, which selectors narrow it), a threshold, a
duration the condition must hold before the alert fires ("for 2m", so that a
blip does not page), a severity and optional notifications. ``DEFAULT_RULES``
is what a profile without an ``alerts:`` field gets. The config file's
``alerts:`` list is read by ``tringtui.config.alerts`` into ``AlertRule``.

Nothing here does I/O or imports the live core (settings hold rules); the engine, ``tringtui.live.alerts``,
evaluates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return 2 if self is Severity.CRITICAL else 1


class Compare(str, Enum):
    """How a condition's value is compared with its threshold: the alert holds when this is true."""

    AT_LEAST = ">="
    BELOW = "<"
    AT_MOST = "<="

    def holds(self, value: float, threshold: float) -> bool:
        if self is Compare.AT_LEAST:
            return value >= threshold
        if self is Compare.BELOW:
            return value < threshold
        return value <= threshold


SELECTORS = ("queue", "node", "tenant", "request")


@dataclass(frozen=True)
class Condition:
    """One built-in condition: what it measures, in which unit, and its default settings."""

    name: str
    summary: str  # what the README and the Alerts view say it means
    unit: str  # of the value and threshold: "%", "s", "h", "calls", "changes", "channels", "failures", "credit"
    compare: Compare
    threshold: float
    hold: float  # default "for", in seconds
    severity: Severity
    selectors: tuple[str, ...]
    window: float | None = None  # default look-back in seconds, for conditions that count over time


CONDITIONS: dict[str, Condition] = {
    condition.name: condition
    for condition in (
        Condition("node_peers_lost", "a node lost this % of its registered peers (against its highest count in the window)",
                  "%", Compare.AT_LEAST, 20, 60, Severity.CRITICAL, ("node",), window=600),
        Condition("node_no_channels", "a node has no channels while the other nodes carry at least this many",
                  "channels", Compare.AT_LEAST, 5, 120, Severity.WARNING, ("node",)),
        Condition("queue_waiting", "calls waiting in a queue", "calls", Compare.AT_LEAST, 5, 60, Severity.WARNING,
                  ("queue", "tenant")),
        Condition("queue_longest_wait", "the longest wait in a queue", "s", Compare.AT_LEAST, 120, 30, Severity.WARNING,
                  ("queue", "tenant")),
        Condition("queue_service_level", "a queue's service level (queues that received calls)", "%", Compare.BELOW, 60,
                  300, Severity.WARNING, ("queue", "tenant")),
        Condition("call_stuck", "a channel older than this many hours (a stuck channel)", "h", Compare.AT_LEAST, 4, 0,
                  Severity.WARNING, ("node", "tenant")),
        Condition("peer_flapping", "registration changes of one phone within the window", "changes", Compare.AT_LEAST, 4,
                  0, Severity.WARNING, ("node", "tenant"), window=600),
        Condition("request_failing", "failed requests of one type in a row", "failures", Compare.AT_LEAST, 1, 120,
                  Severity.CRITICAL, ("request",)),
        Condition("request_slow", "seconds one request type took to answer", "s", Compare.AT_LEAST, 10, 300,
                  Severity.WARNING, ("request",)),
        Condition("balance_low", "the tenant's credit (INFO balance)", "credit", Compare.BELOW, 10, 0, Severity.WARNING,
                  ("tenant",)),
        Condition("channels_near_max", "channels left before the tenant's maxchannels, in % (INFO config)", "%",
                  Compare.AT_MOST, 10, 60, Severity.WARNING, ("tenant",)),
    )
}

DEFAULT_NOTIFY_INTERVAL = 300.0  # at most one notification per alert this often (seconds)
DEFAULT_COMMAND_TIMEOUT = 10.0


@dataclass(frozen=True)
class AlertRule:
    """One configured rule: a condition with its threshold, duration, severity, selectors and notifications."""

    condition: str
    threshold: float
    hold: float  # seconds the condition must hold before firing ("for")
    severity: Severity
    name: str = ""
    window: float | None = None
    selectors: tuple[tuple[str, str], ...] = ()  # (selector, value), e.g. (("queue", "281"),)
    webhook: str = ""
    command: tuple[str, ...] = ()
    notify_interval: float = DEFAULT_NOTIFY_INTERVAL
    line: int = 0  # where the rule was written (0: a default)

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", default_name(self.condition, self.selectors))

    @property
    def spec(self) -> Condition:
        return CONDITIONS[self.condition]

    def selector(self, name: str) -> str:
        return dict(self.selectors).get(name, "")

    def describe_threshold(self) -> str:
        """The threshold as the Alerts view shows it, e.g. '>= 5 calls'."""
        return f"{self.spec.compare.value} {format_number(self.threshold)} {self.spec.unit}"


def default_name(condition: str, selectors: tuple[tuple[str, str], ...]) -> str:
    if not selectors:
        return condition
    return condition + "[" + ",".join(f"{name}={value}" for name, value in selectors) + "]"


def rule_from_defaults(condition: str, **overrides: object) -> AlertRule:
    """A rule of ``condition`` with the condition's defaults, some replaced by ``overrides``."""
    spec = CONDITIONS[condition]
    settings: dict[str, object] = {
        "threshold": float(spec.threshold), "hold": spec.hold, "severity": spec.severity, "window": spec.window,
    }
    settings.update(overrides)
    return AlertRule(condition, **settings)  # type: ignore[arg-type]


DEFAULT_RULES: tuple[AlertRule, ...] = tuple(rule_from_defaults(name) for name in CONDITIONS)


def format_duration(seconds: float) -> str:
    """'2m', '1h30m', '45s': the shape the config file takes."""
    seconds = round(seconds)
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{amount}{unit}" for amount, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if amount)


def format_number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")
