"""The recorder: turns each poll of a source into a store row (same / delta / keyframe) and events.

The live core hands it every poll: the source's tables as models (or the
error of a failed poll). It encodes them into rows (``tringtui.store.codec``),
compares them with the source's previous rows, writes only what changed,
derives the events between the two (``tringtui.store.events``) and writes
both in one transaction. Every ``keyframe_every`` seconds a source is written
whole, so that replay never has to apply more than a few minutes of deltas;
every ``prune_every`` seconds the store is trimmed to its retention.

It holds one lock on the store file while it records: two recorders of the
same profile (the monitor and ``tringtui record``) would interleave their
deltas, so the second one is told the store is busy and records nothing.
Time comes from the polls themselves (their ``at``), so tests drive it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tringtui.store.codec import CODECS, Table, codec
from tringtui.store.db import PollKind, Store, delta_document, keyframe_document
from tringtui.store.events import Event, EventThresholds, PollFacts, derive_events
from tringtui.store.gc_pause import collector_paused

KEYFRAME_EVERY = 300.0
PRUNE_EVERY = 60.0
# A source whose deltas since its keyframe outweigh the keyframe this many times gets a new keyframe:
# rebuilding any moment then reads at most about this many keyframes' worth of data.
KEYFRAME_AFTER_DELTA_BYTES = 1.0


@dataclass(frozen=True)
class Retention:
    """How much the store keeps: by age (seconds) and by size (bytes); ``None`` means no limit."""

    max_age: float | None = 24 * 3600.0
    max_bytes: int | None = 500 * 1024 * 1024


class StoreBusy(Exception):
    """Another process records into this store right now."""


@dataclass
class _SourceMemory:
    tables: dict[str, Table]
    keyframe_at: float
    polled_at: float
    latency: float | None
    error: str | None
    tenant: str
    keyframe_bytes: int = 0
    delta_bytes: int = 0


@dataclass
class Recorder:
    """Records polls into ``store``; see the module docstring. ``close()`` releases the store."""

    store: Store
    thresholds: EventThresholds = field(default_factory=EventThresholds)
    retention: Retention = field(default_factory=Retention)
    keyframe_every: float = KEYFRAME_EVERY
    prune_every: float = PRUNE_EVERY
    _memory: dict[str, _SourceMemory] = field(default_factory=dict, init=False)
    _pruned_at: float | None = field(default=None, init=False)
    _lock_fd: int | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._lock_fd = _lock(self.store.path)

    def close(self) -> None:
        """Fold the log into the file, close the store and release the lock."""
        try:
            self.store.checkpoint()
        finally:
            self.store.close()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    def record(
        self,
        source: str,
        at: float,
        tables: Mapping[str, Iterable[Any]] | None,
        *,
        latency: float | None = None,
        error: str | None = None,
        tenant: str = "",
        request_types: str = "",
    ) -> list[Event]:
        """Record one poll of ``source`` made at ``at``: ``tables`` maps table names to models, or is
        None when the poll failed (``error`` says why). Returns the events written with it."""
        with collector_paused():
            return self._record(source, at, tables, latency, error, tenant, request_types)

    def _record(self, source: str, at: float, tables: Mapping[str, Iterable[Any]] | None, latency: float | None,
                error: str | None, tenant: str, request_types: str) -> list[Event]:
        memory = self._memory.get(source)
        if memory is not None and memory.tenant != tenant:
            memory = None  # another tenant's data: nothing to compare with, a keyframe starts it
        facts = PollFacts(
            source, at, latency, error, tenant, request_types,
            previous_at=memory.polled_at if memory else None,
            previous_latency=memory.latency if memory else None,
            previous_error=memory.error if memory else None,
            node_of=self._node_of,
        )
        if tables is None:
            events = derive_events(facts, memory.tables if memory else None, None, self.thresholds)
            self.store.append_poll(source, at, PollKind.FAILED, latency=latency, error=error or "failed", events=events)
            if memory is not None:
                memory.polled_at, memory.latency, memory.error = at, latency, error or "failed"
            self._maybe_prune(at)
            return events
        new_tables = {name: codec(name).table(items, at) for name, items in tables.items()}
        previous = memory.tables if memory else None
        if previous is not None:
            _keep_unchanged_rows(previous, new_tables)
        events = derive_events(facts, previous, new_tables, self.thresholds)
        kind, document = self._document(memory, previous, new_tables, at)
        size = self.store.append_poll(source, at, kind, latency=latency, document=document, events=events)
        if kind is PollKind.KEYFRAME or memory is None:
            self._memory[source] = _SourceMemory(new_tables, at, at, latency, None, tenant, keyframe_bytes=size)
        else:
            memory.tables, memory.polled_at, memory.latency, memory.error = new_tables, at, latency, None
            memory.delta_bytes += size
        self._maybe_prune(at)
        return events

    def _document(self, memory: _SourceMemory | None, previous: Mapping[str, Table] | None,
                  tables: Mapping[str, Table], at: float) -> tuple[PollKind, Any]:
        if (memory is None or previous is None or set(previous) != set(tables)
                or at - memory.keyframe_at >= self.keyframe_every
                or memory.delta_bytes >= KEYFRAME_AFTER_DELTA_BYTES * memory.keyframe_bytes):
            return PollKind.KEYFRAME, keyframe_document(at, tables)
        changed: dict[str, Table] = {}
        deleted: dict[str, list[str]] = {}
        changed_rows = 0
        for name, rows in tables.items():
            old = previous[name]
            if old is rows:
                continue
            changed[name] = {key: row for key, row in rows.items() if old.get(key) is not row}
            deleted[name] = [key for key in old if key not in rows]
            changed_rows += len(changed[name]) + len(deleted[name])
        if changed_rows == 0:
            return PollKind.SAME, None
        return PollKind.DELTA, delta_document(changed, deleted, previous)

    def _node_of(self, peer_name: str) -> str:
        """The node a peer is registered on, from the last peers poll (events of agents name it)."""
        memory = self._memory.get("peers")
        peers = memory.tables.get("peers", {}) if memory else {}
        return next((str(row[1]) for row in peers.values() if row[0] == peer_name), "")

    def _maybe_prune(self, at: float) -> None:
        if self._pruned_at is not None and at - self._pruned_at < self.prune_every:
            return
        self._pruned_at = at
        if self.store.prune(at, self.retention.max_age, self.retention.max_bytes):
            self.store.checkpoint()


def _keep_unchanged_rows(previous: Mapping[str, Table], tables: dict[str, Table]) -> None:
    """Where a new row says nothing new, keep the previous row object: the delta is then found by
    identity, a channel's start does not creep by rounding, and memory is shared between polls."""
    for name, rows in tables.items():
        old = previous.get(name)
        if old is None:
            continue
        same = CODECS[name].same_row
        all_same = len(old) == len(rows)
        for key, row in rows.items():
            old_row = old.get(key)
            if old_row is not None and (old_row == row or same(old_row, row)):
                rows[key] = old_row
            else:
                all_same = False
        if all_same:
            tables[name] = old


def _lock(path: Path) -> int:
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StoreBusy(f"{path} is being recorded by another tringtui (monitor or record) right now") from None
    return fd
