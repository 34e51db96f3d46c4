"""The one-line header: which PBX this is, in which mode, and when it last answered.

It never shows the API key: only the profile, the server's host and the tenant.
Markers (DEMO, REC, REPLAY, READ-ONLY, PAUSED, SENDING, ALERTS) are words, not just colours, so they survive
a 16-colour terminal and a screenshot pasted into a ticket.
"""

from __future__ import annotations

import time
from datetime import datetime

from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Label


def format_clock(epoch: float) -> str:
    """Local wall-clock time ``HH:MM:SS`` of an epoch timestamp."""
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S")


class StatusHeader(Horizontal):
    """Profile, server host, tenant, mode markers and the time of the last refresh."""

    def __init__(
        self, *, profile: str, host: str, tenant: str, demo: bool, readonly: bool, label: str = "", label_color: str = ""
    ) -> None:
        super().__init__(id="header")
        self._profile = profile
        self._host = host
        self._tenant = tenant
        self._demo = demo
        self._readonly = readonly
        self._label = label
        self._label_color = label_color
        self._sending_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        if self._label:
            yield Label(f" {self._label} ", id="header-label", markup=False)
        yield Label(self._profile, id="header-profile", markup=False)
        yield Label(self._host, id="header-host", markup=False)
        yield Label(f"tenant {self._tenant}" if self._tenant else "all tenants", id="header-tenant", markup=False)
        if self._demo:
            yield Label(" DEMO ", id="header-demo", classes="marker")
        yield Label(" REC ", id="header-rec", classes="marker")
        yield Label("", id="header-replay", classes="marker", markup=False)
        yield Label(" READ-ONLY ", id="header-readonly", classes="marker")
        yield Label(" PAUSED ", id="header-paused", classes="marker")
        yield Label("", id="header-sending", classes="marker", markup=False)
        yield Label("", id="header-alerts", classes="marker", markup=False)
        yield Label("", id="header-refreshed")

    def on_mount(self) -> None:
        self.query_one("#header-paused").display = False
        self.query_one("#header-rec").display = False
        self.query_one("#header-replay").display = False
        self.query_one("#header-sending").display = False
        self.query_one("#header-alerts").display = False
        self.query_one("#header-readonly").display = self._readonly
        if self._label and self._label_color:
            # The profile's own colour (checked when the config was read): production must look like production.
            colour = Color.parse(self._label_color)
            label = self.query_one("#header-label")
            label.styles.background = colour
            label.styles.color = colour.get_contrast_text(alpha=1.0)

    def show_readonly(self, readonly: bool) -> None:
        self.query_one("#header-readonly").display = readonly

    def show_recording(self, recording: bool) -> None:
        """The REC mark: this session is being recorded into its store."""
        self.query_one("#header-rec").display = recording

    def show_replay(self, replayed_time: str | None) -> None:
        """REPLAY and the time shown, while the panes show a recording instead of the PBX now."""
        label = self.query_one("#header-replay", Label)
        label.display = replayed_time is not None
        label.update(f" REPLAY {replayed_time} " if replayed_time is not None else "")

    def show_paused(self, paused: bool) -> None:
        self.query_one("#header-paused").display = paused

    def show_sending(self, title: str | None) -> None:
        """Mark a confirmed write as sent and awaiting the PBX's answer (``None`` once it came).

        The real API may take many seconds; the marker counts them, so an
        operator knows the action is under way and does not try it again.
        """
        label = self.query_one("#header-sending", Label)
        if self._sending_timer is not None:
            self._sending_timer.stop()
            self._sending_timer = None
        label.display = title is not None
        if title is None:
            return
        started = time.monotonic()

        def update() -> None:
            label.update(f" SENDING {title} {time.monotonic() - started:.0f}s ")

        update()
        self._sending_timer = self.set_interval(1.0, update)

    def show_alerts(self, count: int, worst: str | None, *, flash: bool = False) -> None:
        """The firing alerts: their count, coloured by the worst severity (a word too: CRIT or WARN);
        ``flash`` inverts it (the app blinks it while some alert is not acknowledged)."""
        label = self.query_one("#header-alerts", Label)
        label.display = count > 0
        label.set_class(worst == "critical", "-critical")
        label.set_class(worst == "warning", "-warning")
        label.set_class(flash, "-flash")
        if count:
            word = "CRIT" if worst == "critical" else "WARN"
            label.update(f" {count} ALERT{'S' if count != 1 else ''} {word} ")

    def show_last_refresh(self, epoch: float | None) -> None:
        text = f"⟳ {format_clock(epoch)}" if epoch is not None else "waiting for data…"
        self.query_one("#header-refreshed", Label).update(text)
