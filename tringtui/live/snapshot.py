"""What a source's poller knows at one moment: an immutable ``Snapshot`` of its last good data and last attempt.

Every update a session hands its subscribers is one of these. The data is the
last *good* data (kept when a poll fails), stamped with the wall time it was
fetched and how long the fetch took; ``error`` says how the last attempt went
wrong, with a kind a face can show differently (an empty answer where a live
PBX always has data is not the same as a refused connection).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from tringtui.api.errors import EmptyAnswer, TringError

T = TypeVar("T")

STALE_AFTER_INTERVALS = 3.0
"""Data older than this many of its source's intervals is STALE."""


class ErrorKind(str, Enum):
    """Why the last poll of a source did not give new data."""

    FAILED = "failed"
    """The request or its parsing failed (transport, refused key, malformed body, a bug)."""
    EMPTY_ANSWER = "empty answer"
    """The server answered nothing where a live PBX always has data: suspect, the last data is kept."""


@dataclass(frozen=True, slots=True)
class SourceError:
    """How the last poll went wrong: its kind and a one-line message (never holding the key)."""

    kind: ErrorKind
    message: str

    @property
    def marker(self) -> str:
        """The word a face shows for it: ``EMPTY ANSWER`` for a suspect empty answer, else the message."""
        return "EMPTY ANSWER" if self.kind is ErrorKind.EMPTY_ANSWER else self.message

    @classmethod
    def from_exception(cls, exc: BaseException) -> SourceError:
        kind = ErrorKind.EMPTY_ANSWER if isinstance(exc, EmptyAnswer) else ErrorKind.FAILED
        return cls(kind, short_error(exc))


def short_error(exc: BaseException) -> str:
    """A one-line message: the API layer's own message, else the exception's type (and text)."""
    if isinstance(exc, TringError):
        text = exc.message
        # A face already names the server: "CHANNELS on host: timed out" becomes "CHANNELS: timed out".
        prefix = f"{exc.reqtype} on {exc.server}: "
        if exc.reqtype and exc.server and text.startswith(prefix):
            text = f"{exc.reqtype}: {text[len(prefix):]}"
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Snapshot(Generic[T]):
    """One source's state: last good ``data`` (None before the first success) and the last attempt."""

    source: str
    data: T | None = None
    fetched_at: float | None = None
    """Wall time (epoch seconds) the data was fetched."""
    latency: float | None = None
    """Seconds the fetch of that data took."""
    error: SourceError | None = None
    """How the last attempt failed; None when it succeeded (or none finished yet)."""
    failures: int = 0
    """Consecutive failed attempts (empty answers included)."""
    in_flight: bool = False
    generation: int = 0
    """Bumped whenever the data changes (a success, or a reset)."""
    completed: int = 0
    """Polls finished so far, successful or not."""

    def age(self, now: float) -> float | None:
        """Seconds since the last good data arrived, or None before the first success."""
        return None if self.fetched_at is None else max(0.0, now - self.fetched_at)

    def is_stale(self, now: float, interval: float) -> bool:
        """True when the data is too old to trust (or a first poll failed with nothing to show)."""
        age = self.age(now)
        if age is None:
            return self.error is not None
        return age > STALE_AFTER_INTERVALS * interval
