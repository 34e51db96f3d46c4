"""The channels source: CHANNELS, the active calls (an empty answer is legitimate: no calls at night).

CHANNELS does not say which call a leg belongs to when it is neither bridged
nor dialled by another leg (an agent being rung for a queue caller): for those
few legs one poll also asks CHANNEL for their LinkedID, once per leg (the
caller keeps the answers in ``linked_cache``), at most ``MAX_LINKED_LOOKUPS``
per poll, one after the other, and none more in a poll once one has failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tringtui.api.client import TringClient
from tringtui.api.errors import TringError
from tringtui.api.models import Channel
from tringtui.live.calls import Call, group_calls, needs_linked_id

NAME = "channels"
MAX_LINKED_LOOKUPS = 8


@dataclass(frozen=True, slots=True)
class ChannelsData:
    """One poll of CHANNELS; a channel's identity is its uniqueid."""

    channels: tuple[Channel, ...]
    # (uniqueid, LinkedID) of the legs CHANNELS alone cannot tie to their call (see calls.group_calls).
    linked_ids: tuple[tuple[str, str], ...] = ()
    # The legs grouped into calls, where the data was fetched (off the UI's loop); see ``calls_of``.
    calls: tuple[Call, ...] = ()


def calls_of(data: ChannelsData) -> tuple[Call, ...]:
    """The calls of a poll: grouped when fetched, or now for data built elsewhere (a replay)."""
    if data.calls or not data.channels:
        return data.calls
    return tuple(group_calls(data.channels, dict(data.linked_ids)))


async def fetch(client: TringClient, linked_cache: dict[str, str] | None = None) -> ChannelsData:
    channels = tuple(await client.channels())
    if linked_cache is None:
        return ChannelsData(channels=channels, calls=tuple(group_calls(channels)))
    live = {channel.uniqueid for channel in channels}
    for gone in set(linked_cache) - live:
        del linked_cache[gone]
    lookups = [leg for leg in needs_linked_id(channels) if leg.uniqueid not in linked_cache]
    for leg in lookups[:MAX_LINKED_LOOKUPS]:
        try:
            detail = await client.channel(leg.channel)
        except TringError:
            break  # a failing PBX is not asked again this poll; the legs stay calls of their own until a later one
        if detail is not None and detail.get("LinkedID"):
            linked_cache[leg.uniqueid] = detail.get("LinkedID")
    ties = tuple((uid, linked) for uid, linked in linked_cache.items() if uid in live)
    return ChannelsData(channels=channels, linked_ids=ties, calls=tuple(group_calls(channels, dict(ties))))
