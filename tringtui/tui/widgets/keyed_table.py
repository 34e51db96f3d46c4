"""KeyedTable: a virtual table for large live data sets, keyed by row identity.

tringtui shows tables of up to 10,000 calls and 20,000 phones, replaced every
few seconds by a poller. Textual's ``DataTable`` rebuilds every row on such a
refresh; this widget instead keeps the rows in a dict keyed by identity (a
channel's uniqueid, a peer's name), keeps the display order as a list of keys,
and renders only the lines on screen through Textual's Line API.

The cursor belongs to a key, not to a position: after a refresh, a re-sort or
a filter change it stays on the same call. When that call is gone the cursor
moves to whatever row now sits at its old position, and says so with a
``CursorMoved`` message, preceded by ``CursorRowGone`` when its row left the
data (not just the filter), so a pane can tell the user.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar, Generic, Literal, TypeVar
from collections.abc import Callable, Hashable, Iterable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

RowT = TypeVar("RowT")

Cell = str | Text
"""What a cell renderer returns for one column: plain text, or Rich ``Text`` for styled cells."""

LEFT_MARGIN = 1
"""Blank cells before the first column, so the cursor bar reads as a bar."""

COLUMN_GAP = 1
# A column that may hide (``min_width`` 0) is hidden rather than cut narrower than this.
NARROWEST_READABLE = 5
"""Blank cells between columns; one keeps 80-column terminals usable."""

SORT_ARROW_WIDTH = 2
"""Room reserved in every header label for `` ▲``, so sorting never shifts columns."""

MEASURE_SAMPLE = 200
"""How many new rows a refresh measures for column widths; bounds the cost of a refresh."""

SWEEP_EVERY = 50
"""Cached cells of rows that left are swept out at least every this many snapshots."""

ELLIPSIS = "…"

# Control characters would move the terminal cursor or break the line; show them as U+FFFD.
_CONTROL_CHARS = {code: "\ufffd" for code in (*range(32), 127)}

_DIGIT_RUNS = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class Column(Generic[RowT]):
    """How one column of a KeyedTable looks and sorts.

    ``width`` None sizes the column to its label and the widest cell seen so
    far (capped by ``max_width``); widths only grow, so refreshes never make
    the layout jitter. ``flex`` > 0 lets the column absorb spare width, shared
    in proportion with other flex columns. ``sort_key`` extracts a typed value
    from the row; without it the column sorts by its cell text, numbers as
    numbers. When the table is narrower than its columns, those with a
    ``min_width`` give up width down to it (0 hides the column; a column of
    fixed ``width`` is hidden whole, never cut), the highest ``give_way``
    first, so the important columns stay whole at 80 columns.
    """

    key: str
    label: str
    width: int | None = None
    align: Literal["left", "right"] = "left"
    sort_key: Callable[[RowT], Any] | None = None
    flex: int = 0
    max_width: int | None = None
    min_width: int | None = None
    give_way: int = 0


class _RenderedRow(Generic[RowT]):
    """The cells of one row, cached until the row's value changes.

    A plain slotted class: a frozen dataclass's __init__ is several times
    slower, and a filter over 10k changed rows builds 10k of these.
    """

    __slots__ = ("row", "cells", "plain", "haystack")

    def __init__(self, row: RowT, cells: tuple[Cell, ...], plain: tuple[str, ...], haystack: str) -> None:
        self.row = row
        self.cells = cells
        self.plain = plain
        self.haystack = haystack


def _fit(text: str, width: int, align: str) -> str:
    """Pad or truncate plain text to exactly ``width`` terminal cells."""
    length = cell_len(text)
    if length > width:
        if width <= 1:
            return set_cell_size(text, width)
        # set_cell_size pads a wide character split at the edge with a space, keeping the width exact.
        return set_cell_size(text, width - 1) + ELLIPSIS
    padding = " " * (width - length)
    return padding + text if align == "right" else text + padding


def _text_sort_key(text: str) -> tuple[int, float, list[Any]]:
    """Sort numbers numerically and text naturally (``SIP/9`` before ``SIP/10``)."""
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    # float() also reads "nan" and "inf"; NaN would break the sort, so such words stay text.
    if math.isfinite(number):
        return (0, number, [])
    parts: list[Any] = _DIGIT_RUNS.split(text.lower())
    # re.split puts digit runs at the odd indices, so ints only ever meet ints.
    parts[1::2] = [int(run) for run in parts[1::2]]
    return (1, 0.0, parts)


class KeyedTable(ScrollView, Generic[RowT], can_focus=True):
    """A virtual table whose rows are identified by key, fast at tens of thousands of rows.

    Give it columns, a ``row_key`` function and a ``cells`` function, then call
    ``set_rows`` with each new snapshot of the data. Only the rows on screen
    are rendered. The header line stays put while rows scroll vertically; both
    scroll horizontally together.

    ``row_style(row)`` may return a component-class name (the built-in
    ``keyed-table--success``/``--warning``/``--error``/``--muted``/``--accent``
    or one a subclass declares) so state colours come from the theme, or a
    plain Rich style such as ``"bold"``.

    Cells are cached per key while the row compares equal, so ``cells`` must
    depend on the row only (see ``refresh_cells`` otherwise). Call every
    method from the app's event loop. Example::

        table = KeyedTable(
            [Column("channel", "Channel", max_width=25),
             Column("duration", "Dur", align="right", sort_key=lambda c: c.duration),
             Column("data", "Data", flex=1)],
            row_key=lambda c: c.uniqueid,
            cells=lambda c: (c.channel, str(c.duration), c.data),
            row_style=lambda c: "keyed-table--warning" if c.state == "Ringing" else None,
            empty_text="No calls",
        )
        table.set_rows(channels)          # each poll
        table.cursor_row                  # the selected Channel, or None
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "cursor_first", "First row", show=False),
        Binding("end", "cursor_last", "Last row", show=False),
        Binding("enter", "select_cursor", "Select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keyed-table--header",
        "keyed-table--cursor",
        "keyed-table--empty",
        "keyed-table--success",
        "keyed-table--warning",
        "keyed-table--error",
        "keyed-table--muted",
        "keyed-table--accent",
    }

    DEFAULT_CSS = """
    KeyedTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .keyed-table--header {
            background: $panel;
            color: $foreground;
            text-style: bold;
        }
        & > .keyed-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .keyed-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .keyed-table--empty {
            color: $text-muted;
            text-style: italic;
        }
        & > .keyed-table--success { color: $text-success; }
        & > .keyed-table--warning { color: $text-warning; }
        & > .keyed-table--error { color: $text-error; }
        & > .keyed-table--muted { color: $text-muted; }
        & > .keyed-table--accent { color: $text-accent; }
    }
    """

    class RowMessage(Message):
        """Base of the table's messages: which table, which row key, and the row itself."""

        def __init__(self, table: KeyedTable[Any], key: Hashable | None, row: Any) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.row = row

        @property
        def control(self) -> KeyedTable[Any]:
            """The table that sent the message (lets ``@on(..., "#id")`` match it)."""
            return self.table

    class CursorMoved(RowMessage):
        """The cursor is on another row now (``key`` None: the table became empty)."""

    class CursorRowGone(RowMessage):
        """The row under the cursor left the data; ``key``/``row`` are where the cursor is now."""

        def __init__(self, table: KeyedTable[Any], key: Hashable | None, row: Any, gone: Hashable) -> None:
            super().__init__(table, key, row)
            self.gone = gone

    class RowSelected(RowMessage):
        """The user pressed Enter (or double-clicked) on a row."""

    def __init__(
        self,
        columns: Sequence[Column[RowT]],
        *,
        row_key: Callable[[RowT], Hashable],
        cells: Callable[[RowT], Sequence[Cell]],
        row_style: Callable[[RowT], str | None] | None = None,
        empty_text: str = "No rows",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if not columns:
            raise ValueError("a KeyedTable needs at least one column")
        self._columns: tuple[Column[RowT], ...] = tuple(columns)
        self._column_index = {column.key: index for index, column in enumerate(self._columns)}
        if len(self._column_index) != len(self._columns):
            raise ValueError("column keys must be unique")
        self._row_key = row_key
        self._cells = cells
        self._row_style = row_style
        self._empty_text = empty_text
        self._no_data_text: str | None = None

        self._rows: dict[Hashable, RowT] = {}
        self._order: list[Hashable] = []
        self._rendered: dict[Hashable, _RenderedRow[RowT]] = {}
        self._snapshots_since_sweep = 0

        self._cursor_key: Hashable | None = None
        self._cursor_index = -1

        self._filter_text = ""
        self._filter_needle = ""
        self._sort_column: str | None = None
        self._sort_reverse = False

        # Widest cell seen per column; only grows, so widths are stable across refreshes.
        self._seen_widths = [cell_len(column.label) + SORT_ARROW_WIDTH for column in self._columns]
        self._auto_width_indices = [index for index, column in enumerate(self._columns) if column.width is None]
        self._widths_grew = False
        self._widths_cache: tuple[tuple[int, tuple[int, ...]], tuple[int, ...]] | None = None
        self._line_cache: dict[Hashable, tuple[RowT, Style, tuple[int, ...], Strip]] = {}
        self._style_names: dict[str, Style] = {}

    # ------------------------------------------------------------------ data

    @property
    def columns(self) -> tuple[Column[RowT], ...]:
        """The table's columns, in display order."""
        return self._columns

    @property
    def row_count(self) -> int:
        """Rows shown (after the filter)."""
        return len(self._order)

    @property
    def total_count(self) -> int:
        """All rows the table holds, filtered out or not."""
        return len(self._rows)

    def get_row(self, key: Hashable) -> RowT | None:
        """The row with this key, even if the filter hides it; None when there is none."""
        return self._rows.get(key)

    def visible_rows(self) -> list[RowT]:
        """The rows shown, in display order (filtered and sorted)."""
        rows = self._rows
        return [rows[key] for key in self._order]

    def set_rows(self, rows: Iterable[RowT]) -> None:
        """Replace the table's data with a new snapshot, keeping the cursor on its key.

        Rows are matched by ``row_key`` (a later duplicate wins). The cost is a
        dict build over the rows plus re-sorting/filtering when active; cells
        are rendered only for rows on screen, for rows new since the last
        snapshot (a bounded sample, to grow column widths) and, when a filter
        or text sort needs them, for rows whose value changed.
        """
        row_key = self._row_key
        new_rows = {row_key(row): row for row in rows}
        old_rows = self._rows
        self._rows = new_rows
        self._drop_stale_renders()
        if old_rows:
            self._measure_sample(new_rows.keys() - old_rows.keys())
        else:
            self._measure_spread()
        self._reorder()

    def refresh_cells(self) -> None:
        """Render every cell afresh and re-fit auto column widths from scratch.

        Cells are cached while a row's value is unchanged; call this when
        ``cells()`` or ``row_style()`` output depends on something else that
        changed (a display setting), or to let widths shrink after the data
        changed wholesale (another tenant).
        """
        self._seen_widths = [cell_len(column.label) + SORT_ARROW_WIDTH for column in self._columns]
        self._widths_grew = True
        self.redraw_cells()

    def redraw_cells(self) -> None:
        """Render every cell afresh, widths only growing as usual: for cells that depend on
        something besides their row that moves on with every snapshot (a trend)."""
        self._rendered.clear()
        self._line_cache.clear()
        self._measure_spread()
        self._reorder()

    def _measure_sample(self, keys: Iterable[Hashable]) -> None:
        """Fit auto column widths to a bounded number of these rows.

        Rows are rendered to be measured, not kept: caching the cells of every
        new row would grow the cache towards every row a large, churning table
        ever held (10,000 live calls come and go). Rows are rendered again, and
        cached, when they come on screen.
        """
        rows = self._rows
        for key in islice(keys, MEASURE_SAMPLE):
            row = rows[key]
            self._measure(self._cached_cells(key, row) or self._build_cells(row))

    def _measure_spread(self) -> None:
        """Fit auto column widths to rows spread over the whole data, not just its head."""
        step = max(1, len(self._rows) // MEASURE_SAMPLE)
        self._measure_sample(list(self._rows)[::step])

    def _drop_stale_renders(self) -> None:
        """Forget cached cells of rows that left, in one sweep once enough have piled up or
        every ``SWEEP_EVERY`` snapshots (each pins its row's old model object)."""
        rows = self._rows
        self._snapshots_since_sweep += 1
        if len(self._rendered) > 2 * len(rows) + 1000 or self._snapshots_since_sweep >= SWEEP_EVERY:
            self._snapshots_since_sweep = 0
            self._rendered = {key: rendered for key, rendered in self._rendered.items() if key in rows}
        if len(self._line_cache) > 1000:
            self._line_cache.clear()

    def _render_cells(self, key: Hashable, row: RowT) -> _RenderedRow[RowT]:
        """The cells of a row, from the cache while the row's value is unchanged."""
        rendered = self._cached_cells(key, row)
        if rendered is None:
            rendered = self._rendered[key] = self._build_cells(row)
        return rendered

    def _cached_cells(self, key: Hashable, row: RowT) -> _RenderedRow[RowT] | None:
        rendered = self._rendered.get(key)
        if rendered is not None and (rendered.row is row or rendered.row == row):
            return rendered
        return None

    def _build_cells(self, row: RowT) -> _RenderedRow[RowT]:
        cells = tuple(self._cells(row))
        if len(cells) != len(self._columns):
            raise ValueError(f"cells() returned {len(cells)} cells for {len(self._columns)} columns")
        try:
            # Fast path for all-text cells: the join raises TypeError as soon as it meets a Text.
            joined = "\n".join(cells)
        except TypeError:
            cells = tuple(
                cell if not isinstance(cell, str) or cell.isprintable() else cell.translate(_CONTROL_CHARS)
                for cell in cells
            )
            plain = tuple(cell if isinstance(cell, str) else cell.plain for cell in cells)
            joined = "\n".join(plain)
        else:
            if not all(map(str.isprintable, cells)):
                cells = tuple(cell.translate(_CONTROL_CHARS) for cell in cells)
                joined = "\n".join(cells)
            plain = cells
        return _RenderedRow(row, cells, plain, joined.lower())

    def _measure(self, rendered: _RenderedRow[RowT]) -> None:
        """Grow auto-width columns to fit this row's cells."""
        seen = self._seen_widths
        plain = rendered.plain
        for index in self._auto_width_indices:
            width = cell_len(plain[index])
            if width > seen[index]:
                seen[index] = width
                self._widths_grew = True

    def _reorder(self) -> None:
        """Rebuild the displayed key order, then put the cursor back on its key."""
        rows = self._rows
        keys = list(rows)
        if self._filter_needle:
            needle = self._filter_needle
            render = self._render_cells
            keys = [key for key in keys if needle in render(key, rows[key]).haystack]
        if self._sort_column is not None:
            keys = self._sorted(keys)
        self._order = keys
        # The scroll range must know the new row count before the cursor scrolls to its row.
        self._update_virtual_size()
        self._restore_cursor()
        self._measure_visible()
        self._settle_widths()
        self.refresh()

    def _sorted(self, keys: list[Hashable]) -> list[Hashable]:
        """Keys in sort order; stable, so equal rows keep their data order."""
        assert self._sort_column is not None
        index = self._column_index[self._sort_column]
        sort_key = self._columns[index].sort_key
        rows = self._rows
        reverse = self._sort_reverse
        if sort_key is None:
            render = self._render_cells
            return sorted(keys, key=lambda key: _text_sort_key(render(key, rows[key]).plain[index]), reverse=reverse)
        values = {key: sort_key(rows[key]) for key in keys}
        # Missing values (None) go last in either direction instead of raising on comparison.
        missing_last = (lambda value: value is not None) if reverse else (lambda value: value is None)
        try:
            return sorted(keys, key=lambda key: (missing_last(values[key]), values[key]), reverse=reverse)
        except TypeError:
            return sorted(keys, key=lambda key: (missing_last(values[key]), str(values[key])), reverse=reverse)

    # ------------------------------------------------------------------ filter and sort

    @property
    def filter_text(self) -> str:
        """The current filter ("" when none)."""
        return self._filter_text

    def set_filter(self, text: str) -> None:
        """Show only rows whose cell text contains ``text`` (any column, case-insensitive)."""
        if text == self._filter_text:
            return
        self._filter_text = text
        self._filter_needle = text.strip().lower()
        self._reorder()

    @property
    def sort_column(self) -> str | None:
        """Key of the column the rows are sorted by; None keeps the order given to ``set_rows``."""
        return self._sort_column

    @property
    def sort_reverse(self) -> bool:
        """True when sorted descending."""
        return self._sort_reverse

    def sort_by(self, column_key: str | None, reverse: bool | None = None) -> None:
        """Sort by a column; again on the same column toggles the direction. None: data order.

        Raises:
            KeyError: no column has that key.
        """
        if column_key is not None and column_key not in self._column_index:
            raise KeyError(column_key)
        if reverse is None:
            reverse = column_key == self._sort_column and column_key is not None and not self._sort_reverse
        self._sort_column = column_key
        self._sort_reverse = bool(reverse) if column_key is not None else False
        self._reorder()

    # ------------------------------------------------------------------ cursor

    @property
    def cursor_key(self) -> Hashable | None:
        """Key of the row under the cursor; None when no row is shown.

        Setting it moves the cursor there and scrolls it into view.

        Raises:
            KeyError: on set, when no shown row has that key.
        """
        return self._cursor_key

    @cursor_key.setter
    def cursor_key(self, key: Hashable) -> None:
        if not self.move_cursor(key):
            raise KeyError(key)

    @property
    def cursor_row(self) -> RowT | None:
        """The row under the cursor, or None."""
        return None if self._cursor_key is None else self._rows.get(self._cursor_key)

    @property
    def cursor_index(self) -> int:
        """Position of the cursor among the shown rows; -1 when there are none."""
        return self._cursor_index

    def move_cursor(self, key: Hashable) -> bool:
        """Put the cursor on the row with this key and scroll to it; False if no shown row has it."""
        if key not in self._rows:
            return False
        try:
            index = self._order.index(key)
        except ValueError:
            return False
        self._move_cursor_to_index(index)
        return True

    def _restore_cursor(self) -> None:
        """After the order changed: follow the cursor's key, else take the row at its old position."""
        order = self._order
        old_key, old_index = self._cursor_key, self._cursor_index
        if not order:
            new_index, new_key = -1, None
        elif 0 <= old_index < len(order) and order[old_index] == old_key:
            new_index, new_key = old_index, old_key
        else:
            new_index = -1
            if old_key is not None and old_key in self._rows:
                try:
                    new_index = order.index(old_key)
                except ValueError:
                    pass  # filtered out: fall through to the neighbour
            if new_index < 0:
                new_index = min(max(old_index, 0), len(order) - 1)
            new_key = order[new_index]
        self._cursor_index, self._cursor_key = new_index, new_key
        if new_key == old_key and new_index >= 0 and old_index >= 0:
            # Same row elsewhere: scroll by the same amount, so it stays put on screen.
            self.set_scroll(None, min(max(0, self.scroll_offset.y + new_index - old_index), self.max_scroll_y))
        self._scroll_to_cursor()
        if new_key != old_key:
            if old_key is not None and old_key not in self._rows:
                self.post_message(self.CursorRowGone(self, new_key, self.cursor_row, old_key))
            self.post_message(self.CursorMoved(self, new_key, self.cursor_row))

    def _move_cursor_to_index(self, index: int) -> None:
        """Move the cursor by position among the shown rows (clamped), scrolling it into view."""
        if not self._order:
            return
        index = min(max(index, 0), len(self._order) - 1)
        old_index, old_key = self._cursor_index, self._cursor_key
        self._cursor_index, self._cursor_key = index, self._order[index]
        self._scroll_to_cursor()
        if old_index >= 0:
            self.refresh_line(old_index + 1)
        self.refresh_line(index + 1)
        if self._cursor_key != old_key:
            self.post_message(self.CursorMoved(self, self._cursor_key, self.cursor_row))

    def _page_height(self) -> int:
        """Rows that fit below the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        """Scroll vertically just enough for the cursor row to be visible below the header."""
        index = self._cursor_index
        if index < 0:
            return
        top = self.scroll_offset.y
        page = self._page_height()
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + page:
            self.scroll_to(y=index - page + 1, animate=False)

    def action_cursor_up(self) -> None:
        self._move_cursor_to_index(self._cursor_index - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor_to_index(self._cursor_index + 1)

    def action_page_up(self) -> None:
        self._move_cursor_to_index(self._cursor_index - self._page_height())

    def action_page_down(self) -> None:
        self._move_cursor_to_index(self._cursor_index + self._page_height())

    def action_cursor_first(self) -> None:
        self._move_cursor_to_index(0)

    def action_cursor_last(self) -> None:
        self._move_cursor_to_index(len(self._order) - 1)

    def action_select_cursor(self) -> None:
        """Post RowSelected for the cursor row (nothing when the table is empty)."""
        if self._cursor_key is not None:
            self.post_message(self.RowSelected(self, self._cursor_key, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        """A click on a row moves the cursor there (a double click selects); on the header it sorts."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        scroll_x, scroll_y = self.scroll_offset
        if offset.y == 0:
            column_key = self._column_at(offset.x + scroll_x)
            if column_key is not None:
                self.sort_by(column_key)
            return
        index = scroll_y + offset.y - 1
        if index < len(self._order):
            self._move_cursor_to_index(index)
            if event.chain >= 2:
                self.action_select_cursor()

    def _column_at(self, x: int) -> str | None:
        """Key of the column covering virtual x, if any."""
        left = LEFT_MARGIN
        for column, width in zip(self._columns, self._widths()):
            if not width:
                continue
            if left <= x < left + width:
                return column.key
            left += width + COLUMN_GAP
        return None

    # ------------------------------------------------------------------ layout

    @property
    def empty_text(self) -> str:
        """What the table says when it has no rows (e.g. "No calls")."""
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        self._empty_text = text
        self.refresh()

    @property
    def no_data_text(self) -> str | None:
        """Shown instead of the empty text while the rows are not known yet (``None`` once they are).

        "No calls" must only ever mean the PBX said there are none, never that it
        has not answered.
        """
        return self._no_data_text

    @no_data_text.setter
    def no_data_text(self, text: str | None) -> None:
        if text != self._no_data_text:
            self._no_data_text = text
            self.refresh()

    def _natural_widths(self) -> list[int]:
        """Column widths before spare width is shared out to flex columns."""
        widths = []
        for column, seen in zip(self._columns, self._seen_widths):
            if column.width is not None:
                widths.append(column.width)
            elif column.max_width is not None:
                widths.append(min(seen, column.max_width))
            else:
                widths.append(seen)
        return widths

    def _widths(self) -> tuple[int, ...]:
        """Column widths for the current widget width, flex columns absorbing spare space."""
        available = self.scrollable_content_region.width
        cache_key = (available, tuple(self._seen_widths), self._sort_column)
        if self._widths_cache is not None and self._widths_cache[0] == cache_key:
            return self._widths_cache[1]
        widths = self._fitted_widths(available)
        spare = available - self._line_width(widths)
        # A flex column the squeeze hid comes back only with room to be read.
        flex_indices = [index for index, column in enumerate(self._columns)
                        if column.flex > 0 and (widths[index] or spare >= NARROWEST_READABLE)]
        flex_total = sum(self._columns[index].flex for index in flex_indices)
        if spare > 0 and flex_total:
            given = 0
            for index in flex_indices:
                share = spare * self._columns[index].flex // flex_total
                widths[index] += share
                given += share
            widths[flex_indices[-1]] += spare - given
        result = tuple(widths)
        self._widths_cache = (cache_key, result)
        return result

    def _fitted_widths(self, available: int) -> list[int]:
        """The natural widths, squeezed (see ``Column``) when they would not fit in ``available`` cells."""
        widths = self._natural_widths()
        excess = self._line_width(widths) - available
        if excess > 0:
            self._squeeze(widths, excess)
        return widths

    def _squeeze(self, widths: list[int], excess: int) -> None:
        """Take ``excess`` cells from the columns that may give way (see ``Column``), in their order."""
        yielding = sorted((index for index, column in enumerate(self._columns) if column.min_width is not None),
                          key=lambda index: (-self._columns[index].give_way, -index))
        for index in yielding:
            if excess <= 0:
                return
            column = self._columns[index]
            floor = column.min_width or 0
            if column.key == self._sort_column:
                floor = max(floor, cell_len(column.label) + SORT_ARROW_WIDTH)  # its ▲/▼ stays in view
            # A fixed width is what the cells need (a trend): such a column is hidden whole, never cut.
            cut = widths[index] if column.width is not None and not floor else min(excess, max(0, widths[index] - floor))
            if not floor and widths[index] - cut < NARROWEST_READABLE:
                cut = widths[index]  # a sliver (one letter of a node name) reads as noise: hidden instead
            widths[index] -= cut
            excess -= cut
            if widths[index] == 0 and cut:
                excess -= COLUMN_GAP  # a hidden column takes its gap with it

    @staticmethod
    def _line_width(widths: Sequence[int]) -> int:
        shown = sum(1 for width in widths if width)
        return LEFT_MARGIN + sum(widths) + COLUMN_GAP * max(0, shown - 1) + LEFT_MARGIN

    def _update_virtual_size(self) -> None:
        # The widths as drawn: squeezed to the widget when columns may give way, so no needless scroll bar.
        size = Size(self._line_width(self._fitted_widths(self.scrollable_content_region.width)), len(self._order) + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def _measure_visible(self) -> None:
        """Render the cells of the rows on screen now, so their widths count before drawing."""
        top = self.scroll_offset.y
        rows, order = self._rows, self._order
        for key in order[top : top + self._page_height()]:
            self._measure(self._render_cells(key, rows[key]))

    def _settle_widths(self) -> None:
        """After a cell grew a column: re-layout everything once."""
        if self._widths_grew:
            self._widths_grew = False
            self._line_cache.clear()
            self._update_virtual_size()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_names.clear()
        self._line_cache.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()

    # ------------------------------------------------------------------ rendering

    def render_lines(self, crop: Region) -> list[Strip]:
        # Measure the rows about to be drawn first, so a wider cell re-lays out this frame.
        self._measure_visible()
        if self._widths_grew:
            self._widths_grew = False
            self._line_cache.clear()
            self.call_later(self._update_virtual_size)
            self.call_later(self.refresh)
        return super().render_lines(crop)

    def _named_style(self, name: str) -> Style:
        """A row style name as a Rich style: a component class if declared, else parsed Rich syntax."""
        style = self._style_names.get(name)
        if style is None:
            try:
                style = self.get_component_rich_style(name, partial=True)
            except KeyError:
                style = Style.parse(name)
            self._style_names[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base_style = self.rich_style
        if y == 0:
            header_style = base_style + self.get_component_rich_style("keyed-table--header")
            return self._header_strip(header_style).crop_extend(scroll_x, scroll_x + width, header_style)
        index = scroll_y + y - 1
        if index < len(self._order):
            key = self._order[index]
            line_style, strip = self._row_strip(key, index == self._cursor_index, base_style)
            return strip.crop_extend(scroll_x, scroll_x + width, line_style)
        if y >= 1 and not self._order:
            return self._empty_strip(y - 1, width, base_style)
        return Strip.blank(width, base_style)

    def _row_strip(self, key: Hashable, is_cursor: bool, base_style: Style) -> tuple[Style, Strip]:
        """The full-width line of one row, from the cache while row, style and layout are unchanged."""
        row = self._rows[key]
        line_style = base_style
        if self._row_style is not None:
            name = self._row_style(row)
            if name:
                line_style = line_style + self._named_style(name)
        if is_cursor:
            line_style = line_style + self.get_component_rich_style("keyed-table--cursor")
        widths = self._widths()
        cached = self._line_cache.get(key)
        if (
            cached is not None
            and cached[1] == line_style
            and cached[2] is widths
            and (cached[0] is row or cached[0] == row)
        ):
            return line_style, cached[3]
        rendered = self._render_cells(key, row)
        strip = self._cells_strip(rendered.cells, widths, line_style)
        self._line_cache[key] = (row, line_style, widths, strip)
        return line_style, strip

    def _cells_strip(self, cells: Sequence[Cell], widths: Sequence[int], line_style: Style) -> Strip:
        """Lay cells out at the given widths in one Strip, every cell padded or cut to its width."""
        segments = [Segment(" " * LEFT_MARGIN, line_style)]
        gap = Segment(" " * COLUMN_GAP, line_style)
        console = self.app.console
        first = True
        for cell, column, width in zip(cells, self._columns, widths):
            if not width:
                continue  # hidden: no room at this width
            if not first:
                segments.append(gap)
            first = False
            if isinstance(cell, str):
                segments.append(Segment(_fit(cell, width, column.align), line_style))
                continue
            text = cell
            length = text.cell_len
            if length > width:
                text = text.copy()
                text.truncate(width, overflow="ellipsis")
                length = text.cell_len
            padding = Segment(" " * (width - length), line_style)
            if column.align == "right":
                segments.append(padding)
            # Text.render yields only the spans' styles; the Text's own style is ours to apply.
            text_style = line_style + (Style.parse(text.style) if isinstance(text.style, str) else text.style)
            segments.extend(
                Segment(segment.text, text_style + segment.style if segment.style else text_style)
                for segment in text.render(console)
            )
            if column.align == "left":
                segments.append(padding)
        segments.append(Segment(" " * LEFT_MARGIN, line_style))
        return Strip(segments, self._line_width(widths))

    def _header_strip(self, style: Style) -> Strip:
        """Column labels, with ▲/▼ on the sort column."""
        labels = []
        for column in self._columns:
            label = column.label
            if column.key == self._sort_column:
                label += " ▼" if self._sort_reverse else " ▲"
            labels.append(label)
        return self._cells_strip(labels, self._widths(), style)

    def _empty_strip(self, line_number: int, width: int, base_style: Style) -> Strip:
        """A line of the text shown under the header when no row is shown, word-wrapped to the width.

        Wrapped, not cut: when it says why there is no data, the end of the
        error is often the useful part.
        """
        text = self._empty_text if self._no_data_text is None else self._no_data_text
        if self._rows and self._filter_text:
            text = f"{text} matching “{self._filter_text.strip()}”"
        lines = textwrap.wrap(text, max(8, width - 2 * LEFT_MARGIN)) or [""]
        if line_number >= len(lines):
            return Strip.blank(width, base_style)
        style = base_style + self.get_component_rich_style("keyed-table--empty")
        line = " " * LEFT_MARGIN + lines[line_number]
        return Strip([Segment(line, style)], cell_len(line)).crop_extend(0, width, base_style)

