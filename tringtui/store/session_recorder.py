"""Recording a live session: a subscriber that hands each finished poll to a ``Recorder`` on a thread.

The session's subscribers run on its loop (the monitor's UI loop), and
writing a keyframe of 20,000 peers takes longer than a frame, so the
subscriber only queues what it saw (snapshots are immutable, safe to hand
over) and one writer thread encodes, compares and writes. Events found on
the way go to ``on_events`` from that thread (the monitor passes them to its
loop). ``flush()`` waits until everything queued is written (tests, exit).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tringtui.live.session import LiveSession
from tringtui.live.snapshot import Snapshot
from tringtui.store.events import Event
from tringtui.store.recorder import Recorder
from tringtui.store.snapshots import SOURCE_REQUESTS, tables_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Poll:
    source: str
    at: float
    data: Any
    latency: float | None
    error: str | None
    tenant: str


class SessionRecorder:
    """Records every finished poll of ``session`` into ``recorder``; see the module docstring."""

    def __init__(self, session: LiveSession, recorder: Recorder,
                 on_events: Callable[[Sequence[Event]], object] | None = None) -> None:
        self.session = session
        self.recorder = recorder
        self.on_events = on_events
        self.failed: str | None = None
        """Why recording stopped (the disk is full, the file went away), or None while it records."""
        self._seen: dict[str, tuple[int, int]] = {}
        self._queue: queue.Queue[_Poll | tuple[Event, ...] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._write_loop, name="tringtui-recorder", daemon=True)
        self._thread.start()
        self._unsubscribe = session.subscribe(self._snapshot)

    @property
    def recording(self) -> bool:
        return self.failed is None and self._thread.is_alive()

    def _snapshot(self, snapshot: Snapshot[Any]) -> None:
        seen = self._seen.get(snapshot.source, (0, 0))
        if snapshot.completed == seen[0] or snapshot.in_flight:
            return  # a poll starting, or a reset: nothing finished
        self._seen[snapshot.source] = (snapshot.completed, snapshot.generation)
        tenant = self.session.tenant
        if snapshot.generation != seen[1] and snapshot.data is not None and snapshot.error is None:
            at = snapshot.fetched_at if snapshot.fetched_at is not None else self.session.clock()
            poll = _Poll(snapshot.source, at, snapshot.data, snapshot.latency, None, tenant)
        elif snapshot.error is not None:
            poll = _Poll(snapshot.source, self.session.clock(), None, snapshot.latency, snapshot.error.message, tenant)
        else:
            return
        self._queue.put(poll)

    def _write_loop(self) -> None:
        while True:
            poll = self._queue.get()
            try:
                if poll is None:
                    return
                if self.failed is None and isinstance(poll, tuple):
                    self._write_events(poll)
                elif self.failed is None and isinstance(poll, _Poll):
                    self._write(poll)
            finally:
                self._queue.task_done()

    def _write(self, poll: _Poll) -> None:
        try:
            tables = None if poll.data is None else tables_of(poll.source, poll.data)
            events = self.recorder.record(
                poll.source, poll.at, tables, latency=poll.latency, error=poll.error, tenant=poll.tenant,
                request_types=SOURCE_REQUESTS.get(poll.source, ""),
            )
        except Exception as error:  # noqa: BLE001 - the monitor goes on without its recording
            self.failed = f"{type(error).__name__}: {error}"
            log.exception("recording stopped")
            return
        if events and self.on_events is not None:
            self.on_events(events)

    def add_events(self, events: Sequence[Event]) -> None:
        """Put events found elsewhere (alerts firing and resolving) on the time line, from any thread."""
        if events:
            self._queue.put(tuple(events))

    def _write_events(self, events: tuple[Event, ...]) -> None:
        try:
            self.recorder.store.append_events(events)
        except Exception as error:  # noqa: BLE001 - the monitor goes on without its recording
            self.failed = f"{type(error).__name__}: {error}"
            log.exception("recording stopped")

    def flush(self) -> None:
        """Wait until every poll seen so far is written."""
        self._queue.join()

    def close(self) -> None:
        """Stop listening, write what is queued, and close the store."""
        self._unsubscribe()
        self._queue.put(None)
        self._thread.join()
        self.recorder.close()
