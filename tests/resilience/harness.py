"""The running monitor under fault: a simulator on a fixed port (so it can go down and come back),
an optional bending proxy in front of it, and the real ``TringApp`` with short intervals and caps.

Time is scaled down: a poll every ``INTERVAL`` seconds and a per-request
cap of ``TIME_CAP`` seconds stand in for the real 5 s and 30 s, and a fault
of "20 s latency" becomes a latency of several caps. Ages and STALE come from
a ``ManualClock`` the tests move by hand.
"""

from __future__ import annotations

import asyncio
import html
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.widgets import Label

from tringtui.live.snapshot import Snapshot
from tringtui.settings import PANES, Secret, Settings
from tringtui.sim import ManualClock, SimServer, SimulatedPBX
from tringtui.tui.app import TringApp
from tringtui.tui.panes.base import PaneTitle

SEED = 7
TENANT = "DEVEL"
ADMIN_KEY = "demo-admin"
INTERVAL = 0.25
TIME_CAP = 0.75
# The size cap the app is given; the oversized fault sends 50 MB.
BODY_CAP = 4 * 1024 * 1024
# Which request types each pane's poll sends.
PANE_REQTYPES: dict[str, frozenset[str]] = {
    "nodes": frozenset({"COUNTPEERS", "COUNTCHANNELS"}),
    "channels": frozenset({"CHANNELS"}),
    "queues": frozenset({"INFO"}),
    "flows": frozenset({"FLOWS", "BLFS"}),
    "peers": frozenset({"PEERS"}),
}
# A frame line of a Python traceback, as Textual or rich would draw it.
TRACEBACK_LINE = re.compile(r'File "[^"]+", line \d+|\.py:\d+ in ')
# How long a wait may last before the test gives up: a safety net against a hung test, never a
# measure of speed (a loaded CI machine may be slow; what a test proves comes from its assertions).
PATIENCE = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Rig:
    """What a fault test works with: the clock, the simulated PBX and its server (fixed port)."""

    clock: ManualClock
    pbx: SimulatedPBX
    server: SimServer

    @classmethod
    def create(cls) -> Rig:
        clock = ManualClock()
        pbx = SimulatedPBX(seed=SEED, size="small", clock=clock)
        return cls(clock, pbx, SimServer(pbx, host="127.0.0.1", port=free_port()))

    def settings(self, server_url: str | None = None, **overrides) -> Settings:
        values = dict(
            server=server_url or f"http://127.0.0.1:{self.server._port}",
            key=Secret(ADMIN_KEY),
            profile="resilience",
            intervals={pane: INTERVAL for pane in PANES},
            timeout=TIME_CAP,
            max_body_bytes=BODY_CAP,
        )
        values.update(overrides)
        return Settings(**values)

    def app(self, settings: Settings) -> TringApp:
        # The real client factory: the app must pass the settings' caps on.
        return TringApp(settings, pane_tenant=TENANT, clock=self.clock, tick_interval=0)


async def wait_until(predicate: Callable[[], bool], timeout: float = PATIENCE, what: str = "the monitor") -> None:
    """Wait for ``predicate``; ``timeout`` only keeps a broken test from hanging."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not predicate():
        if loop.time() - started > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.01)


class RecoveryWatch:
    """Counts each pane's polls from now until its first success, whatever the machine's speed.

    Once the server is healthy again, a pane recovers within two polls: the one
    in flight (which may still fail, e.g. waiting out its time cap) and the
    next. With backoff capped at two intervals (``Poller.next_delay``, tested
    on a ``ManualClock``), that is the "fresh data within two intervals" bound
    counted in polls instead of seconds.
    """

    def __init__(self, app: TringApp) -> None:
        # The session's snapshots, not the panes' copies (those may lag a message behind).
        self._started = {source: app.live.snapshot(source).completed for source in PANES}
        self._recovered: dict[str, int] = {}
        self._stop = app.live.subscribe(self._seen)

    def _seen(self, snapshot: Snapshot[Any]) -> None:
        if snapshot.source in self._started and snapshot.error is None and not snapshot.in_flight:
            self._recovered.setdefault(snapshot.source, snapshot.completed - self._started[snapshot.source])

    async def polls_to_recover(self, pane_ids=PANES) -> dict[str, int]:
        """Wait until every pane of ``pane_ids`` has fresh data; the polls each one needed."""
        await wait_until(lambda: all(pane_id in self._recovered for pane_id in pane_ids), what="recovery")
        self._stop()
        return {pane_id: self._recovered[pane_id] for pane_id in pane_ids}


def has_data(app: TringApp, pane_id: str) -> bool:
    state = app.panes[pane_id].snapshot
    return state.data is not None and state.error is None and not state.in_flight


def all_have_data(app: TringApp) -> bool:
    return all(has_data(app, pane_id) for pane_id in PANES)


def title_status(app: TringApp, pane_id: str) -> str:
    return str(app.panes[pane_id].query_one(PaneTitle).query_one(".pane-status", Label).content)


def screen_text(app: TringApp) -> str:
    """Everything on screen, as the SVG export holds it (text, not pixels)."""
    # The SVG writes spaces as no-break spaces: back to plain ones, so phrases can be looked for.
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def assert_alive(app: TringApp) -> None:
    """No crash, no exception the app swallowed, no traceback drawn anywhere."""
    assert app.is_running
    assert app._exception is None
    text = screen_text(app)
    assert "Traceback" not in text
    assert not TRACEBACK_LINE.search(text)


async def assert_keys_answer(pilot, numbers: str = "12345", help_screen: bool = True) -> None:
    """Press the number keys (each pane shows), then ? and Esc (help opens and closes)."""
    app = pilot.app
    for key in numbers:
        await pilot.press(key)
        pane_id = PANES[int(key) - 1]
        assert [pane.pane_id for pane in app.panes.values() if pane.display] == [pane_id]
    if help_screen:
        await pilot.press("question_mark")
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        assert len(app.screen_stack) == 1
