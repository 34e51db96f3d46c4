"""Runs the real ``tringtui`` command with the channels pane rigged to crash, for the key-leak test.

Usage: ``python crash_driver.py SCREENSHOT_DIR -- TRINGTUI_ARGS...``

Once the channels pane has shown data, the app saves a screenshot into
SCREENSHOT_DIR and then crashes in a function that is as careless as code
can be: it holds the revealed API key in local variables and quotes it, in
a URL and bare, in its exception message. Whatever the crash report shows,
the key must not be in it.
"""

from __future__ import annotations

import sys

from tringtui.cli import main
from tringtui.tui.panes.channels import ChannelsPane


def rig_crash(screenshot_dir: str) -> None:
    original_apply = ChannelsPane.apply

    def apply_then_crash(self: ChannelsPane, data) -> None:
        original_apply(self, data)
        self.app.set_timer(0.3, lambda: crash(self.app))

    def crash(app) -> None:
        app.save_screenshot("screen.svg", screenshot_dir)
        revealed = app.settings.key.reveal()
        url = f"{app.settings.server}/pbx/proxyapi.php?key={revealed}&reqtype=CHANNELS"
        raise RuntimeError(f"forced crash while fetching {url} (key {revealed})")

    ChannelsPane.apply = apply_then_crash


if __name__ == "__main__":
    separator = sys.argv.index("--")
    rig_crash(sys.argv[1])
    sys.exit(main(sys.argv[separator + 1 :]))
