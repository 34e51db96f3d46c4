"""The channels source: CHANNELS, the active calls (an empty answer is legitimate: no calls at night)."""

from __future__ import annotations

from dataclasses import dataclass

from tringtui.api.client import TringClient
from tringtui.api.models import Channel

NAME = "channels"


@dataclass(frozen=True, slots=True)
class ChannelsData:
    """One poll of CHANNELS; a channel's identity is its uniqueid."""

    channels: tuple[Channel, ...]


async def fetch(client: TringClient) -> ChannelsData:
    return ChannelsData(channels=tuple(await client.channels()))
