"""The flows source: FLOWS and BLFS of one tenant."""

from __future__ import annotations

from dataclasses import dataclass

from tringtui.api.client import TringClient
from tringtui.api.models import Blf, Flow

NAME = "flows"


@dataclass(frozen=True, slots=True)
class FlowsData:
    """One poll of FLOWS and BLFS."""

    flows: tuple[Flow, ...]
    blfs: tuple[Blf, ...]


async def fetch(client: TringClient) -> FlowsData:
    flows = await client.flows()
    blfs = await client.blfs()
    return FlowsData(flows=tuple(flows), blfs=tuple(blfs))
