"""How each request type has fared, told by the client's request observer: the request_* alert rules read it.

The client may run on another thread than the alert engine (the monitor keeps
requests off its UI loop), so the tally is guarded by a lock and read as
immutable ``RequestHealth`` values.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

OK = "ok"


@dataclass(frozen=True, slots=True)
class RequestHealth:
    """One request type: counts by outcome, failures in a row, the last answer's latency in seconds."""

    request: str
    outcomes: Mapping[str, int] = field(default_factory=dict)
    failures_in_row: int = 0
    last_latency: float | None = None
    last_outcome: str = ""


class RequestStats:
    """The tally; ``record`` is the observer to hand ``TringClient.add_observer``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._health: dict[str, RequestHealth] = {}

    def record(self, request: str, outcome: str, seconds: float) -> None:
        if outcome == "cancelled":
            return  # stopped by us, not failed by the server
        with self._lock:
            old = self._health.get(request) or RequestHealth(request)
            outcomes = dict(old.outcomes)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            ok = outcome == OK
            self._health[request] = RequestHealth(
                request,
                outcomes,
                0 if ok else old.failures_in_row + 1,
                seconds if ok else old.last_latency,
                outcome,
            )

    def health(self) -> dict[str, RequestHealth]:
        with self._lock:
            return dict(self._health)
