"""Flow actions (Flows pane): set a flow's state and/or value (SETFLOW).

SETFLOW addresses a flow by its number; the flow is identified by its id too,
and just before sending the FLOWS list is re-read to check that the number
still belongs to the same flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tringtui.api.models import Flow
from tringtui.tui.actions.write_action import WriteAction
from tringtui.tui.screens.flow_prompt import FlowPrompt, FlowRequest

if TYPE_CHECKING:
    from tringtui.api.client import TringClient
    from tringtui.tui.actions.controller import ActionController


def recheck_flow(flow: Flow):
    """A re-check that fails once no flow with this id carries this number."""

    async def recheck(client: TringClient) -> str | None:
        if not any(current.id == flow.id and current.number == flow.number for current in await client.flows()):
            return f"Flow {flow.name} (number {flow.number}) no longer exists or was renumbered."
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
        )

    return prepare
