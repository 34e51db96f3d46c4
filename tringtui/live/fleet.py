"""Several PBXs watched at once: one ``LiveSession`` per profile, and the fleet overview's rows.

Each member is a profile with its own client (its own key, tenant and
read-only setting) and its own session, so one PBX failing or hanging never
delays another's polls. One member at a time is *shown* (its tab is on
screen): its session polls every source at the profile's intervals. The
others poll only what the overview needs, slowly: nodes and queues every
``OVERVIEW_INTERVAL`` seconds, PEERS (the heaviest request, for the total of
peers) every ``PEERS_OVERVIEW_INTERVAL``. While the overview itself is shown,
every member polls that way.

The overview's figures come from the core's derived functions
(``tringtui.live.derived``), the same the monitor's summary line uses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tringtui.live.clock import Clock, SystemClock
from tringtui.live.derived import totals
from tringtui.live.session import ClientRunner, LiveSession
from tringtui.live.snapshot import Snapshot
from tringtui.live.sources import SOURCES, nodes, peers, queues
from tringtui.settings import Settings

OVERVIEW_INTERVAL = 30.0
"""Seconds between polls of a PBX whose tab is not shown (nodes, queues)."""
PEERS_OVERVIEW_INTERVAL = 300.0
"""Seconds between PEERS polls of a PBX whose tab is not shown (only its total of peers is needed)."""
OVERVIEW_SOURCES: Mapping[str, float] = {
    nodes.NAME: OVERVIEW_INTERVAL,
    queues.NAME: OVERVIEW_INTERVAL,
    peers.NAME: PEERS_OVERVIEW_INTERVAL,
}


@dataclass(frozen=True, slots=True)
class FleetMember:
    """One PBX of the fleet: its profile's settings (label, colour, tenant, read-only) and its session."""

    name: str
    settings: Settings
    session: LiveSession

    @property
    def label(self) -> str:
        return self.settings.label or self.name


@dataclass(frozen=True, slots=True)
class FleetRow:
    """One row of the fleet overview; ``None`` means not known yet."""

    name: str
    label: str
    label_color: str
    host: str
    nodes: int | None
    peers_registered: int | None
    peers_total: int | None
    channels: int | None
    calls_waiting: int | None
    health: str
    """``OK``, ``NO DATA`` (nothing yet), ``FAILING <sources>`` or ``STALE <sources>``."""
    age: float | None
    """Seconds since the newest data of any source, or None before the first."""
    alerts: int | None = None
    """Alert rules firing; None until alert rules exist."""


def _node_count(snapshot: Snapshot[Any]) -> int | None:
    data = snapshot.data
    if data is None:
        return None
    return len({count.node for count in (*data.peers.nodes, *data.channels.nodes)})


def health(snapshots: Mapping[str, Snapshot[Any]], *, now: float, intervals: Mapping[str, float]) -> str:
    """The API's health as one word and the sources it concerns: failing first, then stale."""
    failing = [name for name, snapshot in snapshots.items() if snapshot.error is not None]
    if failing:
        return "FAILING " + ",".join(failing)
    if all(snapshot.data is None for snapshot in snapshots.values()):
        return "NO DATA"
    stale = [name for name, snapshot in snapshots.items()
             if name in intervals and snapshot.is_stale(now, intervals[name])]
    return "STALE " + ",".join(stale) if stale else "OK"


def fleet_row(member: FleetMember, *, now: float, shown: bool) -> FleetRow:
    """The overview row of ``member`` now. A member not shown is judged against the overview's slower
    intervals, and only on the sources it still polls."""
    session = member.session
    if shown:
        intervals: Mapping[str, float] = session.intervals
        watched = [source for source in session.sources if session.idle_reason(source) is None]
    else:
        intervals = OVERVIEW_SOURCES
        watched = [source for source in OVERVIEW_SOURCES if session.idle_reason(source) is None]
    snapshots = {source: session.snapshot(source) for source in watched}
    figures = totals(
        {source: session.snapshot(source) for source in session.sources},
        now=now, intervals=intervals, node_trends=session.node_trends,
    )
    fetched = session.last_fetched()
    return FleetRow(
        name=member.name,
        label=member.label,
        label_color=member.settings.label_color,
        host=member.settings.server_host,
        nodes=_node_count(session.snapshot(nodes.NAME)),
        peers_registered=figures.peers_registered,
        peers_total=figures.peers_total,
        channels=figures.channels,
        calls_waiting=figures.calls_waiting,
        health=health(snapshots, now=now, intervals=intervals),
        age=None if fetched is None else max(0.0, now - fetched),
    )


def member_session(settings: Settings, run: ClientRunner, clock: Clock, *, tenant: str = "") -> LiveSession:
    """The session of one profile: every source at the profile's intervals."""
    return LiveSession(run, intervals={source: settings.interval(source) for source in SOURCES},
                       clock=clock, tenant=settings.tenant or tenant)


class Fleet:
    """The members' sessions, with one (or none: the overview) shown; see the module docstring."""

    def __init__(self, members: Sequence[FleetMember], *, clock: Clock | None = None) -> None:
        names = [member.name for member in members]
        if len(set(names)) != len(names):
            raise ValueError(f"a PBX is listed twice: {', '.join(sorted({n for n in names if names.count(n) > 1}))}")
        self.members: tuple[FleetMember, ...] = tuple(members)
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._shown: str | None = None
        self._last_overview_poll: dict[tuple[str, str], float] = {}
        self._wake = asyncio.Event()
        self._ticker: asyncio.Task[None] | None = None

    def member(self, name: str) -> FleetMember:
        for member in self.members:
            if member.name == name:
                return member
        raise KeyError(name)

    @property
    def shown(self) -> str | None:
        """The member whose tab is on screen (None: the overview)."""
        return self._shown

    def rows(self) -> list[FleetRow]:
        now = self.clock()
        return [fleet_row(member, now=now, shown=member.name == self._shown) for member in self.members]

    def start(self) -> None:
        """Start every session (hidden ones on the overview's rhythm) on the running loop."""
        for member in self.members:
            member.session.start()
            if member.name != self._shown:
                member.session.pause()
        self._ticker = asyncio.get_running_loop().create_task(self._overview_polls(), name="fleet-overview")

    def show(self, name: str | None) -> None:
        """Show ``name``'s tab (None: the overview): it polls everything now, the others slow down."""
        if name is not None:
            self.member(name)  # KeyError for a name not in the fleet
        previous, self._shown = self._shown, name
        if previous is not None and previous != name:
            self.member(previous).session.pause()
        if name is not None and name != previous:
            session = self.member(name).session
            session.resume()
            session.refresh_now()
        self._wake.set()

    def set_tenant(self, name: str, tenant: str) -> None:
        """Show ``tenant``'s queues and flows for member ``name`` (an admin key's session)."""
        self.member(name).session.set_tenant(tenant)
        self._wake.set()

    async def _overview_polls(self) -> None:
        """Ask each hidden member for what the overview needs, each source on its overview interval."""
        while True:
            now = self.clock.monotonic()
            next_due = now + OVERVIEW_INTERVAL
            for member in self.members:
                if member.name == self._shown:
                    continue
                for source, interval in OVERVIEW_SOURCES.items():
                    if member.session.idle_reason(source) is not None:
                        continue
                    due = self._last_overview_poll.get((member.name, source), now - interval) + interval
                    if due <= now:
                        self._last_overview_poll[(member.name, source)] = now
                        member.session.refresh_now(source)
                        due = now + interval
                    next_due = min(next_due, due)
            self._wake.clear()
            await self.clock.wait(self._wake, max(0.0, next_due - self.clock.monotonic()))

    async def aclose(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
            self._ticker = None
        await asyncio.gather(*(member.session.aclose() for member in self.members))


__all__ = [
    "OVERVIEW_INTERVAL",
    "OVERVIEW_SOURCES",
    "PEERS_OVERVIEW_INTERVAL",
    "Fleet",
    "FleetMember",
    "FleetRow",
    "fleet_row",
    "health",
    "member_session",
]
