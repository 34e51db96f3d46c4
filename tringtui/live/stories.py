"""Drill-downs, headless: everything the PBX can say about one call, one number, one phone or one queue.

Each ``*_story`` function asks the API layer one request after the other (a
slow PBX is asked one thing at a time), calls ``progress(what)`` before each so
a face can say what is awaited, and returns a frozen story. A request that
fails does not lose the rest: its error is kept in ``problems`` and its part
stays empty. Times for the server are written by ``api.history.server_time``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tringtui.api.client import TringClient
from tringtui.api.errors import TringError
from tringtui.api.history import AgentDelay, CallRecord, QueueLogRow, RecordingInfo, SimpleCallRecord
from tringtui.api.models import Agent, Channel, ChannelDetail, ExtensionState, Peer
from tringtui.live.calls import Call

Progress = Callable[[str], None]
T = TypeVar("T")

CALL_WINDOW_BEFORE = 3600.0
"""How far before a call's first leg its records are searched (server clocks and zones differ)."""
TRACE_WINDOW = 3600.0
"""A traced number's calls: the last hour."""
QUEUE_LOG_ROWS = 50


def _quiet(_: str) -> None:
    pass


def started_at(uniqueid: str) -> float | None:
    """The epoch in a uniqueid ``<node>-<epoch>.<seq>`` (when its channel was created)."""
    try:
        return float(uniqueid.rpartition("-")[2].partition(".")[0])
    except ValueError:
        return None


def scoped(client: TringClient, tenant: str) -> TringClient:
    """The client for a tenant's INFO types: an admin key (no tenant of its own) names ``tenant``."""
    return client if client.tenant or not tenant else client.with_tenant(tenant)


class _Asker:
    """Runs one request after the other, saying what it asks, keeping failures as problems."""

    def __init__(self, client: TringClient, progress: Progress) -> None:
        self.client = client
        self.progress = progress
        self.problems: list[str] = []

    async def ask(self, what: str, request: Callable[[TringClient], Awaitable[T]]) -> T | None:
        self.progress(what)
        try:
            return await request(self.client)
        except TringError as error:
            self.problems.append(f"{what}: {error.message}")
            return None

    async def rows(self, what: str, request: Callable[[TringClient], Awaitable[list[T]]]) -> list[T]:
        return await self.ask(what, request) or []


def _channel(name: str) -> Callable[[TringClient], Awaitable[ChannelDetail | None]]:
    return lambda client: client.channel(name)


@dataclass(frozen=True, slots=True)
class LegStory:
    """One leg as CHANNELS showed it, and its live CHANNEL detail (``None``: the leg has ended)."""

    channel: Channel
    detail: ChannelDetail | None


@dataclass(frozen=True, slots=True)
class CallStory:
    """A call (or the calls of a traced number): live legs, call records, queue log, recording."""

    title: str
    legs: tuple[LegStory, ...]
    records: tuple[CallRecord, ...]
    simple_records: tuple[SimpleCallRecord, ...]  # where cdrs are not available
    queue_log: tuple[QueueLogRow, ...]
    recording: RecordingInfo | None
    problems: tuple[str, ...]
    linkedid: str = ""


async def call_story(client: TringClient, call: Call, now: float, progress: Progress = _quiet) -> CallStory:
    """Everything about one call: each leg's CHANNEL, its records by linkedid (then by the legs'
    uniqueids, then simplecdrs), the queue log of its queue, and its recording's metadata."""
    asker = _Asker(scoped(client, call.tenant or call.first.accountcode), progress)
    legs = []
    for number, leg in enumerate(call.legs, 1):
        name = leg.channel
        detail = await asker.ask(f"CHANNEL {number}/{len(call.legs)} ({name})",
                                 _channel(name))
        legs.append(LegStory(leg, detail if detail is None or detail.uniqueid in ("", leg.uniqueid) else None))
    linkedid = next((s.detail.get("LinkedID") for s in legs if s.detail and s.detail.get("LinkedID")), call.key)
    start = (started_at(call.key) or now) - CALL_WINDOW_BEFORE
    uniqueids = ",".join(leg.uniqueid for leg in call.legs)
    records, simple = await _records(asker, start, now, linkedid=linkedid, uniqueids=uniqueids)
    queue_id = call.queue_id or next((r.userfield.partition(":")[2] for r in records
                                      if r.userfield.startswith("queue:")), "")
    queue_log: list[QueueLogRow] = []
    if queue_id.isdigit():
        rows = await asker.rows(f"INFO queuelogs (queue {queue_id})",
                               lambda c: c.queue_logs(queue_id, start=start, end=now + 60))
        queue_log = [row for row in rows if row.callid in (linkedid, *[leg.uniqueid for leg in call.legs])]
    recording = await asker.ask("INFO inforecording", lambda c: c.recording_info(call.key))
    return CallStory(f"Call {call.caller} → {call.callee}", tuple(legs), tuple(records), tuple(simple),
                     tuple(queue_log), recording, tuple(asker.problems), linkedid)


async def _records(asker: _Asker, start: float, now: float, **by: str) -> tuple[list[CallRecord], list[SimpleCallRecord]]:
    """cdrs by the first filter that finds something; simplecdrs when cdrs fail (not available)."""
    end = now + 60
    failed_before = len(asker.problems)
    if "phone" in by:
        records = await asker.rows(f"INFO cdrs (phone {by['phone']}, last hour)",
                                  lambda c: c.cdrs(phone=by["phone"], start=start, end=end))
    else:
        records = await asker.rows("INFO cdrs (by linkedid)",
                                  lambda c: c.cdrs(linkedid=by["linkedid"], start=start, end=end))
        if not records and len(asker.problems) == failed_before:
            records = await asker.rows("INFO cdrs (by uniqueid)",
                                      lambda c: c.cdrs(uniqueid=by["uniqueids"], start=start, end=end))
    if len(asker.problems) == failed_before:
        return records, []
    filters = {"phone": by["phone"]} if "phone" in by else {"uniqueid": by["uniqueids"]}
    simple = await asker.rows("INFO simplecdrs", lambda c: c.simple_cdrs(start=start, end=end, **filters))
    return [], simple


async def number_story(client: TringClient, number: str, live_calls: Sequence[Call], now: float,
                       progress: Progress = _quiet, tenant: str = "") -> CallStory:
    """A number's last hour: its live calls' legs (CHANNEL each) and its call records (cdrs by ``phone``;
    an admin key searches ``tenant``'s)."""
    asker = _Asker(scoped(client, tenant), progress)
    legs = []
    mine = [call for call in live_calls if number_matches(number, call)]
    for call in mine:
        for leg in call.legs:
            name = leg.channel
            detail = await asker.ask(f"CHANNEL {name}", _channel(name))
            legs.append(LegStory(leg, detail))
    records, simple = await _records(asker, now - TRACE_WINDOW, now, phone=number)
    return CallStory(f"Trace of {number} (last hour)", tuple(legs), tuple(records), tuple(simple), (), None,
                     tuple(asker.problems))


def number_matches(number: str, call: Call) -> bool:
    """A typed number against a call's legs: extension, phone name or caller id, loosely (no ``+``, no ``00``)."""
    wanted = _digits(number)
    if not wanted:
        return False
    for leg in call.legs:
        for value in (leg.caller_id, leg.exten, leg.peer_name.partition("-")[0]):
            have = _digits(value)
            if have and (have == wanted or len(wanted) >= 6 and have.endswith(wanted[-9:])):
                return True
    return False


def _digits(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[2:] if digits.startswith("00") else digits


# ---------------------------------------------------------------- a phone


@dataclass(frozen=True, slots=True)
class PhoneStory:
    """A phone: its registration row, BLF state, INFO extstate, live calls and recent calls."""

    peer: Peer
    blf_state: str
    state: ExtensionState | None
    live_calls: tuple[Call, ...]
    recent: tuple[SimpleCallRecord, ...]
    problems: tuple[str, ...]


async def phone_story(client: TringClient, peer: Peer, live_calls: Sequence[Call], now: float,
                      progress: Progress = _quiet) -> PhoneStory:
    asker = _Asker(scoped(client, peer.tenant), progress)
    blfs = await asker.rows("BLFS", lambda c: c.blfs())
    blf = next((b.state for b in blfs if b.extension == peer.name), "")
    state = await asker.ask("INFO extstate", lambda c: c.extension_state(peer.name))
    recent = await asker.rows("INFO simplecdrs (by phone, last hour)",
                             lambda c: c.simple_cdrs(phone=peer.extension, start=now - TRACE_WINDOW, end=now + 60))
    mine = tuple(call for call in live_calls if any(leg.peer_name == peer.name for leg in call.legs))
    return PhoneStory(peer, blf, state, mine, tuple(recent), tuple(asker.problems))


# ---------------------------------------------------------------- a queue


@dataclass(frozen=True, slots=True)
class QueueStory:
    """A queue: its last queue log rows (abandoned and timed-out first), agents' delays, connected agents."""

    queue_id: str
    name: str
    log: tuple[QueueLogRow, ...]
    delays: tuple[AgentDelay, ...]
    connected: tuple[Agent, ...]
    problems: tuple[str, ...]


async def queue_story(client: TringClient, queue_id: str, name: str, now: float,
                      progress: Progress = _quiet, rows: int = QUEUE_LOG_ROWS, tenant: str = "") -> QueueStory:
    """``tenant``: the queue's tenant, named when the key is an admin key."""
    asker = _Asker(scoped(client, tenant), progress)
    log = await asker.rows("INFO queuelogs (last hour)",
                          lambda c: c.queue_logs(queue_id, start=now - TRACE_WINDOW, end=now + 60))
    latest = list(reversed(log))[:rows]
    ordered = [row for row in latest if row.unanswered] + [row for row in latest if not row.unanswered]
    delays = await asker.rows("INFO agentsdelay", lambda c: c.agents_delay(queue_id))
    connected = await asker.rows("INFO agentsconnected", lambda c: c.agents_connected(queue_id))
    return QueueStory(queue_id, name, tuple(ordered), tuple(delays), tuple(connected), tuple(asker.problems))
