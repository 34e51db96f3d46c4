"""``tringtui config show|check|init``: see, test and start the configuration.

- ``show`` prints the effective settings with the key as ``***`` and where
  each value came from (flag, env variable, file:line, default);
- ``check`` validates everything, obtains the key, and asks the server
  whether it accepts the key and whether the key may write (see
  ``tringtui.config.probe`` for why the probe is harmless);
- ``init`` writes a commented example config (mode 0600), refusing to
  overwrite one without ``--force``.

Problems go to stderr and make the command exit with status 2.
"""

from __future__ import annotations

import argparse
import os
import sys

from tringtui.config import ENVIRONMENT, ConfigError, Overrides, Resolution, resolve_settings
from tringtui.config.paths import chosen_config_file
from tringtui.config.secrets import shown_variable
from tringtui.config.template import ConfigExists, write_example

EXIT_PROBLEMS = 2


def add_settings_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that choose settings, as the monitor has them. Their defaults are suppressed
    so that a value given before the sub-command (``tringtui --profile x config show``) survives."""
    quiet = argparse.SUPPRESS
    parser.add_argument("--config", metavar="PATH", default=quiet, help="config file (default: ~/.config/tringtui/config.yaml)")
    parser.add_argument("--profile", metavar="NAME", default=quiet, help="profile to use (default: default_profile)")
    parser.add_argument("--server", metavar="URL", default=quiet, help="server base URL")
    parser.add_argument("--tenant", metavar="CODE", default=quiet, help="tenant code")
    parser.add_argument("--key-env", metavar="VAR", default=quiet, help="environment variable holding the key")
    parser.add_argument("--theme", metavar="NAME", default=quiet, help="theme name")
    parser.add_argument("--readonly", action="store_true", default=quiet, help="never write")


CONFIG_DESCRIPTION = """\
See, test and start the configuration (profiles in ~/.config/tringtui/config.yaml).

  show   print the effective settings, the key as ***, and where each value came
         from (flag, environment variable, file:line, default)
  check  validate the config and theme files, obtain the key, and ask the server
         whether it accepts the key and whether the key may write (harmlessly)
  init   write a commented example config file (mode 0600); --force overwrites"""

CONFIG_EXAMPLES = """\
examples:
  tringtui config init
  tringtui config show --profile production
  tringtui config check --profile staging
  tringtui config check --server https://api.tring.nu --tenant DEVEL --key-env NOC_KEY

Problems are listed with file, line and field; the exit status is then 2.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("config", help="show, check or create the configuration file",
                                   description=CONFIG_DESCRIPTION, epilog=CONFIG_EXAMPLES,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    environment = "environment (flags > environment > profile > defaults):\n" + "\n".join(
        f"  {name:<18} {meaning}" for name, meaning in ENVIRONMENT.items()
    )
    show = actions.add_parser("show", help="print the effective settings and where each came from",
                              epilog=environment, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_settings_flags(show)
    show.set_defaults(func=run_show)
    check = actions.add_parser("check", help="validate the configuration and test the key against the server",
                               epilog=environment, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_settings_flags(check)
    check.set_defaults(func=run_check)
    init = actions.add_parser("init", help="write a commented example config file")
    init.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="where to write it")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(func=run_init)


def report_problems(error: ConfigError) -> int:
    print(error.report(), file=sys.stderr)
    return EXIT_PROBLEMS


def print_warnings(resolution: Resolution) -> None:
    for warning in resolution.warnings:
        print(warning, file=sys.stderr)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value) if value != "" else "-"


def _key_shown(resolution: Resolution) -> str:
    spec = resolution.key_spec
    if spec is None:
        return "(demo key)"
    if spec.kind == "env" and not os.environ.get(str(spec.value), "").strip():
        return f"(not set: {shown_variable(str(spec.value))} is empty)"
    if spec.kind == "command":
        return f"*** (from {spec.command[0]}; not run by show)"
    return "***"


def render_show(resolution: Resolution) -> str:
    """The ``config show`` text: one line per setting with its source; the key is never shown."""
    settings, sources, config = resolution.settings, resolution.sources, resolution.config
    exists = "" if config.exists else " (does not exist)"
    rows = [
        ("config", f"{config.path}{exists}", resolution.config_source),
        ("profile", settings.profile, sources["profile"]),
        ("server", settings.server, sources["server"]),
        ("tenant", settings.tenant or "- (all tenants: admin key)", sources["tenant"]),
        ("key", _key_shown(resolution), resolution.key_spec.describe() if resolution.key_spec else sources["key"]),
        ("readonly", settings.readonly, sources["readonly"]),
        ("verify_tls", settings.verify_tls, sources["verify_tls"]),
        ("timeout", f"{settings.timeout:g} s", sources["timeout"]),
        ("max_body_mb", f"{settings.max_body_bytes / 1024 / 1024:g} MB", sources["max_body_mb"]),
        ("max_concurrency", settings.max_concurrency, sources["max_concurrency"]),
    ]
    rows += [(f"intervals.{pane}", f"{seconds:g} s", sources[f"intervals.{pane}"]) for pane, seconds in settings.intervals.items()]
    rows += [
        ("theme", settings.theme, sources["theme"]),
        ("label", settings.label, sources["label"]),
        ("label_color", settings.label_color, sources["label_color"]),
        ("start_pane", settings.start_pane, sources["start_pane"]),
        ("mouse", settings.mouse, sources["mouse"]),
        ("alerts", f"{len(settings.alert_rules)} rules: {', '.join(rule.name for rule in settings.alert_rules) or 'none'}",
         sources["alerts"]),
        ("alert_bell", settings.alert_bell, sources["alert_bell"]),
        ("alert_desktop", settings.alert_desktop, sources["alert_desktop"]),
    ]
    name_width = max(len(name) for name, _, _ in rows)
    value_width = min(40, max(len(_shown(value)) for _, value, _ in rows))
    lines = [f"{name:<{name_width}}  {_shown(value):<{value_width}}  {source}" for name, value, source in rows]
    if config.profiles:
        lines.append("")
        lines.append(f"profiles in {config.path}: {', '.join(config.profiles)}")
    return "\n".join(lines)


def run_show(args: argparse.Namespace) -> int:
    from tringtui.tui.themes import load_all_themes  # an unknown theme is a problem here too

    themes = load_all_themes()
    try:
        resolution = resolve_settings(Overrides.from_args(args), reveal_key=False, known_themes=themes.names)
    except ConfigError as error:
        return report_problems(ConfigError(themes.problems + error.problems))
    print(render_show(resolution))
    print_warnings(resolution)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from tringtui.config.probe import run_probe  # the API layer is only needed here
    from tringtui.tui.themes import load_all_themes  # every theme file is validated too

    themes = load_all_themes()
    try:
        resolution = resolve_settings(Overrides.from_args(args), known_themes=themes.names)
    except ConfigError as error:
        return report_problems(ConfigError(themes.problems + error.problems))
    if themes.problems:
        return report_problems(ConfigError(themes.problems))
    print_warnings(resolution)
    settings = resolution.settings
    config = resolution.config
    if config.exists:
        print(f"configuration: ok (profile {settings.profile}, {config.path})")
    else:
        print(f"configuration: ok (no config file, it would be {config.path}; settings from flags and environment)")
    if settings.demo:
        return 0
    # The real API can take many seconds: say what is being waited for before waiting.
    print(f"asking {settings.server_host} about the key (up to {settings.timeout:g} s per request)…", flush=True)
    outcome = run_probe(settings)
    print(outcome.report())
    return 0 if outcome.ok else EXIT_PROBLEMS


def run_init(args: argparse.Namespace) -> int:
    path, _ = chosen_config_file(getattr(args, "config", None), os.environ)
    try:
        write_example(path, force=args.force)
    except ConfigExists as exc:
        print(f"tringtui: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"tringtui: cannot write {path}: {exc.strerror}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {path} (mode 0600); edit it, then run: tringtui config check")
    return 0
