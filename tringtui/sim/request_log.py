"""The simulator's request log for people: one JSON line per request, key redacted.

``tringtui sim --log-requests [FILE]`` writes it (to stderr, or appended to
FILE), so anyone can check what reached the PBX and what it answered::

    {"time":"2026-12-01T02:44:35Z","reqtype":"HANGUP","params":{"key":"***","reqtype":"HANGUP",
     "channel":"SIP/103-DEVEL-0000a3f1"},"method":"GET","status":200,"outcome":"success",
     "message":"Channel hungup","bytes":24}

``time`` is the injected clock's (UTC). ``status`` is the HTTP status, or
null when no answer was sent (a dropped or hanging request). ``outcome`` is
one of ``data``, ``empty``, ``success``, ``error``, ``refused`` (the
key-rejected or a missing-parameter text), ``dropped`` or ``fault:<mode>``;
``message`` carries the text of ``success``/``error``/``refused``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from typing import TextIO

from tringtui.sim.replies import KEY_REJECTED, WRONG_TENANT

_REFUSALS = (KEY_REJECTED, WRONG_TENANT, "No ")
"""Texts by which the API refuses a request before doing anything."""


def classify(body: str) -> tuple[str, str]:
    """``(outcome, message)`` of an answered body (see the module docstring)."""
    if not body:
        return "empty", ""
    if body.startswith("Success|") or body == "OK":
        parts = body.split("|")
        return "success", parts[1] if len(parts) > 1 else body
    if body.startswith("Error|"):
        return "error", body.split("|")[1]
    if body.startswith(_REFUSALS) and len(body) < 80:
        return "refused", body
    return "data", ""


class RequestLogWriter:
    """Writes one JSON line per request to ``stream`` (flushed at once; safe from many threads)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._lock = threading.Lock()

    def write(self, *, when: float, reqtype: str, params: Mapping[str, str], method: str, status: int | None,
              outcome: str, message: str = "", size: int = 0) -> None:
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)), "reqtype": reqtype,
            "params": dict(params), "method": method, "status": status, "outcome": outcome,
        }
        if message:
            line["message"] = message
        if status is not None:
            line["bytes"] = size
        text = json.dumps(line, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            try:
                self.stream.write(text + "\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass  # a closed stderr or file must not break serving
