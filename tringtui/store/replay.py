"""A time cursor over a store: the headless half of replay.

Replay shows the same panes on recorded data. What it needs from the store is
here, free of any screen: the moment shown, moved one poll at a time
(``[`` / ``]``), from event to event (``{`` / ``}``), to a typed time (``g``),
or on and on at a speed (Space); the snapshots of every source at that moment
(exactly what the live session held then), and the events up to it for the
time bar and the Events pane. There is no client anywhere: a replay cannot
write to a PBX.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tringtui.live.derived import NodeTrends, QueueTrends, Totals, totals
from tringtui.live.snapshot import Snapshot
from tringtui.store.db import Store
from tringtui.store.events import Event
from tringtui.store.history import trends_at
from tringtui.store.snapshots import snapshot_of
from tringtui.store.timeline import event_matches, merge

SPEEDS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
"""Play speeds offered, in recorded seconds per second."""


class EmptyRecording(Exception):
    """The store holds no poll yet: there is nothing to replay."""


class ReplayCursor:
    """The moment a replay shows, and how it moves; see the module docstring."""

    def __init__(self, store: Store, at: float | None = None, writes: Sequence[Event] = ()) -> None:
        """``writes``: the audit journal's writes to this PBX, on the time line beside the recorded events."""
        self.store = store
        self.writes = sorted(writes, key=lambda event: event.at)
        self.reload()
        self.at = self.end if at is None else self.clamp(at)
        self._cached_at: float | None = None
        self._cached: dict[str, Snapshot[Any]] = {}

    def reload(self) -> None:
        """Read the polls and events again (a store being recorded grows)."""
        self.poll_times = sorted({mark.at for mark in self.store.polls()})
        if not self.poll_times:
            raise EmptyRecording(f"{self.store.path}: nothing recorded yet")
        # Only moments the recording covers: a write before its first or after its last poll cannot be shown.
        self.event_times = sorted(at for at in {event.at for event in self.store.events()} | {w.at for w in self.writes}
                                  if self.start <= at <= self.end)

    @property
    def start(self) -> float:
        return self.poll_times[0]

    @property
    def end(self) -> float:
        return self.poll_times[-1]

    def clamp(self, at: float) -> float:
        return min(max(at, self.start), self.end)

    # -- moving -------------------------------------------------------------------------

    def goto(self, at: float) -> float:
        """Show the moment ``at`` (held within the recording); returns where the cursor is."""
        self.at = self.clamp(at)
        return self.at

    def step(self, polls: int) -> float:
        """Move by whole polls: the next (``1``) or previous (``-1``) moment something was polled."""
        if polls > 0:
            index = bisect_right(self.poll_times, self.at) + polls - 1
        else:
            index = bisect_left(self.poll_times, self.at) + polls
        return self.goto(self.poll_times[min(max(index, 0), len(self.poll_times) - 1)])

    def next_event(self) -> float | None:
        """Jump to the next event after the cursor; None (and no move) when there is none."""
        index = bisect_right(self.event_times, self.at)
        return self.goto(self.event_times[index]) if index < len(self.event_times) else None

    def previous_event(self) -> float | None:
        index = bisect_left(self.event_times, self.at) - 1
        return self.goto(self.event_times[index]) if index >= 0 else None

    def play(self, seconds: float, speed: float) -> bool:
        """Advance by ``seconds`` of real time at ``speed``; False once the end of the recording is reached."""
        self.goto(self.at + seconds * speed)
        return self.at < self.end

    # -- what is shown -------------------------------------------------------------------

    def snapshots(self) -> dict[str, Snapshot[Any]]:
        """Every source as the live session held it at the cursor (sources not yet polled are absent)."""
        if self._cached_at != self.at:
            self._cached = {source: snapshot_of(state) for source, state in self.store.state_at(self.at).items()}
            self._cached_at = self.at
        return self._cached

    def events(self, limit: int | None = None, **filters: Any) -> list[Event]:
        """The events and writes up to the cursor, newest first (``kinds``, ``node``, ``tenant`` filter them)."""
        recorded = self.store.events(until=self.at, limit=limit, newest_first=True, **filters)
        written = [w for w in self.writes if w.at <= self.at and event_matches(w, **filters)]
        return merge(recorded[::-1], written, newest_first=True)[:limit]  # merge takes oldest first

    def event_positions(self, width: int) -> list[int]:
        """Columns of a time bar ``width`` wide that hold at least one event (for drawing the bar)."""
        span = max(self.end - self.start, 1e-9)
        return sorted({min(width - 1, int((at - self.start) / span * width)) for at in self.event_times})

    def cursor_position(self, width: int) -> int:
        span = max(self.end - self.start, 1e-9)
        return min(width - 1, int((self.at - self.start) / span * width))


class ReplaySession:
    """What the monitor's panes ask of a live session, answered from a ``ReplayCursor``.

    The panes, the summary line and the header take it for a ``LiveSession``
    (the same questions: snapshots, totals, intervals, node and queue trends) but it has
    no client and never polls: ``publish()`` hands the cursor's snapshots to
    the subscribers whenever the cursor has moved. The controls of a live
    session (pause, refresh, tenant, queue) do nothing here: the recording
    is what it is.
    """

    paused = True
    agents_queue: str | None = None

    def __init__(self, cursor: ReplayCursor, intervals: Mapping[str, float], tenant: str = "") -> None:
        self.cursor = cursor
        self.intervals = dict(intervals)
        self.node_trends = NodeTrends()
        self.queue_trends = QueueTrends()
        self._trended: tuple[int, ...] | None = None  # the nodes and queues polls the trends were built for
        self._tenant = tenant
        self._subscribers: list[Callable[[Snapshot[Any]], object]] = []

    @property
    def tenant(self) -> str:
        return self._tenant

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.intervals)

    def clock(self) -> float:
        return self.cursor.at

    def snapshot(self, source: str) -> Snapshot[Any]:
        return self.cursor.snapshots().get(source, Snapshot(source))

    @property
    def snapshots(self) -> dict[str, Snapshot[Any]]:
        return {source: self.snapshot(source) for source in self.sources}

    def idle_reason(self, source: str) -> str | None:
        return None if source in self.cursor.snapshots() else "not recorded at this time"

    def is_stale(self, source: str) -> bool:
        return False

    def last_fetched(self) -> float | None:
        stamps = [s.fetched_at for s in self.cursor.snapshots().values() if s.fetched_at is not None]
        return max(stamps) if stamps else None

    def totals(self, queue_scope: str = "") -> Totals:
        return totals(self.cursor.snapshots(), now=self.cursor.at, intervals=self.intervals,
                      queue_scope=queue_scope, node_trends=self.node_trends)

    def subscribe(self, subscriber: Callable[[Snapshot[Any]], object]) -> Callable[[], None]:
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self) -> None:
        """Hand every source's snapshot at the cursor to the subscribers (after the cursor moved)."""
        snapshots = self.cursor.snapshots()
        # The trends are the recorded hour before the moment shown, not the steps taken since the replay opened.
        shown = tuple(snapshots[source].generation if source in snapshots else -1 for source in ("nodes", "queues"))
        if shown != self._trended:
            trends = trends_at(self.cursor.store, snapshots)
            self.node_trends, self.queue_trends, self._trended = trends.nodes, trends.queues, shown
        for source in self.sources:
            snapshot = snapshots.get(source, Snapshot(source))
            for subscriber in list(self._subscribers):
                subscriber(snapshot)

    # The live session's controls: nothing to do on a recording.
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def refresh_now(self, source: str | None = None) -> None: ...
    def select_queue(self, queue_id: str | None) -> None: ...
    def set_tenant(self, tenant: str) -> None: ...
