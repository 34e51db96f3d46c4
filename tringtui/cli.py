"""Command-line entry point: the monitor (default) and the sub-commands.

Each sub-command lives in its own module under ``tringtui.commands`` and
registers itself with ``add_parser``; this module only wires them together,
so that ``tringtui --help`` lists everything and importing it stays cheap
(no Textual import until the monitor actually starts).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tringtui.commands import monitor

# Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "tringtui.commands.sim",
    "tringtui.commands.api_call",
    "tringtui.commands.config_cmd",
    "tringtui.commands.audit",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tringtui",
        description="Live terminal monitor for TRiNG hosted PBXs.",
    )
    monitor.add_root_arguments(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def _command_parser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    """The sub-command's own parser, so its errors print its usage rather than the monitor's."""
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        _command_parser(parser, args.command).error(f"unrecognized arguments: {' '.join(extras)}")
    if args.command is None:
        return monitor.run(args)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
