"""The API layer's errors: one class per thing a caller handles differently.

Every message names the request type and the server host, and quotes what
came back (truncated). None of them ever carries the API key: messages are
built from redacted URLs, and chained transport exceptions are replaced by
their redacted text (see ``tringtui.api.redact``).
"""

from __future__ import annotations

from tringtui.api.terminal_safe import safe_text

BODY_EXCERPT_CHARS = 120


def excerpt(body: str, limit: int = BODY_EXCERPT_CHARS) -> str:
    """A one-line, length-capped quote of a response body for error messages, safe to show."""
    flat = safe_text(" ".join(body[: limit * 4].split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class TringError(Exception):
    """Base of every error the API layer raises."""

    def __init__(self, message: str, *, reqtype: str = "", server: str = "", body: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.reqtype = reqtype
        self.server = server
        self.body = excerpt(body) if body else ""

    def __str__(self) -> str:
        return self.message


class KeyRejected(TringError):
    """The server answered "Too bad... you mistaken the security api key." (bad key, tenant or rights)."""


class ParameterError(TringError):
    """A required parameter was missing or invalid ("No id specified", "Wrong or missing tenant", …)."""


class ReadOnlyError(TringError):
    """A write was attempted in read-only mode; nothing was sent."""


class ActionRefused(TringError):
    """The server refused a write and said why (``Error|Channel not found|``)."""


class OutcomeUnknown(TringError):
    """A write whose result cannot be known (timeout, dropped connection, empty body). Never retried."""


class JournalUnavailable(TringError):
    """The audit journal could not record a write's attempt, so the write was not sent."""


class TransportError(TringError):
    """The request did not complete: connection refused, DNS, TLS, timeout, dropped connection."""


class MalformedResponse(TringError):
    """The body could not be understood as the expected shape."""


class ResponseTooLarge(MalformedResponse):
    """The body exceeded the configured size cap and was not read further."""


class ErrorPage(MalformedResponse):
    """An HTML page (a proxy's or web server's error page) came back instead of API data."""


class InvalidParameter(ParameterError, ValueError):
    """A parameter was rejected locally, before anything was sent (bad number, missing queue, …)."""


class EmptyAnswer(TringError):
    """An empty answer to a read that a live PBX always fills (COUNTPEERS, COUNTCHANNELS, PEERS, INFO
    queues once queues were seen): suspect, not "nothing there"."""
