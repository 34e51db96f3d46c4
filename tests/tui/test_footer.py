"""At 80 columns the footer always shows ``? Help`` and ``q Quit``, on every pane and for every key."""

from __future__ import annotations

import pytest

from tests.tui.conftest import first_data
from tringtui.tui.widgets.footer import MonitorFooter


def _visible_footer_keys(app) -> dict[str, str]:
    """Footer keys wholly on screen: action → the text shown."""
    footer = app.query_one(MonitorFooter)
    width = app.size.width
    return {
        key.action: f"{key.key_display} {key.description}"
        for key in footer.query("FooterKey")
        if key.region.width and key.region.right <= width
    }


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5"], ids=["nodes", "channels", "queues", "flows", "peers"])
@pytest.mark.parametrize("readonly", [False, True], ids=["read-write", "read-only"])
async def test_help_and_quit_always_show_at_80_columns(make_app, key, readonly):
    app = make_app(readonly=readonly)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press(key)
        await pilot.pause(0.1)
        shown = _visible_footer_keys(app)
        assert shown.get("help") == "? Help", shown
        assert shown.get("quit_key") == "q Quit", shown
