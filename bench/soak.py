"""Memory on a long run: RSS of the monitor after 100 and after 1,000 refreshes of 10,000 channels.

Run from the repository root:  python -m bench.soak  [--cycles 1000] [--channels 10000] [--all-panes]

The simulator runs in a process of its own (``tringtui sim --size huge
--channels 10000``) so that only the monitor's memory is measured. The real
``TringApp`` runs headless at 160x48 (every pane on screen) with the real
client, its API thread and pollers: the channels pane polls back to back, as
fast as the server answers, through the whole path (HTTP, the size and time
caps, parsing, ``ChannelsPane.apply`` into ``KeyedTable.set_rows``, ticking
durations, rendering). The other panes load once; with ``--all-panes`` they
poll at their usual intervals too (20,000 peers every 30 s), which adds a
one-off high-water mark when the second peers snapshot arrives while the
first is still held.

RSS is read after a garbage collection every 100 refreshes, at a moment when
no other pane has a request in flight. Target: growth from 100 to 1,000
refreshes under 10 MB. With ``--all-panes`` the judged figure is the trend
instead: the peak RSS of the run's second half against its first half's
(a leak climbs on; the high-water mark above comes and goes).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import subprocess
import sys
import time
from pathlib import Path

if not __package__:  # run as a script (python bench/NAME.py): put the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._local_server import free_port, wait_for_port
import tringtui.settings
from tringtui.settings import PANES, Secret, Settings
from tringtui.tui.app import TringApp

WARM_CYCLES = 100
TARGET_GROWTH_MB = 10.0
SCREEN_SIZE = (160, 48)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def start_simulator(channels: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "tringtui", "sim", "--size", "huge", "--channels", str(channels), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1])
    try:
        wait_for_port(port, 60, "the simulator")
    except RuntimeError:
        process.kill()
        raise
    return process, f"http://127.0.0.1:{port}"


async def soak(server: str, cycles: int, all_panes: bool) -> list[tuple[int, float, float]]:
    """(refreshes, RSS MB, seconds) every 100 refreshes."""
    # Back-to-back polling of the channels pane: no protective floor against our own simulator.
    tringtui.settings.MIN_INTERVAL = 0.0
    intervals = {pane: tringtui.settings.DEFAULT_INTERVALS[pane] if all_panes else 3600.0 for pane in PANES}
    intervals["channels"] = 0.0
    settings = Settings(server=server, key=Secret("demo-admin"), profile="soak", intervals=intervals)
    app = TringApp(settings, pane_tenant="DEVEL")  # an admin session, as a NOC runs it
    marks: list[tuple[int, float, float]] = []
    async with app.run_test(size=SCREEN_SIZE):
        pane = app.panes["channels"]
        started = time.monotonic()
        others = [other for other in app.panes.values() if other is not pane]
        for mark in range(WARM_CYCLES, cycles + 1, WARM_CYCLES):
            while pane.snapshot.completed < mark or any(other.snapshot.in_flight for other in others):
                await asyncio.sleep(0.05)
            gc.collect()
            marks.append((pane.snapshot.completed, rss_mb(), time.monotonic() - started))
            print(f"RSS after {marks[-1][0]:>5,} refreshes: {marks[-1][1]:7.1f} MB", flush=True)
        errors = pane.snapshot.error
        rows = pane.tables[0].total_count
    if errors:
        print(f"warning: the last refresh failed: {errors}")
    print(f"channels on screen at the end: {rows:,}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--all-panes", action="store_true", help="the other panes poll at their usual intervals too")
    args = parser.parse_args()
    process, server = start_simulator(args.channels)
    try:
        marks = asyncio.run(soak(server, args.cycles, args.all_panes))
    finally:
        process.terminate()
        process.wait(timeout=10)
    (warm_n, warm_rss, warm_t), (end_n, end_rss, end_t) = marks[0], marks[-1]
    growth = end_rss - warm_rss
    rate = (end_n - warm_n) / (end_t - warm_t)
    print(f"growth from {warm_n:,} to {end_n:,} refreshes: {growth:+.1f} MB "
          f"(target under {TARGET_GROWTH_MB:g} MB) at {rate:.1f} refreshes/s")
    ok = growth < TARGET_GROWTH_MB
    half = len(marks) // 2
    if half >= 2:
        # A leak keeps climbing; a high-water mark (two 20k-peer snapshots held at once) comes and goes.
        # Comparing the peaks of the two halves of the run tells them apart.
        first_peak = max(rss for _, rss, _ in marks[:half])
        second_peak = max(rss for _, rss, _ in marks[half:])
        trend = second_peak - first_peak
        print(f"peak RSS in the first half of the run: {first_peak:.1f} MB, in the second: {second_peak:.1f} MB "
              f"({trend:+.1f} MB)")
        if args.all_panes:
            ok = trend < TARGET_GROWTH_MB  # the judged figure with every pane polling: no upward trend
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
