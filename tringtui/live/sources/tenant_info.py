"""The tenant-info source: INFO balance and INFO config (maxchannels) of one tenant.

Both change slowly, and the alert rules that read them (balance_low,
channels_near_max) never need them fresher than a minute, so this source is
polled at most once a minute (``MIN_INTERVAL``) by whoever runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the type only: the store reads these modules' data without the client (httpx)
    from tringtui.api.client import TringClient


NAME = "tenant_info"
MIN_INTERVAL = 60.0


@dataclass(frozen=True, slots=True)
class TenantInfoData:
    """One tenant's credit and channel limit (None when the server gave none)."""

    tenant: str
    balance: float | None
    max_channels: int | None


async def fetch(client: TringClient) -> TenantInfoData:
    balance = await client.balance()
    config = await client.tenant_config()
    return TenantInfoData(client.tenant, balance, config.max_channels)
