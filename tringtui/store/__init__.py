"""The memory of the monitor: a recorder writing every poll into an SQLite store, the events derived
from successive polls, and the reading side (``tringtui events``, replay, history).

Headless: never imports Textual (an import-linter contract says so).
"""

from tringtui.store.db import PollKind, SourceState, Store, StoreError
from tringtui.store.events import Event, EventThresholds
from tringtui.store.recorder import Recorder, Retention, StoreBusy

__all__ = ["Event", "EventThresholds", "PollKind", "Recorder", "Retention", "SourceState", "Store", "StoreBusy", "StoreError"]
