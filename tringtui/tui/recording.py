"""The monitor's black box: it records its own session into the store unless told not to.

At 3 a.m. nobody remembered to start a recorder, so the monitor is one: the
store of its profile and server (``--store``, the profile's ``store``, else
the XDG state directory), kept within the profile's retention. ``--no-record``
or ``record: false`` turn it off. When the store is taken (``tringtui record``
of the same profile runs) or cannot be opened, the monitor runs on without
recording and says why once. The header's REC mark shows while it records.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from tringtui.audit import AuditJournal
from tringtui.live.session import LiveSession
from tringtui.settings import Settings
from tringtui.store import Recorder, Retention, Store, StoreBusy, StoreError
from tringtui.store.events import Event
from tringtui.store.history import RecordedTrends, recorded_trends
from tringtui.store.paths import store_path
from tringtui.store.timeline import journal_events, merge
from tringtui.store.session_recorder import SessionRecorder


class MonitorRecording:
    """Records one monitor session, or says why it does not (``reason``)."""

    def __init__(self, settings: Settings, live: LiveSession,
                 on_events: Callable[[Sequence[Event]], object] | None = None) -> None:
        self.path = store_path(settings, os.environ)
        self._host = settings.server_host
        self._audit_path = settings.audit_path or None
        self.reason = ""
        """Why this session does not record ("" when it does, or when recording is off)."""
        self._recording: SessionRecorder | None = None
        if not settings.record:
            return
        try:
            store = Store(self.path)
        except (StoreError, OSError) as error:
            self.reason = f"Not recording: {error}"
            return
        try:
            recorder = Recorder(store, retention=Retention(settings.retention_age, settings.retention_bytes))
        except StoreBusy:
            store.close()
            self.reason = f"Not recording: {self.path.name} is recorded by another tringtui (record or monitor)"
            return
        store.note_session(settings.profile, settings.server_host)
        self._recording = SessionRecorder(live, recorder, on_events)

    @property
    def recording(self) -> bool:
        return self._recording is not None and self._recording.recording

    def recent_events(self, limit: int) -> list[Event]:
        """The recording's latest events (this session's and earlier ones) with the writes sent to this
        PBX meanwhile (the audit journal's), oldest first: one time line. "This PBX" is every server the
        store recorded (as ``tringtui events`` reads it): the demo's simulator has another port each run."""
        try:
            with Store(self.path, readonly=True) as store:  # its own connection: the writer thread has the other
                recorded = store.events(limit=limit, newest_first=True)[::-1]
                hosts = {host for _profile, host in store.sessions()} | {self._host}
        except StoreError:
            return []
        since = recorded[0].at if recorded and len(recorded) >= limit else None
        written = journal_events(AuditJournal(self._audit_path), hosts, since, None)
        return merge(recorded, written)[-limit:]

    def recorded_trends(self, until: float) -> RecordedTrends:
        """The Nodes and Queues trends the recording holds up to ``until`` (empty when not recording)."""
        if self._recording is None:
            return RecordedTrends()
        try:
            with Store(self.path, readonly=True) as store:
                return recorded_trends(store, until)
        except StoreError:
            return RecordedTrends()

    def flush(self) -> None:
        """Wait until what is queued is in the store (a rewind reads it next)."""
        if self._recording is not None:
            self._recording.flush()

    @property
    def failure(self) -> str | None:
        """Why recording stopped mid-session (a full disk), or None."""
        return self._recording.failed if self._recording is not None else None

    def add_events(self, events: Sequence[Event]) -> None:
        """Put events found beside the polls (alerts firing and resolving) on the recorded time line."""
        if self._recording is not None:
            self._recording.add_events(events)

    def close(self) -> None:
        """Write what is queued and close the store (the app is quitting or switching profile)."""
        if self._recording is not None:
            self._recording.close()
            self._recording = None
