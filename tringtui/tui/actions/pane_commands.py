"""Builds the app's pane commands (``build_commands``) and its ``ActionController``.

``build_commands`` registers the actions of ``catalog``, and the channel
details, with a new command registry when the app is built: it binds their
keys on the panes, lists them in the footer and the help screen, and offers
them in the command palette.
Each handler reads the target from the pane's selected row *at the moment the
key is pressed* and hands the controller an action bound to that identity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode

from tringtui.api.models import Agent, Channel, Flow, Peer, split_peer_name
from tringtui.audit import AuditJournal
from tringtui.live.calls import Call
from tringtui.tui.actions import agents, calls, catalog, flows, phones
from tringtui.tui.actions.agents import agent_identity
from tringtui.tui.actions.api_access import CallApi
from tringtui.tui.actions.calls import call_identity, call_tenant
from tringtui.tui.actions.controller import ActionController
from tringtui.tui.actions.runner import ActionRunner
from tringtui.tui.actions.story_commands import STORY_COMMANDS
from tringtui.tui.actions.write_action import WriteAction
from tringtui.tui.monitor import Monitor, monitor_of
from tringtui.tui.registry import CommandRegistry, PaneCommand
from tringtui.tui.screens.channel_detail import ChannelDetailScreen
from tringtui.tui.widgets.header import StatusHeader

if TYPE_CHECKING:
    from textual.app import App

    from tringtui.tui.panes.base import Pane

# Attributes under which a pane's row object may wrap the model an action needs.
_WRAPPED = ("channel", "agent", "peer", "flow", "queue")


def build_controller(
    app: App[Any], monitor: Monitor, call_api: CallApi, *,
    present: Callable[[WriteAction], WriteAction] = lambda action: action,
) -> ActionController:
    """The controller for a monitor (a ``TringApp``, a fleet's PBX tab): requests go through ``call_api``
    (its API thread), outcomes into its live session; ``present`` dresses each action before it is confirmed."""
    settings = monitor.settings
    journal = AuditJournal(settings.audit_path or None)
    return ActionController(
        app,
        ActionRunner(call_api, settings, journal),
        refresh_pane=lambda pane_id: monitor.live.refresh_now(pane_id),
        on_readonly_changed=monitor.show_readonly,
        on_sending=lambda title: _show_sending(app, monitor, title),
        present=present,
        on_journalled=monitor.show_recorded_events,
    )


def _show_sending(app: App[Any], monitor: Monitor, title: str | None) -> None:
    # The app may be closing or switching profile while the PBX answers: no header then.
    if app.screen_stack and not monitor.rebuilding:
        # The monitor's own header: a fleet has one per PBX tab, and only this PBX is sending.
        where = monitor if isinstance(monitor, DOMNode) else app
        for header in where.query(StatusHeader):
            header.show_sending(title)


def controller(pane: Pane) -> ActionController:
    return monitor_of(pane).operator_actions


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
    monitor = monitor_of(pane)
    return monitor.settings.tenant or monitor.pane_tenant


def queue_names(pane: Pane) -> dict[str, str]:
    data = pane.snapshot.data
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
    call = getattr(pane.selected_row, "call", None)
    if isinstance(call, Call):  # a grouped row: the whole call
        controller(pane).start("hangup", call_identity(call.first), calls.hang_up_call(call))
        return
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
    monitor = monitor_of(pane)
    tenant = monitor.settings.tenant or tenant or monitor.pane_tenant
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
    tenant = monitor_of(pane).settings.tenant
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


def _details(pane: Pane) -> None:
    row = pane.selected_row
    if row is not None:
        pane.app.push_screen(ChannelDetailScreen(row.channel))


DETAILS = PaneCommand(
    pane_id="channels",
    name="details",
    key="i",
    title="Details",
    handler=_details,
    description="Show the CHANNEL detail of the call under the cursor (also Enter)",
    show_in_footer=False,
)


def build_commands() -> CommandRegistry:
    """Every pane command of the monitor: the channel details, the stories and each catalogued action."""
    registry = CommandRegistry()
    registry.add(DETAILS)
    for command in STORY_COMMANDS:
        registry.add(command)
    for spec in catalog.ACTIONS:
        registry.add(
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
    return registry
