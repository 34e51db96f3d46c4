"""What many operators cost the PBX, with and without the nginx cache, and what 5 PBX tabs cost the monitor.

Run from the repository root:  python -m bench.fleet [--seconds 20] [--cpu-seconds 30]

1. Requests per minute reaching the PBX. 1, 5 and 10 operators, each a
   headless live session (the monitor's pollers at the default intervals)
   with its own client and the same shared key, watch one simulated PBX for
   ``--seconds`` of real time, first directly, then through
   ``docs/deploy/nginx.conf`` running in a real nginx (skipped when nginx or
   its JavaScript module is not installed). The simulator answers after
   ``--latency`` seconds, like a slow API. Baseline: one operator without the cache.
2. The monitor's CPU. The fleet monitor with 5 PBX tabs, each a ``--size
   medium`` simulator in a process of its own, runs headless in a fresh
   interpreter for ``--cpu-seconds``; its CPU time (user + system) is
   printed per minute of watching, with the overview shown and with one PBX's
   tab shown. Baseline: the single-PBX monitor of one medium PBX, same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

if not __package__:  # run as a script (python bench/NAME.py): put the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OPERATOR_COUNTS = (1, 5, 10)
SHARED_KEY, TENANT = "demo-devel-ro", "DEVEL"
CPU_TABS = 5


# -- 1. requests reaching the PBX -------------------------------------------------------


async def _operators(url: str, count: int, seconds: float) -> None:
    from tringtui.api.client import TringClient
    from tringtui.live import SOURCES, LiveSession, direct
    from tringtui.settings import DEFAULT_INTERVALS

    clients = [TringClient(url, SHARED_KEY, TENANT, readonly=True, timeout=60.0) for _ in range(count)]
    sessions = [LiveSession(direct(client), intervals={s: DEFAULT_INTERVALS[s] for s in SOURCES}, tenant=TENANT)
                for client in clients]
    for session in sessions:
        session.start()
    await asyncio.sleep(seconds)
    for session in sessions:
        await session.aclose()
    for client in clients:
        await client.aclose()


def requests_per_minute(count: int, seconds: float, latency: float, *, cached: bool) -> float | None:
    """Requests per minute the simulator received from ``count`` operators; None when nginx (or njs) is missing."""
    from tests.deploy.nginx_runner import NginxCache, nginx_binary, why_nginx_cannot_run  # the tests' runner
    from tringtui.sim import SimServer, SimulatedPBX

    with SimServer(SimulatedPBX(seed=7, size="small")) as sim:
        sim.faults.set_latency("default", latency)
        if not cached:
            asyncio.run(_operators(sim.url, count, seconds))
        else:
            binary = nginx_binary()
            if binary is None or why_nginx_cannot_run() is not None:
                return None
            with NginxCache(binary, sim.url) as nginx:
                asyncio.run(_operators(nginx.url, count, seconds))
        return len(sim.request_log) * 60.0 / seconds


def print_requests(seconds: float, latency: float) -> None:
    print(f"Requests per minute reaching the PBX ({seconds:.0f} s per case, the API answering in {latency} s, "
          "default poll intervals, one shared read-only key):")
    baseline = None
    for count in OPERATOR_COUNTS:
        direct = requests_per_minute(count, seconds, latency, cached=False)
        cached = requests_per_minute(count, seconds, latency, cached=True)
        baseline = baseline or direct
        assert direct is not None and baseline
        cached_text = "nginx or its njs module not installed" if cached is None else f"{cached:6.0f}/min ({cached / baseline:4.1f}x)"
        print(f"  {count:>2} operator{'s' if count > 1 else ' '}: without cache {direct:6.0f}/min "
              f"({direct / baseline:4.1f}x)   with cache {cached_text}")


# -- 2. the monitor's CPU -----------------------------------------------------------------


def _start_sims(count: int, size: str) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    from bench._local_server import free_port, wait_for_port

    processes, urls = [], []
    for index in range(count):
        port = free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "tringtui", "sim", "--size", size, "--seed", str(index + 1), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        try:
            wait_for_port(int(url.rsplit(":", 1)[1]), 60, "a simulator")
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
    return processes, urls


def _child(mode: str, urls: list[str], seconds: float) -> dict[str, float]:
    """Runs in a fresh interpreter: the monitor, headless, for ``seconds``; returns its CPU seconds."""
    from tringtui.settings import Secret, Settings

    settings = [Settings(server=url, key=Secret("demo-admin-ro"), tenant="", profile=f"pbx{i}", readonly=True,
                         label=f"PBX{i}") for i, url in enumerate(urls, start=1)]
    if mode == "single":
        from tringtui.tui.app import TringApp

        app = TringApp(settings[0], pane_tenant=TENANT)
    else:
        from tringtui.tui.fleet.app import FleetApp

        app = FleetApp(settings, tenants={one.profile: TENANT for one in settings})

    async def watch() -> float:
        async with app.run_test(size=(160, 48)) as pilot:
            if mode == "fleet-tab":
                await pilot.press("alt+1")
            before = resource.getrusage(resource.RUSAGE_SELF)
            await asyncio.sleep(seconds)
            after = resource.getrusage(resource.RUSAGE_SELF)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    return {"cpu": asyncio.run(watch())}


def monitor_cpu(mode: str, urls: list[str], seconds: float) -> float:
    out = subprocess.run(
        [sys.executable, "-m", "bench.fleet", "--child", mode, "--cpu-seconds", str(seconds), *urls],
        capture_output=True, text=True, check=True,
    ).stdout
    return float(json.loads(out.strip().splitlines()[-1])["cpu"])


def print_cpu(seconds: float, size: str) -> None:
    processes, urls = _start_sims(CPU_TABS, size)
    try:
        single = monitor_cpu("single", urls[:1], seconds)
        overview = monitor_cpu("fleet-overview", urls, seconds)
        tab = monitor_cpu("fleet-tab", urls, seconds)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
    per_minute = 60.0 / seconds
    print(f"The monitor's CPU, headless at 160x48, {seconds:.0f} s each, --size {size} simulators in their own processes:")
    print(f"  1 PBX, single monitor (baseline)   {single * per_minute:6.1f} CPU-s/min ({100 * single / seconds:4.1f}% of a core)")
    for name, value in (("5 PBX tabs, overview shown", overview), ("5 PBX tabs, one PBX shown", tab)):
        print(f"  {name:<34} {value * per_minute:6.1f} CPU-s/min ({100 * value / seconds:4.1f}% of a core, "
              f"{value / single:4.2f}x)")


def main() -> None:
    # Killed (SIGTERM), still stop the simulators and nginx this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="real seconds per operators case (default 20)")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds the simulated API takes (default 0.3)")
    parser.add_argument("--cpu-seconds", type=float, default=30.0, help="seconds each monitor runs (default 30)")
    parser.add_argument("--size", default="medium", choices=("small", "medium", "large", "huge"))
    parser.add_argument("--skip-cpu", action="store_true", help="only the requests part")
    parser.add_argument("--child", choices=("single", "fleet-overview", "fleet-tab"), help=argparse.SUPPRESS)
    parser.add_argument("urls", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.urls, args.cpu_seconds)))
        return
    print_requests(args.seconds, args.latency)
    if not args.skip_cpu:
        print_cpu(args.cpu_seconds, args.size)


if __name__ == "__main__":
    main()
