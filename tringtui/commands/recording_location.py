"""Which recording a reading command opens: ``--store FILE``, else the profile's store (``--profile``,
``--config``, the default profile), or the demo's (``--demo``); and which audit journal goes with it.

Shared by ``tringtui events`` and ``tringtui replay``. No key is read: only the profile's settings.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_USAGE = 2


def add_recording_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="FILE", help="the store to read (default: the profile's)")
    parser.add_argument("--profile", metavar="NAME", help="read the recording of this profile")
    parser.add_argument("--config", metavar="PATH", help="config file (default: ~/.config/tringtui/config.yaml)")
    parser.add_argument("--demo", action="store_true", help="read what the demo monitor (tringtui --demo) recorded")


def locate_recording(args: argparse.Namespace, command: str) -> tuple[str, str | None] | int:
    """The store and the audit journal to read, or an exit status after saying why not."""
    from tringtui.config import ConfigError, Overrides, resolve_settings
    from tringtui.settings import Secret
    from tringtui.store.paths import store_path

    if args.store and not (args.profile or args.config):
        return args.store, None
    try:
        resolution = resolve_settings(Overrides(config=args.config, profile=args.profile, demo=args.demo,
                                                store=args.store), reveal_key=False)
    except ConfigError as error:
        if args.demo:
            from tringtui.settings import Settings

            return str(store_path(Settings(server="", key=Secret(""), demo=True), os.environ)), None
        print(error.report(), file=sys.stderr)
        print(f"tringtui {command}: name the recording with --store FILE or --profile NAME", file=sys.stderr)
        return EXIT_USAGE
    settings = resolution.settings
    if args.demo:
        from dataclasses import replace

        settings = replace(settings, demo=True)
    return str(store_path(settings, os.environ)), settings.audit_path or None
