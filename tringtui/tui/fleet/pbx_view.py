"""``PbxView``: one PBX's tab in the fleet monitor, the whole monitor of that PBX.

The header names the PBX (its profile's label in its colour, host, tenant,
READ-ONLY), then the summary line and the single monitor's own panes (Nodes,
Channels, Queues, Flows & BLFs, Peers), fed from the member's live session.
Below 160x48 one pane fills the tab and the number keys switch between them;
from there up all five are shown, as in the single monitor
(``tringtui.tui.panes.layout``).

The view is the ``Monitor`` its panes and pane commands see
(``tringtui.tui.monitor.monitor_of`` finds the nearest one), so every write
key and palette entry of the single monitor works here, through this PBX's
own API thread, client, key and journal, and its confirmation names the PBX
first. A read-only PBX has no write keys, and a write reached anyway is
refused and journalled as blocked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.containers import Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input

from tringtui.live.fleet import FleetMember
from tringtui.live.snapshot import Snapshot
from tringtui.tui.actions.api_access import CallApi
from tringtui.tui.actions.pane_commands import build_controller
from tringtui.tui.actions.write_action import WriteAction
from tringtui.tui.panes import PANE_CLASSES
from tringtui.tui.panes.base import Pane
from tringtui.tui.panes.layout import compose_panes, is_dashboard, pane_of, show_panes
from tringtui.tui.panes.nodes import NodesPane
from tringtui.tui.registry import CommandRegistry, view
from tringtui.tui.screens.tenant import TenantScreen, tenant_check, tenants_seen
from tringtui.tui.widgets.header import StatusHeader
from tringtui.tui.widgets.summary import SummaryBar

if TYPE_CHECKING:
    from textual.app import App, ComposeResult

    from tringtui.live.clock import WallClock

# The Events pane shows a recording, and the fleet monitor records nothing.
FLEET_PANES = tuple(cls for cls in PANE_CLASSES if cls.pane_id != "events")
FLEET_PANE_IDS = tuple(cls.pane_id for cls in FLEET_PANES)


class PbxView(Vertical):
    """Everything one PBX's tab shows, and the ``Monitor`` of that PBX; see the module docstring.

    ``call_api`` runs a request on this PBX's API thread; ``commands`` are the
    fleet's pane commands; ``present`` dresses a write before it is confirmed
    (it names the PBX).
    """

    DEFAULT_CSS = """
    PbxView { height: 1fr; }
    """

    def __init__(
        self,
        member: FleetMember,
        *,
        app: App[Any],
        call_api: CallApi,
        commands: CommandRegistry,
        clock: WallClock,
        present: Callable[[WriteAction], WriteAction],
    ) -> None:
        super().__init__()
        self.member = member
        self.settings = member.settings
        self.live = member.session
        self.readonly = member.settings.readonly
        self.pane_tenant = member.session.tenant
        self.rebuilding = False  # the Monitor protocol's: a tab is never rebuilt
        self.dashboard = False
        start = member.settings.start_pane
        self.active_pane = start if start in FLEET_PANE_IDS else FLEET_PANE_IDS[0]
        self.commands = commands
        self._call_api = call_api
        self.panes: dict[str, Pane] = {
            cls.pane_id: cls(clock=clock, live=member.session, commands=commands) for cls in FLEET_PANES
        }
        self.operator_actions = build_controller(app, self, call_api, present=present)

    # -- the Monitor protocol ------------------------------------------------------------

    @property
    def keys_go_to_input(self) -> bool:
        """True while the user types into an input (a pane's filter) or a dialog is open."""
        return isinstance(self.app.focused, Input) or len(self.app.screen_stack) > 1

    def action_show_pane(self, pane_id: str) -> None:
        """Show (below 160x48) or focus (dashboard) one of this tab's panes."""
        if pane_id not in self.panes:
            return
        self.active_pane = pane_id
        self.apply_layout(self.app.size)
        self.panes[pane_id].focus_table()

    def open_chart(self, kind: str, key: str) -> None:
        self.app.notify(
            f"No chart of {kind} {key}: the fleet monitor records nothing. "
            f"tringtui --profile {self.member.name} charts it from its recording.",
            timeout=6, markup=False,
        )

    def show_readonly(self) -> None:
        """The PBX refused this key for a write: READ-ONLY in the header, and no write keys from now on."""
        self.readonly = True
        self.query_one(StatusHeader).show_readonly(True)
        self.app.refresh_bindings()

    def show_recorded_events(self) -> None:
        """Nothing to read again: the fleet records nothing and its tabs have no Events pane."""

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        settings = self.settings
        yield StatusHeader(profile=self.member.name, host=settings.server_host, tenant=self.pane_tenant,
                           demo=settings.demo, readonly=settings.readonly, label=settings.label,
                           label_color=settings.label_color)
        yield SummaryBar(id="summary")
        yield from compose_panes(self.panes)

    def on_mount(self) -> None:
        for pane in self.panes.values():
            if pane.tenant_scoped:
                pane.show_scope(self.pane_tenant)
            if self.live.idle_reason(pane.pane_id) is not None:
                # Not an error: nothing to ask the PBX until the user picks a tenant.
                pane.set_idle_reason("needs a tenant: press t")
        self.apply_layout(self.app.size)

    def start(self) -> None:
        """Once the session runs: ask the PBX whether this key may write (as the single monitor does)."""
        self.operator_actions.check_write_rights(self.pane_tenant)

    def apply_layout(self, size: Size) -> None:
        dashboard = is_dashboard(size)
        if self.dashboard and not dashboard:
            # Leaving the dashboard: keep showing the pane the user was working in.
            focused = pane_of(self.app.focused)
            if focused is not None and focused in self.panes.values():
                self.active_pane = focused.pane_id
        self.dashboard = dashboard
        show_panes(self.query_one("#panes", Widget), self.panes, dashboard=dashboard, active=self.active_pane)

    @property
    def tenant_choice(self) -> bool:
        """True for an admin key's profile: a tenant key (or the profile's ``tenant:``) fixes the tenant."""
        return not self.settings.tenant

    def choose_tenant(self, chosen: Callable[[str], None]) -> None:
        """Ask which tenant's queues and flows to show; ``chosen(tenant)`` tells the session (via the fleet)."""
        data = self.panes["peers"].snapshot.data
        seen = tenants_seen(data.peers if data is not None else ())

        def picked(tenant: str | None) -> None:
            if tenant and tenant != self.pane_tenant:
                self.pane_tenant = tenant
                for pane in self.panes.values():
                    pane.rescope(tenant)
                chosen(tenant)

        self.app.push_screen(TenantScreen(self.pane_tenant, seen, tenant_check(self._call_api)), picked)

    def palette_entries(self, choose_tenant: Callable[[], object]) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """The command palette's entries for this tab: its panes, and its pane commands (no writes when read-only)."""
        label = self.member.label
        if self.tenant_choice:
            yield f"{label}: choose tenant for queues and flows", "Queues and flows are per tenant (t)", choose_tenant
        for pane_id in FLEET_PANE_IDS:
            shown = view(pane_id)
            yield (f"{label}: show {shown.title.lower()}", f"{shown.description} (key {shown.key})",
                   partial(self.action_show_pane, pane_id))
        for command in self.commands.all():
            if command.pane_id not in self.panes or (command.writes and self.operator_actions.readonly):
                continue  # hidden on a read-only PBX, as their keys are
            yield (f"{label}: {view(command.pane_id).title}: {command.title}", command.description,
                   partial(self.run_pane_command, command.pane_id, command.name))

    def focus_active_pane(self) -> None:
        self.panes[self.active_pane].focus_table()

    # -- drawing -----------------------------------------------------------------------

    def show_snapshot(self, snapshot: Snapshot[Any]) -> None:
        """The session's subscriber: the snapshot to the pane that renders it (shown or not, so a tab
        opens on its latest data); the header and summary follow with the fleet's next redraw."""
        pane = self.panes.get(snapshot.source)
        if pane is not None and pane.is_mounted:
            pane.show_snapshot(snapshot)

    def refresh_chrome(self) -> None:
        """Header age, summary line and the Nodes pane's totals: the same figures, from one computation."""
        self.query_one(StatusHeader).show_last_refresh(self.live.last_fetched())
        totals = self.live.totals(queue_scope="" if self.settings.tenant else self.pane_tenant)
        self.query_one(SummaryBar).show(totals, title=lambda source: view(source).title)
        nodes = self.panes["nodes"]
        if isinstance(nodes, NodesPane):
            nodes.show_totals(totals)

    def tick(self) -> None:
        """Once a second while shown: ages in titles, ticking durations, stale markers."""
        for pane in self.panes.values():
            pane.tick()

    async def run_pane_command(self, pane_id: str, name: str) -> None:
        """Run a registered pane command (from the palette) on that pane's selected row."""
        self.action_show_pane(pane_id)
        await self.panes[pane_id].action_command(name)
