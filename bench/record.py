"""What the recorder costs: store growth per hour, time to rebuild a moment, and CPU beside the monitor's own.

Run from the repository root::

    python -m bench.record            # medium and huge
    python -m bench.record --size medium --minutes 20

Against the simulator (served over HTTP on loopback) at ``--size medium``
and ``huge``, every source is polled at the monitor's default intervals
(nodes 15 s, channels and queues 5 s, flows 10 s, peers 30 s) on simulated
time: the PBX's clock is moved from poll to poll, so a recorded hour takes
minutes. Each poll is fetched and parsed exactly as the monitor does
(``tringtui.live.sources``), then recorded. Printed:

- store growth per hour, measured after the first keyframes (steady state),
  extrapolated from the window (targets: ≤ 5 MB/h medium, ≤ 50 MB/h huge);
- time to rebuild every source at a random moment for replay (CPU time, so
  that other work on the machine does not count; wall time beside it), in
  a process that holds no simulated PBX any more, as replay's, and
  the time the monitor itself spends fetching and parsing one round of the
  same data (target: ≤ 200 ms at huge);
- CPU the recorder adds, as a share of one core over the recorded time,
  beside the share the monitor's own polling takes in the same run
  (target: ≤ 5 % at huge).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

from tringtui.api.client import TringClient
from tringtui.live.sources import channels, flows, nodes, peers, queues
from tringtui.settings import DEFAULT_INTERVALS
from tringtui.sim import ManualClock, SimServer, SimulatedPBX
from tringtui.store import Recorder, Retention, Store
from tringtui.store.snapshots import SOURCE_REQUESTS, snapshot_of, tables_of

TARGETS = {"medium": {"growth_mb_h": 5.0, "rebuild_ms": 200.0, "cpu_pct": 5.0},
           "huge": {"growth_mb_h": 50.0, "rebuild_ms": 200.0, "cpu_pct": 5.0}}
DEFAULT_MINUTES = {"medium": 20.0, "huge": 8.0}
REBUILDS = 7


async def fetch(source: str, client: TringClient, tenant_client: TringClient):
    if source == nodes.NAME:
        return await nodes.fetch(client)
    if source == channels.NAME:
        return await channels.fetch(client)
    if source == queues.NAME:
        return await queues.fetch(tenant_client, None)
    if source == flows.NAME:
        return await flows.fetch(tenant_client)
    return await peers.fetch(client)


async def run_size(size: str, minutes: float) -> dict[str, float]:
    clock = ManualClock()
    pbx = SimulatedPBX(seed=7, size=size, clock=clock)
    tenant = next(iter(pbx.tenants))
    start = clock()
    due = {source: start for source in DEFAULT_INTERVALS}
    poll_cpu = record_cpu = 0.0
    with tempfile.TemporaryDirectory() as folder, SimServer(pbx) as server:
        path = Path(folder) / "bench.sqlite"
        recorder = Recorder(Store(path), retention=Retention(None, None))
        async with TringClient(server.url, "demo-admin", timeout=120) as client:
            tenant_client = client.with_tenant(tenant)
            steady_bytes = steady_at = None
            while True:
                source, at = min(due.items(), key=lambda item: item[1])
                if at - start > minutes * 60:
                    break
                clock.set(at)
                started = time.process_time()
                data = await fetch(source, client, tenant_client)
                poll_cpu += time.process_time() - started
                started = time.process_time()
                recorder.record(source, at, tables_of(source, data), latency=0.1, tenant=tenant,
                                request_types=SOURCE_REQUESTS[source])
                record_cpu += time.process_time() - started
                due[source] = at + DEFAULT_INTERVALS[source]
                if steady_at is None and at - start >= max(DEFAULT_INTERVALS.values()):
                    steady_bytes, steady_at = recorder.store.used_bytes(), at
            end = max(at for at in due.values()) - min(DEFAULT_INTERVALS.values())
            recorder.store.checkpoint()
            end_bytes = recorder.store.used_bytes()
            # The monitor's own cost of one round of the same data, for the rebuild's comparison.
            started = time.perf_counter()
            for source in DEFAULT_INTERVALS:
                await fetch(source, client, tenant_client)
            round_ms = (time.perf_counter() - started) * 1000
        # Random jumps, each far from the last: replay's cache of the previous rebuild does not help.
        moments = sorted(random.Random(size).uniform(start + 60, end) for _ in range(REBUILDS))[::-1]
        recorder.close()
        # Replay runs in a process of its own: the simulated PBX (20,000 phones' worth of objects at huge)
        # and the recorder's memory go before rebuilding, so that the collector walks what replay would hold.
        del pbx, recorder, data
        gc.collect()
        rebuild_ms, rebuild_cpu_ms = [], []
        with Store(path, readonly=True) as replay_store:  # as replay opens it
            for moment in moments:
                started, started_cpu = time.perf_counter(), time.process_time()
                states = replay_store.state_at(moment)
                for state in states.values():
                    snapshot_of(state)
                rebuild_ms.append((time.perf_counter() - started) * 1000)
                rebuild_cpu_ms.append((time.process_time() - started_cpu) * 1000)
    recorded = end - start
    growth = (end_bytes - steady_bytes) / (end - steady_at) * 3600 / 1024 / 1024
    return {
        "minutes": recorded / 60,
        "growth_mb_h": growth,
        "rebuild_ms": statistics.median(rebuild_cpu_ms),
        "rebuild_wall_ms": statistics.median(rebuild_ms),
        "rebuild_max_ms": max(rebuild_cpu_ms),
        "round_ms": round_ms,
        "cpu_pct": 100 * record_cpu / recorded,
        "poll_cpu_pct": 100 * poll_cpu / recorded,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.record", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("medium", "huge"), action="append", help="default: both")
    parser.add_argument("--minutes", type=float, help="simulated minutes to record (default 20 medium, 8 huge)")
    args = parser.parse_args()
    ok = True
    for size in args.size or ["medium", "huge"]:
        figures = asyncio.run(run_size(size, args.minutes or DEFAULT_MINUTES[size]))
        target = TARGETS[size]
        print(f"{size}: {figures['minutes']:.0f} simulated minutes at the default intervals")
        print(f"  store growth        {figures['growth_mb_h']:8.2f} MB/h    target ≤ {target['growth_mb_h']:g} MB/h")
        print(f"  rebuild a moment    {figures['rebuild_ms']:8.1f} ms CPU  (max {figures['rebuild_max_ms']:.1f} ms, "
              f"{figures['rebuild_wall_ms']:.0f} ms wall; the monitor's own fetch+parse of one round: "
              f"{figures['round_ms']:.0f} ms wall)  target ≤ {target['rebuild_ms']:g} ms")
        print(f"  recorder CPU        {figures['cpu_pct']:8.2f} % of a core  (the monitor's polling: "
              f"{figures['poll_cpu_pct']:.2f} %)  target ≤ {target['cpu_pct']:g} %")
        met = all(figures[name] <= target[name] for name in target)
        print(f"  {'meets' if met else 'MISSES'} the targets")
        ok = ok and met
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
