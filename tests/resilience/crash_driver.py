"""Runs the real ``tringtui`` command with a crash rigged to a trigger file, for the key-leak test.

Usage: ``python crash_driver.py WORK_DIR -- TRINGTUI_ARGS...``

Once the channels pane has shown data, the app watches for ``WORK_DIR/crash-now``.
When it appears, the app saves a screenshot (``WORK_DIR/screen.svg``) and
crashes in a function that is as careless as code can be: it holds the
revealed API key in local variables and quotes it, in a URL and bare, in its
exception message. Whatever the crash report shows, the key must not be in it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tringtui.cli import main
from tringtui.tui.panes.channels import ChannelsPane


def rig_crash(work_dir: Path) -> None:
    original_apply = ChannelsPane.apply

    def apply_and_arm(self: ChannelsPane, data) -> None:
        original_apply(self, data)
        if not getattr(self, "_crash_armed", False):
            self._crash_armed = True
            self.app.set_interval(0.1, lambda: (work_dir / "crash-now").exists() and crash(self.app))

    def crash(app) -> None:
        app.save_screenshot("screen.svg", str(work_dir))
        revealed = app.settings.key.reveal()
        url = f"{app.settings.server}/pbx/proxyapi.php?key={revealed}&reqtype=CHANNELS"
        raise RuntimeError(f"forced crash while fetching {url} (key {revealed})")

    ChannelsPane.apply = apply_and_arm


if __name__ == "__main__":
    separator = sys.argv.index("--")
    rig_crash(Path(sys.argv[1]))
    sys.exit(main(sys.argv[separator + 1 :]))
