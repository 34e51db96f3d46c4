"""A profile's alerting, assembled once for every face: the watcher, its request health, its notifier.

The monitor and ``tringtui record`` both build an ``Alerting`` for their
session, so the same rules fire the same way with or without a screen; each
face then adds its own listeners (the header and Alerts view, the time line,
the log).
"""

from __future__ import annotations

import asyncio
import logging

from tringtui.api.client import TringClient
from tringtui.live.alert_notify import AlertNotifier
from tringtui.live.alert_watch import AlertWatcher
from tringtui.live.alerts import AlertEngine
from tringtui.live.request_stats import RequestStats
from tringtui.live.session import ClientRunner, LiveSession
from tringtui.settings import Settings

log = logging.getLogger("tringtui.alerts")

DRAIN_SECONDS = 15.0  # at exit, notifications under way get this long to finish


class Alerting:
    """The rules of ``settings`` on ``session``: watched, with request health from ``client``, and notified."""

    def __init__(self, session: LiveSession, run: ClientRunner, client: TringClient, settings: Settings) -> None:
        self.requests = RequestStats()
        client.add_observer(self.requests.record)
        self.watcher = AlertWatcher(session, run, settings.alert_rules, requests=self.requests)
        self.notifier = AlertNotifier(
            clock=session.clock,
            context={"profile": settings.profile, "server": settings.server_host},
            secrets=[settings.key],
        )
        self.watcher.listeners.append(self.notifier.dispatch)

    @property
    def engine(self) -> AlertEngine:
        return self.watcher.engine

    def start(self) -> None:
        self.watcher.start()

    async def aclose(self) -> None:
        """Stop watching; give notifications under way a little time to reach people."""
        await self.watcher.aclose()
        try:
            await asyncio.wait_for(self.notifier.drain(), DRAIN_SECONDS)
        except TimeoutError:
            log.warning("alert notifications still under way after %gs were abandoned", DRAIN_SECONDS)
