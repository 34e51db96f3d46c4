"""Phone actions (Peers pane): reboot or unregister one phone, or every phone of the tenant.

A phone is identified by its peer name (``103-DEVEL``), which is also what
REBOOT and UNREGISTER take. The bulk forms send ``peer=ALL`` addressed to one
named tenant (never without one: with an admin key that would reach every
tenant), and their confirmation wants the tenant code typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tringtui.api.models import Peer
from tringtui.tui.actions.write_action import ActionAborted, WriteAction

if TYPE_CHECKING:
    from tringtui.api.client import TringClient
    from tringtui.tui.actions.controller import ActionController

_VERBS = {"reboot": ("Reboot", "rebooted"), "unregister": ("Unregister", "unregistered")}


def _peer_details(peer: Peer) -> tuple[tuple[str, str], ...]:
    lines = [
        ("Tenant", peer.tenant or "—"),
        ("Node", peer.node or "—"),
        ("Phone", peer.name),
        ("Host", f"{peer.host}:{peer.port}" if peer.port else peer.host),
        ("Status", peer.status_text),
    ]
    if peer.description:
        lines.append(("Description", peer.description))
    return tuple(lines)


def one_phone(peer: Peer, kind: str):
    """Prepare a REBOOT or UNREGISTER (``kind``) of this phone."""
    verb, done = _VERBS[kind]

    async def prepare(ctx: ActionController) -> WriteAction:
        async def send(client: TringClient):
            if kind == "reboot":
                return await client.reboot(peer.name)
            return await client.unregister(peer.name)

        impact = f"{peer.name} will be {done}"
        impact += "; calls in progress on it are dropped." if kind == "reboot" else " until it registers again."
        return WriteAction(
            name=kind,
            title=f"{verb} phone",
            verb=verb,
            pane="peers",
            target={"peer": peer.name, "node": peer.node, "tenant": peer.tenant},
            params={"peer": peer.name},
            details=_peer_details(peer),
            send=send,
            impact=impact,
            tenant=peer.tenant,
        )

    return prepare


def all_phones(kind: str, tenant: str):
    """Prepare a REBOOT or UNREGISTER (``kind``) of ALL the phones of ``tenant``."""
    verb, done = _VERBS[kind]

    async def prepare(ctx: ActionController) -> WriteAction:
        if not tenant:
            # Without a tenant, ALL would reach every tenant an admin key can see.
            raise ActionAborted(f"{verb} all needs a tenant: select one of its phones first.")
        listed = await ctx.call(
            lambda client: client.peers(), tenant, what=f"asking the PBX for the phones of {tenant}"
        )
        peers = [peer for peer in listed if peer.tenant.lower() == tenant.lower()]
        registered = sum(1 for peer in peers if peer.registered)
        nodes = sorted({peer.node for peer in peers if peer.node})

        async def send(client: TringClient):
            if kind == "reboot":
                return await client.reboot("ALL")
            return await client.unregister("ALL")

        return WriteAction(
            name=f"{kind}-all",
            title=f"{verb} ALL phones of {tenant}",
            verb=f"{verb} ALL",
            pane="peers",
            target={"peer": "ALL", "tenant": tenant},
            params={"peer": "ALL"},
            details=(
                ("Tenant", tenant),
                ("Phones", f"{len(peers)} known, {registered} registered"),
                ("Nodes", ", ".join(nodes) or "—"),
            ),
            send=send,
            impact=f"EVERY phone of tenant {tenant} will be {done}.",
            typed_confirmation=tenant,
            tenant=tenant,
        )

    return prepare
