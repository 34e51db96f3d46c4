"""How actions reach the PBX: a coroutine function handed to whoever owns the client.

In the monitor the client lives on the API thread (``TringApp.call_api``); in
tests and scripts it is a client on the same loop (``direct``). Either way an
action says *what* to do with a client, and for which tenant: an admin key
needs the tenant named for AGENT, QUEUE, SETFLOW, DIAL and INFO, so requests
for a tenant go through ``client.with_tenant`` when the key has none of its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from tringtui.api.client import TringClient

T = TypeVar("T")

Request = Callable[["TringClient"], Awaitable[Any]]
# Runs a request with the session's client and returns (or raises) what it did.
CallApi = Callable[[Request], Awaitable[Any]]


def scoped(client: TringClient, tenant: str) -> TringClient:
    """The client to address ``tenant`` with: itself for a tenant key (or no tenant), else a tenant clone."""
    if not tenant or client.tenant:
        return client
    return client.with_tenant(tenant)


def direct(client: TringClient) -> CallApi:
    """A ``CallApi`` that runs requests on the caller's own loop with ``client``."""

    async def call(request: Request) -> Any:
        return await request(client)

    return call
