"""The fleet monitor: several PBXs at once, one tab each, and a fleet overview tab.

``tringtui --profile a --profile b`` or ``tringtui --group noc`` starts it.
Every PBX has its own API thread and client (its own key, tenant and
read-only setting) and its own live session (``tringtui.live.fleet``), so a
PBX that fails or hangs never delays another. The tab on screen polls every
source; the others poll only what the overview needs, slowly.

Keys: Alt+1…9 open a PBX's tab, Alt+0 the overview, ``<`` ``>`` the previous
and next tab; Enter on an overview row opens that PBX; the command palette
lists every tab. A write names in its confirmation the PBX it goes to.
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
from textual.widgets import Footer, TabbedContent, TabPane

from tringtui.api.client import TringClient
from tringtui.audit import AuditJournal
from tringtui.config.resolve import DEFAULT_THEME
from tringtui.live.clock import Clock, SystemClock
from tringtui.live.fleet import OVERVIEW_SOURCES, Fleet, FleetMember, member_session
from tringtui.settings import Settings
from tringtui.tui.actions import calls
from tringtui.tui.actions.calls import call_identity
from tringtui.tui.actions.controller import ActionController, Prepare
from tringtui.tui.actions.runner import ActionRunner
from tringtui.tui.actions.write_action import WriteAction
from tringtui.tui.api_thread import ApiThread
from tringtui.tui.crash_report import crash_report
from tringtui.tui.session_end import SessionGuard
from tringtui.tui.themes import ThemeSet, load_all_themes, theme_variable_defaults
from tringtui.tui.fleet.overview import FleetOverview, FleetTable
from tringtui.tui.widgets.keyed_table import KeyedTable
from tringtui.tui.fleet.pbx_view import PbxView

OVERVIEW_TAB = "tab-overview"
MAX_NUMBERED_TABS = 9
# A terminal sends Alt+digit as ESC and the digit, which Textual reads as the character a Mac's
# Option+digit types; a binding names both, so Alt+1…9 and Alt+0 work wherever they arrive from.
ALT_DIGIT_KEYS = {
    0: "alt+0,º", 1: "alt+1,inverted_exclamation_mark", 2: "alt+2,trade_mark_sign", 3: "alt+3,pound_sign",
    4: "alt+4,cent_sign", 5: "alt+5,infinity", 6: "alt+6,section_sign", 7: "alt+7,pilcrow_sign",
    8: "alt+8,bullet", 9: "alt+9,ª",
}
FLEET_KEY_ACTIONS = frozenset({"show_pbx", "show_overview", "step_tab", "refresh_now", "quit"})


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


def on_pbx(member: FleetMember, prepare: Prepare) -> Prepare:
    """The same action, its confirmation naming first of all the PBX it goes to."""

    async def prepared(controller: ActionController) -> WriteAction | None:
        action = await prepare(controller)
        if action is None:
            return None
        where = f"{member.label} ({member.settings.server_host})"
        return replace(action, title=f"{action.title} on {member.label}", details=(("PBX", where), *action.details))

    return prepared


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
        Binding("less_than_sign", "step_tab(-1)", "Previous tab", priority=True),
        Binding("greater_than_sign", "step_tab(1)", "Next tab", priority=True),
        Binding("r", "refresh_now", "Refresh", priority=True),
        Binding("q", "quit", "Quit", priority=True),
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
        self.controllers = {
            member.name: ActionController(
                self,
                ActionRunner(self._threads[member.name].call, member.settings,
                             AuditJournal(member.settings.audit_path or None)),
                refresh_pane=member.session.refresh_now,
            )
            for member in members
        }
        self._tick_interval = tick_interval
        self._session_guard = SessionGuard(self)
        for loaded in (themes or load_all_themes()).themes.values():
            self.register_theme(loaded)
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        self._redraw_pending = False

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
                    yield PbxView(member)
        yield Footer()

    def on_mount(self) -> None:
        self._session_guard.install()
        for thread in self._threads.values():
            thread.start()
        for member in self.fleet.members:
            member.session.subscribe(lambda _snapshot: self._schedule_redraw())
        self.fleet.start()
        if self._tick_interval:
            self.set_interval(self._tick_interval, self.redraw)
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

    def _view_of(self, member: FleetMember) -> PbxView:
        index = self.fleet.members.index(member) + 1
        return self.query_one(f"#{pbx_tab_id(index)} PbxView", PbxView)

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
        member = self.shown_member
        if member is not None:
            self._view_of(member).refresh_from_session(self.clock())

    @on(TabbedContent.TabActivated, "#fleet-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane_id = event.pane.id or ""
        member = None
        if pane_id.startswith("tab-pbx-"):
            member = self.fleet.members[int(pane_id.removeprefix("tab-pbx-")) - 1]
        self.fleet.show(member.name if member else None)
        self.redraw()
        if member is not None:
            self._view_of(member).channels_table.focus()
        else:
            self.query_one(FleetTable).focus()
        self.refresh_bindings()

    @on(KeyedTable.RowSelected, "#fleet-table")
    def _open_row(self, event: KeyedTable.RowSelected) -> None:
        if event.key is not None:
            self.show_member(str(event.key))

    def show_member(self, name: str) -> None:
        member = self.fleet.member(name)
        self.query_one(TabbedContent).active = pbx_tab_id(self.fleet.members.index(member) + 1)

    def action_show_pbx(self, number: int) -> None:
        if 1 <= number <= len(self.fleet.members):
            self.query_one(TabbedContent).active = pbx_tab_id(number)

    def action_show_overview(self) -> None:
        self.query_one(TabbedContent).active = OVERVIEW_TAB

    def action_step_tab(self, step: int) -> None:
        tabs = [OVERVIEW_TAB, *(pbx_tab_id(i) for i in range(1, len(self.fleet.members) + 1))]
        current = self.query_one(TabbedContent).active
        self.query_one(TabbedContent).active = tabs[(tabs.index(current) + step) % len(tabs)]

    def action_refresh_now(self) -> None:
        """Poll the shown PBX again now; on the overview, what the overview needs of every PBX."""
        member = self.shown_member
        if member is not None:
            member.session.refresh_now()
            return
        for one in self.fleet.members:
            for source in OVERVIEW_SOURCES:
                one.session.refresh_now(source)

    # -- writes ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hang_up":
            member = self.shown_member
            return False if member is None else self.controllers[member.name].availability()
        if action in FLEET_KEY_ACTIONS:
            # While a dialog or the palette is open, "<", "r", "q" are typed into it instead.
            return self.screen is self.screen_stack[0]
        return True

    def action_hang_up(self) -> None:
        member = self.shown_member
        if member is None:
            return
        channel = self._view_of(member).channels_table.cursor_row
        if channel is None:
            self.notify("No call selected.", severity="warning")
            return
        self.controllers[member.name].start("hangup", call_identity(channel), on_pbx(member, calls.hang_up(channel)))

    # -- command palette -----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Show the fleet overview", "Every PBX at a glance (Alt+0)", self.action_show_overview)
        for index, member in enumerate(self.fleet.members, start=1):
            key = f" (Alt+{index})" if index <= MAX_NUMBERED_TABS else ""
            yield SystemCommand(f"Show PBX {member.label}", f"{member.settings.server_host}{key}",
                                partial(self.show_member, member.name))
