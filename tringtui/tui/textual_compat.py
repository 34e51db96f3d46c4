"""The only place tringtui touches Textual's private API; ``tests/tui/test_textual_compat.py`` pins it.

Textual has no public way (in the pinned version) to give one widget
instance its own key bindings, to read the exception that is ending the app,
to leave the crash report to us, or to close the message queue at once.
Every use goes through these functions, so a Textual upgrade breaks in one
file and one test, not across the app.

What each use is for, besides those functions:

- ``ForgivingLinuxDriver``: Textual's input thread decodes the terminal's bytes
  as strict UTF-8 (upstream issue #6456), so one stray byte (a Latin-1 paste,
  ``tmux send-keys -H fc``) raised ``UnicodeDecodeError`` there and ended the
  monitor. This driver reads the same way but decodes with ``errors="replace"``:
  invalid bytes become U+FFFD and the app keeps answering keys.
- ``current_notifications``: the toasts being shown (``App._notifications``),
  which ``toast_hold`` takes down while a dialog is open.
- ``mark_failed``: ``App.panic`` (used by the input thread on an error) leaves the
  exit status at 0; a crash must exit non-zero.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from typing import Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.notifications import Notification


def bind_key(node: DOMNode, key: str, action: str, description: str, *, show: bool = True) -> None:
    """Add a binding to this one widget (``DOMNode._bindings``: the class's bindings are shared)."""
    node._bindings.bind(key, action, description, show=show)


def replace_key(node: DOMNode, binding: Binding) -> None:
    """Make ``binding`` this widget's only binding for its key (drops the class's bindings of that key)."""
    node._bindings.key_to_bindings[binding.key] = [binding]


def pending_exception(app: App[Any]) -> BaseException | None:
    """The exception that is ending the app (``App._exception``), if any."""
    error: BaseException | None = app._exception
    return error


def add_exit_renderable(app: App[Any], renderable: object) -> None:
    """Print ``renderable`` once the app has left the terminal (``App._exit_renderables``)."""
    app._exit_renderables.append(renderable)


def close_now(app: App[Any]) -> None:
    """Close the app's message queue without waiting (``App._close_messages_no_wait``), as Textual's own
    fatal error handler does."""
    app._close_messages_no_wait()


class ForgivingLinuxDriver(LinuxDriver):
    """``LinuxDriver`` whose input thread replaces undecodable bytes instead of dying on them.

    ``run_input_thread`` is Textual 8.2's own, but for the decoder's ``errors``.
    """

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode

        def process_selector_events(selector_events: list[tuple[Any, int]], final: bool = False) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break  # stdin is piped and ended
                    for event in parser.feed(unicode_data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass


def forgiving_driver(driver_class: type[Driver]) -> type[Driver]:
    """The driver to use instead of ``driver_class`` (Textual's choice for this terminal)."""
    return ForgivingLinuxDriver if driver_class is LinuxDriver else driver_class


def mark_failed(app: App[Any]) -> None:
    """Make ``app`` exit with status 1 (``App.panic`` does not set it)."""
    app._return_code = 1


def current_notifications(app: App[Any]) -> list[Notification]:
    """The notifications ``app`` holds now (shown, or about to expire)."""
    return list(app._notifications)


def write_to_terminal(app: App[Any], text: str) -> None:
    """Send raw text to the terminal (``App._driver.write``), e.g. a desktop-notification escape sequence.
    Nothing is sent without a terminal (headless, tests)."""
    driver = app._driver
    if driver is not None and not app.is_headless:
        driver.write(text)
