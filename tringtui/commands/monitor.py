"""``tringtui`` with no sub-command: the live monitor, against a server or an embedded demo PBX.

``tringtui --demo`` needs no configuration: it builds a simulated PBX, serves
it on a free loopback port in background threads, and monitors it.
``tringtui --server URL --tenant CODE --key-env VAR`` monitors a real server,
reading the API key from the named environment variable (never from the
command line, where ``ps`` and shell history would show it).

Importing this module stays cheap: Textual and the simulator are imported
only when the monitor actually starts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

from tringtui.settings import Secret, Settings

DEFAULT_KEY_ENV = "TRING_API_KEY"
DEMO_KEY = "demo-admin"
DEMO_SIZES = ("small", "medium", "large", "huge")
DEFAULT_DEMO_SIZE = "medium"
DEFAULT_DEMO_SEED = 7


class UsageError(Exception):
    """A problem with the command line or environment, reported in one line with exit status 2."""


def add_root_arguments(parser: argparse.ArgumentParser) -> None:
    """The monitor's flags, given to ``tringtui`` itself (no sub-command)."""
    group = parser.add_argument_group("monitor (no sub-command)")
    group.add_argument("--demo", action="store_true", help="monitor an embedded simulated PBX; needs no configuration")
    group.add_argument("--server", metavar="URL", help="TRiNG API base URL, e.g. https://api.tring.nu")
    group.add_argument("--tenant", metavar="CODE", default="", help="tenant code (optional with an admin key)")
    group.add_argument(
        "--key-env",
        metavar="VAR",
        default=None,
        help=f"environment variable holding the API key (default {DEFAULT_KEY_ENV})",
    )
    group.add_argument("--readonly", action="store_true", help="refuse every write, whatever the key allows")
    group.add_argument(
        "--size", choices=DEMO_SIZES, default=DEFAULT_DEMO_SIZE, help="size of the --demo PBX (default %(default)s)"
    )
    group.add_argument("--seed", type=int, default=DEFAULT_DEMO_SEED, help="random seed of the --demo PBX")


def settings_from_args(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> Settings:
    """Settings for a real server from the flags; raises ``UsageError`` with a one-line reason."""
    if not args.server:
        raise UsageError("no server given: use --server URL (with --key-env VAR), or try --demo")
    key_env = args.key_env or DEFAULT_KEY_ENV
    key = environ.get(key_env, "")
    if not key:
        raise UsageError(f"environment variable {key_env} is not set or empty; it must hold the API key")
    return Settings(server=args.server, key=Secret(key), tenant=args.tenant or "", readonly=bool(args.readonly))


def demo_settings(server_url: str, args: argparse.Namespace) -> Settings:
    return Settings(
        server=server_url,
        key=Secret(DEMO_KEY),
        tenant=args.tenant or "",
        profile="demo",
        readonly=bool(args.readonly),
        demo=True,
    )


def start_demo_server(size: str, seed: int) -> tuple[Any, str]:
    """Build the simulated PBX and serve it on a free loopback port.

    Returns the started server (it answers from its own threads, so the UI's
    event loop never waits on it) and the tenant whose queues and flows the
    demo shows first.
    """
    from tringtui.sim import SimServer, SimulatedPBX

    pbx = SimulatedPBX(seed=seed, size=size)
    server = SimServer(pbx, host="127.0.0.1", port=0)
    server.start()
    return server, next(iter(pbx.tenants), "")


def run(args: argparse.Namespace) -> int:
    """Start the monitor; returns the process exit status."""
    server = None
    pane_tenant = ""
    try:
        if args.demo:
            server, pane_tenant = start_demo_server(args.size, args.seed)
            settings = demo_settings(server.url, args)
        else:
            settings = settings_from_args(args)
    except UsageError as exc:
        print(f"tringtui: {exc}", file=sys.stderr)
        return 2
    try:
        from tringtui.tui.app import TringApp

        app = TringApp(settings, pane_tenant=pane_tenant)
        app.run(mouse=settings.mouse)
    finally:
        if server is not None:
            server.stop()
    return app.return_code or 0
