"""A live session against the simulator, recorded into a store in a temporary directory.

``recording.step(seconds)`` moves the simulator's clock on, polls every
source once, and waits until the recorder has written what it saw: the test
reads "five seconds later" without sleeping, and the store is up to date.
"""

from __future__ import annotations

import asyncio

import pytest

from tringtui.live import SOURCES, LiveSession, direct
from tringtui.store import EventThresholds, Recorder, Retention, Store
from tringtui.store.session_recorder import SessionRecorder

STEP = 5.0


class SimTime:
    """The session's clock, read from the simulator's: one time for the PBX and the recording."""

    def __init__(self, sim_clock) -> None:
        self.sim_clock = sim_clock

    def __call__(self) -> float:
        return self.sim_clock()

    def monotonic(self) -> float:
        return self.sim_clock()

    async def wait(self, wake: asyncio.Event, timeout: float | None) -> None:
        await wake.wait()  # only poll_once is used: nothing is scheduled


class Recording:
    def __init__(self, session: LiveSession, recorder: SessionRecorder, sim_clock, path) -> None:
        self.session = session
        self.recorder = recorder
        self.sim_clock = sim_clock
        self.path = path
        self.events_seen: list = []

    @property
    def store(self) -> Store:
        return self.recorder.recorder.store

    async def step(self, seconds: float = STEP):
        self.sim_clock.advance(seconds)
        snapshots = await self.session.poll_once()
        self.recorder.flush()
        return snapshots

    def events(self, kind: str, obj: str | None = None):
        return [e for e in self.store.events(kinds=[kind]) if obj is None or e.object == obj]


def make_recording(client, sim_clock, path, *, thresholds=None, retention=None, tenant="DEVEL", **recorder_args):
    session = LiveSession(direct(client), intervals={source: STEP for source in SOURCES}, clock=SimTime(sim_clock),
                          tenant=tenant)
    recorder = Recorder(Store(path), thresholds=thresholds or EventThresholds(),
                        retention=retention or Retention(), **recorder_args)
    recording = Recording(session, None, sim_clock, path)
    recording.recorder = SessionRecorder(session, recorder, on_events=recording.events_seen.extend)
    return recording


@pytest.fixture
async def recording(admin_client, sim_clock, tmp_path):
    recording = make_recording(admin_client, sim_clock, tmp_path / "recording.sqlite")
    await recording.step(0)
    yield recording
    recording.recorder.close()
