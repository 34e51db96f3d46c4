"""Alert rules running on a live session: every new snapshot is evaluated, transitions go to listeners.

The watcher subscribes to a ``LiveSession``, adds the tenant-info source
(INFO balance and INFO config, at most once a minute, only when a rule reads
them) and the request health told by the client's observer, and hands each
evaluation's fire and resolve transitions to its listeners: the monitor's
header and Alerts view, the notifier, the timeline. Headless: the monitor
and ``tringtui record`` run the same watcher.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

from tringtui.alert_rules import AlertRule
from tringtui.api.client import TringClient
from tringtui.live.alerts import AlertEngine, Transition
from tringtui.live.pbx_figures import PbxFigures
from tringtui.live.poller import Poller
from tringtui.live.request_stats import RequestStats
from tringtui.live.session import ClientRunner, LiveSession
from tringtui.live.snapshot import Snapshot
from tringtui.live.sources import tenant_info

TENANT_INFO_CONDITIONS = frozenset({"balance_low", "channels_near_max"})

TransitionListener = Callable[[list[Transition]], object]


class AlertWatcher:
    """Evaluates ``rules`` on ``session``'s snapshots; ``listeners`` receive the transitions."""

    def __init__(
        self,
        session: LiveSession,
        run: ClientRunner,
        rules: Iterable[AlertRule],
        *,
        requests: RequestStats | None = None,
        tenant_info_interval: float = tenant_info.MIN_INTERVAL,
    ) -> None:
        self.session = session
        self.engine = AlertEngine(rules)
        self.requests = requests if requests is not None else RequestStats()
        self.listeners: list[TransitionListener] = []
        self.figures = PbxFigures(now=session.clock())
        self._run = run
        self._wants_tenant_info = any(rule.condition in TENANT_INFO_CONDITIONS for rule in self.engine.rules)
        self.tenant_info: Poller[tenant_info.TenantInfoData] = Poller(
            tenant_info.NAME,
            self._fetch_tenant_info,
            interval=max(tenant_info.MIN_INTERVAL, tenant_info_interval),
            on_change=self._on_snapshot,
            clock=session.clock,
        )
        self._info_tenant = session.tenant
        self._info_polled_at: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe = session.subscribe(self._on_snapshot) if self.engine.rules else None

    async def _fetch_tenant_info(self) -> tenant_info.TenantInfoData:
        tenant = self.session.tenant
        self._info_polled_at = self.session.clock.monotonic()

        def scoped(client: TringClient) -> Any:
            return tenant_info.fetch(client if client.tenant or not tenant else client.with_tenant(tenant))

        return await self._run(scoped)

    def _tenant_info_due(self) -> bool:
        if not self._wants_tenant_info or not self.session.tenant:
            return False
        return self._info_polled_at is None or (
            self.session.clock.monotonic() - self._info_polled_at >= self.tenant_info.interval
        )

    def _follow_tenant(self) -> None:
        """Another tenant chosen in the session: its info replaces the last one's."""
        if self.session.tenant != self._info_tenant:
            self._info_tenant = self.session.tenant
            self._info_polled_at = None
            self.tenant_info.reset()
            if self._task is not None:
                self.tenant_info.refresh_now()
            elif self.session.tenant:
                self.start()

    def _on_snapshot(self, snapshot: Snapshot[Any]) -> None:
        if snapshot.in_flight:
            return  # a request starting tells nothing new
        self._follow_tenant()
        self.evaluate()

    def evaluate(self) -> list[Transition]:
        """Evaluate every rule on the latest snapshots now; the transitions also go to the listeners."""
        snapshots = {**self.session.snapshots, tenant_info.NAME: self.tenant_info.snapshot}
        self.figures = PbxFigures.from_snapshots(
            snapshots, now=self.session.clock(), tenant=self.session.tenant, requests=self.requests.health()
        )
        transitions = self.engine.evaluate(self.figures)
        if transitions:
            for listener in list(self.listeners):
                listener(transitions)
        return transitions

    def start(self) -> None:
        """Poll the tenant info on its own (slow) rhythm, when a rule needs it; the session polls the rest."""
        if self._task is None and self._wants_tenant_info and self.session.tenant:
            self._task = asyncio.get_running_loop().create_task(self.tenant_info.run(), name="poll-tenant-info")

    async def poll_once(self) -> None:
        """One round by hand (tests, one-shot runs): the session's sources, then the tenant info if due."""
        await self.session.poll_once()
        if self._tenant_info_due():
            await self.tenant_info.poll_once()

    def stop(self) -> None:
        """Evaluate no more; the tenant-info poll is cancelled."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is not None:
            self._task.cancel()

    async def aclose(self) -> None:
        task = self._task
        self.stop()
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)
            self._task = None
