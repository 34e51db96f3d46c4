"""Does the monitor keep answering keys while a huge PBX is polled?

Run from the repository root:  python -m bench.responsiveness [--size huge] [--seconds 10]

Serves the simulated PBX (default ``huge``: 20,000 peers, 10,000 channels)
in this process, runs the monitor headless at 80x24 with every pane polling
at the floor interval (so requests are always in flight and tables refresh
constantly), moves the cursor every 50 ms, and prints:

- event-loop lag: how late a 10 ms timer fires (p50 / p99 / max) — the time a
  key would wait before the app even sees it;
- polls completed per pane, and the last request's latency.

The simulator shares the interpreter (and its GIL) with the monitor here, so
this is harsher than a real, remote server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

if not __package__:  # run as a script (python bench/NAME.py): put the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tringtui.commands.monitor import DEMO_KEY, start_demo_server
from tringtui.settings import MIN_INTERVAL, PANES, Secret, Settings
from tringtui.tui.app import TringApp


async def measure(app: TringApp, seconds: float) -> list[float]:
    lags: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - before - 0.01)
            if len(lags) % 5 == 0:
                app.panes["channels"].query_one("#channels-table").action_cursor_down()
    return lags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="huge", choices=("small", "medium", "large", "huge"))
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    server, tenant = start_demo_server(args.size, 7)
    try:
        settings = Settings(
            server=server.url, key=Secret(DEMO_KEY), demo=True, intervals={pane: MIN_INTERVAL for pane in PANES}
        )
        app = TringApp(settings, pane_tenant=tenant)
        lags = sorted(asyncio.run(measure(app, args.seconds)))
    finally:
        server.stop()
    ms = [lag * 1000 for lag in lags]
    print(f"monitor on a {args.size} PBX, every pane polling every {MIN_INTERVAL:g} s, {args.seconds:g} s:")
    print(f"  event-loop lag  p50 {statistics.median(ms):.1f} ms  p99 {ms[int(len(ms) * 0.99)]:.1f} ms  max {ms[-1]:.1f} ms")
    for pane_id, pane in app.panes.items():
        latency = pane.snapshot.latency
        shown = f"{latency:.2f} s" if latency is not None else "–"
        print(f"  {pane_id:<9} {pane.snapshot.completed:3d} polls, last took {shown}")


if __name__ == "__main__":
    main()
