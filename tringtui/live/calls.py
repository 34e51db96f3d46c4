"""Calls from channels: the legs of CHANNELS grouped into calls (pure functions, no I/O).

Asterisk ties a call's legs by LinkedID (the uniqueid of its first channel),
but CHANNELS does not carry it, only each leg's bridged channel. So legs are
joined by, in order:

1. the bridge: a leg and the channel it is bridged to are one call;
2. the dial: a leg running ``Dial`` with data ``SIP/146-DEVEL,…`` (or
   ``SIP/kamailio/<number>,…``) and an unbridged leg of that device (and that
   number) on the same node being rung are one call;
3. the LinkedID: a leg neither joins (a queue's agent being rung, whose
   caller runs ``Queue``) is tied by the LinkedID its CHANNEL detail gives
   (``linked_ids``: uniqueid → LinkedID, fetched by the channels source for
   those legs only, see ``needs_linked_id``).

A call's identity (``Call.key``) is the oldest uniqueid among its legs: the
LinkedID Asterisk would give it, as long as its first leg is still up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tringtui.api.models import Channel

TRUNK_DEVICES = ("SIP/kamailio", "PJSIP/kamailio")
_RINGING = frozenset({"ring", "ringing", "dialing"})


def _age_order(uniqueid: str) -> tuple[float, str]:
    """``<node>-<epoch>.<seq>`` → sortable by creation (epoch, then sequence)."""
    _, _, stamp = uniqueid.rpartition("-")
    try:
        return float(stamp), uniqueid
    except ValueError:
        return float("inf"), uniqueid


def is_trunk(channel: Channel) -> bool:
    return channel.device in TRUNK_DEVICES or not channel.tenant


@dataclass(frozen=True, slots=True)
class Call:
    """One call: its legs, oldest first. ``key`` stands for the LinkedID (see the module docstring)."""

    legs: tuple[Channel, ...]

    @property
    def key(self) -> str:
        return self.legs[0].uniqueid

    @property
    def first(self) -> Channel:
        return self.legs[0]

    @property
    def caller(self) -> str:
        """Who called: the calling phone (``103-DEVEL``), or the outside number of an inbound trunk leg."""
        return party(self.first)

    @property
    def callee(self) -> str:
        """Who was called: the other legs' parties, else what the first leg dialled (its extension)."""
        others = [party(leg) for leg in self.legs[1:]]
        if others:
            return ", ".join(dict.fromkeys(others))
        return self.first.exten

    @property
    def direction(self) -> str:
        """``in`` (from a trunk), ``out`` (a phone to a trunk) or ``internal`` (phones only)."""
        if is_trunk(self.first):
            return "in"
        if any(is_trunk(leg) for leg in self.legs[1:]) or self.first.data.startswith(TRUNK_DEVICES):
            return "out"
        return "internal"

    @property
    def node(self) -> str:
        return self.first.node

    @property
    def tenant(self) -> str:
        return next((leg.tenant for leg in self.legs if leg.tenant), "")

    @property
    def state(self) -> str:
        """``Up`` once two legs talk, ``Ringing`` while one rings, ``Queued`` while the caller waits, else the first leg's."""
        if any(leg.bridged_to and leg.state.lower() == "up" for leg in self.legs):
            return "Up"
        if any(leg.state.lower() in _RINGING for leg in self.legs):
            return "Ringing"
        if self.first.application == "Queue":
            return "Queued"
        return self.first.state

    @property
    def duration(self) -> int:
        return max(leg.duration for leg in self.legs)

    @property
    def queue_id(self) -> str:
        """The queue the caller entered (``Queue`` data ``281,tT,…``), or ``""``."""
        leg = next((leg for leg in self.legs if leg.application == "Queue"), None)
        return leg.data.split(",", 1)[0] if leg is not None else ""


def party(leg: Channel) -> str:
    """A leg's party: its phone (``103-DEVEL``), or for a trunk leg the outside number (its caller id)."""
    if is_trunk(leg):
        return leg.caller_id or leg.exten
    return leg.peer_name


def group_calls(channels: Iterable[Channel], linked_ids: Mapping[str, str] | None = None) -> list[Call]:
    """The calls the channels make up, oldest first (see the module docstring for how legs are joined)."""
    legs = {channel.channel: channel for channel in channels}
    parent = {name: name for name in legs}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra

    for channel in legs.values():
        if channel.bridged_to in legs:
            join(channel.channel, channel.bridged_to)
    age = {name: _age_order(channel.uniqueid) for name, channel in legs.items()}  # once per leg: 10,000 at huge
    for dialling, leg in _dialled_legs(legs, age):
        join(dialling, leg)
    if linked_ids:
        by_uniqueid = {channel.uniqueid: name for name, channel in legs.items()}
        for name, channel in legs.items():
            linked = linked_ids.get(channel.uniqueid, "")
            if linked and linked != channel.uniqueid:
                by_uniqueid.setdefault(linked, name)
                join(by_uniqueid[linked], name)
    groups: dict[str, list[str]] = {}
    for name in legs:
        groups.setdefault(root(name), []).append(name)
    calls = []
    for names in groups.values():
        if len(names) > 1:
            names.sort(key=age.__getitem__)
        calls.append((age[names[0]], Call(tuple(legs[name] for name in names))))
    calls.sort(key=lambda pair: pair[0])
    return [call for _, call in calls]


def _dial_target(data: str) -> tuple[str, str]:
    """``SIP/146-DEVEL,30,tT`` → (``SIP/146-DEVEL``, ``""``); ``SIP/kamailio/0031…,120`` → (``SIP/kamailio``, ``0031…``)."""
    first = data.split(",", 1)[0].split("&", 1)[0]
    parts = first.split("/")
    if len(parts) >= 3:
        return "/".join(parts[:2]), parts[2]
    return first, ""


def _answers_dial(leg: Channel, target: tuple[str, str]) -> bool:
    device, number = target
    return leg.device == device and (not number or leg.caller_id == number or leg.exten == number)


def _dialled_legs(legs: Mapping[str, Channel], age: Mapping[str, tuple[float, str]] | None = None
                  ) -> list[tuple[str, str]]:
    """(dialling leg, leg it rings) pairs: an unbridged outgoing leg of the device (and number) a
    ``Dial`` names, on the same node; each outgoing leg answers one dial. Indexed by (node, device),
    so 10,000 channels take milliseconds."""
    outgoing: dict[tuple[str, str], list[Channel]] = {}
    for channel in legs.values():
        if channel.application == "AppDial" and channel.bridged_to not in legs:
            outgoing.setdefault((channel.node, channel.device), []).append(channel)
    pairs: list[tuple[str, str]] = []
    if not outgoing:
        return pairs
    claimed: set[str] = set()
    dialling = [c for c in legs.values() if c.application == "Dial"]
    for channel in sorted(dialling, key=lambda c: age[c.channel] if age else _age_order(c.uniqueid)):
        target = _dial_target(channel.data)
        for leg in outgoing.get((channel.node, target[0]), ()):
            if leg.channel not in claimed and _answers_dial(leg, target):
                claimed.add(leg.channel)
                pairs.append((channel.channel, leg.channel))
                break
    return pairs


def needs_linked_id(channels: Iterable[Channel]) -> list[Channel]:
    """The legs neither a bridge nor a dial ties to their call: outgoing legs (``AppDial``) being rung
    for a caller in a queue. Their LinkedID (CHANNEL) is what ties them."""
    legs = {channel.channel: channel for channel in channels}
    dialled = {leg for _, leg in _dialled_legs(legs)}
    return [c for c in legs.values()
            if c.application == "AppDial" and c.bridged_to not in legs and c.channel not in dialled]
