"""The tenant overview, headless: one row per tenant with its share of the PBX and its account.

Peers (registered of total) and channels come from the session's snapshots
(``derived.tenant_share``, the same function every per-tenant figure uses);
the account (INFO config's limits, INFO balance, calls waiting in its queues)
is asked per tenant, one request after the other, and kept for at least
``MIN_INTERVAL`` seconds: ``TenantAccounts.refresh`` asks again only when the
last answers are that old, whoever calls it and however often.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from tringtui.api.client import TringClient
from tringtui.api.errors import TringError
from tringtui.api.models import TenantConfig
from tringtui.live.derived import TenantShare, queue_waiting, tenant_share
from tringtui.live.sources.channels import ChannelsData
from tringtui.live.sources.peers import PeersData
from tringtui.live.sources.queues import QueueRow

MIN_INTERVAL = 60.0
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TenantAccount:
    """What one tenant's INFO types say: limits, credit, calls waiting in its queues (``None``: not answered)."""

    tenant: str
    config: TenantConfig | None
    balance: float | None
    waiting: int | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TenantRow:
    """A row of the overview: the tenant's share of the live PBX and its account (``None``: not asked yet)."""

    share: TenantShare
    account: TenantAccount | None

    @property
    def tenant(self) -> str:
        return self.share.tenant


def tenants_seen(peers: PeersData | None) -> list[str]:
    """The tenant codes PEERS names, sorted."""
    if peers is None:
        return []
    return sorted({peer.tenant for peer in peers.peers if peer.tenant}, key=str.upper)


def tenant_rows(tenants: Iterable[str], peers: PeersData | None, channels: ChannelsData | None,
                accounts: dict[str, TenantAccount]) -> list[TenantRow]:
    return [TenantRow(tenant_share(tenant, peers, channels), accounts.get(tenant)) for tenant in tenants]


async def fetch_account(client: TringClient, progress: Callable[[str], None] | None = None) -> TenantAccount:
    """One tenant's account through a client scoped to it: INFO config, balance, queues and each queue's stats."""
    tenant = client.tenant
    problems: list[str] = []

    async def ask(what: str, request: Callable[[], Awaitable[T]]) -> T | None:
        if progress is not None:
            progress(f"{tenant}: {what}")
        try:
            return await request()
        except TringError as error:
            problems.append(f"{what}: {error.message}")
            return None

    config = await ask("INFO config", client.tenant_config)
    balance = await ask("INFO balance", client.balance)
    queues = await ask("INFO queues", client.queues)
    waiting: int | None = None
    if queues is not None:
        waiting = 0
        for queue in queues:
            stats = await ask(f"INFO queue {queue.id}", partial(client.queue_stats, queue.id))
            waiting += queue_waiting(QueueRow(queue, stats))
    return TenantAccount(tenant, config, balance, waiting, tuple(problems))


class TenantAccounts:
    """The accounts of every tenant, asked at most once per ``MIN_INTERVAL`` seconds."""

    def __init__(self, min_interval: float = MIN_INTERVAL) -> None:
        self.min_interval = min_interval
        self.accounts: dict[str, TenantAccount] = {}
        self.fetched_at: float | None = None

    def due(self, now: float) -> bool:
        return self.fetched_at is None or now - self.fetched_at >= self.min_interval

    async def refresh(self, client: TringClient, tenants: Sequence[str], now: float,
                      progress: Callable[[str], None] | None = None) -> dict[str, TenantAccount]:
        """Ask every tenant's account again when due; else the last answers."""
        if not self.due(now):
            return self.accounts
        self.fetched_at = now
        scoped = [client] if client.tenant else [client.with_tenant(tenant) for tenant in tenants]
        self.accounts = {each.tenant: await fetch_account(each, progress) for each in scoped}
        return self.accounts
