"""The widening options (all queues, both legs) show their state as a character, readable without colour."""

from textual.app import App, ComposeResult

from tringtui.tui.widgets.marked_checkbox import MarkedCheckbox


class OneBox(App):
    def compose(self) -> ComposeResult:
        yield MarkedCheckbox("Pause in ALL queues")


async def test_off_is_blank_and_on_is_marked():
    app = OneBox()
    async with app.run_test(size=(40, 5)) as pilot:
        box = app.query_one(MarkedCheckbox)
        assert not box.value
        assert "▐ ▌ Pause in ALL queues" in box.render().plain
        box.focus()
        await pilot.press("space")
        assert box.value
        assert "▐X▌ Pause in ALL queues" in box.render().plain
