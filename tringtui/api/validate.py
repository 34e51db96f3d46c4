"""Checks on values a user typed, run before any request is sent.

Each function returns the cleaned value (surrounding blanks stripped) or
raises ``InvalidParameter`` (a ``ValueError``) with a message saying what
was wrong. The client's write methods call them, so a typo cannot reach the
PBX; the TUI can call them too, to validate a form field as it is typed.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from tringtui.api.errors import InvalidParameter

FLOW_STATES = frozenset({"INUSE", "NOT_INUSE", "UNAVAILABLE", "RINGING"})

# The agent types the vendor lists for QUEUE add.
AGENT_TYPES = frozenset(
    {"NF", "AD", "NFR", "ADR", "EA", "EANM", "EAC", "EANMC", "CU", "CUNM", "CC", "CUFF"}
)

PAUSE_REASON_MAX = 64
FLOW_VALUE_MAX = 128
_SECONDS = re.compile(r"[1-9][0-9]{0,5}")
_DESTINATION = re.compile(r"\+?[0-9*#]{1,32}")
_TENANT_CODE = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,39}"
_EXTENSION = re.compile(rf"[0-9]{{1,12}}(?:-{_TENANT_CODE})?")
_TENANT = re.compile(_TENANT_CODE)
_FLOW_NUMBER = re.compile(r"[0-9*#]{1,20}")
_QUEUE_ID = re.compile(r"[0-9]{1,10}")
_QUEUE_NUMBER = re.compile(r"[0-9*#]{1,20}")
# Asterisk channel names: technology, slash, resource (``SIP/103-DEVEL-0000a3f1``,
# ``Local/AG-000-NF-55@fromotherpbx-00000012;1``); no blanks or control characters.
_CHANNEL = re.compile(r"[A-Za-z0-9_]{1,20}/[\x21-\x7e]{1,200}")


def _text(value: object, what: str) -> str:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InvalidParameter(f"{what} must be text, not {type(value).__name__}")
    return str(value).strip()


def _matching(value: object, pattern: re.Pattern[str], what: str, expected: str) -> str:
    text = _text(value, what)
    if not pattern.fullmatch(text):
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise InvalidParameter(f"invalid {what} {shown!r}: expected {expected}")
    return text


def _one_of(value: object, allowed: Collection[str], what: str) -> str:
    """``value`` upper-cased, when it is one of ``allowed`` (case-insensitive)."""
    text = _text(value, what).upper()
    if text not in allowed:
        raise InvalidParameter(f"invalid {what} {text!r}: expected one of {', '.join(sorted(allowed))}")
    return text


def destination(value: object) -> str:
    """A number to dial or transfer to: digits, ``*`` and ``#``, optionally a leading ``+``."""
    return _matching(value, _DESTINATION, "destination", "digits, * or #, optionally a leading +")


def extension(value: object) -> str:
    """An extension as ``103`` or ``103-DEVEL``."""
    return _matching(value, _EXTENSION, "extension", "digits, optionally -TENANT (103 or 103-DEVEL)")


def peer(value: object) -> str:
    """A peer to reboot or unregister: ``103-DEVEL``, ``103``, or ``ALL``."""
    text = _text(value, "peer")
    if text == "ALL":
        return text
    return _matching(text, _EXTENSION, "peer", "an extension (103-DEVEL) or ALL")


def tenant(value: object) -> str:
    """A tenant code such as ``DEVEL``."""
    return _matching(value, _TENANT, "tenant code", "letters, digits, _ . -")


def channel(value: object) -> str:
    """An Asterisk channel name such as ``SIP/103-DEVEL-0000a3f1``."""
    return _matching(value, _CHANNEL, "channel", "TECH/resource without blanks (SIP/103-DEVEL-0000a3f1)")


def flow_number(value: object) -> str:
    """A flow's number (digits, ``*``, ``#``)."""
    return _matching(value, _FLOW_NUMBER, "flow number", "digits, * or #")


def flow_state(value: object) -> str:
    """A state SETFLOW accepts: INUSE, NOT_INUSE, UNAVAILABLE or RINGING (case-insensitive)."""
    return _one_of(value, FLOW_STATES, "flow state")


def queue_id(value: object) -> str:
    """A queue's database id (digits; not its dial number)."""
    return _matching(value, _QUEUE_ID, "queue id", "digits")


def queue_number(value: object) -> str:
    """A queue's dial number (digits, ``*``, ``#``)."""
    return _matching(value, _QUEUE_NUMBER, "queue number", "digits, * or #")


def agent_type(value: object) -> str:
    """A queue agent type (NF, AD, EA, …)."""
    return _one_of(value, AGENT_TYPES, "agent type")


def pause_reason(value: object) -> str:
    """A pause reason: printable text of at most ``PAUSE_REASON_MAX`` characters (may be empty)."""
    text = _text(value, "pause reason")
    if not text.isprintable():
        raise InvalidParameter("invalid pause reason: it contains control characters")
    if len(text) > PAUSE_REASON_MAX:
        raise InvalidParameter(f"invalid pause reason: longer than {PAUSE_REASON_MAX} characters")
    return text


def extension_or_none(value: object) -> str:
    """An extension (``103`` / ``103-DEVEL``), or ``NONE`` where the vendor allows it (QUEUE, VIRTUALEXT)."""
    text = _text(value, "extension")
    return text if text == "NONE" else extension(text)


def dialable(value: object) -> str:
    """A DIAL endpoint: a phone number, or an extension (``103`` / ``103-DEVEL``)."""
    try:
        return destination(value)
    except InvalidParameter:
        try:
            return extension(value)
        except InvalidParameter:
            shown = str(value)[:40]
            raise InvalidParameter(f"invalid number {shown!r}: expected a number or an extension") from None


def dial_source(value: object) -> str:
    """DIAL's source: ``ACCOUNT`` (the account's own number), a phone number or an extension."""
    text = _text(value, "source")
    return text if text == "ACCOUNT" else dialable(text)


def seconds(value: object) -> str:
    """A positive whole number of seconds."""
    if isinstance(value, bool) or (isinstance(value, int) and value <= 0):
        raise InvalidParameter("expected a positive number of seconds")
    return _matching(value, _SECONDS, "number of seconds", "a positive whole number")


def flow_value(value: object) -> str:
    """A flow's value: printable text of at most ``FLOW_VALUE_MAX`` characters (may be empty)."""
    text = str(value)
    if not text.isprintable() or len(text) > FLOW_VALUE_MAX:
        raise InvalidParameter(f"invalid flow value: printable text of at most {FLOW_VALUE_MAX} characters expected")
    return text
