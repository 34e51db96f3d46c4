"""The only place tringtui touches Textual's private API; ``tests/tui/test_textual_compat.py`` pins it.

Textual has no public way (in the pinned version) to give one widget
instance its own key bindings, to read the exception that is ending the app,
to leave the crash report to us, or to close the message queue at once.
Every use goes through these functions, so a Textual upgrade breaks in one
file and one test, not across the app.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode


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
