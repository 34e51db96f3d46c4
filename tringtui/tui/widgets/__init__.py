"""Reusable Textual widgets of the tringtui monitor."""

from tringtui.tui.widgets.keyed_table import Cell, Column, KeyedTable

__all__ = ["Cell", "Column", "KeyedTable"]
