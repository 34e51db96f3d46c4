"""The effective settings one monitor session runs with, whatever their source.

``tringtui.config`` builds a ``Settings`` from flags, environment, profile and
defaults; the app, the pollers and the one-shot commands only ever see this.
The API key is wrapped in ``Secret`` so that no repr, log line or crash
report (which prints local variables) can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from collections.abc import Mapping

from tringtui.alert_rules import DEFAULT_RULES, AlertRule

PANES = ("nodes", "channels", "queues", "flows", "peers")

# Seconds between the end of one poll and the start of the next. The real API
# is slow (unfiltered CHANNELS ~7 s, COUNTPEERS ~23 s on 50 nodes), so the
# defaults are gentle; MIN_INTERVAL protects the PBX when many people watch it.
DEFAULT_INTERVALS: Mapping[str, float] = MappingProxyType(
    {"nodes": 15.0, "channels": 5.0, "queues": 5.0, "flows": 10.0, "peers": 30.0}
)
MIN_INTERVAL = 2.0

# How much recording a store keeps unless the profile's ``retention`` says otherwise.
DEFAULT_RETENTION_AGE = 24 * 3600.0
DEFAULT_RETENTION_MB = 500


class Secret:
    """A string that never shows itself: ``repr``/``str`` print ``***``; ``reveal()`` returns it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    """Everything one session of the monitor needs to know."""

    server: str
    key: Secret
    tenant: str = ""
    profile: str = "default"
    readonly: bool = False
    demo: bool = False
    verify_tls: bool | str = True
    timeout: float = 30.0
    """Cap in seconds on each request, however slowly the server answers."""
    max_body_bytes: int = 32 * 1024 * 1024
    """Cap on one response body; a larger one is abandoned unread (the client's default)."""
    max_concurrency: int = 4
    """Requests in flight to the PBX at once, across all panes."""
    intervals: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))
    theme: str = "tring-dark"
    label: str = ""
    label_color: str = ""
    start_pane: str = "nodes"
    mouse: bool = True
    audit_path: str = ""  # the audit journal; empty means the XDG state default (tringtui.audit)
    alert_rules: tuple[AlertRule, ...] = DEFAULT_RULES
    """The profile's alert rules (its ``alerts:`` list, else the built-in defaults; empty: no alerting)."""
    alert_bell: bool = False
    """Ring the terminal bell when an alert fires (in the monitor)."""
    alert_desktop: str = "off"
    """Desktop notification through the terminal when an alert fires: off, osc9 or osc777."""
    record: bool = False
    """Record the session into the store (the black box). Resolved settings record unless ``--no-record``
    or ``record: false`` say otherwise; settings built in code (tests, tools) record only when asked."""
    store_path: str = ""  # the recording; empty means one per profile and server in the XDG state dir
    retention_age: float = DEFAULT_RETENTION_AGE
    """Seconds of recording the store keeps."""
    retention_bytes: int = DEFAULT_RETENTION_MB * 1024 * 1024
    """Bytes the store may hold before its oldest polls go."""

    def interval(self, pane: str) -> float:
        """The pane's refresh interval, never below the protective floor."""
        return max(MIN_INTERVAL, float(self.intervals.get(pane, DEFAULT_INTERVALS[pane])))

    @property
    def server_host(self) -> str:
        """The server's host for display: never the key, never a path or query."""
        from urllib.parse import urlsplit

        return urlsplit(self.server).netloc or self.server
