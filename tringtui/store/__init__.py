"""The memory of the monitor: a recorder writing every poll into an SQLite store, the events derived
from successive polls, and the reading side (``tringtui events``, replay, history).

Headless: never imports Textual (an import-linter contract says so). The names below load on first
use, so that ``tringtui --help`` (which lists the event kinds) does not import the API client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tringtui.store.db import PollKind, SourceState, Store, StoreError
    from tringtui.store.events import Event, EventThresholds
    from tringtui.store.recorder import Recorder, Retention, StoreBusy

_WHERE = {
    "PollKind": "db", "SourceState": "db", "Store": "db", "StoreError": "db",
    "Event": "events", "EventThresholds": "events",
    "Recorder": "recorder", "Retention": "recorder", "StoreBusy": "recorder",
}

__all__ = ["Event", "EventThresholds", "PollKind", "Recorder", "Retention", "SourceState", "Store", "StoreBusy", "StoreError"]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tringtui.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f"tringtui.store.{module}"), name)
