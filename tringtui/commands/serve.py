"""``tringtui serve``: the monitor in a browser page, for a NOC's wall screen, through ``textual-serve``.

Each browser page that connects gets its own monitor process (textual-serve
starts ``tringtui`` per page and streams its screen over a websocket). The
pages are read-only unless ``--allow-writes``: the monitor is started with
``--readonly``, which the API layer enforces before any byte is sent. The
server binds to loopback unless ``--host`` says otherwise and has no
authentication of its own: put it behind a web server that has (README,
"A wall screen in the browser").

The key never travels on a command line: with ``--profile`` each monitor
resolves the profile itself (its key_env, key_command or key). The config is
checked once here first, without obtaining the key, so a mistake is reported
before anyone opens a page. Importing this module is cheap.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from ipaddress import ip_address

from tringtui.commands.monitor import DEFAULT_DEMO_SEED, DEFAULT_DEMO_SIZE, DEMO_SIZES

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
EXIT_CONFIG = 2
EXIT_MISSING_EXTRA = 3

EPILOG = """\
examples:
  tringtui serve --demo                          try it: open http://127.0.0.1:8000
  tringtui serve --profile noc                   a profile's PBX, read-only
  tringtui serve --profile noc --allow-writes    operators may act from the page
  tringtui serve --profile noc --public-url https://wall.example.net
                                                 behind a reverse proxy (see the README)

Needs the optional extra: pip install 'tringtui[serve]'. There is no login:
keep it on loopback and put a web server with authentication in front of it.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "serve",
        help="serve the monitor as a web page (a wall screen), read-only by default",
        description=(
            "Serve the live monitor in a browser page through textual-serve: every page that connects "
            "runs its own monitor of the PBX. Read-only unless --allow-writes; binds to loopback unless "
            "--host says otherwise."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--profile", metavar="NAME", help="profile of the config file to monitor (default: its default_profile)")
    source.add_argument("--demo", action="store_true", help="monitor a simulated PBX (one per page); needs no configuration")
    parser.add_argument("--config", metavar="PATH", help="config file (default: ~/.config/tringtui/config.yaml)")
    parser.add_argument("--size", choices=DEMO_SIZES, default=DEFAULT_DEMO_SIZE, help="size of the --demo PBX (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_DEMO_SEED, help="random seed of the --demo PBX")
    parser.add_argument("--theme", metavar="NAME", help="theme of the page, e.g. noc-high-contrast")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on (default: %(default)s)")
    parser.add_argument("--public-url", metavar="URL",
                        help="the address browsers use, when a reverse proxy serves the page (default: http://HOST:PORT)")
    parser.add_argument("--allow-writes", action="store_true",
                        help="let the page hang up, transfer, pause... (default: read-only, whatever the key allows)")
    parser.set_defaults(func=run)
    return parser


def monitor_command(args: argparse.Namespace) -> list[str]:
    """The monitor each page runs: this Python, the same choices, read-only unless writes were allowed."""
    command = [sys.executable, "-m", "tringtui"]
    if args.demo:
        command += ["--demo", "--size", args.size, "--seed", str(args.seed)]
    if args.profile:
        command += ["--profile", args.profile]
    if args.config:
        command += ["--config", args.config]
    if args.theme:
        command += ["--theme", args.theme]
    if not args.allow_writes:
        command.append("--readonly")
    return command


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _check_config(args: argparse.Namespace) -> bool:
    """Validate the profile now (without obtaining its key), so a mistake is seen before a page opens."""
    from tringtui.config import ConfigError, Overrides, resolve_settings

    try:
        resolve_settings(Overrides.from_args(args), reveal_key=False)
    except ConfigError as error:
        print(error.report(), file=sys.stderr)
        return False
    return True


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print("tringtui serve needs textual-serve: pip install 'tringtui[serve]'", file=sys.stderr)
        return EXIT_MISSING_EXTRA
    if not args.demo and not _check_config(args):
        return EXIT_CONFIG
    if not _is_loopback(args.host):
        print(f"tringtui serve: listening on {args.host}, beyond this machine, without any login: anyone who "
              "reaches the port sees the PBX. Prefer loopback behind a web server with authentication.",
              file=sys.stderr)
    mode = "read-write (--allow-writes)" if args.allow_writes else "read-only"
    print(f"tringtui serve: {mode}, http://{args.host}:{args.port}/  (Ctrl+C stops)", file=sys.stderr)
    server = Server(
        shlex.join(monitor_command(args)),
        host=args.host,
        port=args.port,
        title="tringtui",
        public_url=args.public_url.rstrip("/") if args.public_url else None,
    )
    server.serve()
    return 0
