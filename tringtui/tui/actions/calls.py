"""Call actions (Channels pane): hang up, blind transfer, attended transfer, originate.

A call is identified by its channel *and* uniqueid, captured when the key was
pressed. Before the confirmation the CHANNEL detail is fetched, so the dialog
shows both parties and the duration as they are now (and a call that already
ended is reported instead of confirmed; a transfer fetches it again once
its destination is typed); just before sending it is fetched again and the
uniqueid compared, so a channel name reused by a new call is never hung up or
transferred by mistake, and the facts confirmed (the leg it is bridged to, its
state) compared, so a call changed meanwhile is shown anew and asked again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tringtui.api.models import Channel, ChannelDetail
from tringtui.live.calls import Call, party
from tringtui.tui.actions.write_action import ActionAborted, WriteAction
from tringtui.tui.panes.base import format_duration
from tringtui.tui.screens.originate_prompt import OriginatePrompt, OriginateRequest
from tringtui.tui.screens.transfer_prompt import TransferPrompt, TransferRequest

if TYPE_CHECKING:
    from tringtui.api.client import TringClient
    from tringtui.tui.actions.controller import ActionController


def call_tenant(channel: Channel) -> str:
    """The call's tenant: from the phone's name, else (trunk legs) from the account code MiRTA sets to it."""
    return channel.tenant or channel.accountcode


def call_identity(channel: Channel) -> dict[str, str]:
    """What identifies a call in the journal: channel, uniqueid, node, tenant."""
    return {
        "channel": channel.channel,
        "uniqueid": channel.uniqueid,
        "node": channel.node,
        "tenant": call_tenant(channel),
    }


async def current_detail(client: TringClient, channel: Channel) -> ChannelDetail | None:
    """The channel's CHANNEL detail if it still belongs to the same call, else ``None``."""
    detail = await client.channel(channel.channel)
    if detail is None or detail.uniqueid != channel.uniqueid:
        return None
    return detail


# CHANNEL detail labels naming the leg a call is bridged to, most telling first.
_BRIDGE_LABELS = ("BRIDGEPEER", "Indirect Bridge", "Direct Bridge")


def bridged_leg(channel: Channel, detail: ChannelDetail) -> str:
    """The leg the call is bridged to now, per the detail (the row's, when the detail does not say)."""
    labels = {label for label, _ in detail.fields}
    if not labels.intersection(_BRIDGE_LABELS):
        return channel.bridged_to
    return next((value for label in _BRIDGE_LABELS if (value := detail.get(label).strip())), "")


def call_facts(channel: Channel, detail: ChannelDetail) -> dict[str, str]:
    """What a confirmation of this call states and the re-check compares: its state and its other leg."""
    return {"state": detail.get("State").split(" (")[0] or channel.state, "bridged to": bridged_leg(channel, detail)}


def recheck_call(channel: Channel, confirmed: dict[str, str] | None = None):
    """A re-check that fails once the call has ended, its channel carries another call, or the
    ``confirmed`` facts (``call_facts``) are no longer true."""

    async def recheck(client: TringClient) -> str | None:
        detail = await current_detail(client, channel)
        if detail is None:
            return f"The call on {channel.channel} (uniqueid {channel.uniqueid}) has ended or changed."
        if confirmed is not None:
            now = call_facts(channel, detail)
            changes = [f"{what} {confirmed[what] or '—'} → {now[what] or '—'}" for what in now if now[what] != confirmed[what]]
            if changes:
                return f"the call on {channel.channel} changed: {'; '.join(changes)}."
        return None

    return recheck


async def _live_detail(ctx: ActionController, channel: Channel) -> ChannelDetail:
    detail = await ctx.call(
        lambda client: current_detail(client, channel), what="asking the PBX about the call"
    )
    if detail is None:
        raise ActionAborted(f"The call on {channel.channel} has already ended (or changed).")
    return detail


def call_duration(channel: Channel, detail: ChannelDetail) -> str:
    """How long the call has lasted, as the Channels pane writes durations (``1:29``)."""
    elapsed = detail.elapsed_seconds
    return format_duration(channel.duration if elapsed is None else elapsed)


# What Asterisk prints where it has no caller id.
_NO_ID = frozenset({"", "(n/a)", "<unknown>", "unknown", "anonymous"})


def _known(value: str) -> str:
    value = value.strip()
    return "" if value.lower() in _NO_ID else value


def _party(number: str, name: str = "") -> str:
    number, name = _known(number), _known(name)
    if name and name != number:
        return f"{number} ({name})" if number else name
    return number


async def other_party(client: TringClient, channel: Channel, detail: ChannelDetail) -> str:
    """Who the call is with: the connected line, else the bridged leg's caller id, else the dialled number."""
    connected = _party(detail.get("Connected Line ID"), detail.get("Connected Line ID Name"))
    if connected:
        return connected
    leg = bridged_leg(channel, detail)
    if leg:
        bridged = await client.channel(leg)
        if bridged is not None:
            party = _party(bridged.get("Caller ID"), bridged.get("Caller ID Name"))
            if party:
                return f"{party} on {leg}"
        return leg
    return _known(channel.exten) or "nobody yet"


async def call_details(
    ctx: ActionController, channel: Channel, detail: ChannelDetail
) -> tuple[tuple[str, str], ...]:
    """The lines naming a call fully: tenant, node, both parties, duration, channels."""
    caller = _party(detail.get("Caller ID") or channel.caller_id, detail.get("Caller ID Name")) or "unknown"
    other = await ctx.call(
        lambda client: other_party(client, channel, detail), what="asking the PBX about the other party"
    )
    facts = call_facts(channel, detail)
    application = _known(detail.get("Application").replace("(None)", "")) or channel.application
    lines = [
        ("Tenant", call_tenant(channel) or ctx.settings.tenant or "—"),
        ("Node", channel.node or "—"),
        ("Caller", caller),
        ("Other party", other),
        ("Duration", call_duration(channel, detail)),
        ("State", f"{facts['state']} · {application}".strip(" ·")),
        ("Channel", channel.channel),
    ]
    if facts["bridged to"] and facts["bridged to"] not in other:
        lines.append(("Bridged to", facts["bridged to"]))
    lines.append(("Unique id", channel.uniqueid))
    return tuple(lines)


def hang_up(channel: Channel):
    """Prepare a HANGUP of exactly this call."""

    async def prepare(ctx: ActionController) -> WriteAction:
        detail = await _live_detail(ctx, channel)

        async def send(client: TringClient):
            return await client.hangup(channel.channel)

        return WriteAction(
            name="hangup",
            title="Hang up call",
            verb="Hang up",
            pane="channels",
            target=call_identity(channel),
            params={"channel": channel.channel},
            details=await call_details(ctx, channel, detail),
            send=send,
            recheck=recheck_call(channel, call_facts(channel, detail)),
            impact="Both parties are disconnected.",
            refresh=prepare,
        )

    return prepare


def hang_up_call(call: Call):
    """Prepare a HANGUP of a whole call (a grouped row of the Channels pane): its first leg is hung up,
    which ends every leg; the confirmation names each leg, and the re-check compares the first leg's uniqueid."""
    first = call.first

    async def prepare(ctx: ActionController) -> WriteAction:
        detail = await _live_detail(ctx, first)

        async def send(client: TringClient):
            return await client.hangup(first.channel)

        legs = tuple((f"Leg {number}", f"{leg.channel} · {party(leg)} · {leg.state}")
                     for number, leg in enumerate(call.legs, 1))
        names = " and ".join(leg.channel for leg in call.legs)
        return WriteAction(
            name="hangup",
            title="Hang up call",
            verb="Hang up",
            pane="channels",
            target={**call_identity(first), "legs": ", ".join(leg.channel for leg in call.legs)},
            params={"channel": first.channel},
            details=(*(await call_details(ctx, first, detail)), *legs),
            send=send,
            recheck=recheck_call(first, call_facts(first, detail)),
            impact=f"The whole call ends: {names} {'are' if len(call.legs) > 1 else 'is'} disconnected.",
            refresh=prepare,
        )

    return prepare


def transfer(channel: Channel, *, attended: bool):
    """Prepare a TRANSFER (blind) or ATXTRANSFER (attended) of exactly this call."""

    async def prepare(ctx: ActionController) -> WriteAction | None:
        await _live_detail(ctx, channel)  # a call that already ended is not offered a destination
        request: TransferRequest | None = await ctx.ask(
            TransferPrompt(
                f"{channel.channel} · {channel.caller_id or '?'} ↔ {channel.exten or '?'}",
                attended=attended,
                other_leg=channel.bridged_to,
            )
        )
        if request is None:
            return None
        return await _transfer_action(ctx, channel, request, attended=attended)

    return prepare


async def _transfer_action(
    ctx: ActionController, channel: Channel, request: TransferRequest, *, attended: bool
) -> WriteAction:
    """The transfer as the PBX has the call now (the destination may have taken a while to type)."""
    detail = await _live_detail(ctx, channel)
    leg = bridged_leg(channel, detail)
    extra = leg if request.with_other_leg else ""

    async def send(client: TringClient):
        if attended:
            return await client.attended_transfer(channel.channel, request.destination)
        return await client.transfer(channel.channel, request.destination, extrachannel=extra or None)

    params = {"channel": channel.channel, "dest": request.destination}
    if extra:
        params["extrachannel"] = extra
    details = (*(await call_details(ctx, channel, detail)), ("Transfer to", request.destination))
    if attended:
        impact = f"{channel.channel} consults {request.destination}; its party waits on hold meanwhile."
    elif extra:
        impact = f"{channel.channel} and {extra} are both sent to {request.destination}."
    elif leg:
        impact = f"{channel.channel} is sent to {request.destination}; {leg} is disconnected."
    else:
        impact = f"{channel.channel} is sent to {request.destination}."
    return WriteAction(
        name="attended-transfer" if attended else "transfer",
        title="Attended transfer" if attended else "Transfer call",
        verb="Transfer",
        pane="channels",
        target=call_identity(channel),
        params=params,
        details=details,
        send=send,
        recheck=recheck_call(channel, call_facts(channel, detail)),
        impact=impact,
        refresh=lambda ctx: _transfer_action(ctx, channel, request, attended=attended),
    )


def originate(tenant: str, source: str = ""):
    """Prepare a DIAL for ``tenant``: ring ``source`` (prefilled from the selected call's phone), then connect it."""

    async def prepare(ctx: ActionController) -> WriteAction | None:
        if not tenant:
            raise ActionAborted("Originating a call needs a tenant: choose one first.")
        request: OriginateRequest | None = await ctx.ask(
            OriginatePrompt(f"New call for tenant {tenant}", source=source, tenant=tenant)
        )
        if request is None:
            return None

        async def send(client: TringClient):
            return await client.dial(
                request.source, request.destination, account=request.account or None, autoanswer=request.autoanswer
            )

        params = {"source": request.source, "dest": request.destination}
        details = [("Tenant", tenant), ("Rings first", request.source), ("Then dials", request.destination)]
        if request.account:
            params["account"] = request.account
            details.append(("As account", request.account))
        if request.autoanswer:
            params["autoanswer"] = "yes"
            details.append(("Auto answer", f"yes: {request.source} answers by itself"))
        return WriteAction(
            name="originate",
            title="Originate call",
            verb="Call",
            pane="channels",
            target={"source": request.source, "tenant": tenant},
            params=params,
            details=tuple(details),
            send=send,
            impact=f"{request.source} will ring; when answered, {request.destination} is dialled.",
            tenant=tenant,
        )

    return prepare
