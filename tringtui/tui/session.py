"""Switching what the running monitor watches: another profile, another tenant, another theme.

``SessionController`` is owned by the app. It opens the pickers, resolves a
picked profile off the UI thread (its key command may take a moment), reports
every problem as a notification without touching the running session, and
hands complete new ``Settings`` to the app's ``switch_session``. It also
registers the theme files with the app and remembers, per profile, the theme
chosen in the command palette. ``SessionCommands`` puts the switches in the
command palette.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.theme import Theme

from tringtui.config import ConfigError, remember_theme
from tringtui.config.paths import state_file
from tringtui.config.switcher import ProfileSwitcher
from tringtui.settings import Settings
from tringtui.tui.screens.switch import ProfilePicker, TenantPicker
from tringtui.tui.themes import ThemeSet

if TYPE_CHECKING:
    from textual.app import App

# How long a problem notification stays: long enough to read a file:line list.
PROBLEM_TIMEOUT = 12.0


class SwitchableApp(Protocol):
    """What the controller needs from the app."""

    settings: Settings

    def switch_session(self, settings: Settings) -> None: ...

    def known_tenants(self) -> list[str]: ...


class SessionController:
    """Profile, tenant and theme switching for one app; see the module docstring."""

    def __init__(
        self,
        app: App,
        switcher: ProfileSwitcher | None,
        themes: ThemeSet,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.app = app
        self.switcher = switcher
        self.themes = themes
        self.env = os.environ if env is None else env

    def install_themes(self) -> None:
        """Register every loaded theme and report the theme files that failed to load."""
        for theme in self.themes.themes.values():
            self.app.register_theme(theme)

    def report_theme_problems(self) -> None:
        if self.themes.problems:
            self.app.notify("\n".join(str(p) for p in self.themes.problems), title="Theme files not loaded",
                            severity="warning", timeout=PROBLEM_TIMEOUT)

    def watch_theme_changes(self) -> None:
        """From now on, a theme picked in the app is remembered for the current profile."""
        self.app.theme_changed_signal.subscribe(self.app, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        app = self.app
        if theme.name == app.settings.theme:
            return  # the session's own theme being applied, not a choice
        app.settings = replace(app.settings, theme=theme.name)
        try:
            remember_theme(state_file(self.env), app.settings.profile, theme.name)
        except OSError as exc:
            app.notify(f"could not remember the theme: {exc.strerror}", severity="warning")

    # -- profile ------------------------------------------------------------------

    def pick_profile(self) -> None:
        if self.switcher is None:
            self.app.notify("Switching profile needs a config file (tringtui config init).", severity="warning")
            return
        try:
            profiles = self.switcher.profiles()
        except ConfigError as error:
            self._report(error, "Config file has problems")
            return
        if not profiles:
            self.app.notify("The config file has no profiles (see tringtui config init).", severity="warning")
            return
        self.app.push_screen(ProfilePicker(profiles, self.app.settings.profile), self._profile_picked)

    def _profile_picked(self, name: str | None) -> None:
        if name:
            self.app.notify(f"Connecting to profile {name}…", timeout=2)
            self.app.run_worker(partial(self._resolve_profile, name), thread=True, exclusive=True, group="switch")

    def _resolve_profile(self, name: str) -> None:
        """Runs in a worker thread: the profile's key command may take a while."""
        assert self.switcher is not None
        try:
            resolution = self.switcher.resolve(name, known_themes=self.themes.names)
        except ConfigError as error:
            self.app.call_from_thread(self._report, error, f"Cannot switch to profile {name}")
            return
        self.app.call_from_thread(self._apply, resolution.settings, resolution.warnings)

    def _apply(self, settings: Settings, warnings: tuple[str, ...] = ()) -> None:
        for warning in warnings:
            self.app.notify(warning, severity="warning", timeout=PROBLEM_TIMEOUT)
        self.app.switch_session(settings)

    def _report(self, error: ConfigError, title: str) -> None:
        self.app.notify("\n".join(str(p) for p in error.problems), title=title, severity="error", timeout=PROBLEM_TIMEOUT)

    # -- tenant -------------------------------------------------------------------

    def pick_tenant(self) -> None:
        app = self.app
        app.push_screen(TenantPicker(app.settings.tenant, app.known_tenants()), self._tenant_picked)

    def _tenant_picked(self, tenant: str | None) -> None:
        if tenant is None or tenant == self.app.settings.tenant:
            return
        if tenant and not (tenant.replace("-", "").replace("_", "").isalnum() and len(tenant) <= 64):
            self.app.notify(f"{tenant!r} is not a tenant code", severity="error")
            return
        self.app.switch_session(replace(self.app.settings, tenant=tenant))


class SessionCommands(Provider):
    """Command palette entries: switch profile, switch tenant (the theme entry is Textual's own)."""

    def _entries(self):
        app = self.app
        yield ("Switch profile…", app.action_switch_profile, "Monitor another profile from the config file")
        yield ("Switch tenant…", app.action_switch_tenant, "Watch another tenant, or all (admin keys only)")

    async def discover(self) -> Hits:
        for title, callback, help_text in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
