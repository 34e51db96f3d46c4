"""Switching what the running monitor watches (another profile) and how it looks (another theme).

``SessionController`` is owned by the app. It registers the theme files,
remembers per profile the theme chosen in the command palette (Textual's own
"Change theme" entry), opens the profile picker, resolves the picked profile
(off the UI thread; a key command instead gets the terminal, the app
suspended meanwhile, since a password manager may prompt), reports every problem
as a notification without touching the running session, and hands complete
new ``Settings`` to the app's ``switch_session``. ``SessionCommands`` puts
"Switch profile…" in the command palette.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.theme import Theme

from tringtui.config import ConfigError, remember_theme
from tringtui.config.paths import state_file
from tringtui.config.switcher import ProfileSummary, ProfileSwitcher
from tringtui.settings import Settings
from tringtui.tui.palette import EntriesProvider
from tringtui.tui.screens.profile import ProfilePicker
from tringtui.tui.themes import ThemeSet

if TYPE_CHECKING:
    from tringtui.tui.app import TringApp

# How long a problem notification stays: long enough to read a list of file:line messages.
PROBLEM_TIMEOUT = 15.0


class SessionController:
    """Theme registration and memory, and profile switching, for one app; see the module docstring."""

    def __init__(
        self,
        app: TringApp,
        themes: ThemeSet,
        switcher: ProfileSwitcher | None = None,
        notices: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.app = app
        self.themes = themes
        self.switcher = switcher
        self.notices = list(notices)
        self.env = os.environ if env is None else env

    def install_themes(self) -> None:
        """Register every loaded theme with the app (before it picks its theme)."""
        for theme in self.themes.themes.values():
            self.app.register_theme(theme)

    def start(self) -> None:
        """Once the app is mounted: show startup warnings and broken theme files, and start
        remembering the theme picked in the app."""
        for notice in self.notices:
            self.app.notify(notice, severity="warning", timeout=PROBLEM_TIMEOUT)
        if self.themes.problems:
            self.app.notify("\n".join(str(p) for p in self.themes.problems), title="Theme files not loaded",
                            severity="warning", timeout=PROBLEM_TIMEOUT)
        self.app.theme_changed_signal.subscribe(self.app, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        app = self.app
        if theme.name == app.settings.theme:
            return  # the session's own theme being applied, not a choice
        app.settings = replace(app.settings, theme=theme.name)
        try:
            remember_theme(state_file(self.env), app.settings.profile, theme.name)
        except OSError as exc:
            app.notify(f"Could not remember the theme: {exc.strerror}", severity="warning")
            return
        pinned = self._profile_theme(app.settings.profile)
        if pinned and pinned != theme.name:
            app.notify(f"Profile {app.settings.profile} sets theme {pinned} in the config file, "
                       "which wins at the next start.", timeout=6)

    def _profile_theme(self, profile: str) -> str:
        """The theme the config file gives ``profile`` ("" when none, or when the file cannot be read)."""
        if self.switcher is None:
            return ""
        try:
            summaries = self.switcher.profiles()
        except ConfigError:
            return ""
        return next((summary.theme for summary in summaries if summary.name == profile), "")

    def pick_profile(self) -> None:
        if self.switcher is None:
            self.app.notify("Switching profile needs a config file (see: tringtui config init).", severity="warning")
            return
        try:
            profiles = self.switcher.profiles()
        except ConfigError as error:
            self._report(error, "The config file has problems")
            return
        if not profiles:
            self.app.notify("The config file has no profiles (see: tringtui config init).", severity="warning")
            return
        self.app.push_screen(
            ProfilePicker(profiles, self.app.settings.profile), partial(self._profile_picked, profiles)
        )

    def _profile_picked(self, profiles: Sequence[ProfileSummary], name: str | None) -> None:
        if not name:
            return
        uses_key_command = any(summary.key_command for summary in profiles if summary.name == name)
        if uses_key_command and not self.app.is_headless:
            try:
                self._resolve_on_terminal(name)
                return
            except SuspendNotSupported:
                pass  # no terminal to lend (e.g. a web terminal): the command runs without one
        self.app.notify(f"Switching to profile {name}…", timeout=3)
        self.app.run_worker(partial(self._resolve_profile, name), thread=True, exclusive=True, group="switch")

    def _resolve_on_terminal(self, name: str) -> None:
        """Run the profile's key command with the terminal, the app suspended meanwhile.

        A password manager (``pass``, ``gpg``, a PIN prompt) may need to ask on
        the terminal. The app blocks while it runs; its time is capped by the
        profile's ``key_command_timeout``, and polling carries on in the API thread.
        """
        assert self.switcher is not None
        failure: ConfigError | None = None
        with self.app.suspend():
            print(f"\ntringtui: switching to profile {name}: running its key_command…",
                  file=sys.stderr, flush=True)
            try:
                resolution = self.switcher.resolve(name, known_themes=self.themes.names, interactive=True)
            except ConfigError as error:
                failure = error
        if failure is not None:
            self._report(failure, f"Cannot switch to profile {name}")
            return
        self.app.call_later(self._apply, resolution.settings, resolution.warnings)

    def _resolve_profile(self, name: str) -> None:
        """Runs in a worker thread: the profile's key command may take a while."""
        assert self.switcher is not None
        try:
            resolution = self.switcher.resolve(name, known_themes=self.themes.names)
        except ConfigError as error:
            self.app.call_from_thread(self._report, error, f"Cannot switch to profile {name}")
            return
        self.app.call_from_thread(self._apply, resolution.settings, resolution.warnings)

    async def _apply(self, settings: Settings, warnings: Sequence[str]) -> None:
        for warning in warnings:
            self.app.notify(warning, severity="warning", timeout=PROBLEM_TIMEOUT)
        await self.app.switch_session(settings)

    def _report(self, error: ConfigError, title: str) -> None:
        self.app.notify("\n".join(str(p) for p in error.problems), title=title, severity="error", timeout=PROBLEM_TIMEOUT)


class SessionCommands(EntriesProvider):
    """The command palette's "Switch profile…" (themes have Textual's own "Change theme" entry)."""

    def _entries(self):
        yield ("Switch profile…", self.app.action_switch_profile, "Monitor another profile from the config file")
