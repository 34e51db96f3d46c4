"""Fault injection for the simulator's HTTP server: slow, broken and hostile answers.

A ``Faults`` object hangs off every ``SimServer`` (``server.faults``) and may be
changed at any time from any thread; each request reads it once when it
arrives. Everything is off by default and ``clear()`` turns everything off.

Knobs:

``latency``
    Seconds to wait before answering, by request type (``"CHANNELS"``) with
    ``"default"`` for all other types: ``faults.latency["CHANNELS"] = 2.0``.
``hold(reqtype)``
    Requests of that type wait until the returned ``threading.Event`` is set
    (or the server stops): a test decides when the answer comes, whatever
    the machine's speed.
``mode``
    One of ``MODES`` (or ``None``): how a faulty answer is broken.
    ``"hang"`` never answers (until ``hang_seconds`` pass or the server stops,
    then closes the connection); ``"drop"`` closes the connection without a
    response; ``"malformed"`` sends the real body made invalid JSON;
    ``"truncated"`` sends the first half of the real body; ``"html"`` sends an
    HTML "500 Internal Server Error" page (HTTP status still 200, as the real
    API's proxy does); ``"key_rejected"`` sends the key-rejected text;
    ``"oversized"`` sends ``oversized_bytes`` of junk; ``"empty"`` sends a
    0-byte body (as a failing real server does for COUNTPEERS or PEERS).
``rate``
    Probability (0..1) that ``mode`` applies to a given request (default 1).
``only``
    A set of request types the mode (and ``error_rate``) applies to; ``None``
    means all.
``error_rate``
    Independently of ``mode``: probability that a request is answered with
    the HTML error page.

The requests still reach the state: under ``hang``, ``drop``, ``malformed``,
``truncated``, ``oversized`` and ``empty`` an action (e.g. HANGUP) is carried out and only
its answer is lost or broken, so clients meet "unknown outcome" for real.
Under ``html`` and ``key_rejected`` nothing is carried out. Which requests are
hit is drawn from a random generator seeded at construction, so a test run is
repeatable.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable

MODES = ("hang", "drop", "malformed", "truncated", "html", "key_rejected", "oversized", "empty")
"""The ways an answer can be broken (see the module docstring)."""

# Modes under which the request is not processed at all.
MODES_BEFORE_PROCESSING = frozenset({"html", "key_rejected"})


class Faults:
    """Thread-safe fault settings of one ``SimServer`` (see the module docstring)."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self.latency: dict[str, float] = {}
        self._held: dict[str, threading.Event] = {}
        self._mode: str | None = None
        self._rate = 1.0
        self._only: frozenset[str] | None = None
        self._error_rate = 0.0
        self.hang_seconds = 3600.0
        self.oversized_bytes = 8 * 1024 * 1024

    # --- settings ---------------------------------------------------------

    @property
    def mode(self) -> str | None:
        return self._mode

    @mode.setter
    def mode(self, mode: str | None) -> None:
        if mode is not None and mode not in MODES:
            raise ValueError(f"unknown fault mode {mode!r}; choose from {', '.join(MODES)}")
        self._mode = mode

    @property
    def rate(self) -> float:
        return self._rate

    @rate.setter
    def rate(self, rate: float) -> None:
        self._rate = _probability(rate, "rate")

    @property
    def error_rate(self) -> float:
        return self._error_rate

    @error_rate.setter
    def error_rate(self, rate: float) -> None:
        self._error_rate = _probability(rate, "error_rate")

    @property
    def only(self) -> frozenset[str] | None:
        return self._only

    @only.setter
    def only(self, reqtypes: Iterable[str] | None) -> None:
        self._only = None if reqtypes is None else frozenset(r.upper() for r in reqtypes)

    def set_latency(self, reqtype: str, seconds: float) -> None:
        """Delay answers of ``reqtype`` (or ``"default"``) by ``seconds``."""
        if seconds < 0:
            raise ValueError("latency cannot be negative")
        key = "default" if reqtype.lower() == "default" else reqtype.upper()
        with self._lock:
            self.latency[key] = float(seconds)

    def hold(self, reqtype: str) -> threading.Event:
        """Hold answers of ``reqtype`` until the returned event is set."""
        gate = threading.Event()
        with self._lock:
            self._held[reqtype.upper()] = gate
        return gate

    def clear(self) -> None:
        """Turn every fault off: no latency, no hold, no mode, no error rate."""
        with self._lock:
            for gate in self._held.values():
                gate.set()
            self._held.clear()
            self.latency.clear()
            self._mode = None
            self._rate = 1.0
            self._only = None
            self._error_rate = 0.0

    # --- decisions (called by the server for each request) ----------------

    def gate_for(self, reqtype: str) -> threading.Event | None:
        """The event a request of ``reqtype`` waits for (``hold``), or None."""
        with self._lock:
            return self._held.get(reqtype)

    def latency_for(self, reqtype: str) -> float:
        with self._lock:
            latency = self.latency
            return float(latency.get(reqtype, latency.get("default", 0.0)))

    def draw(self, reqtype: str) -> str | None:
        """The fault mode to apply to this request, or ``None`` for a normal answer."""
        with self._lock:
            if self._only is not None and reqtype not in self._only:
                return None
            if self._error_rate and self._random.random() < self._error_rate:
                return "html"
            if self._mode and (self._rate >= 1.0 or self._random.random() < self._rate):
                return self._mode
            return None

    def __repr__(self) -> str:
        return (
            f"Faults(latency={self.latency!r}, mode={self._mode!r}, rate={self._rate}, "
            f"only={sorted(self._only) if self._only is not None else None}, error_rate={self._error_rate})"
        )


def parse_latency_spec(spec: str) -> dict[str, float]:
    """Parse ``CHANNELS=2,default=0.3`` (or a bare ``0.3`` for the default) into latencies."""
    latencies: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, value = part.partition("=")
        if not sep:
            name, value = "default", name
        try:
            seconds = float(value)
        except ValueError:
            raise ValueError(f"bad latency {part!r}: expected TYPE=SECONDS, e.g. CHANNELS=2") from None
        if seconds < 0:
            raise ValueError(f"bad latency {part!r}: seconds cannot be negative")
        name = name.strip()
        latencies["default" if name.lower() == "default" else name.upper()] = seconds
    return latencies


def _probability(value: float, name: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1")
    return value
