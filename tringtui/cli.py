"""Command-line entry point: the monitor (default) and the sub-commands.

Each sub-command lives in its own module under ``tringtui.commands`` and
registers itself with ``add_parser``; this module only wires them together,
so that ``tringtui --help`` lists everything and importing it stays cheap
(no Textual import until the monitor actually starts).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from tringtui import __version__
from tringtui.commands import monitor

# Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "tringtui.commands.sim",
    "tringtui.commands.api_call",
    "tringtui.commands.snapshot",
    "tringtui.commands.config_cmd",
    "tringtui.commands.audit",
    "tringtui.commands.record",
    "tringtui.commands.events",
    "tringtui.commands.replay",
    "tringtui.commands.serve",
)


class _Parser(argparse.ArgumentParser):
    """argparse, without quoting a mistyped word back: it may be a key pasted in the wrong place."""

    def error(self, message: str) -> NoReturn:
        super().error(re.sub(r"invalid choice: '[^']*'", "invalid choice", message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tringtui",
        description="Live terminal monitor for TRiNG hosted PBXs.",
    )
    parser.add_argument("--version", action="version", version=f"tringtui {__version__}")
    monitor.add_root_arguments(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    _no_abbreviations(parser)
    return parser


def _no_abbreviations(parser: argparse.ArgumentParser) -> None:
    """Turn off abbreviated options in ``parser`` and every sub-command's parser below it:
    "--key SECRET" must never quietly become "--key-env SECRET"."""
    parser.allow_abbrev = False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _no_abbreviations(child)


def _command_parser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    """The sub-command's own parser, so its errors print its usage rather than the monitor's."""
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]
    return parser


# Options people reach for to give the key itself. None exists: refused with advice, the value never echoed.
KEY_FLAGS = frozenset({"--key", "--api-key", "--apikey", "--token", "--secret", "--password"})
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # what shells report for a command ended by Ctrl+C


def _key_on_command_line(argv: Sequence[str]) -> bool:
    """Refuse a key given as an option, and warn about a ``--key-env`` value that looks like a key.

    A command line is readable by every user of the machine (``ps``) and stays
    in shell history, so the key must only ever come through the environment,
    a key command or the config file. Returns ``True`` when the run must stop.
    """
    from tringtui.config.secrets import CONVENTIONAL_VARIABLE

    for index, arg in enumerate(argv):
        name, has_value, value = arg.partition("=")
        if name.lower() in KEY_FLAGS:
            print(
                f"tringtui: {name} is not an option: a key on the command line is visible to every user "
                "of this machine (ps) and stays in your shell history. Put it in an environment variable "
                "and name that (export TRINGTUI_KEY=…, or --key-env VAR), or use a profile's key_command. "
                "If a real key was typed, treat it as exposed.",
                file=sys.stderr,
            )
            return True
        if name == "--key-env":
            variable = value if has_value else (argv[index + 1] if index + 1 < len(argv) else "")
            if variable and not CONVENTIONAL_VARIABLE.match(variable):
                print(
                    "tringtui: warning: the value of --key-env is not an UPPER_CASE variable name. If it is "
                    "the key itself, it is visible in ps and your shell history: treat it as exposed, and pass "
                    "the name of the variable holding it instead.",
                    file=sys.stderr,
                )
    return False


def _shown_extras(extras: Sequence[str]) -> str:
    """Unrecognised arguments for the error message: options by name, other words only counted (one may be a key)."""
    options = [extra.partition("=")[0] for extra in extras if extra.startswith("-")]
    others = len(extras) - len(options)
    shown = " ".join(options)
    if others:
        shown += f"{' and ' if shown else ''}{others} other word{'s' if others > 1 else ''} (not repeated here)"
    return shown


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _key_on_command_line(argv):
        return EXIT_USAGE
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        _command_parser(parser, args.command).error(f"unrecognized arguments: {_shown_extras(extras)}")
    try:
        if args.command is None:
            return monitor.run(args)
        if isinstance(args.profile, list):
            # The monitor's repeatable --profile, given before a sub-command: one profile means one.
            if len(args.profile) > 1:
                _command_parser(parser, args.command).error("several --profile options only make sense for the monitor")
            args.profile = args.profile[0]
        return int(args.func(args) or 0)
    except KeyboardInterrupt as interrupt:
        # Ctrl+C before the app takes the terminal (a key command, a slow start): one line, no traceback.
        print(f"tringtui: {str(interrupt) or 'interrupted'}", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
