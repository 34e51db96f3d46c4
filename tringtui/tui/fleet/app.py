"""The fleet monitor: several PBXs at once, one tab each, and a fleet overview tab.

``tringtui --profile a --profile b`` or ``tringtui --group noc`` starts it.
Every PBX has its own API thread and client (its own key, tenant and
read-only setting) and its own live session (``tringtui.live.fleet``), so a
PBX that fails or hangs never delays another. The tab on screen polls every
source; the others poll only what the overview needs, slowly.

Keys: Alt+1…9 open a PBX's tab, Alt+0 the overview, ``<`` ``>`` the previous
and next tab; Enter on an overview row opens that PBX; the command palette
lists every tab, and the shown PBX's panes and pane commands. A PBX's tab is
that PBX's whole monitor (``pbx_view``): the number keys 1…5 switch its
panes, and every write of the single monitor works there, on that PBX only,
its confirmation naming the PBX first.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, TabbedContent, TabPane

from tringtui.api.client import TringClient
from tringtui.config.resolve import DEFAULT_THEME
from tringtui.live.clock import Clock, SystemClock
from tringtui.live.fleet import OVERVIEW_SOURCES, Fleet, FleetMember, member_session
from tringtui.settings import Settings
from tringtui.tui.actions.api_access import Request
from tringtui.tui.actions.pane_commands import build_commands
from tringtui.tui.actions.write_action import WriteAction
from tringtui.tui.api_thread import ApiThread
from tringtui.tui.crash_report import crash_report
from tringtui.tui.session_end import SessionGuard
from tringtui.tui.themes import ThemeSet, load_all_themes, theme_variable_defaults
from tringtui.tui.fleet.overview import FleetOverview, FleetTable
from tringtui.tui.widgets.keyed_table import KeyedTable
from tringtui.tui.fleet.pbx_view import FLEET_PANE_IDS, PbxView
from tringtui.tui.registry import view
from tringtui.tui.panes.base import Pane
from tringtui.tui.screens.help import HelpScreen, help_sections
from tringtui.tui.widgets.state_table import StateTable
from tringtui.tui.screens.write_in_flight import WriteInFlightScreen

OVERVIEW_TAB = "tab-overview"
MAX_NUMBERED_TABS = 9
# A terminal sends Alt+digit as ESC and the digit, which Textual reads as the character a Mac's
# Option+digit types; a binding names both, so Alt+1…9 and Alt+0 work wherever they arrive from.
ALT_DIGIT_KEYS = {
    0: "alt+0,º", 1: "alt+1,inverted_exclamation_mark", 2: "alt+2,trade_mark_sign", 3: "alt+3,pound_sign",
    4: "alt+4,cent_sign", 5: "alt+5,infinity", 6: "alt+6,section_sign", 7: "alt+7,pilcrow_sign",
    8: "alt+8,bullet", 9: "alt+9,ª",
}
FLEET_KEY_ACTIONS = frozenset(
    {"show_pbx", "show_overview", "step_tab", "refresh_now", "quit_key", "show_pane", "choose_tenant", "help"}
)


def pbx_tab_id(index: int) -> str:
    # Profile names may hold characters a widget id cannot: tabs are numbered instead.
    return f"tab-pbx-{index}"


def tab_title(index: int, member: FleetMember) -> Content:
    """``1 PROD-EU``, the label in its profile's colour; the label is the user's text, never markup."""
    title = Content(f"{index} {member.label}")
    colour = member.settings.label_color
    if not colour:
        return title
    try:
        # Validated with the config file by the same parser; hex keeps the style string unambiguous.
        return title.stylize(f"bold {Color.parse(colour).hex}", len(f"{index} "))
    except ColorParseError:
        return title


def on_pbx(member: FleetMember) -> Callable[[WriteAction], WriteAction]:
    """How a write to ``member`` is presented: its confirmation names first of all the PBX it goes to."""

    def named(action: WriteAction) -> WriteAction:
        where = f"{member.label} ({member.settings.server_host})"
        return replace(action, title=f"{action.title} on {member.label}", details=(("PBX", where), *action.details))

    return named


class FleetApp(App[None]):
    """Several PBX sessions in tabs, with the fleet overview first. See the module docstring.

    ``settings`` are the PBXs' resolved profiles (their ``profile`` names must
    differ); ``clock`` stamps and schedules (tests pass a ``ManualClock``);
    ``client_factory`` builds each PBX's client; ``tick_interval`` is how often
    ages are redrawn (0: never, for snapshots).
    """

    CSS_PATH = "../app.tcss"
    TITLE = "tringtui fleet"

    BINDINGS = [
        *(Binding(ALT_DIGIT_KEYS[n], f"show_pbx({n})", f"PBX {n}", show=False, priority=True)
          for n in range(1, MAX_NUMBERED_TABS + 1)),
        Binding(ALT_DIGIT_KEYS[0], "show_overview", "Fleet overview", show=False, priority=True),
        # A PBX tab's panes, as the single monitor's number keys (the overview has none).
        *(Binding(view(pane_id).key, f"show_pane('{pane_id}')", view(pane_id).title, show=False, priority=True)
          for pane_id in FLEET_PANE_IDS),
        Binding("less_than_sign", "step_tab(-1)", "Previous tab", priority=True),
        Binding("greater_than_sign", "step_tab(1)", "Next tab", priority=True),
        Binding("r", "refresh_now", "Refresh", priority=True),
        Binding("t", "choose_tenant", "Choose tenant (queues, flows)", show=False, priority=True),
        Binding("question_mark", "help", "Help", priority=True),
        # Its own action name: turning "q" off while typing must not turn off Ctrl+Q (Textual's "quit"),
        # which has to work from any dialog.
        Binding("q", "quit_key", "Quit", priority=True),
    ]

    def __init__(
        self,
        settings: Sequence[Settings],
        *,
        clock: Clock | None = None,
        client_factory: Callable[[Settings], TringClient] = TringClient.from_settings,
        tick_interval: float = 1.0,
        themes: ThemeSet | None = None,
        theme: str = DEFAULT_THEME,
        tenants: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._threads: dict[str, ApiThread] = {}
        members = []
        for one in settings:
            thread = ApiThread(partial(client_factory, one))
            self._threads[one.profile] = thread
            session = member_session(one, thread.call, self.clock, tenant=(tenants or {}).get(one.profile, ""))
            members.append(FleetMember(one.profile, one, session))
        self.fleet = Fleet(members, clock=self.clock)
        self.commands = build_commands()
        self.views = {
            member.name: PbxView(member, app=self, call_api=self._threads[member.name].call, commands=self.commands,
                                 clock=self.clock, present=on_pbx(member))
            for member in members
        }
        self._tick_interval = tick_interval
        self._session_guard = SessionGuard(self)
        for loaded in (themes or load_all_themes()).themes.values():
            self.register_theme(loaded)
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        self._redraw_pending = False
        self._shown_tab = OVERVIEW_TAB

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults(self.current_theme)

    def _fatal_error(self) -> None:
        # Textual's report prints every frame's local variables, any of which may hold a key.
        from tringtui.api.client import known_secrets

        self.bell()
        error = sys.exc_info()[1] or self._exception
        secrets = {member.settings.key.reveal() for member in self.fleet.members} | set(known_secrets())
        self._exit_renderables.append(crash_report(error, secrets))
        self._close_messages_no_wait()

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with TabbedContent(initial=OVERVIEW_TAB, id="fleet-tabs"):
            with TabPane("0 Fleet", id=OVERVIEW_TAB):
                yield FleetOverview()
            for index, member in enumerate(self.fleet.members, start=1):
                with TabPane(tab_title(index, member), id=pbx_tab_id(index)):
                    yield self.views[member.name]
        yield Footer()

    def on_mount(self) -> None:
        self._session_guard.install()
        for thread in self._threads.values():
            thread.start()
        for member in self.fleet.members:
            member.session.subscribe(partial(self._snapshot_arrived, self.views[member.name]))
        self.fleet.start()
        for pbx_view in self.views.values():
            pbx_view.start()
        if self._tick_interval:
            self.set_interval(self._tick_interval, self.tick)
        self.redraw()
        self.query_one(FleetTable).focus()

    async def on_unmount(self) -> None:
        self._session_guard.remove()
        await self.fleet.aclose()
        for thread in self._threads.values():
            thread.stop()

    # -- what is shown -----------------------------------------------------------------

    @property
    def shown_member(self) -> FleetMember | None:
        return self.fleet.member(self.fleet.shown) if self.fleet.shown is not None else None

    @property
    def shown_view(self) -> PbxView | None:
        """The PBX tab on screen (None: the overview)."""
        return self.views[self.fleet.shown] if self.fleet.shown is not None else None

    async def call_api(self, request: Request) -> Any:
        """Run a read for a screen opened from the shown PBX tab (a call's details, a story) on that PBX's
        API thread: tabs do not change while a screen is open."""
        member = self.shown_member
        if member is None:
            raise RuntimeError("no PBX tab is shown")
        return await self._threads[member.name].call(request)

    def _snapshot_arrived(self, pbx_view: PbxView, snapshot: Any) -> None:
        if not self.screen_stack:
            return  # quitting
        pbx_view.show_snapshot(snapshot)
        self._schedule_redraw()

    def _schedule_redraw(self) -> None:
        # Snapshots arrive in bursts (a request starting, ending, five sources): draw once per burst.
        if not self._redraw_pending:
            self._redraw_pending = True
            self.call_later(self.redraw)

    def redraw(self) -> None:
        self._redraw_pending = False
        if not self.screen_stack:
            return
        self.query_one(FleetOverview).show(self.fleet.rows())
        shown = self.shown_view
        if shown is not None:
            shown.refresh_chrome()

    def tick(self) -> None:
        """Once a second: the overview's ages, and the shown tab's ages, durations and stale markers."""
        if not self.screen_stack:
            return
        shown = self.shown_view
        if shown is not None:
            shown.tick()
        self.redraw()

    @on(TabbedContent.TabActivated, "#fleet-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # A click on a tab; a key has shown its tab already, and keys typed since (``/`` and a
        # filter) must keep the focus they moved.
        if event.pane.id != self._shown_tab:
            self._tab_shown(event.pane.id or "")

    def _open_tab(self, tab_id: str) -> None:
        """Show a tab now, not when its activation message arrives: a key typed right after Alt+2 (``2``,
        the Channels pane) then acts in the tab it was meant for."""
        self.query_one(TabbedContent).active = tab_id
        self._tab_shown(tab_id)

    def _tab_shown(self, pane_id: str) -> None:
        self._shown_tab = pane_id
        member = None
        if pane_id.startswith("tab-pbx-"):
            member = self.fleet.members[int(pane_id.removeprefix("tab-pbx-")) - 1]
        self.fleet.show(member.name if member else None)
        self.redraw()
        if member is not None:
            shown = self.views[member.name]
            shown.apply_layout(self.size)
            shown.focus_active_pane()
        else:
            self.query_one(FleetTable).focus()
        self.refresh_bindings()

    @on(KeyedTable.RowSelected, "#fleet-table")
    def _open_row(self, event: KeyedTable.RowSelected) -> None:
        if event.key is not None:
            self.show_member(str(event.key))

    def show_member(self, name: str) -> None:
        member = self.fleet.member(name)
        self._open_tab(pbx_tab_id(self.fleet.members.index(member) + 1))

    def action_show_pbx(self, number: int) -> None:
        if 1 <= number <= len(self.fleet.members):
            self._open_tab(pbx_tab_id(number))

    def action_show_overview(self) -> None:
        self._open_tab(OVERVIEW_TAB)

    def action_step_tab(self, step: int) -> None:
        tabs = [OVERVIEW_TAB, *(pbx_tab_id(i) for i in range(1, len(self.fleet.members) + 1))]
        current = self.query_one(TabbedContent).active
        self._open_tab(tabs[(tabs.index(current) + step) % len(tabs)])

    def on_resize(self, event: Any) -> None:
        for pbx_view in self.views.values():
            if pbx_view.is_mounted:
                pbx_view.apply_layout(event.size)

    def action_show_pane(self, pane_id: str) -> None:
        """The number keys: one of the shown PBX's panes."""
        shown = self.shown_view
        if shown is not None:
            shown.action_show_pane(pane_id)

    def action_choose_tenant(self) -> None:
        """``t`` in an admin key's PBX tab: the tenant its Queues and Flows panes show."""
        shown = self.shown_view
        if shown is not None and shown.tenant_choice:
            shown.choose_tenant(partial(self.fleet.set_tenant, shown.member.name))

    def action_refresh_now(self) -> None:
        """Poll the shown PBX again now; on the overview, what the overview needs of every PBX."""
        member = self.shown_member
        if member is not None:
            member.session.refresh_now()
            return
        for one in self.fleet.members:
            for source in OVERVIEW_SOURCES:
                one.session.refresh_now(source)

    # -- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in FLEET_KEY_ACTIONS:
            # While a dialog or the palette is open, or a filter is typed, "<", "r", "q", digits go there instead.
            if self.screen is not self.screen_stack[0] or isinstance(self.focused, Input):
                return False
            if action == "show_pane":
                return self.shown_view is not None
            if action == "choose_tenant":
                shown = self.shown_view
                return shown is not None and shown.tenant_choice
        return True

    def action_help(self) -> None:
        """Every key: the tabs' own, then a PBX tab's panes, tables and commands, as the single monitor lists them."""
        tabs = [("Alt+1…9", "Open PBX tab 1…9 (Alt+0: the fleet overview)")]
        fleet_keys = [binding for binding in self.BINDINGS if isinstance(binding, Binding)
                      and binding.action.partition("(")[0] not in ("show_pbx", "show_overview", "show_pane")]
        shown_views = [view(pane_id) for pane_id in FLEET_PANE_IDS]
        sections = help_sections(fleet_keys, Pane.BINDINGS, [*KeyedTable.BINDINGS, *StateTable.BINDINGS],
                                 self.commands, shown_views)
        sections[0] = (sections[0][0], tabs + sections[0][1])
        self.push_screen(HelpScreen(sections))

    async def action_quit_key(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        """Ctrl+Q and q; while a write awaits a PBX's answer, ask first (wait, or quit anyway)."""
        sending = next((pbx.operator_actions for pbx in self.views.values() if pbx.operator_actions.in_flight), None)
        if sending is None:
            await super().action_quit()
        elif not isinstance(self.screen, WriteInFlightScreen):
            self.push_screen(WriteInFlightScreen(sending.in_flight, "Quit anyway", sending.answered),
                             lambda anyway: self.exit() if anyway else None)

    # -- command palette -----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Show the fleet overview", "Every PBX at a glance (Alt+0)", self.action_show_overview)
        for index, member in enumerate(self.fleet.members, start=1):
            key = f" (Alt+{index})" if index <= MAX_NUMBERED_TABS else ""
            yield SystemCommand(f"Show PBX {member.label}", f"{member.settings.server_host}{key}",
                                partial(self.show_member, member.name))
        shown = self.shown_view
        if shown is not None:
            for title, help_text, callback in shown.palette_entries(self.action_choose_tenant):
                yield SystemCommand(title, help_text, callback)
