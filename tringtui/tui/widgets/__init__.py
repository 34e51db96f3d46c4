"""Reusable Textual widgets of the tringtui monitor."""

from tringtui.tui.widgets.keyed_table import Column, KeyedTable

__all__ = ["Column", "KeyedTable"]
