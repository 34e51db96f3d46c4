"""``tringtui`` with no sub-command: the live monitor, against a server or an embedded demo PBX.

``tringtui --demo`` needs no configuration: it builds a simulated PBX, serves
it on a free loopback port in background threads, and monitors it.
``tringtui [--profile NAME]`` monitors the server of a config profile, and
``tringtui --server URL --tenant CODE --key-env VAR`` one given by flags; the
settings are resolved by ``tringtui.config`` (flags > environment > profile >
defaults). The API key is never taken from the command line, where ``ps``
and shell history would show it.

Importing this module stays cheap: Textual and the simulator are imported
only when the monitor actually starts.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any

from tringtui.settings import Secret

DEMO_KEY = "demo-admin"
DEMO_SIZES = ("small", "medium", "large", "huge")
DEFAULT_DEMO_SIZE = "medium"
DEFAULT_DEMO_SEED = 7
EXIT_CONFIG = 2


ROOT_EPILOG = """\
examples:
  tringtui --demo                                   try it on a simulated PBX
  tringtui --profile production                     a profile of the config file
  tringtui --profile prod-eu --profile prod-us      several PBXs, one tab each, and an overview
  tringtui --group noc                              the profiles of the config file's group noc
  export TRINGTUI_KEY=…
  tringtui --server https://api.tring.nu --tenant DEVEL
  tringtui --server https://api.tring.nu --key-env NOC_KEY --readonly
  tringtui config init                              write an example config file
  tringtui COMMAND --help                           help on a sub-command

The API key is never a flag: --key-env names the variable holding it, a
profile may run a password manager (key_command), else TRINGTUI_KEY is read.
A profile's key goes only to its own server: --server without --profile uses
nothing from the profiles, and --profile with another --server needs --key-env.

environment (flags > environment > profile > defaults):
{environment}

In the monitor: 1-5 panes, 6 events, / filter, s sort, Enter details, p pause, r refresh,
t tenant, P profile, ? every key, Ctrl+P command palette, q quit.
"""


def add_root_arguments(parser: argparse.ArgumentParser) -> None:
    """The monitor's flags, given to ``tringtui`` itself (no sub-command), and the help's examples."""
    from tringtui.config.resolve import ENVIRONMENT

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = ROOT_EPILOG.format(
        environment="\n".join(f"  {name:<18} {meaning}" for name, meaning in ENVIRONMENT.items())
    )
    group = parser.add_argument_group("monitor (no sub-command)")
    group.add_argument("--profile", metavar="NAME", action="append",
                       help="profile of the config file to use (default: its default_profile); "
                            "give it again to watch several PBXs at once, one tab each")
    group.add_argument("--group", metavar="NAME",
                       help="watch the profiles of the config file's group NAME at once (groups: {NAME: [a, b]})")
    group.add_argument("--config", metavar="PATH", help="config file (default: ~/.config/tringtui/config.yaml)")
    group.add_argument("--demo", action="store_true", help="monitor an embedded simulated PBX; needs no configuration")
    group.add_argument("--server", metavar="URL", help="TRiNG API base URL, e.g. https://api.tring.nu")
    group.add_argument("--tenant", metavar="CODE", help="tenant code (optional with an admin key)")
    group.add_argument(
        "--key-env", metavar="VAR", help="environment variable holding the API key (default: the profile's key, else TRINGTUI_KEY)"
    )
    group.add_argument("--readonly", action="store_true", help="refuse every write, whatever the key allows")
    group.add_argument("--theme", metavar="NAME", help="tring-dark, tring-light, noc-high-contrast, ansi, or your own")
    group.add_argument("--no-mouse", action="store_true", help="leave the mouse to the terminal (its selection keeps working)")
    group.add_argument("--no-record", action="store_true",
                       help="do not record this session (by default it is recorded: see tringtui events, replay)")
    group.add_argument("--store", metavar="FILE",
                       help="record into FILE (default: one store per profile and server in ~/.local/state/tringtui/)")
    group.add_argument(
        "--size", choices=DEMO_SIZES, default=DEFAULT_DEMO_SIZE, help="size of the --demo PBX (default %(default)s)"
    )
    group.add_argument("--seed", type=int, default=DEFAULT_DEMO_SEED, help="random seed of the --demo PBX")


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
    """Start the monitor (the fleet monitor for several profiles); returns the exit status (2: config problems)."""
    profiles = args.profile or []
    if args.group or len(profiles) > 1:
        from tringtui.commands.fleet import run_fleet

        return run_fleet(args)
    args.profile = profiles[0] if profiles else None
    return _run_one(args)


def _run_one(args: argparse.Namespace) -> int:
    from tringtui.config import ConfigError, Overrides, resolve_settings
    from tringtui.config.switcher import ProfileSwitcher
    from tringtui.tui.themes import load_all_themes

    themes = load_all_themes()
    overrides = Overrides.from_args(args)
    try:
        resolution = resolve_settings(overrides, known_themes=themes.names)
    except ConfigError as error:
        print(error.report(), file=sys.stderr)
        if themes.problems and any(problem.field.split(".")[-1] == "theme" for problem in error.problems):
            # The theme asked for may be one of the files that did not load: say why they did not.
            print("theme files not loaded:", file=sys.stderr)
            for problem in themes.problems:
                print(f"  {problem}", file=sys.stderr)
        return EXIT_CONFIG
    for warning in resolution.warnings:
        print(warning, file=sys.stderr)
    settings = resolution.settings
    server = None
    pane_tenant = ""
    if args.demo:
        server, pane_tenant = start_demo_server(args.size, args.seed)
        settings = replace(settings, server=server.url, key=Secret(DEMO_KEY), demo=True)
    try:
        from tringtui.tui.app import TringApp
        from tringtui.tui.session_end import leave_after_hangup

        app = TringApp(
            settings,
            pane_tenant=pane_tenant,
            themes=themes,
            switcher=ProfileSwitcher(overrides),
            notices=resolution.warnings,
        )
        app.run(mouse=settings.mouse)
        leave_after_hangup(app.return_code)
    finally:
        if server is not None:
            server.stop()
    return app.return_code or 0
