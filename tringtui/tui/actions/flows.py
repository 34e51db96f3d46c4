"""Flow actions (Flows pane): set a flow's state and/or value (SETFLOW).

SETFLOW addresses a flow by its number; the flow is identified by its id too.
Once the operator has said what to set, FLOWS is read again and the
confirmation shows the flow's state and value as they are then; just before
sending it is read once more: the number must still belong to the same flow,
and its state and value must still be those confirmed. When another operator
changed them meanwhile, the new facts are shown and the operator asked again,
so nobody's setting is overwritten unseen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tringtui.api.models import Flow
from tringtui.tui.actions.write_action import ActionAborted, WriteAction
from tringtui.tui.screens.flow_prompt import FlowPrompt, FlowRequest

if TYPE_CHECKING:
    from tringtui.api.client import TringClient
    from tringtui.tui.actions.controller import ActionController


async def current_flow(client: TringClient, flow: Flow) -> Flow | None:
    """The flow as the PBX has it now: same id and number, else ``None``."""
    return next((now for now in await client.flows() if now.id == flow.id and now.number == flow.number), None)


def recheck_flow(flow: Flow):
    """A re-check that fails once no flow with this id carries this number, or its state or value changed."""

    async def recheck(client: TringClient) -> str | None:
        now = await current_flow(client, flow)
        if now is None:
            return f"Flow {flow.name} (number {flow.number}) no longer exists or was renumbered."
        changes = [f"{what} {before or '—'} → {after or '—'}"
                   for what, before, after in (("state", flow.state, now.state), ("value", flow.value, now.value))
                   if before != after]
        if changes:
            return f"flow {flow.name} was changed meanwhile: {'; '.join(changes)}."
        return None

    return recheck


def _value_for_state(flow: Flow, state: str | None) -> str:
    """The value the flow is configured to take in ``state`` (empty when none is configured)."""
    return {
        "INUSE": flow.value_for_inuse,
        "NOT_INUSE": flow.value_for_notinuse,
        "RINGING": flow.value_for_ringing,
        "UNAVAILABLE": flow.value_for_unavailable,
    }.get(state or "", "")


def set_flow(flow: Flow, tenant: str):
    """Prepare a SETFLOW on this flow of ``tenant`` with the state/value the prompt asks for."""

    async def prepare(ctx: ActionController) -> WriteAction | None:
        request: FlowRequest | None = await ctx.ask(
            FlowPrompt(f"{flow.name} (number {flow.number}): {flow.state or '—'}, value {flow.value or '—'}",
                       current_value=flow.value)
        )
        if request is None:
            return None
        return await _set_flow_action(ctx, flow, request, tenant)

    return prepare


async def _set_flow_action(ctx: ActionController, selected: Flow, request: FlowRequest, tenant: str) -> WriteAction:
    """The SETFLOW as the flow is now (read again: the prompt may have stayed open a while)."""
    flow = await ctx.call(lambda client: current_flow(client, selected), tenant, what="asking the PBX about the flow")
    if flow is None:
        raise ActionAborted(f"Flow {selected.name} (number {selected.number}) no longer exists or was renumbered.")

    async def send(client: TringClient):
        return await client.set_flow(flow.number, state=request.state, value=request.value)

    params = {"number": flow.number}
    changes = []
    if request.state is not None:
        params["state"] = request.state
        changes.append(("New state", f"{flow.state or '—'} → {request.state}"))
    if request.value is not None:
        params["value"] = request.value
        changes.append(("New value", f"{flow.value or '—'} → {request.value or '(empty)'}"))
    configured = _value_for_state(flow, request.state) if request.value is None else ""
    impact = f"Its value follows the state: {flow.value or '—'} → {configured}." if configured else ""
    return WriteAction(
        name="set-flow",
        title="Set flow",
        verb="Set flow",
        pane="flows",
        target={"flow": flow.id, "number": flow.number, "name": flow.name},
        params=params,
        details=(
            ("Tenant", tenant or "—"),
            ("Flow", f"{flow.name} (number {flow.number})"),
            *changes,
        ),
        send=send,
        recheck=recheck_flow(flow),
        impact=impact,
        tenant=tenant,
        refresh=lambda ctx: _set_flow_action(ctx, flow, request, tenant),
    )
