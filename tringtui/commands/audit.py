"""``tringtui audit``: print the most recent entries of the audit journal.

One entry per write: the API layer writes an "attempt" line before a write
leaves and an outcome line once it is known; they are shown as one, and an
attempt whose outcome never came (the process was killed mid-request) as
OUTCOME UNKNOWN. Readable columns by default (time, user, profile@server,
action, target, outcome, server message, latency); ``--json`` prints the
same entries as JSON lines for scripts. Damaged lines are skipped and
counted on stderr. Only reads the journal: never talks to a server, never reads a key.

Which journal: ``--file``; else the profile's ``audit_path`` (``--profile``,
``--config``, or the config file's default profile); else the XDG default.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from tringtui.audit import NO_OUTCOME_MESSAGE, AuditEntry, AuditJournal, default_journal_path, writes
from tringtui.config import ConfigError, Overrides, resolve_settings
from tringtui.config.paths import chosen_config_file

DEFAULT_COUNT = 20

# Target fields that best name what was acted on, most telling first.
_TARGET_LABEL_FIELDS = ("channel", "member", "peer", "number", "source", "extension", "queue")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="show recent entries of the audit journal (every write attempted)",
        description="Show the most recent write attempts recorded in the audit journal.",
        epilog="examples:\n"
        "  tringtui audit                          the last 20 entries, one line each\n"
        "  tringtui audit -n 100 --profile production\n"
        "  tringtui audit --json | jq 'select(.outcome != \"success\")'\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-n", "--count", type=_positive_count, default=DEFAULT_COUNT, metavar="N",
        help=f"how many recent entries to show (default {DEFAULT_COUNT})",
    )
    parser.add_argument("--json", action="store_true", help="print entries as JSON lines")
    parser.add_argument(
        "--file", default=None, metavar="PATH",
        help=f"journal to read (default: the profile's audit_path, else {default_journal_path()})",
    )
    parser.add_argument("--profile", metavar="NAME", help="read the journal this profile writes")
    parser.add_argument("--config", metavar="PATH", help="config file (default: ~/.config/tringtui/config.yaml)")
    parser.set_defaults(func=run)


def _positive_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {count}")
    return count


def run(args: argparse.Namespace) -> int:
    try:
        path = journal_path(args)
    except ConfigError as error:
        print(error.report(), file=sys.stderr)
        return 2
    journal = AuditJournal(path)
    try:
        contents = journal.read()
    except FileNotFoundError:
        if args.file:  # a journal named by hand that is not there is a mistake, not an empty journal
            print(f"tringtui audit: no journal at {journal.path} (--file)", file=sys.stderr)
            return 2
        print(f"No entries in {journal.path}", file=sys.stderr)
        return 0
    except OSError as error:
        print(f"tringtui audit: cannot read {journal.path}: {error.strerror or error}", file=sys.stderr)
        return 2
    if contents.skipped:
        lines = "line" if contents.skipped == 1 else "lines"
        print(f"tringtui audit: skipped {contents.skipped} damaged {lines} of {journal.path}", file=sys.stderr)
    entries = writes(contents.entries)[-args.count:]
    if args.json:
        for entry in entries:
            print(entry.to_json())
        return 0
    if not entries:
        print(f"No entries in {journal.path}", file=sys.stderr)
        return 0
    for entry in entries:
        print(format_entry(entry))
    return 0


def journal_path(args: argparse.Namespace) -> Path | None:
    """The journal to read (``None``: the XDG default); ``ConfigError`` if the named profile is unusable."""
    if args.file:
        return Path(args.file)
    asked = bool(args.profile or args.config)
    config_file, source = chosen_config_file(args.config, os.environ)
    if not asked and source == "default" and not config_file.exists():
        return None
    try:
        # No key is read: only the profile's settings are wanted.
        resolution = resolve_settings(Overrides(config=args.config, profile=args.profile), reveal_key=False)
    except ConfigError as error:
        if asked:
            raise
        print(f"tringtui: the config has problems ({len(error.problems)}; see `tringtui config show`); "
              "reading the default journal", file=sys.stderr)
        return None
    return Path(resolution.settings.audit_path) if resolution.settings.audit_path else None


def format_entry(entry: AuditEntry) -> str:
    """One readable line for one entry."""
    parts = [
        _short_time(entry.time),
        entry.user,
        f"{entry.profile}@{entry.server}" + (f"/{entry.tenant}" if entry.tenant else ""),
        entry.action,
        describe_target(entry.target, entry.params),
        "OUTCOME UNKNOWN" if entry.message == NO_OUTCOME_MESSAGE else entry.outcome.upper(),
    ]
    if entry.message:
        parts.append(json.dumps(entry.message, ensure_ascii=False))
    if entry.latency_ms is not None:
        parts.append(f"{entry.latency_ms} ms")
    return "  ".join(part for part in parts if part)


def describe_target(target: Mapping[str, str], params: Mapping[str, str]) -> str:
    """``SIP/103-DEVEL-0000a3f1 (uniqueid=…) dest=200``: the target, then what was asked."""
    label = next((target[name] for name in _TARGET_LABEL_FIELDS if target.get(name)), "")
    rest = [f"{name}={value}" for name, value in target.items() if value and value != label]
    text = " ".join([label, f"({', '.join(rest)})" if rest else ""]).strip()
    # Parameters repeating the target (channel, queue, …) are not shown twice. An empty one was sent
    # as such (a flow's value cleared) and is shown as "", or the line would hide what was done.
    shown_params = [
        f"{name}={value}" if value else f'{name}=""'
        for name, value in params.items()
        if value is not None and (not value or value not in (label, target.get(name)))
    ]
    return " ".join([text, *shown_params]).strip()


def _short_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso
