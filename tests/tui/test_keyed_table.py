"""KeyedTable behaviour in a running app: keyed diffs, a cursor that follows identity, filter, sort, rendering."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Footer

from tringtui.api.models import Channel
from tringtui.tui.widgets import Column, KeyedTable


def make_channel(number: int, *, duration: int | None = None, exten: str | None = None, state: str = "Up") -> Channel:
    """A deterministic channel; ``number`` makes the uniqueid and the device."""
    return Channel(
        channel=f"SIP/{100 + number % 50}-DEVEL-{number:08x}",
        context="from-internal",
        exten=exten if exten is not None else f"{200 + number}",
        priority="1",
        state=state,
        application="Dial",
        data=f"SIP/kamailio/{5550000 + number}",
        caller_id=f"{100 + number % 50}",
        accountcode="DEVEL",
        peeraccount="",
        ama_flags="3",
        duration=duration if duration is not None else number * 7 % 500,
        bridged_to="",
        uniqueid=f"pbx1-1700000000.{number}",
    )


def channel_columns() -> list[Column[Channel]]:
    return [
        Column("channel", "Channel"),
        Column("exten", "Exten", width=6),
        Column("state", "State", width=7),
        Column("duration", "Dur", align="right", sort_key=lambda channel: channel.duration),
        Column("data", "Data", flex=1),
    ]


def channel_cells(channel: Channel) -> tuple[str, ...]:
    return (channel.channel, channel.exten, channel.state, str(channel.duration), channel.data)


def channel_state_style(channel: Channel) -> str | None:
    return "keyed-table--warning" if channel.state == "Ringing" else None


class TableApp(App[None]):
    """One KeyedTable of channels, recording the messages it posts."""

    def __init__(self, rows: list[Channel] | None = None) -> None:
        super().__init__()
        self.initial_rows = rows or []
        self.moves: list[tuple[object, object]] = []
        self.selections: list[tuple[object, object]] = []

    def compose(self) -> ComposeResult:
        yield KeyedTable(
            channel_columns(),
            row_key=lambda channel: channel.uniqueid,
            cells=channel_cells,
            row_style=channel_state_style,
            empty_text="No calls",
            id="channels",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.table.set_rows(self.initial_rows)
        self.table.focus()

    @property
    def table(self) -> KeyedTable[Channel]:
        return self.query_one("#channels", KeyedTable)

    def on_keyed_table_cursor_moved(self, message: KeyedTable.CursorMoved) -> None:
        self.moves.append((message.key, message.row))

    def on_keyed_table_row_selected(self, message: KeyedTable.RowSelected) -> None:
        self.selections.append((message.key, message.row))


def uid(number: int) -> str:
    return f"pbx1-1700000000.{number}"


def screen_lines(table: KeyedTable[Channel]) -> list[str]:
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


async def test_set_rows_applies_adds_removals_and_changes() -> None:
    app = TableApp([make_channel(n) for n in range(5)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        changed = replace(make_channel(1), state="Ringing", duration=999)
        table.set_rows([make_channel(0), changed, make_channel(3), make_channel(4), make_channel(7)])
        await pilot.pause()
        assert table.total_count == table.row_count == 5
        assert table.get_row(uid(2)) is None
        assert table.get_row(uid(1)) == changed
        assert table.get_row(uid(7)) == make_channel(7)
        lines = screen_lines(table)
        assert "Ringing" in lines[2] and "999" in lines[2]
        assert make_channel(7).channel in lines[5]
        assert [row.uniqueid for row in table.visible_rows()] == [uid(n) for n in (0, 1, 3, 4, 7)]


async def test_cursor_follows_its_key_when_rows_are_inserted_above() -> None:
    app = TableApp([make_channel(n) for n in range(50, 100)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        table.cursor_key = uid(53)
        await pilot.pause()
        screen_row = table.cursor_index - table.scroll_offset.y
        table.set_rows([make_channel(n) for n in range(0, 100)])
        await pilot.pause()
        assert table.cursor_key == uid(53)
        assert table.cursor_index == 53
        assert table.cursor_row == make_channel(53)
        # The selected call stays on the same screen line while others shift around it.
        assert table.cursor_index - table.scroll_offset.y == screen_row
        assert make_channel(53).channel in table.render_line(screen_row + 1).text
        assert app.moves[-1][0] == uid(53)


async def test_cursor_follows_its_key_across_a_resort() -> None:
    app = TableApp([make_channel(n) for n in range(30)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        table.cursor_key = uid(5)
        await pilot.pause()
        moves_before = len(app.moves)
        table.sort_by("duration", reverse=True)
        await pilot.pause()
        assert table.cursor_key == uid(5)
        durations = [row.duration for row in table.visible_rows()]
        assert durations == sorted(durations, reverse=True)
        assert table.visible_rows()[table.cursor_index].uniqueid == uid(5)
        assert len(app.moves) == moves_before, "a re-sort is no cursor move"


async def test_cursor_takes_the_neighbour_when_its_row_disappears() -> None:
    app = TableApp([make_channel(n) for n in range(10)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        table.cursor_key = uid(4)
        table.set_rows([make_channel(n) for n in range(10) if n != 4])
        await pilot.pause()
        assert table.cursor_index == 4
        assert table.cursor_key == uid(5)
        assert app.moves[-1] == (uid(5), make_channel(5))

        table.cursor_key = uid(9)
        table.set_rows([make_channel(n) for n in range(3)])
        await pilot.pause()
        assert (table.cursor_index, table.cursor_key) == (2, uid(2))


async def test_empty_table_shows_its_message_and_has_no_cursor() -> None:
    app = TableApp([make_channel(1)])
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.table
        assert table.cursor_key == uid(1)
        table.set_rows([])
        await pilot.pause()
        assert table.cursor_key is None and table.cursor_row is None and table.cursor_index == -1
        assert app.moves[-1] == (None, None)
        assert "Channel" in table.render_line(0).text
        assert table.render_line(1).text.strip() == "No calls"
        await pilot.press("down", "end", "enter")
        assert app.selections == []


async def test_filter_matches_any_column_case_insensitively_and_clears() -> None:
    rows = [make_channel(n) for n in range(10)] + [make_channel(10, exten="SpEc")]
    app = TableApp(rows)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        table.cursor_key = uid(3)
        table.set_filter("spec")
        await pilot.pause()
        assert table.filter_text == "spec"
        assert table.row_count == 1 and table.total_count == 11
        assert table.cursor_key == uid(10)
        assert "SpEc" in table.render_line(1).text

        table.set_filter("no such thing")
        await pilot.pause()
        assert table.row_count == 0 and table.cursor_key is None
        assert "No calls matching “no such thing”" in table.render_line(1).text

        table.set_filter("")
        await pilot.pause()
        assert table.row_count == 11
        assert table.cursor_key == uid(0)


async def test_filter_stays_applied_across_refreshes() -> None:
    app = TableApp([make_channel(n) for n in range(100)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        table.set_filter("sip/107-")
        table.set_rows([make_channel(n) for n in range(50, 200)])
        await pilot.pause()
        assert {row.channel.split("-")[0] for row in table.visible_rows()} == {"SIP/107"}
        assert table.row_count == 3  # 57, 107 and 157


async def test_sort_toggles_direction_and_shows_an_arrow() -> None:
    app = TableApp([make_channel(n, duration=d) for n, d in enumerate([30, 5, 30, 100, 5])])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        table.sort_by("duration")
        await pilot.pause()
        assert (table.sort_column, table.sort_reverse) == ("duration", False)
        # Stable: equal durations keep their data order.
        assert [row.uniqueid for row in table.visible_rows()] == [uid(n) for n in (1, 4, 0, 2, 3)]
        assert "Dur ▲" in table.render_line(0).text

        table.sort_by("duration")
        await pilot.pause()
        assert table.sort_reverse is True
        assert [row.duration for row in table.visible_rows()] == [100, 30, 30, 5, 5]
        assert "Dur ▼" in table.render_line(0).text

        table.sort_by(None)
        await pilot.pause()
        assert table.sort_column is None
        assert [row.uniqueid for row in table.visible_rows()] == [uid(n) for n in range(5)]


async def test_sort_by_cell_text_is_numeric_and_natural() -> None:
    exts = ["100", "nan", "9", "abc10", "abc9", "25"]
    app = TableApp([make_channel(n, exten=e) for n, e in enumerate(exts)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        table.sort_by("exten")
        await pilot.pause()
        assert [row.exten for row in table.visible_rows()] == ["9", "25", "100", "abc9", "abc10", "nan"]


async def test_enter_posts_row_selected_for_the_cursor_row() -> None:
    app = TableApp([make_channel(n) for n in range(5)])
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("down", "down", "enter")
        assert app.selections == [(uid(2), make_channel(2))]
        assert app.moves[-1] == (uid(2), make_channel(2))


async def test_navigation_keys_move_the_cursor_and_keep_it_visible() -> None:
    app = TableApp([make_channel(n) for n in range(200)])
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.table
        await pilot.press("end")
        assert table.cursor_index == 199
        assert table.scroll_offset.y == table.max_scroll_y
        assert make_channel(199).channel in screen_lines(table)[-1]
        await pilot.press("home")
        assert (table.cursor_index, table.scroll_offset.y) == (0, 0)
        await pilot.press("pagedown")
        page = table.scrollable_content_region.height - 1
        assert table.cursor_index == page
        await pilot.press("pageup", "up")
        assert table.cursor_index == 0


async def test_click_moves_the_cursor_and_header_click_sorts() -> None:
    app = TableApp([make_channel(n) for n in range(10)])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        await pilot.click("#channels", offset=(3, 4))
        assert table.cursor_key == uid(3)
        await pilot.click("#channels", offset=(3, 0))
        assert table.sort_column == "channel"


async def test_long_and_wide_cells_are_cut_to_their_column() -> None:
    wide = replace(make_channel(1), exten="電話電話電話", state="Ringing-long-state")
    app = TableApp([wide])
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.table
        await pilot.pause()
        line = table.render_line(1)
        assert line.cell_length == table.scrollable_content_region.width
        assert "電話 …" in line.text, "a wide character split at the edge becomes a space"
        assert "Ringin…" in line.text


async def test_styled_text_cells_render_with_their_style() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 20)) as pilot:
        table = KeyedTable(
            [Column("name", "Name"), Column("state", "State")],
            row_key=lambda row: row[0],
            cells=lambda row: (row[0], Text(row[1], style="bold")),
        )
        await app.mount(table)
        table.set_rows([("a", "UP"), ("b", "DOWN")])
        await pilot.pause()
        segments = [segment for segment in table.render_line(2) if segment.text == "DOWN"]
        assert segments and segments[0].style.bold


async def test_wide_table_scrolls_horizontally_with_its_header() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.table
        table.set_rows([make_channel(n) for n in range(3)])
        await pilot.pause()
        assert table.virtual_size.width > table.scrollable_content_region.width
        table.focus()
        await pilot.press("right")
        assert table.scroll_offset.x > 0
        assert table.cursor_key == uid(0), "scrolling sideways leaves the cursor alone"
        table.scroll_to(x=table.max_scroll_x, animate=False)
        await pilot.pause()
        assert "Data" in table.render_line(0).text
        assert make_channel(0).data in table.render_line(1).text
        assert table.render_line(1).cell_length == table.scrollable_content_region.width


async def test_twenty_thousand_rows_refresh_in_place() -> None:
    """A churned refresh of 20,000 rows keeps the cursor's row; how fast is bench/refresh.py's to say."""
    app = TableApp()
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.table
        rows = [make_channel(n) for n in range(20_000)]
        table.set_rows(rows)
        await pilot.pause()
        table.cursor_key = uid(10_000)

        churned = [replace(row, duration=row.duration + 1) if n % 10 == 0 else row for n, row in enumerate(rows)]
        churned = churned[500:] + [make_channel(n) for n in range(20_000, 20_500)]
        table.set_rows(churned)
        await pilot.pause()

        assert table.row_count == 20_000
        assert table.cursor_key == uid(10_000)
        assert table.get_row(uid(10_000)).duration == rows[10_000].duration + 1
        assert table.get_row(uid(20_499)) is not None and table.get_row(uid(0)) is None


def test_snapshot_small_channel_table(snap_compare) -> None:
    rows = [make_channel(n) for n in range(12)]
    rows[5] = replace(rows[5], state="Ringing")

    async def select_and_sort(pilot) -> None:
        pilot.app.table.sort_by("duration", reverse=True)
        pilot.app.table.cursor_key = uid(3)
        await pilot.pause()

    assert snap_compare(TableApp(rows), terminal_size=(80, 24), run_before=select_and_sort)


async def test_control_characters_in_cells_cannot_break_the_line() -> None:
    app = TableApp([replace(make_channel(1), data="evil\x1b[2J\nline")])
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        text = app.table.render_line(1).text
        assert "\x1b" not in text and "\n" not in text
        assert "evil\ufffd[2J\ufffdline" in text


async def test_cursor_key_setter_rejects_unknown_keys() -> None:
    app = TableApp([make_channel(n) for n in range(3)])
    async with app.run_test(size=(100, 20)):
        table = app.table
        assert table.move_cursor("no-such-call") is False
        with pytest.raises(KeyError):
            table.cursor_key = "no-such-call"
        assert table.cursor_key == uid(0)


async def test_rows_set_before_mount_and_a_bordered_table_render() -> None:
    class BorderedApp(App[None]):
        CSS = "KeyedTable { border: round $primary; padding: 0 1; }"

        def compose(self) -> ComposeResult:
            table = KeyedTable(
                channel_columns(), row_key=lambda channel: channel.uniqueid, cells=channel_cells, id="channels"
            )
            table.set_rows([make_channel(n) for n in range(40)])
            yield table

    app = BorderedApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(KeyedTable)
        table.focus()
        await pilot.press("end")
        assert table.cursor_key == uid(39)
        lines = screen_lines(table)
        assert all(len(line) == table.scrollable_content_region.width for line in lines)
        assert make_channel(39).channel in lines[-1]
        assert "Channel" in lines[0]


async def test_rows_without_a_sort_value_go_last_in_both_directions() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 20)) as pilot:
        table = KeyedTable(
            [Column("name", "Name"), Column("latency", "Latency", sort_key=lambda row: row[1])],
            row_key=lambda row: row[0],
            cells=lambda row: (row[0], "" if row[1] is None else str(row[1])),
        )
        await app.mount(table)
        table.set_rows([("a", 30), ("b", None), ("c", 5), ("d", 12)])
        table.sort_by("latency")
        assert [row[0] for row in table.visible_rows()] == ["c", "d", "a", "b"]
        table.sort_by("latency")
        assert [row[0] for row in table.visible_rows()] == ["a", "d", "c", "b"]
        await pilot.pause()


async def test_widths_grow_with_new_rows_and_shrink_only_on_refresh_cells() -> None:
    app = TableApp([make_channel(1)])
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.table
        narrow_width = table.virtual_size.width
        long_channel = replace(make_channel(2), channel="SIP/a-very-long-trunk-name-0000beef")
        table.set_rows([make_channel(1), long_channel])
        await pilot.pause()
        assert table.virtual_size.width == narrow_width + len(long_channel.channel) - len(make_channel(1).channel)
        assert long_channel.channel in table.render_line(2).text

        table.set_rows([make_channel(1)])
        await pilot.pause()
        assert table.virtual_size.width > narrow_width, "widths stay put across refreshes"

        table.refresh_cells()
        await pilot.pause()
        assert table.virtual_size.width == narrow_width


class NarrowApp(App[None]):
    """A table whose columns may give way, in a box narrower or wider than their natural widths."""

    def __init__(self, width: int, sort: str | None = None) -> None:
        super().__init__()
        self.width = width
        self.sort = sort

    def compose(self) -> ComposeResult:
        table: KeyedTable[Channel] = KeyedTable(
            [
                Column("channel", "Channel"),
                Column("state", "State", min_width=3, give_way=1),
                Column("trend", "Trend", width=8, min_width=0, give_way=2),
                Column("data", "Data", flex=1, min_width=0, give_way=3),
            ],
            row_key=lambda channel: channel.uniqueid,
            cells=lambda channel: (channel.channel, "Ringing", "▁▂▃▄▅▆▇█", channel.data),
            id="narrow",
        )
        table.styles.width = self.width
        yield table

    def on_mount(self) -> None:
        table = self.query_one(KeyedTable)
        table.set_rows([make_channel(1)])
        if self.sort:
            table.sort_by(self.sort)


@pytest.mark.parametrize(
    ("width", "sort", "header", "row"),
    [
        # Wide enough: every column whole, the flex column takes the rest.
        (80, None, "Channel                State   Trend    Data",
         "SIP/101-DEVEL-00000001 Ringing ▁▂▃▄▅▆▇█ SIP/kamailio/5550001"),
        # The flex text gives way first, then the fixed-width trend is hidden whole (never cut), and what is
        # left over goes back to the flex column.
        (40, None, "Channel                State   Data", "SIP/101-DEVEL-00000001 Ringing SIP/kam…"),
        # A column that may hide is hidden rather than cut to a sliver (two letters of data read as noise).
        (34, None, "Channel                State", "SIP/101-DEVEL-00000001 Ringing"),
        # Then State shrinks, down to its min_width.
        (30, None, "Channel                State", "SIP/101-DEVEL-00000001 Ring…"),
        # The sorted column keeps room for its arrow: the line scrolls instead.
        (30, "state", "Channel                State", "SIP/101-DEVEL-00000001 Ringin"),
    ],
)
async def test_columns_give_way_in_order_when_the_table_is_narrow(width, sort, header, row):
    app = NarrowApp(width, sort)
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        assert table.render_line(0).text.rstrip() == " " + header
        assert table.render_line(1).text.rstrip() == " " + row
        # A horizontal scroll bar only when squeezing could not make the columns fit.
        assert (table.virtual_size.width > width) == (sort is not None)
