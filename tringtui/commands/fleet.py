"""``tringtui --profile a --profile b`` and ``tringtui --group NAME``: several PBXs at once, one tab each.

Each profile is resolved on its own, exactly as ``tringtui --profile NAME``
would (its own server, key, tenant, read-only setting, label and colour); the
flags that name one connection (``--server``, ``--tenant``, ``--key-env``,
``--demo``) make no sense for several and are refused. ``--readonly``,
``--theme``, ``--no-mouse`` and ``--config`` apply to all. Every problem of
every profile is reported at once, before anything starts.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_CONFIG = 2
ONE_CONNECTION_FLAGS = ("server", "tenant", "key_env", "demo")


def fleet_profiles(args: argparse.Namespace) -> list[str]:
    """The profiles to watch: the group's, then any ``--profile`` given; ``ConfigError`` if the group is unknown."""
    from tringtui.config import ConfigError, Problem, load_config
    from tringtui.config.paths import chosen_config_file

    names: list[str] = []
    if args.group:
        path, source = chosen_config_file(args.config, os.environ)
        config = load_config(path, required=source != "default")
        group = config.groups.get(args.group)
        if group is None:
            known = ", ".join(sorted(config.groups)) or "none defined"
            raise ConfigError([Problem(str(path), None, "groups", f"no group named {args.group!r} (groups: {known})")])
        names.extend(group.value)
    names.extend(args.profile or [])
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ConfigError([Problem("command line", None, "--profile", f"{', '.join(repeated)} given twice")])
    return names


def run_fleet(args: argparse.Namespace) -> int:
    from tringtui.config import ConfigError, Overrides, resolve_settings
    from tringtui.tui.themes import load_all_themes

    given = [f"--{flag.replace('_', '-')}" for flag in ONE_CONNECTION_FLAGS if getattr(args, flag, None)]
    if given:
        print(f"tringtui: {', '.join(given)} name one PBX; with several profiles each profile's own "
              "server, tenant and key apply", file=sys.stderr)
        return EXIT_CONFIG
    themes = load_all_themes()
    problems = []
    warned: set[str] = set()
    settings = []
    try:
        names = fleet_profiles(args)
    except ConfigError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_CONFIG
    for name in names:
        overrides = Overrides(config=args.config, profile=name, theme=args.theme, readonly=args.readonly,
                              no_mouse=args.no_mouse)
        try:
            resolution = resolve_settings(overrides, known_themes=themes.names)
        except ConfigError as error:
            problems.extend(error.problems)
            continue
        for warning in resolution.warnings:
            if warning not in warned:  # a file's warning comes with each profile read from it: once
                warned.add(warning)
                print(warning, file=sys.stderr)
        settings.append(resolution.settings)
    if problems:
        # A problem of the file itself (not of one profile) is found once per profile: say it once.
        print(ConfigError(list({str(problem): problem for problem in problems}.values())).report(), file=sys.stderr)
        return EXIT_CONFIG

    from tringtui.tui.fleet.app import FleetApp

    app = FleetApp(settings, themes=themes, theme=settings[0].theme)
    app.run(mouse=all(one.mouse for one in settings))
    return app.return_code or 0
