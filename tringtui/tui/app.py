"""The live monitor: header, summary line, the five panes, and the keys that drive them.

At 80x24 one pane fills the screen and the number keys switch between them;
from 160x48 up the same pane widgets are laid out as a dashboard. The polling
is the headless ``LiveSession`` (``tringtui.live``), running on this loop
with its requests on the API thread; the app subscribes to it, hands each
snapshot to the pane that renders it, and keeps the header and summary line
in step with the session's own figures.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import replace
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input

from tringtui.config.resolve import DEFAULT_THEME
from tringtui.config.switcher import ProfileSwitcher
from tringtui.live.clock import SystemClock, WallClock
from tringtui.audit import AuditEntry, AuditJournal, AuditOutcome, local_user, now_iso, scrub_parameters
from tringtui.live.alerting import Alerting
from tringtui.live.alerts import Alert, Target, Transition
from tringtui.live.derived import Totals
from tringtui.live.poller import DEFAULT_BACKOFF_CAP
from tringtui.live.session import LiveSession
from tringtui.live.snapshot import Snapshot
from tringtui.live.tenants import TenantAccounts
from tringtui.settings import PANES, Settings
from tringtui.store.events import alert_event
from tringtui.store.events import Event
from tringtui.tui.actions.pane_commands import build_commands, build_controller
from tringtui.tui.alert_notices import desktop_sequence, fired, notice_text
from tringtui.tui.api_thread import ApiThread
from tringtui.tui.crash_report import crash_report
from tringtui.tui.palette import MonitorCommands
from tringtui.tui.recording import MonitorRecording
from tringtui.tui.replay_controls import REPLAY_ACTIONS, REPLAY_BINDINGS, ReplayControls
from tringtui.tui.rewind import Rewind
from tringtui.tui.panes import PANE_CLASSES
from tringtui.tui.panes.base import Pane
from tringtui.tui.panes.events import KEEP as EVENTS_KEPT
from tringtui.tui.panes.events import EventsPane
from tringtui.tui.panes.layout import compose_panes, is_dashboard, pane_of, show_panes
from tringtui.tui.panes.nodes import NodesPane
from tringtui.tui.registry import VIEWS, view
from tringtui.tui.screens.alerts import AlertsScreen
from tringtui.tui.screens.help import HelpScreen, help_sections
from tringtui.tui.screens.tenant import TenantScreen, tenant_check, tenants_seen
from tringtui.tui.screens.tenant_overview import TenantOverviewScreen
from tringtui.tui.screens.waiting import WaitingScreen
from tringtui.tui.screens.write_in_flight import WriteInFlightScreen
from tringtui.tui.session import SessionCommands, SessionController
from tringtui.tui.session_end import SessionGuard
from tringtui.tui.textual_compat import (
    add_exit_renderable,
    close_now,
    forgiving_driver,
    mark_failed,
    pending_exception,
    write_to_terminal,
)
from tringtui.tui.toast_hold import HeldToast, ToastHold
from tringtui.tui.themes import ThemeSet, load_all_themes, theme_variable_defaults
from tringtui.tui.widgets.footer import MonitorFooter
from tringtui.tui.widgets.header import StatusHeader, format_clock
from tringtui.tui.widgets.keyed_table import KeyedTable
from tringtui.tui.widgets.state_table import StateTable
from tringtui.tui.widgets.summary import SummaryBar

if TYPE_CHECKING:
    from rich.console import RenderableType

    from tringtui.store.history import Series
    from textual.driver import Driver
    from textual.notifications import SeverityLevel

    from tringtui.api.client import TringClient
    from tringtui.store.replay import ReplayCursor

T = TypeVar("T")

# The app's own key actions; off while keys belong to an input or a dialog.
MONITOR_KEY_ACTIONS = frozenset(
    {"show_pane", "toggle_pause", "refresh_now", "choose_tenant", "switch_profile", "help", "quit_key",
     "show_alerts", "rewind", "back_to_live", *REPLAY_ACTIONS}
)

# While rewound, the live session's controls are off: the screen shows the recording.
LIVE_ONLY_ACTIONS = frozenset({"toggle_pause", "refresh_now", "choose_tenant", "switch_profile", "rewind"})


def make_client(settings: Settings) -> TringClient:
    """The API client for a session (the key stays a ``Secret`` all the way down)."""
    from tringtui.api.client import TringClient

    return TringClient.from_settings(settings)


class TringApp(ReplayControls, App[None]):
    """The tringtui monitor for one PBX session (``Settings``).

    ``clock`` stamps fetched data and drives ages and call durations (tests pass
    a frozen one); ``client_factory`` builds the API client from the settings
    (tests point it elsewhere than the host the header shows);
    ``tick_interval`` is how often ages and durations are redrawn (0: never,
    for snapshots). ``pane_tenant`` is the tenant the queues and flows panes
    show when the session itself is not limited to one (an admin key); the
    user can change it with ``t``. ``themes`` are the loaded theme files
    (default: the shipped and the user's); ``switcher`` lets ``P`` switch to
    another profile of the config file; ``notices`` are warnings to show
    once the app is up.
    """

    cursor: ReplayCursor | None = None
    """The moment shown while replaying a recording (None: live)."""
    CSS_PATH = "app.tcss"
    TITLE = "tringtui"
    COMMANDS = App.COMMANDS | {MonitorCommands, SessionCommands}

    # Priority bindings run the moment the key arrives, before it is handed to
    # the focused widget, so keys typed in one burst ("5/103") act in order.
    # ``check_action`` turns them off while the user types in an input or a
    # dialog is open, so digits and letters reach the input instead.
    BINDINGS = [
        *(Binding(view.key, f"show_pane('{view.pane_id}')", view.title, show=False, priority=True) for view in VIEWS),
        Binding("p", "toggle_pause", "Pause", priority=True),
        Binding("r", "refresh_now", "Refresh", priority=True),
        Binding("f5", "refresh_now", "Refresh", show=False, priority=True),
        Binding("t", "choose_tenant", "Choose tenant (queues, flows)", show=False, priority=True),
        Binding("o", "tenant_overview", "Tenant overview", show=False, priority=True),
        Binding("P", "switch_profile", "Switch profile", show=False, priority=True),
        Binding("7", "show_alerts", "Alerts view (firing alerts)", show=False, priority=True),
        Binding("R", "rewind", "Rewind", show=False, priority=True),
        Binding("escape", "back_to_live", "Live", priority=True),
        *REPLAY_BINDINGS,
        Binding("question_mark", "help", "Help", priority=True),
        # Its own action name: turning "q" off while typing must not turn off Ctrl+Q
        # (Textual's "quit"), which has to work from any dialog.
        Binding("q", "quit_key", "Quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        pane_tenant: str = "",
        clock: WallClock = time.time,
        client_factory: Callable[[Settings], TringClient] = make_client,
        backoff_cap: float = DEFAULT_BACKOFF_CAP,
        tick_interval: float = 1.0,
        themes: ThemeSet | None = None,
        switcher: ProfileSwitcher | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.toasts = ToastHold(self)
        self.clock = clock
        self.dashboard = False
        self.rebuilding = False
        """True while a profile switch rebuilds the screen: header and panes are not all there."""
        self._client_factory = client_factory
        self._backoff_cap = backoff_cap
        self._tick_interval = tick_interval
        # Registered here, once, not as a side effect of importing the modules that define them.
        self.commands = build_commands()
        self.session = SessionController(self, themes or load_all_themes(), switcher, notices)
        self.session.install_themes()
        self._set_session(settings, pane_tenant)
        self._session_guard = SessionGuard(self)
        self._rewind: Rewind | None = None

    def get_driver_class(self) -> type[Driver]:
        return forgiving_driver(super().get_driver_class())

    def panic(self, *renderables: RenderableType) -> None:
        mark_failed(self)  # any crash exits non-zero, also one reported from the input thread
        super().panic(*renderables)

    def _fatal_error(self) -> None:
        # Textual's report prints every frame's local variables, any of which may hold the key.
        from tringtui.api.client import known_secrets

        self.bell()
        error = sys.exc_info()[1] or pending_exception(self)
        secrets = {self.settings.key.reveal(), *known_secrets()}
        add_exit_renderable(self, crash_report(error, secrets))
        close_now(self)

    def _set_session(self, settings: Settings, pane_tenant: str = "") -> None:
        """Take on a session's settings: fresh panes, a fresh client, its theme (nothing is mounted yet)."""
        self.settings = settings
        self.readonly = settings.readonly
        self.paused = False
        self.active_pane = settings.start_pane if settings.start_pane in PANES else PANES[0]
        self.pane_tenant = settings.tenant or pane_tenant
        self.tenant_accounts = TenantAccounts()  # the tenant overview's INFO answers, asked at most once a minute
        self.api = ApiThread(lambda: self.alerting.observe(self._client_factory(settings)))
        self.live = LiveSession(
            self.api.call,
            intervals={pane_id: settings.interval(pane_id) for pane_id in PANES},
            # The wall clock stamps data (tests freeze it); polls are scheduled on real time.
            clock=SystemClock(self.clock),
            tenant=self.pane_tenant,
            backoff_cap=self._backoff_cap,
        )
        self._unsubscribe = self.live.subscribe(self._show_snapshot)
        # Subscribed after the panes' own subscriber: the figures an alert shows are the ones on screen.
        self.alerting = Alerting(self.live, self.api.call, settings)
        self.alerting.watcher.listeners.append(self._alerts_changed)
        self.alert_flash = False
        self.recording = MonitorRecording(settings, self.live, on_events=self._events_recorded)
        # The Nodes and Queues trends start with what was recorded (an earlier monitor, tringtui record), not empty.
        recorded = self.recording.recorded_trends(self.clock())
        self.live.node_trends, self.live.queue_trends = recorded.nodes, recorded.queues
        self.theme = settings.theme if settings.theme in self.available_themes else DEFAULT_THEME
        self.panes: dict[str, Pane] = {
            cls.pane_id: cls(clock=self.clock, live=self.live, commands=self.commands) for cls in PANE_CLASSES
        }
        self.operator_actions = build_controller(self, self, self.call_api)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # State colours for themes that do not define them (Textual's own, a user's minimal theme).
        return theme_variable_defaults(self.current_theme)

    async def call_api(self, request: Callable[[TringClient], Awaitable[T]]) -> T:
        """Run ``request(client)`` on the API thread; the way panes, screens and actions reach the PBX."""
        if self._rewind is not None:
            raise RuntimeError("rewound into the recording: no request goes to the PBX (Esc returns to live)")
        return await self.api.call(request)

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        settings = self.settings
        yield StatusHeader(
            profile=settings.profile,
            host=settings.server_host,
            tenant=settings.tenant,
            demo=settings.demo,
            readonly=settings.readonly,
            label=settings.label,
            label_color=settings.label_color,
        )
        yield SummaryBar(id="summary")
        yield from compose_panes(self.panes)
        yield MonitorFooter()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        if self.toasts.holding:  # shown when the dialog closes (toast_hold)
            self.toasts.hold(HeldToast(message, title, severity, timeout or self.NOTIFICATION_TIMEOUT, markup))
        else:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        self._session_guard.install()
        self.toasts.install()
        self._start_session()
        if self.recording.reason:
            self.notify(self.recording.reason, severity="warning", timeout=8)
        if self._tick_interval:
            self.set_interval(self._tick_interval, self.tick)
        self.session.start()

    def _start_session(self) -> None:
        self._apply_layout(self.size)
        self.api.start()
        self.live.set_tenant(self.pane_tenant)
        self.operator_actions.check_write_rights(self.pane_tenant)
        for pane in self.panes.values():
            if pane.tenant_scoped:
                pane.show_scope(self.pane_tenant)
            if self.live.idle_reason(pane.pane_id) is not None:
                # Not an error: nothing to ask the PBX until the user picks a tenant.
                pane.set_idle_reason("needs a tenant: press t")
        self.live.start()
        self.alerting.start()
        self._show_recorded_events()
        self.panes[self.active_pane].focus_table()

    def _show_recorded_events(self) -> None:
        """The Events pane starts with the recording's latest events, or says why there are none."""
        events = self.panes["events"]
        if not isinstance(events, EventsPane):
            return
        if self.recording.recording:
            self._read_time_line_off_the_loop(replace=True)
        else:
            events.set_idle_reason(self.recording.reason or "not recording (--no-record or record: false)")

    def show_recorded_events(self) -> None:
        """After a write: the time line read again, beside what the pane shows."""
        if self.recording.recording and self._rewind is None:
            self._read_time_line_off_the_loop(replace=False)

    def _read_time_line_off_the_loop(self, replace: bool) -> None:
        # The store and the audit journal may be long: read on a thread, never on the loop that answers keys.
        def read() -> None:
            found = self.recording.recent_events(EVENTS_KEPT)
            try:
                self.call_from_thread(self._add_events, found, replace)
            except RuntimeError:
                pass  # the app is closing

        self.run_worker(read, thread=True, group="time-line", exclusive=True)

    def _events_recorded(self, found: Sequence[Event]) -> None:
        """From the recorder's thread: new events for the Events pane."""
        try:
            self.call_from_thread(self._add_events, found)
        except RuntimeError:
            pass  # the app is closing: the events are in the store all the same

    def _add_events(self, found: Sequence[Event], replace: bool = False) -> None:
        """New events for the Events pane; ``replace``: they are the whole time line to show."""
        events = self.panes.get("events")
        # While rewound the pane follows the cursor; going back to live reads the store again.
        if isinstance(events, EventsPane) and events.is_mounted and not self.rebuilding and self._rewind is None:
            if replace:
                events.show_events(found)
            else:
                events.add_events(found)

    def _show_snapshot(self, snapshot: Snapshot[Any]) -> None:
        """The session's subscriber: the snapshot to its pane, then the header and summary."""
        # A snapshot answered just as the app quits or rebuilds finds no widgets to draw on.
        if self.rebuilding or not self.is_running:
            return
        pane = self.panes.get(snapshot.source)
        if pane is not None and pane.is_mounted:
            pane.show_snapshot(snapshot)
        self.refresh_chrome()

    async def switch_session(self, settings: Settings) -> None:
        """Watch another profile without restarting: new panes, client, header and theme.

        The old panes go with their pollers, so nothing of the previous PBX can
        stay on screen under the new header.
        """
        self.action_back_to_live()  # a rewind's read-only state is not the session's
        if self.readonly:
            # Sticky whatever made it so (flag, TRINGTUI_READONLY, the profile, the key):
            # no switch makes a read-only session writable.
            settings = replace(settings, readonly=True)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        # Stopped first, so no answer from the old PBX lands in a pane being taken down.
        self._unsubscribe()
        self.live.stop()
        self.alerting.stop()
        await asyncio.to_thread(self.recording.close)
        previous_api = self.api
        self._set_session(settings)
        # While the screen is rebuilt, the header and summary exist before their labels do:
        # the once-a-second tick must not look for them then.
        self.rebuilding = True
        try:
            await self.recompose()
        finally:
            self.rebuilding = False
        self._start_session()
        self.refresh_chrome()
        # Closing the old client may wait on a hung connection: not on the UI's loop.
        await asyncio.to_thread(previous_api.stop)

    def on_unmount(self) -> None:
        self._session_guard.remove()
        if self._rewind is not None:  # quitting while rewound: the live session behind is the one to stop
            self._unsubscribe()
            self.live = self._rewind.live
            self._unsubscribe = lambda: None
            self._rewind.close()
        self._unsubscribe()
        self.live.stop()
        self.alerting.stop()
        self.recording.close()
        self.api.stop()

    def on_resize(self, event: Any) -> None:
        if not self.rebuilding:  # the rebuilt screen gets its layout when the switch ends
            self._apply_layout(event.size)

    def _apply_layout(self, size: Size) -> None:
        dashboard = is_dashboard(size)
        if self.dashboard and not dashboard:
            # Leaving the dashboard: keep showing the pane the user was working in.
            focused_pane = pane_of(self.focused)
            if focused_pane is not None:
                self.active_pane = focused_pane.pane_id
        self.dashboard = dashboard
        show_panes(self.query_one("#panes", Widget), self.panes, dashboard=dashboard, active=self.active_pane)

    # -- actions -------------------------------------------------------------------

    def action_show_pane(self, pane_id: str) -> None:
        """Show (at 80x24) or focus (dashboard) a pane."""
        self.active_pane = pane_id
        self._apply_layout(self.size)
        self.panes[pane_id].focus_table()

    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        self.live.pause() if self.paused else self.live.resume()
        self.query_one(StatusHeader).show_paused(self.paused)

    def action_refresh_now(self) -> None:
        self.live.refresh_now()

    @property
    def keys_go_to_input(self) -> bool:
        """True while the user types into an input or a dialog (help, palette, …) is open."""
        return isinstance(self.focused, Input) or len(self.screen_stack) > 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MONITOR_KEY_ACTIONS and self.keys_go_to_input:
            return False
        if action in REPLAY_ACTIONS:
            return self.cursor is not None
        if action == "back_to_live":
            return self._rewind is not None
        if action in LIVE_ONLY_ACTIONS and self._rewind is not None:
            return False
        if action == "command_palette" and isinstance(self.screen, WaitingScreen):
            # The waiting window closes itself when the PBX answers; a palette over it would keep it open.
            return False
        if action == "choose_tenant":
            # A tenant key (or --tenant) fixes the tenant for the whole session.
            return not self.settings.tenant
        return True

    async def action_quit_key(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        # Ctrl+Q and q. A SIGHUP does not come here: it exits at once (session_end).
        if not self._asked_about_write_in_flight("Quit anyway", self.exit):
            await super().action_quit()

    def action_switch_profile(self) -> None:
        if not self._asked_about_write_in_flight("Switch anyway", self.session.pick_profile):
            self.session.pick_profile()

    def _asked_about_write_in_flight(self, go_label: str, go: Callable[[], object]) -> bool:
        """While a write awaits the PBX, ask "wait / go anyway" (``go`` runs on the latter); ``False`` if none is."""
        actions = self.operator_actions
        if not actions.in_flight:
            return False
        if not isinstance(self.screen, WriteInFlightScreen):
            self.push_screen(WriteInFlightScreen(actions.in_flight, go_label, actions.answered),
                             lambda anyway: go() if anyway else None)
        return True

    def action_choose_tenant(self) -> None:
        data = self.panes["peers"].snapshot.data
        seen = tenants_seen(data.peers if data is not None else ())
        self.push_screen(TenantScreen(self.pane_tenant, seen, tenant_check(self.call_api)), self._set_pane_tenant)

    def action_tenant_overview(self) -> None:
        self.push_screen(TenantOverviewScreen(self.tenant_accounts), self._set_pane_tenant)

    def _set_pane_tenant(self, tenant: str | None) -> None:
        if not tenant or tenant == self.pane_tenant:
            return
        self.pane_tenant = tenant
        for pane in self.panes.values():
            pane.rescope(tenant)
        self.live.set_tenant(tenant)

    @property
    def rewound(self) -> bool:
        """True while a live monitor shows its own recording (R); Esc returns to live."""
        return self._rewind is not None

    def action_rewind(self) -> None:
        """Show the monitor's own recording, at its latest poll; the live session keeps polling and recording."""
        if not self.recording.recording:
            self.notify(self.recording.reason or "Nothing to rewind: this session is not recorded.",
                        severity="warning", timeout=4)
            return
        try:
            self._rewind = Rewind.start(self)
        except Exception as error:  # noqa: BLE001 - an empty or unreadable store: say why, stay live
            self.notify(f"Cannot rewind: {error}", severity="warning", timeout=4)
            return
        self.refresh_bindings()
        self._moved()

    def action_back_to_live(self) -> None:
        """Leave the recording: the live panes again, with what the session polled meanwhile."""
        rewind, self._rewind = self._rewind, None
        if rewind is None:
            return
        self.playing = False
        self._stop_playing_timer()
        rewind.stop(self)
        self._show_recorded_events()
        self.refresh_bindings()
        self.refresh_chrome()

    def open_chart(self, kind: str, key: str) -> None:
        """Enter on a node or queue: its recorded figures over the last hour (``d``: day), up to the moment shown."""
        from tringtui.store import Store, StoreError
        from tringtui.store.history import node_history, queue_history
        from tringtui.tui.screens.chart import ChartScreen

        if self.cursor is not None:
            store, until, own = self.cursor.store, self.cursor.at, False
        elif self.recording.recording:
            self.recording.flush()
            try:
                store, until, own = Store(self.recording.path, readonly=True), self.clock(), True
            except StoreError as error:
                self.notify(f"No chart: {error}", severity="warning", timeout=4)
                return
        else:
            self.notify("No chart: this session is not recorded (--no-record or record: false).", timeout=4)
            return

        def load(window: float) -> dict[str, Series]:
            if kind == "node":
                nodes = node_history(store, until - window, until)
                return {"Registered peers": nodes.peers.get(key, []), "Active channels": nodes.channels.get(key, [])}
            queue = queue_history(store, key, until - window, until)
            return {"Calls waiting": queue.waiting, "Service level %": queue.service_level}

        def closed(_result: object) -> None:
            if own:
                store.close()

        self.push_screen(ChartScreen(f"{'Node' if kind == 'node' else 'Queue'} {key}", until, load), closed)

    def action_help(self) -> None:
        # The number keys are listed under "Views" with their descriptions.
        # Only the keys that work now: the time keys and Esc while rewound or replaying, R while live.
        off = {"rewind"} if self.cursor is not None else set(REPLAY_ACTIONS)
        if not self.rewound:
            off.add("back_to_live")
        global_bindings = [binding for binding in self.BINDINGS if not binding.action.startswith("show_pane")
                           and binding.action.partition("(")[0] not in off]
        table_bindings = [*KeyedTable.BINDINGS, *StateTable.BINDINGS]
        self.push_screen(HelpScreen(help_sections(global_bindings, Pane.BINDINGS, table_bindings, self.commands)))

    def show_readonly(self) -> None:
        """The session became read-only (the server refused the key for a write): say so, hide the write keys."""
        self.readonly = True
        self.query_one(StatusHeader).show_readonly(True)
        self.refresh_bindings()

    async def run_pane_command(self, pane_id: str, name: str) -> None:
        """Run a registered pane command (from the palette) on that pane's selected row."""
        self.action_show_pane(pane_id)
        await self.panes[pane_id].action_command(name)

    # -- keeping header and summary current ------------------------------------------

    def tick(self) -> None:
        """Once a second: ages in titles, ticking durations, stale markers; unacknowledged alerts flash."""
        for pane in self.panes.values():
            pane.tick()
        self.alert_flash = not self.alert_flash
        self.refresh_chrome()
        if isinstance(self.screen, AlertsScreen):
            self.screen.refresh_alerts()

    def refresh_chrome(self) -> None:
        if self.rebuilding:
            return
        header = self.query_one(StatusHeader)
        header.show_last_refresh(self.live.last_fetched())
        firing = self.alerting.engine.firing
        worst = self.alerting.engine.worst
        waiting = any(not alert.acknowledged for alert in firing)
        header.show_alerts(len(firing), worst.value if worst else None, flash=waiting and self.alert_flash)
        header.show_recording(self.recording.recording)
        totals = self.totals()
        self.query_one(SummaryBar).show(totals, title=lambda source: view(source).title)
        nodes = self.panes["nodes"]
        if isinstance(nodes, NodesPane):
            nodes.show_totals(totals)  # the same figures as the summary's: one computation

    # -- alerts ------------------------------------------------------------------------

    def _alerts_changed(self, transitions: list[Transition]) -> None:
        """The watcher's listener: the time line records it, header and Alerts view follow; a firing rings
        and notifies if the profile asks."""
        self.recording.add_events([alert_event(transition) for transition in transitions])
        if self.rebuilding or not self.is_running:
            return
        self.refresh_chrome()
        if isinstance(self.screen, AlertsScreen):
            self.screen.refresh_alerts()
        new = fired(transitions)
        if not new:
            return
        if self.settings.alert_bell:
            self.bell()
        sequence = desktop_sequence(self.settings.alert_desktop, *notice_text(new))
        if sequence:
            write_to_terminal(self, sequence)

    def action_show_alerts(self) -> None:
        self.push_screen(
            AlertsScreen(lambda: self.alerting.engine.firing, self.acknowledge_alert), self._jump_to
        )

    def acknowledge_alert(self, alert: Alert) -> None:
        """Acknowledge a firing alert (it stays listed, and stops the flashing) and journal it."""
        acknowledged = self.alerting.engine.acknowledge(alert.key)
        if acknowledged is None:
            self.notify("That alert has resolved meanwhile.", timeout=4)
            return
        entry = AuditEntry(
            time=now_iso(),
            user=local_user(),
            profile=self.settings.profile,
            server=self.settings.server_host,
            tenant=alert.tenant or self.settings.tenant,
            action="alert.acknowledge",
            target=scrub_parameters({"rule": alert.rule.name, "subject": alert.subject, "where": alert.where,
                                     "severity": alert.severity.value}),
            params=scrub_parameters({"value": alert.describe_value(), "since": format_clock(alert.since)}),
            outcome=AuditOutcome.SUCCESS.value,
            message=f"acknowledged {alert.rule.name} at {alert.where}",
        )
        try:
            AuditJournal(self.settings.audit_path or None).append(entry)
        except OSError as error:
            self.notify(f"Acknowledged, but the journal could not be written: {error.strerror}", severity="warning")
        self.show_recorded_events()
        self.refresh_chrome()

    def _jump_to(self, target: Target | None) -> None:
        """Show the alert's object: its pane, the cursor on its row (if the row is there now)."""
        if target is None:
            return
        self.action_show_pane(target.pane)
        pane = self.panes[target.pane]
        if not any(table.move_cursor(target.key) for table in pane.tables):
            self.notify(f"Not in the {view(target.pane).title} pane now (gone, or filtered out).", timeout=4)

    def totals(self) -> Totals:
        """The summary line's figures, from the live session (the Nodes pane's totals are the same)."""
        return self.live.totals(queue_scope="" if self.settings.tenant else self.pane_tenant)
