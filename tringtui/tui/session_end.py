"""Ending the monitor with its terminal session: on SIGTERM, on SIGHUP, or when the terminal vanishes.

Closing an SSH window or killing a tmux session hangs up the terminal and
sends SIGHUP; ``kill`` sends SIGTERM. Python's default for both is to die on
the spot, which leaves a terminal that is still there (SIGTERM) in raw mode on
the alternate screen. Instead the monitor exits the tidy way, restoring the
terminal, and a watchdog ends the process outright if that takes longer than
``EXIT_GRACE`` (writes to a hung-up terminal fail, and nothing may wedge the exit).

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

from textual.app import App

EXIT_GRACE = 1.5
CHECK_INTERVAL = 0.5
# SIGHUP and termios exist on POSIX systems only; elsewhere the guard does what it can.
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
HANGUP = getattr(signal, "SIGHUP", signal.SIGTERM)


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
        self._ending = False

    def install(self) -> None:
        """Take over SIGTERM and SIGHUP and start watching the terminal (not for headless apps)."""
        if self._app.is_headless:
            return
        loop = asyncio.get_running_loop()
        try:
            for signum in SIGNALS:
                loop.add_signal_handler(signum, self.end, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # no signal handlers on this platform or off the main thread: the defaults apply
        else:
            self._loop = loop
        stdin = sys.__stdin__
        if os.name == "posix" and stdin is not None and os.isatty(stdin.fileno()):
            fd = stdin.fileno()
            self._app.set_interval(CHECK_INTERVAL, lambda: terminal_present(fd) or self.end(HANGUP))

    def remove(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            for signum in SIGNALS:
                self._loop.remove_signal_handler(signum)
        self._loop = None

    def end(self, signum: int) -> None:
        """Exit the tidy way now, and for certain within ``EXIT_GRACE`` seconds."""
        if self._ending:
            return
        self._ending = True
        status = 128 + signum  # the shell's convention for "ended by a signal"
        watchdog = threading.Timer(EXIT_GRACE, os._exit, (status,))
        watchdog.daemon = True
        watchdog.start()
        self._app.exit(return_code=status)
