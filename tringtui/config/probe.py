"""``tringtui config check``'s conversation with the server: is the key accepted, may it write?

1. **Read probe.** A cheap read: ``INFO config`` when a tenant is set (it
   describes that tenant), else ``COUNTCALLS``. The key-rejected text means a
   wrong key (or tenant); an answer means the key reads.
2. **Write probe** (only when the settings are not read-only). ``SETFLOW``
   with *no* ``number``: a flow cannot be changed without naming it, so the
   request can have no effect. The server checks the key's rights before
   the parameters: a read-write key gets the missing-parameter answer
   (``No number specified``), a read-only key gets the key-rejected text. Any
   other answer is reported as "cannot tell". Flows belong to a tenant, so
   without a tenant a refusal is ambiguous and reported so. When the settings are
   read-only the probe is not sent at all (the API layer would refuse it
   anyway): nothing that could write leaves a read-only session. The probe is
   a write as far as the journal goes: the API layer records it (action
   ``rights-probe``) like any other.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from tringtui.api.client import TringClient
from tringtui.api.errors import KeyRejected, ParameterError, TringError
from tringtui.settings import Settings


@dataclass
class ProbeOutcome:
    """What the server said about the key, as lines for the user; ``ok`` when the key reads."""

    ok: bool = False
    lines: list[str] = field(default_factory=list)

    def report(self) -> str:
        return "\n".join(self.lines)


async def probe(settings: Settings) -> ProbeOutcome:
    """Ask the server about ``settings.key``; never raises for what the server or network does."""
    outcome = ProbeOutcome()
    try:
        client = TringClient.from_settings(settings)
    except TringError as exc:
        outcome.lines.append(f"settings: {exc}")
        return outcome
    async with client:
        if await _key_reads(client, settings, outcome) and not settings.readonly:
            await _key_writes(client, settings, outcome)
        elif outcome.ok:
            outcome.lines.append("rights: read-only session (configured); the write probe was not sent")
    return outcome


async def _key_reads(client: TringClient, settings: Settings, outcome: ProbeOutcome) -> bool:
    host = client.server_host
    read_probe = "INFO config" if settings.tenant else "COUNTCALLS"
    try:
        if settings.tenant:
            await client.tenant_config()
        else:
            await client.count_calls()
    except KeyRejected:
        scope = f" for tenant {settings.tenant}" if settings.tenant else ""
        outcome.lines.append(f"key: REJECTED by {host}{scope} ({read_probe}): wrong key, unknown tenant, or no rights")
        return False
    except ParameterError as exc:
        hint = " (a tenant key needs its tenant: set tenant in the profile)" if not settings.tenant else ""
        outcome.lines.append(f"key: not usable as configured: {exc}{hint}")
        return False
    except TringError as exc:
        outcome.lines.append(f"server: {exc}")
        return False
    outcome.ok = True
    outcome.lines.append(f"key: accepted by {host} ({read_probe} answered)")
    return True


async def write_rights(client: TringClient) -> tuple[bool | None, str]:
    """Whether ``client``'s key may write, by ``SETFLOW`` without a number (which can change nothing).

    ``(True, "")`` read-write, ``(False, "")`` read-only (or, without a tenant,
    ambiguous: see the module docstring), ``(None, why)`` cannot tell. Never
    raises for what the server or network does. Also used by the monitor at start.
    """
    try:
        await client.write_rights_probe()
    except KeyRejected:
        return False, ""
    except ParameterError:
        return True, ""
    except TringError as exc:
        return None, str(exc)
    return None, "the server answered SETFLOW without a number unexpectedly"


async def _key_writes(client: TringClient, settings: Settings, outcome: ProbeOutcome) -> None:
    may_write, why = await write_rights(client)
    if may_write is False:
        if settings.tenant:
            outcome.lines.append("rights: read-only key (SETFLOW without a number was refused for this key)")
        else:
            # Flows belong to a tenant: without one the refusal may only mean "which tenant?".
            outcome.lines.append("rights: read-only key, or the server wants a tenant for SETFLOW; "
                                 "run again with --tenant CODE to tell")
    elif may_write:
        outcome.lines.append("rights: read-write key (SETFLOW without a number passed the rights check; nothing changed)")
    else:
        outcome.lines.append(f"rights: cannot tell ({why})")


def run_probe(settings: Settings) -> ProbeOutcome:
    """``probe`` for synchronous callers (the CLI)."""
    return asyncio.run(probe(settings))
