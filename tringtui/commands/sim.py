"""``tringtui sim``: serve the simulated TRiNG PBX over HTTP until Ctrl-C.

Prints the API URL and the accepted keys with their roles, then serves a
live, changing PBX (``tringtui.sim``). Importing this module is cheap: the
simulator is only imported when the command runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the simulator is imported only when the command runs
    from tringtui.sim import ApiKey, Faults, SimServer, SimulatedPBX

FAULT_MODES = ("hang", "drop", "malformed", "truncated", "html", "key_rejected", "oversized", "empty")
SIZES = ("small", "medium", "large", "huge")

EPILOG = """\
fault modes (--fault):
  hang          never answer (until the server stops)
  drop          close the connection without a response
  malformed     a PHP notice before the body (invalid JSON)
  truncated     only the first half of the body
  html          an HTML "500 Internal Server Error" page (HTTP status still 200)
  key_rejected  "Too bad... you mistaken the security api key."
  oversized     --oversized-mb megabytes of junk
  empty         a 0-byte body (actions are still carried out)

examples:
  tringtui sim --port 8765 --size medium
  tringtui sim --latency CHANNELS=2,default=0.3 --error-rate 0.1
  tringtui sim --fault truncated --fault-rate 0.2 --fault-only CHANNELS,PEERS
  tringtui sim --log-requests                 # what reached the PBX, on stderr
  tringtui sim --log-requests requests.jsonl  # ... appended to a file
  curl 'http://127.0.0.1:8765/pbx/proxyapi.php?key=demo-admin&reqtype=COUNTPEERS&format=json'
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "sim",
        help="serve a simulated TRiNG PBX (for demos, tests and development)",
        description=(
            "Serve a simulated, live TRiNG PBX at http://HOST:PORT/pbx/proxyapi.php. Calls ring, answer and "
            "end; peers register and flap; queues, agents and flows change; actions (HANGUP, AGENT, "
            "REBOOT, ...) change the state. Demo keys are printed at start; --keys adds your own."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on; 0 picks a free one (default: 8765)")
    parser.add_argument("--seed", type=int, default=1,
                        help="random seed: the same seed gives the same PBX (default: 1)")
    parser.add_argument("--size", choices=SIZES, default="small",
                        help="small (4 nodes, 60 peers, ~40 channels) ... huge (20,000 peers, 10,000 channels)")
    parser.add_argument("--channels", type=int, metavar="N", help="hover around N channels instead of the size's")
    parser.add_argument("--peers", type=int, metavar="N", help="generate N peers instead of the size's")
    parser.add_argument("--duplicate-peers", type=int, metavar="N",
                        help="register N peer names on a second node too, as during a migration "
                             "(default: none for small, peers/500 for bigger sizes)")
    parser.add_argument("--keys", metavar="FILE",
                        help="YAML list of extra keys: [{key: ..., role: admin|tenant, tenant: CODE, access: rw|ro}]")
    parser.add_argument("--latency", metavar="SPEC", default="",
                        help="added delay in seconds per request type, e.g. CHANNELS=2,default=0.3")
    parser.add_argument("--fault", choices=FAULT_MODES, metavar="MODE",
                        help="break answers this way (see below); with --fault-rate and --fault-only")
    parser.add_argument("--fault-rate", type=float, default=1.0, metavar="P",
                        help="probability that --fault applies to a request (default: 1)")
    parser.add_argument("--fault-only", metavar="TYPES",
                        help="comma-separated request types the faults apply to (default: all)")
    parser.add_argument("--error-rate", type=float, default=0.0, metavar="P",
                        help="probability of answering with an HTML error page (default: 0)")
    parser.add_argument("--log-requests", nargs="?", const="-", metavar="FILE",
                        help="write one JSON line per request (time, reqtype, params with the key as ***, status, "
                             "outcome) to FILE (appended), or to stderr without FILE")
    parser.add_argument("--oversized-mb", type=float, default=8.0, metavar="MB",
                        help="size of the junk body of --fault oversized (default: 8)")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from tringtui.sim import DEMO_KEYS, KeyFileError, SimServer, SimulatedPBX, load_keys, merge_keys
    from tringtui.sim.faults import Faults, parse_latency_spec
    from tringtui.sim.generate import default_mess, resolve_size

    try:
        extra_keys = load_keys(args.keys) if args.keys else {}
        latencies = parse_latency_spec(args.latency)
        faults = Faults(seed=args.seed)
        for reqtype, seconds in latencies.items():
            faults.set_latency(reqtype, seconds)
        faults.mode = args.fault
        faults.rate = args.fault_rate
        faults.error_rate = args.error_rate
        faults.only = [t.strip() for t in args.fault_only.split(",") if t.strip()] if args.fault_only else None
        faults.oversized_bytes = int(args.oversized_mb * 1024 * 1024)
        if args.duplicate_peers is not None and args.duplicate_peers < 0:
            raise ValueError(f"--duplicate-peers must be 0 or more, not {args.duplicate_peers}")
        mess = None
        if args.duplicate_peers is not None:
            spec = resolve_size(args.size, nodes=None, tenants=None, peers=args.peers, channels=args.channels)
            mess = dataclasses.replace(default_mess(args.size, spec), duplicate_peers=args.duplicate_peers)
        pbx = SimulatedPBX(seed=args.seed, size=args.size, channels=args.channels, peers=args.peers, mess=mess)
    except (KeyFileError, ValueError) as exc:
        print(f"tringtui sim: {exc}", file=sys.stderr)
        return 2

    log_to = None
    if args.log_requests == "-":
        log_to = sys.stderr
    elif args.log_requests:
        try:
            log_to = open(args.log_requests, "a", encoding="utf-8")  # noqa: SIM115 - open while serving
        except OSError as exc:
            print(f"tringtui sim: cannot write the request log {args.log_requests}: {exc.strerror or exc}",
                  file=sys.stderr)
            return 2
    server = SimServer(pbx, host=args.host, port=args.port, keys=merge_keys(DEMO_KEYS, extra_keys), faults=faults,
                       log_to=log_to)
    try:
        server.start()
    except OSError as exc:
        print(f"tringtui sim: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1

    # The banner is inside the try: it says "Press Ctrl-C", and a Ctrl-C that
    # comes right after it must still stop the server the quiet way.
    try:
        _quietly_if_unread(_print_banner, args, pbx, server, extra_keys, faults, latencies)
        server.serve_forever()
    except KeyboardInterrupt:
        _quietly_if_unread(print, "\nStopped.", flush=True)
    finally:
        server.stop()
        if log_to is not None and log_to is not sys.stderr:
            log_to.close()
    return 0


def _quietly_if_unread(write: Callable[..., None], *args: object, **kwargs: object) -> None:
    """Print, unless stdout is a pipe nobody reads any more (``| head``): then go quiet, no traceback."""
    try:
        write(*args, **kwargs)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _print_banner(args: argparse.Namespace, pbx: SimulatedPBX, server: SimServer, extra_keys: dict[str, ApiKey],
                  faults: Faults, latencies: dict[str, float]) -> None:
    """What is served where, and with which keys (file keys redacted)."""
    from tringtui.sim import DEMO_KEYS

    print(f"Simulated TRiNG PBX (seed {args.seed}, size {args.size}: {len(pbx.nodes)} nodes, "
          f"{len(pbx.tenants)} tenants, {len(pbx.peers)} peers)")
    doubled = len(pbx.world.duplicates_list())
    if doubled:
        print(f"  untidy:   {doubled} peer name{'s' if doubled != 1 else ''} registered on two nodes")
    print(f"  server:   {server.url}")
    print(f"  endpoint: {server.endpoint}")
    print(f"  tenants:  {', '.join(list(pbx.tenants)[:12])}{' ...' if len(pbx.tenants) > 12 else ''}")
    print("  keys:")
    for key in DEMO_KEYS.values():
        print(f"    {key.key:<16} {key.describe()}")
    for key in extra_keys.values():
        print(f"    {'***':<16} {key.describe()} (from {args.keys})")
    if latencies or args.fault or args.error_rate:
        print(f"  faults:   {faults!r}")
    if args.log_requests:
        where = "stderr" if args.log_requests == "-" else args.log_requests
        print(f"  requests: logged to {where}, one JSON line each (keys as ***)")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"  warning:  listening on {args.host}, not only on loopback")
    print(f"  try:      curl '{server.endpoint}?key=demo-admin&reqtype=COUNTPEERS&format=json'")
    print("Press Ctrl-C to stop.", flush=True)
