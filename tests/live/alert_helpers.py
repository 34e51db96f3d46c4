"""Helpers for the alert tests: one injected clock for the simulator and the live session, and a watched rule."""

import pytest

from tringtui.api.errors import ActionRefused
from tringtui.live import SOURCES, LiveSession, ManualClock, direct
from tringtui.live.alert_watch import AlertWatcher
from tringtui.live.alerts import FIRE, RESOLVE
from tringtui.live.request_stats import RequestStats


async def hang_up(client, channel):
    """Hang up a call's channel; its other legs go with it, so a later leg may be gone already."""
    try:
        await client.hangup(channel)
    except ActionRefused:
        pass


@pytest.fixture(name="sim_clock")
def one_clock():
    """One injected clock for the simulator and the live session: tests move both with ``await step(...)``."""
    return ManualClock()


class Watch:
    """One rule watched on a live session of ``client``; keeps every transition it produced."""

    def __init__(self, client, clock, rule):
        self.clock = clock
        self.session = LiveSession(direct(client), intervals={source: 10.0 for source in SOURCES}, clock=clock,
                                   tenant=client.tenant)
        self.requests = RequestStats()
        client.add_observer(self.requests.record)
        self.watcher = AlertWatcher(self.session, direct(client), [rule], requests=self.requests)
        self.engine = self.watcher.engine
        self.transitions = []
        self.watcher.listeners.append(self.transitions.extend)

    @property
    def figures(self):
        return self.watcher.figures

    async def step(self, advance=0.0):
        await self.clock.advance(advance)
        await self.watcher.poll_once()

    def kinds(self, subject=None):
        return [t.kind for t in self.transitions if subject is None or t.alert.subject == subject]

    def assert_fired_and_resolved_once_each(self):
        assert self.transitions, "the rule never fired"
        by_subject = {}
        for transition in self.transitions:
            by_subject.setdefault(transition.alert.subject, []).append(transition.kind)
        for subject, kinds in by_subject.items():
            assert kinds == [FIRE, RESOLVE], (subject, kinds)
        assert not self.engine.firing


