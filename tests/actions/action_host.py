"""A tiny app hosting an ``ActionController`` against a real client, and helpers for Pilot tests of actions."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tests.tui.conftest import PATIENCE
from tringtui.api.client import TringClient
from tringtui.api.journal import WriteJournal
from tringtui.audit import AuditJournal, writes
from tringtui.settings import Settings
from tringtui.tui.actions.api_access import direct
from tringtui.tui.actions.controller import ActionController
from tringtui.tui.actions.runner import ActionRunner


class ActionHost(App[None]):
    """Runs actions through a controller; records notifications and pane refresh requests.

    With ``client=None`` the host makes its own client from ``settings`` and
    closes it on exit (for snapshot tests, whose app runs in its own loop).
    """

    def __init__(self, client: Any, settings: Settings, journal: AuditJournal) -> None:
        super().__init__()
        self._owns_client = client is None
        if client is None:
            client = TringClient(
                settings.server, settings.key.reveal(), settings.tenant, timeout=settings.timeout,
                journal=WriteJournal(journal, profile=settings.profile),
            )
        self.notifications_seen: list[tuple[str, str, str]] = []
        self.refreshed: list[str] = []
        self.readonly_changes = 0
        self.client = client
        self.controller = ActionController(
            self,
            ActionRunner(direct(client), settings, journal),
            refresh_pane=self.refreshed.append,
            on_readonly_changed=self._readonly_changed,
        )

    def compose(self) -> ComposeResult:
        yield Static("monitor")

    async def on_unmount(self) -> None:
        if self._owns_client:
            await self.client.aclose()

    def notify(self, message: str, *, title: str = "", severity: str = "information", **kwargs: Any) -> None:
        self.notifications_seen.append((severity, title, message))
        super().notify(message, title=title, severity=severity, **kwargs)

    def _readonly_changed(self) -> None:
        self.readonly_changes += 1


async def wait_for_screen(pilot: Any, screen_type: type[Screen[Any]], timeout: float = PATIENCE) -> Screen[Any]:
    """Pause until the app shows a screen of ``screen_type``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not isinstance(pilot.app.screen, screen_type):
        if loop.time() > deadline:
            raise AssertionError(f"{screen_type.__name__} never appeared (showing {pilot.app.screen!r})")
        await pilot.pause(0.02)
    await pilot.pause()
    return pilot.app.screen


async def wait_until_idle(pilot: Any, timeout: float = PATIENCE) -> None:
    """Pause until the controller has finished its action (sent, journalled, notified)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    controller = pilot.app.controller
    while controller.busy:
        if loop.time() > deadline:
            raise AssertionError("the action never finished")
        await pilot.pause(0.02)
    await pilot.pause()


async def bridged_call(client):
    """A DEVEL phone's channel in an answered call, and its other leg."""
    channels = await client.channels()
    by_name = {channel.channel: channel for channel in channels}
    for channel in channels:
        if channel.tenant == "DEVEL" and channel.state == "Up" and channel.bridged_to in by_name:
            return channel, by_name[channel.bridged_to]
    raise AssertionError("the seeded PBX has no bridged DEVEL call")


def journal_lines(journal):
    """One entry per write (an attempt line merged with its outcome line), as dicts."""
    return [json.loads(entry.to_json()) for entry in writes(journal.entries())]


async def confirm(pilot):
    """Move from Cancel to the confirm button deliberately, and press it."""
    await pilot.press("right", "enter")
