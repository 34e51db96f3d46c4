"""Registers every operator action as a pane command, and builds the app's ``ActionController``.

Importing this module registers the actions of ``catalog`` with the
monitor's command registry, which binds their keys on the panes, lists them
in the footer and the help screen, and offers them in the command palette.
Each handler reads the target from the pane's selected row *at the moment the
key is pressed* and hands the controller an action bound to that identity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tringtui.api.models import Agent, Channel, Flow, Peer, split_peer_name
from tringtui.audit import AuditJournal
from tringtui.tui.actions import agents, calls, catalog, flows, phones
from tringtui.tui.actions.agents import agent_identity
from tringtui.tui.actions.calls import call_identity, call_tenant
from tringtui.tui.actions.controller import ActionController
from tringtui.tui.actions.runner import ActionRunner
from tringtui.tui.registry import PaneCommand, register_command
from tringtui.tui.widgets.header import StatusHeader

if TYPE_CHECKING:
    from textual.app import App

    from tringtui.tui.panes.base import Pane

# Attributes under which a pane's row object may wrap the model an action needs.
_WRAPPED = ("channel", "agent", "peer", "flow", "queue")


def build_controller(app: App[Any]) -> ActionController:
    """The controller for a ``TringApp``: requests go through its API thread, outcomes into its panes."""
    settings = app.settings
    journal = AuditJournal(settings.audit_path or None)
    return ActionController(
        app,
        ActionRunner(app.call_api, settings, journal),
        refresh_pane=lambda pane_id: _refresh(app, pane_id),
        on_readonly_changed=lambda: _now_readonly(app),
        on_sending=lambda title: _show_sending(app, title),
    )


def _refresh(app: App[Any], pane_id: str) -> None:
    pane = app.panes.get(pane_id)
    if pane is not None and pane.poller is not None:
        pane.poller.refresh_now()


def _now_readonly(app: App[Any]) -> None:
    app.show_readonly()


def _show_sending(app: App[Any], title: str | None) -> None:
    # The app may be closing or switching profile while the PBX answers: no header then.
    if app.screen_stack and not getattr(app, "rebuilding", False):
        for header in app.query(StatusHeader):
            header.show_sending(title)


def controller(pane: Pane) -> ActionController:
    return pane.app.operator_actions


def selected(pane: Pane, model: type, what: str) -> Any:
    """The model of type ``model`` under the pane's cursor, or ``None`` after telling the user what to select."""
    row = pane.selected_row
    if not isinstance(row, model):
        row = next(
            (getattr(row, name) for name in _WRAPPED if isinstance(getattr(row, name, None), model)), None
        )
    if row is None:
        pane.app.notify(f"Select {what} first.", title="Nothing selected", severity="warning")
    return row


def pane_tenant(pane: Pane) -> str:
    """The tenant a tenant-scoped pane shows: the session's, or the one chosen for an admin key."""
    return pane.app.settings.tenant or getattr(pane.app, "pane_tenant", "")


def queue_names(pane: Pane) -> dict[str, str]:
    data = pane.state.data
    return {row.queue.id: row.queue.name for row in getattr(data, "queues", ())}


def selected_queue(pane: Pane) -> tuple[str, str] | None:
    """(id, name) of the queue under the cursor, or of the selected agent's queue."""
    row = pane.selected_row
    queue_id = row.queue_id if isinstance(row, Agent) else getattr(getattr(row, "queue", None), "id", None)
    if queue_id is None:
        pane.app.notify("Select a queue first.", title="Nothing selected", severity="warning")
        return None
    return queue_id, queue_names(pane).get(queue_id, queue_id)


# -- handlers: one per action ------------------------------------------------------


def _hangup(pane: Pane) -> None:
    channel = selected(pane, Channel, "a call")
    if channel is not None:
        controller(pane).start("hangup", call_identity(channel), calls.hang_up(channel))


def _transfer(pane: Pane, *, attended: bool) -> None:
    channel = selected(pane, Channel, "a call")
    if channel is not None:
        name = "attended-transfer" if attended else "transfer"
        controller(pane).start(name, call_identity(channel), calls.transfer(channel, attended=attended))


def _originate(pane: Pane) -> None:
    # No selection needed; a selected phone's call prefills the source and names the tenant.
    row = pane.selected_row
    channel = row if isinstance(row, Channel) else getattr(row, "channel", None)
    source, tenant = "", ""
    if isinstance(channel, Channel):
        source = split_peer_name(channel.peer_name)[0] if channel.tenant else ""
        tenant = call_tenant(channel)
    tenant = pane.app.settings.tenant or tenant or getattr(pane.app, "pane_tenant", "")
    controller(pane).start("originate", {"tenant": tenant}, calls.originate(tenant, source))


def _agent_action(pane: Pane, name: str) -> None:
    loading = pane.agents_loading() if hasattr(pane, "agents_loading") else ""
    if loading:
        # The agents table still shows the previous queue's agents: acting now would hit the wrong queue.
        pane.app.notify(f"The agents of {loading} are still loading.", title="Nothing selected", severity="warning")
        return
    agent = selected(pane, Agent, "an agent (Tab to the agents table)")
    if agent is None:
        return
    queue_name = queue_names(pane).get(agent.queue_id, agent.queue_id)
    tenant = pane_tenant(pane) or agent.tenant
    if name == "unpause-all-queues":
        controller(pane).start(name, {"member": agent.member, "queue": "ALL"},
                               agents.unpause_everywhere(agent, queue_names(pane), tenant))
        return
    builders = {"pause": agents.pause, "unpause": agents.unpause, "queue-remove": agents.remove_from_queue}
    controller(pane).start(name, agent_identity(agent, queue_name), builders[name](agent, queue_name, tenant))


def _queue_add(pane: Pane) -> None:
    queue = selected_queue(pane)
    if queue is not None:
        queue_id, queue_name = queue
        controller(pane).start(
            "queue-add", {"queue": queue_id, "queue_name": queue_name},
            agents.add_to_queue(queue_id, queue_name, pane_tenant(pane)),
        )


def _phone(pane: Pane, kind: str) -> None:
    peer = selected(pane, Peer, "a phone")
    if peer is not None:
        controller(pane).start(kind, {"peer": peer.name, "node": peer.node}, phones.one_phone(peer, kind))


def _all_phones(pane: Pane, kind: str) -> None:
    # The session's tenant; with an admin key, the tenant of the selected phone.
    tenant = pane.app.settings.tenant
    if not tenant:
        row = pane.selected_row
        tenant = row.tenant if isinstance(row, Peer) else ""
    controller(pane).start(f"{kind}-all", {"peer": "ALL", "tenant": tenant}, phones.all_phones(kind, tenant))


def _set_flow(pane: Pane) -> None:
    flow = selected(pane, Flow, "a flow")
    if flow is not None:
        controller(pane).start(
            "set-flow", {"flow": flow.id, "number": flow.number}, flows.set_flow(flow, pane_tenant(pane))
        )


HANDLERS = {
    "hangup": _hangup,
    "transfer": lambda pane: _transfer(pane, attended=False),
    "attended-transfer": lambda pane: _transfer(pane, attended=True),
    "originate": _originate,
    "pause": lambda pane: _agent_action(pane, "pause"),
    "unpause": lambda pane: _agent_action(pane, "unpause"),
    "unpause-all-queues": lambda pane: _agent_action(pane, "unpause-all-queues"),
    "queue-add": _queue_add,
    "queue-remove": lambda pane: _agent_action(pane, "queue-remove"),
    "reboot": lambda pane: _phone(pane, "reboot"),
    "unregister": lambda pane: _phone(pane, "unregister"),
    "reboot-all": lambda pane: _all_phones(pane, "reboot"),
    "unregister-all": lambda pane: _all_phones(pane, "unregister"),
    "set-flow": _set_flow,
}


def register_all() -> None:
    """Register every catalogued action with the monitor's command registry."""
    for spec in catalog.ACTIONS:
        register_command(
            PaneCommand(
                pane_id=spec.pane,
                name=spec.name,
                key=spec.key,
                title=spec.title,
                handler=HANDLERS[spec.name],
                description=catalog.describe(spec),
                writes=True,
                footer_title=spec.footer,
            )
        )


register_all()
