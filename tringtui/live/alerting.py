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
    """The rules of ``settings`` on ``session``: watched, with request health (``observe`` the client), notified."""

    def __init__(self, session: LiveSession, run: ClientRunner, settings: Settings) -> None:
        self.requests = RequestStats()
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

    def observe(self, client: TringClient) -> TringClient:
        """Count ``client``'s requests for the request_* rules (call before it is used); returns it."""
        client.add_observer(self.requests.record)
        return client

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        """Stop watching at once (notifications under way are left to finish or be cancelled with the loop)."""
        self.watcher.stop()

    async def aclose(self) -> None:
        """Stop watching; give notifications under way a little time to reach people."""
        await self.watcher.aclose()
        try:
            await asyncio.wait_for(self.notifier.drain(), DRAIN_SECONDS)
        except TimeoutError:
            log.warning("alert notifications still under way after %gs were abandoned", DRAIN_SECONDS)
