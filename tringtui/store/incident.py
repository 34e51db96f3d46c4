"""The last minutes of the time line, for the incident snapshot: recorded events and journalled writes.

``tringtui snapshot`` (and the monitor's snapshot key) says what the PBX looks
like now; a ticket also needs what led there. This reads the profile's
recording, when there is one, and the audit journal, for the window before
the snapshot, and returns them JSON-ready. It never raises for a missing or
unreadable store: the snapshot is written all the same, saying why the
events are absent.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tringtui.audit import AuditJournal, writes
from tringtui.settings import Settings
from tringtui.store.db import Store, StoreError
from tringtui.store.paths import store_path

WINDOW_MINUTES = 30


def recent_timeline(settings: Settings, now: float, minutes: float = WINDOW_MINUTES,
                    env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``{"since", "until", "store", "events", "writes", "note"}`` for the ``minutes`` before ``now``."""
    env = os.environ if env is None else env
    since = now - minutes * 60
    path = store_path(settings, env)
    timeline: dict[str, Any] = {"since": _iso(since), "until": _iso(now), "store": str(path),
                                "events": [], "writes": [], "note": ""}
    try:
        with Store(path, readonly=True) as store:
            timeline["events"] = [_event(event.as_dict()) for event in store.events(since, now)]
    except StoreError as error:
        timeline["note"] = f"no recorded events: {error}"
    journal = AuditJournal(settings.audit_path or None)
    for entry in writes(journal.entries()):  # an attempt and its outcome line are one write
        if entry.server != settings.server_host:
            continue
        try:
            at = datetime.fromisoformat(entry.time).timestamp()
        except ValueError:
            continue
        if since <= at <= now:
            timeline["writes"].append(json.loads(entry.to_json()))
    return timeline


def _event(record: dict[str, Any]) -> dict[str, Any]:
    record["time"] = _iso(float(record.pop("at")))
    return record


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds")
