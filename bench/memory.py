"""Memory on a big answer: peak RSS growth while the API layer reads and parses a ~27 MB PEERS body,
relative to the body's size, and RSS once normal answers resume, against a baseline of the same run.

Run from the repository root:  python -m bench.memory  [--mb 27] [--small-rows 1000]

A server in a process of its own (so only the client's memory is measured)
answers PEERS in the real API's shape (objects whose values come twice, by
name and by index): a normal answer of ``--small-rows`` rows, or, for the
tenant ``BIG``, one of about ``--mb`` megabytes (under the 32 MB cap). The
client in this process:

1. reads normal answers until RSS settles: the baseline;
2. resets the kernel's peak-RSS mark (``/proc/self/clear_refs``), reads the
   big answer once into models, and reads the peak (``VmHWM``): peak growth is
   that peak minus the baseline, the models held at the end included;
3. drops the models, reads normal answers again, and reads RSS: "after".

Targets: peak growth at most 8x the body; after within 30 MB of the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

if not __package__:  # run as a script (python bench/NAME.py): put the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._local_server import free_port, wait_for_port  # noqa: E402

TARGET_PEAK_RATIO = 8.0
TARGET_AFTER_MB = 30.0
NORMAL_ANSWERS = 10


def status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> None:
    """Reset VmHWM to the current RSS (Linux 4.0+)."""
    Path("/proc/self/clear_refs").write_text("5")


def peer_row(index: int) -> dict[str, object]:
    node = f"pbx{index % 40:02d}"
    name = f"{100 + index % 9000}-T{index // 9000:04d}"
    values = [node, name, f"10.{index % 250}.{index % 199}.{index % 97}", "D", "Y", "Y", "", "5060",
              f"OK ({index % 90 + 3} ms)", f"Phone {index} of a long description", "Cached RT"]
    names = ("node", "Name", "Host", "Dyn", "Forcerport", "Comedia", "ACL", "Port", "Status", "Description", "Realtime")
    row: dict[str, object] = {}
    for position, (key, value) in enumerate(zip(names, values, strict=True)):
        row[key] = value
        row[str(position)] = value
    return row


def peers_body(target_bytes: int) -> bytes:
    sample = json.dumps(peer_row(0)).encode()
    rows = max(1, target_bytes // (len(sample) + 2))
    return json.dumps([peer_row(i) for i in range(rows)]).encode()


def serve(port: int, big_mb: float, small_rows: int) -> None:
    """The server process: PEERS for tenant BIG is the big body, else the normal one."""
    big = peers_body(int(big_mb * 1024 * 1024))
    small = json.dumps([peer_row(i) for i in range(small_rows)]).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            query = parse_qs(urlsplit(self.path).query)
            body = big if query.get("tenant") == ["BIG"] else small
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    print(len(big), flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


async def measure(url: str, body_size: int) -> tuple[float, float, float]:
    from tringtui.api.client import TringClient

    async with TringClient(url, "bench-key", timeout=120) as client:
        for _ in range(NORMAL_ANSWERS):
            await client.peers()
        gc.collect()
        baseline = status_mb("VmRSS")
        reset_peak()
        peers = await client.peers(tenant="BIG")
        peak = status_mb("VmHWM")
        rows = len(peers)
        del peers
        for _ in range(NORMAL_ANSWERS):
            await client.peers()
        gc.collect()
        after = status_mb("VmRSS")
    print(f"big answer: {body_size / 1024 / 1024:.1f} MB, {rows:,} peers")
    return baseline, peak, after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=27.0, help="size of the big body (default 27)")
    parser.add_argument("--small-rows", type=int, default=1000, help="rows of a normal answer (default 1000)")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.mb, args.small_rows)
        return 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.memory", "--serve", str(port), "--mb", str(args.mb),
         "--small-rows", str(args.small_rows)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        body_size = int(server.stdout.readline())
        wait_for_port(port, 30, "the big-answer server")
        baseline, peak, after = asyncio.run(measure(f"http://127.0.0.1:{port}", body_size))
    finally:
        server.terminate()
        server.wait(10)
    body_mb = body_size / 1024 / 1024
    growth = peak - baseline
    ratio = growth / body_mb
    print(f"baseline RSS {baseline:.1f} MB; peak {peak:.1f} MB: growth {growth:.1f} MB = {ratio:.1f}x the body "
          f"(target <= {TARGET_PEAK_RATIO:g}x)")
    print(f"after normal answers resume: {after:.1f} MB = baseline {after - baseline:+.1f} MB "
          f"(target within {TARGET_AFTER_MB:g} MB)")
    ok = ratio <= TARGET_PEAK_RATIO and after - baseline <= TARGET_AFTER_MB
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
