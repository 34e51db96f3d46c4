"""Ending the monitor with its terminal session: on SIGTERM, on SIGHUP, or when the terminal vanishes.

Closing an SSH window or killing a tmux session hangs up the terminal and
sends SIGHUP; ``kill`` sends SIGTERM. Python's default for both is to die on
the spot, which leaves a terminal that is still there (SIGTERM) in raw mode on
the alternate screen. Instead the monitor exits the tidy way, restoring the
terminal, and a watchdog ends the process outright if that takes longer than
``EXIT_GRACE`` (writes to a hung-up terminal fail, and nothing may wedge the exit).
After a hang-up there is no terminal left to restore, so the watchdog gives the
tidy exit only ``HANGUP_GRACE``, and once the app has stopped the process
leaves at once (``leave_after_hangup``) instead of tidying up threads and
memory nobody will see: it is gone within a second. Nothing is lost by that:
journal lines are on disk before a write is sent.

A hung-up terminal without a SIGHUP (a blocked or lost signal) is caught too:
reads from it return end-of-file at once, which Textual's input thread would
poll in a busy loop for ever. The terminal is checked every ``CHECK_INTERVAL``
seconds and its loss treated like SIGHUP.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from typing import Any

from textual.app import App

EXIT_GRACE = 1.5
HANGUP_GRACE = 0.5
CHECK_INTERVAL = 0.5
# SIGHUP and termios exist on POSIX systems only; elsewhere the guard does what it can.
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
HANGUP = getattr(signal, "SIGHUP", signal.SIGTERM)
# The app's exit status after a hang-up: the caller then leaves at once (see ``leave_after_hangup``).
HANGUP_STATUS = 128 + HANGUP


def terminal_present(fd: int) -> bool:
    """False once the terminal on ``fd`` has been hung up (its ioctls then fail with EIO)."""
    import termios

    try:
        termios.tcgetattr(fd)
    except termios.error:
        return False
    return True


class SessionGuard:
    """Ends ``app`` cleanly when its session ends; ``install`` on mount, ``remove`` on unmount."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: dict[int, Any] = {}
        self._watchdog: threading.Timer | None = None
        self._ending = False

    def install(self) -> None:
        """Take over SIGTERM and SIGHUP and start watching the terminal (not for headless apps)."""
        if self._app.is_headless:
            return
        loop = asyncio.get_running_loop()
        try:
            # A plain handler, not the loop's: it runs at once even while the loop is busy (rendering,
            # starting up), so the watchdog starts on time whatever the app is doing.
            self._previous = {signum: signal.signal(signum, self._on_signal) for signum in SIGNALS}
        except (ValueError, OSError):
            pass  # off the main thread: the defaults apply
        else:
            self._loop = loop
        stdin = sys.__stdin__
        if os.name == "posix" and stdin is not None and os.isatty(stdin.fileno()):
            fd = stdin.fileno()
            self._app.set_interval(CHECK_INTERVAL, lambda: terminal_present(fd) or self.end(HANGUP))

    def remove(self) -> None:
        if self._loop is not None:
            for signum, previous in self._previous.items():
                signal.signal(signum, previous)
        self._loop = None
        self._previous = {}

    def _on_signal(self, signum: int, _frame: object) -> None:
        self._start_watchdog(signum)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.end, signum)

    def _start_watchdog(self, signum: int) -> None:
        if self._watchdog is not None:
            return
        grace = HANGUP_GRACE if signum == HANGUP and HANGUP != signal.SIGTERM else EXIT_GRACE
        self._watchdog = threading.Timer(grace, os._exit, (128 + signum,))
        self._watchdog.daemon = True
        self._watchdog.start()

    def end(self, signum: int) -> None:
        """Exit the tidy way now, and for certain within ``EXIT_GRACE`` (a hang-up: ``HANGUP_GRACE``) seconds."""
        if self._ending:
            return
        self._ending = True
        self._start_watchdog(signum)
        # The shell's convention for "ended by a signal".
        self._app.exit(return_code=128 + signum)


def leave_after_hangup(status: int | None) -> None:
    """After ``app.run()``: when the session ended by a hang-up, end the process now.

    Stopping the demo's server, joining threads and freeing a large PBX's data
    took up to 1.5 s more, for a terminal that is no longer there.
    """
    if status == HANGUP_STATUS and HANGUP != signal.SIGTERM:
        os._exit(status)
