"""``tringtui events``: the recorded time line (events and the audit journal's writes), for scripts and tickets.

Reads the store a monitor or ``tringtui record`` wrote (``--store``, else the
profile's, else the default profile's) and the audit journal, and prints
what happened in a window, oldest first: one readable line per event, or
JSON lines with ``--json``. Never talks to a server, never reads a key.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime

from tringtui.commands.recording_location import add_recording_arguments, locate_recording
from tringtui.store.kinds import FAMILIES, KINDS

EXIT_USAGE = 2
EXIT_NO_STORE = 1


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "events",
        help="list the recorded events (what changed, and when) for scripts and tickets",
        description="List the events recorded in the store (by the monitor or `tringtui record`) together with "
        "the writes of the audit journal, oldest first.",
        epilog="examples:\n"
        "  tringtui events --since 1h\n"
        "  tringtui events --profile production --since \"2026-12-01 03:00\" --until \"2026-12-01 03:30\"\n"
        "  tringtui events --kind peer --kind node --node pbx21\n"
        "  tringtui events --since 15m --json | jq 'select(.kind == \"agent.paused\")'\n"
        "  tringtui events --demo                  what `tringtui --demo` recorded\n\n"
        "times: an age (90s, 15m, 1h, 2d), a time of day (03:12, today or else yesterday), or a date and\n"
        "time (\"2026-12-01 03:00\", local time unless an offset is given).\n"
        f"kinds: {', '.join(KINDS)}, write.<action> (the audit journal);\n"
        f"       or a family: {', '.join(FAMILIES)}.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_recording_arguments(parser)
    parser.add_argument("--since", metavar="TIME", help="from this time (default: the start of the recording)")
    parser.add_argument("--until", metavar="TIME", help="up to this time (default: now)")
    parser.add_argument("--kind", action="append", default=[], metavar="KIND",
                        help="only this kind or family (repeat, or separate with commas)")
    parser.add_argument("--node", default="", metavar="NODE", help="only events of this node")
    parser.add_argument("--tenant", default="", metavar="CODE", help="only events of this tenant")
    parser.add_argument("--no-writes", action="store_true", help="leave out the audit journal's writes")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tringtui.audit import AuditJournal
    from tringtui.store import Store, StoreError
    from tringtui.store.timeline import journal_events, kind_matches, merge
    from tringtui.timeparse import TimeParseError, parse_time

    now = time.time()
    try:
        since = parse_time(args.since, now) if args.since else None
        until = parse_time(args.until, now) if args.until else None
    except TimeParseError as error:
        print(f"tringtui events: {error}", file=sys.stderr)
        return EXIT_USAGE
    kinds = [kind.strip() for text in args.kind for kind in text.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if not _known_kind(kind)]
    if unknown:
        print(f"tringtui events: unknown kind {', '.join(unknown)}; kinds are {', '.join(KINDS)}, write.<action>, "
              f"or a family: {', '.join(FAMILIES)}", file=sys.stderr)
        return EXIT_USAGE
    located = locate_recording(args, "events")
    if isinstance(located, int):
        return located
    path, audit_path = located
    try:
        store = Store(path, readonly=True)
    except StoreError as error:
        print(f"tringtui events: {error}", file=sys.stderr)
        return EXIT_NO_STORE
    with store:
        recorded = store.events(since, until, kinds=[k for k in kinds if not k.startswith("write")],
                                node=args.node, tenant=args.tenant) if _wants_store(kinds) else []
        writes = []
        if not args.no_writes and not args.node and _wants_writes(kinds):
            hosts = {host for _profile, host in store.sessions()}
            writes = [event for event in journal_events(AuditJournal(audit_path), hosts, since, until)
                      if (not args.tenant or event.tenant == args.tenant)
                      and kind_matches(event.kind, kinds)]
    for event in merge(recorded, writes):
        print(json.dumps(_json(event), ensure_ascii=False) if args.json else line(event))
    return 0


def line(event) -> str:
    """One readable line: local time, kind, node/tenant, object, before → after, detail."""
    from tringtui.commands.record import describe
    from tringtui.timeparse import format_time

    return f"{format_time(event.at)}  {describe(event)}"


def _json(event) -> dict[str, object]:
    record = event.as_dict()
    record["time"] = datetime.fromtimestamp(event.at).astimezone().isoformat(timespec="seconds")
    return record


def _known_kind(kind: str) -> bool:
    return kind in KINDS or kind in FAMILIES or kind.startswith("write.")


def _wants_store(kinds: list[str]) -> bool:
    return not kinds or any(not k.startswith("write") for k in kinds)


def _wants_writes(kinds: list[str]) -> bool:
    return not kinds or any(k.startswith("write") for k in kinds)
