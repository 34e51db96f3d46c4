"""What ``tringtui.tui.textual_compat`` relies on in Textual's private API, pinned.

If a Textual upgrade renames or reshapes one of these, this test fails first,
naming it, instead of the monitor breaking at a key press or a crash.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.widget import Widget

from tringtui.tui import textual_compat


def test_a_widget_instance_has_its_own_bindings_map():
    first, second = Widget(), Widget()
    assert isinstance(first._bindings, BindingsMap)
    textual_compat.bind_key(first, "x", "command('x')", "Do x")
    assert "x" in first._bindings.key_to_bindings
    assert "x" not in second._bindings.key_to_bindings  # per instance, not per class


def test_replace_key_leaves_one_binding_for_the_key():
    widget = Widget()
    textual_compat.bind_key(widget, "enter", "first", "First")
    textual_compat.replace_key(widget, Binding("enter", "select_cursor", "Select"))
    assert [b.action for b in widget._bindings.key_to_bindings["enter"]] == ["select_cursor"]


def test_the_app_members_used_for_a_fatal_error_exist():
    app = App()
    assert textual_compat.pending_exception(app) is None  # App._exception
    assert isinstance(app._exit_renderables, list)
    textual_compat.add_exit_renderable(app, "report")
    assert app._exit_renderables == ["report"]
    assert callable(app._close_messages_no_wait)
