"""How long ``tringtui --demo`` takes from start to the first full data on screen.

Run from the repository root:  python -m bench.startup [--size medium] [--runs 3]

Each run happens in a fresh interpreter (so Textual's import cost counts) and
follows what ``tringtui --demo`` does: import the app, build the simulated PBX
and serve it on a loopback port, start the app (headless, 80x24) and wait
until every pane has applied its first poll and the screen has been redrawn.
Target: under 1.5 s for the default demo size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 1.5


def one_run(size: str, seed: int) -> dict[str, float]:
    """Runs inside the child interpreter; returns the phase end times in seconds since start."""
    import asyncio

    started = time.perf_counter()
    from tringtui.commands.monitor import DEMO_KEY, start_demo_server
    from tringtui.settings import Secret, Settings
    from tringtui.tui.app import TringApp

    imported = time.perf_counter()
    server, tenant = start_demo_server(size, seed)
    served = time.perf_counter()
    settings = Settings(server=server.url, key=Secret(DEMO_KEY), profile="demo", demo=True)
    app = TringApp(settings, pane_tenant=tenant)
    marks: dict[str, float] = {}

    async def measure() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            marks["first_frame"] = time.perf_counter()
            while not all(pane.snapshot.data is not None for pane in app.panes.values()):
                if any(pane.snapshot.error for pane in app.panes.values()):
                    raise SystemExit(f"a pane failed: {[p.snapshot.error for p in app.panes.values()]}")
                await asyncio.sleep(0.005)
            await pilot.pause()
            marks["full_data"] = time.perf_counter()

    try:
        asyncio.run(measure())
    finally:
        server.stop()
    return {
        "import": imported - started,
        "world_and_server": served - started,
        "first_frame": marks["first_frame"] - started,
        "full_data": marks["full_data"] - started,
    }


def measure_startup(size: str = "medium", seed: int = 7, runs: int = 3) -> dict[str, float]:
    """Median of each start-up phase over ``runs`` fresh interpreters (imports are part of start-up)."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-m", "bench.startup", "--child", "--size", size, "--seed", str(seed)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],  # where -m finds the bench package, however this was run
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return {phase: statistics.median(run[phase] for run in results) for phase in results[0]}


def print_startup(phases: dict[str, float], size: str, runs: int) -> None:
    print(f"tringtui --demo start-up, size {size}, median of {runs} fresh interpreters:")
    for phase in ("import", "world_and_server", "first_frame", "full_data"):
        print(f"  {phase:<18} {phases[phase]:6.3f} s (cumulative)")
    total = phases["full_data"]
    verdict = "OK" if total < TARGET_SECONDS else "OVER TARGET"
    print(f"start-up to first full data: {total:.3f} s (target < {TARGET_SECONDS} s) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium", choices=("small", "medium", "large", "huge"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.size, args.seed)))
        return
    print_startup(measure_startup(args.size, args.seed, args.runs), args.size, args.runs)


if __name__ == "__main__":
    main()
