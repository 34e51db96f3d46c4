"""Server text made safe to show in a terminal: control characters replaced.

Anything the server sends may end up on the operator's screen: names in
tables, messages of refused actions, the excerpt of a body an error quotes.
An escape character there would reach the terminal as a command (clear the
screen, retitle the window, write the clipboard); Textual passes ESC through.
So the API layer replaces C0 controls (tab and newline excepted), DEL and C1
controls with U+FFFD before any of its text leaves it.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The same characters as JSON escapes them (``\u001b``); raw ones are invalid inside JSON strings.
_JSON_ESCAPED_CONTROL = re.compile(r"\\u00(?:0[0-8bcdefBCDEF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])")


def safe_text(text: str) -> str:
    """``text`` with control characters replaced by U+FFFD (tab and newline kept)."""
    return _CONTROL.sub(REPLACEMENT, text) if _CONTROL.search(text) else text


def may_hold_escaped_controls(json_text: str) -> bool:
    """Whether a JSON body spells a control character as an escape (cheap: one scan, no decoding)."""
    return _JSON_ESCAPED_CONTROL.search(json_text) is not None


def without_controls(data: object) -> object:
    """Decoded JSON with control characters replaced in every string, keys included."""
    if isinstance(data, str):
        return safe_text(data)
    if isinstance(data, list):
        return [without_controls(item) for item in data]
    if isinstance(data, dict):
        return {safe_text(key): without_controls(value) for key, value in data.items()}
    return data
