"""Keeping the API key out of everything the project prints, logs or raises.

The key travels in the query string, so any URL is a leak waiting to happen:
``redact_url`` masks the ``key`` parameter, ``redact_text`` masks known
secrets (raw and URL-encoded) anywhere in a text, and ``RedactingFilter``
applies both to log records before any handler sees them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"

# Query parameters that carry credentials: ``key`` (the API key) and the passwords
# CHECKAUTH / GETWEBRTCAUTH take. Matched after ``?``, ``&`` or ``;`` up to the next separator.
_KEY_PARAM = re.compile(r"(?i)([?&;](?:key|password|passwd|secret)=)[^&#\s'\"]*")


def redact_url(url: object) -> str:
    """The URL as text with the values of its ``key`` (and password) query parameters replaced by ``***``."""
    return _KEY_PARAM.sub(lambda m: m.group(1) + MASK, str(url))


def _secret_forms(secrets: Iterable[str]) -> list[str]:
    """Every spelling of each secret that may show up in a text: raw and URL-encoded."""
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms.update({secret, quote(secret, safe=""), quote_plus(secret, safe="")})
    # Longest first, so that a secret containing another is masked whole.
    return sorted(forms, key=len, reverse=True)


def redact_text(text: object, secrets: Iterable[str] = ()) -> str:
    """``text`` with ``key=`` query values and every given secret replaced by ``***``."""
    result = redact_url(text)
    for form in _secret_forms(secrets):
        result = result.replace(form, MASK)
    return result


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message with secrets and ``key=`` values masked.

    Attach it to a handler (it then covers records from every logger) or to
    a logger (records logged on that logger only). ``add_secret`` registers
    further secrets, e.g. when a client is created with a new key.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: set[str] = {s for s in secrets if s}

    def add_secret(self, secret: str) -> None:
        if secret:
            self._secrets.add(secret)

    @property
    def secrets(self) -> frozenset[str]:
        """The secrets this filter masks."""
        return frozenset(self._secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep its template, drop the arguments
            message = str(record.msg)
        record.msg = redact_text(message, self._secrets)
        record.args = None
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text, self._secrets)
        return True
