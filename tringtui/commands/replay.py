"""``tringtui replay``: the monitor's panes on a recording, at any moment of it.

Opens the store a monitor or ``tringtui record`` wrote (``--store``, the
profile's, or the demo's) with REPLAY and the replayed time in the header and
a time bar of the events. It has no client: nothing can be sent to a PBX.
"""

from __future__ import annotations

import argparse
import sys
import time

from tringtui.commands.recording_location import EXIT_USAGE, add_recording_arguments, locate_recording

EXIT_NO_STORE = 1


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="replay a recording in the monitor's panes, with a time cursor",
        description="Open the monitor's panes on recorded data: what the PBX looked like at any moment of the "
        "recording. Nothing can be sent to a PBX from a replay.",
        epilog="examples:\n"
        "  tringtui replay --at 03:12                 today at 03:12 (yesterday if still to come)\n"
        "  tringtui replay --profile production --at \"2026-12-01 03:00\"\n"
        "  tringtui replay --demo --at 1m             a minute ago, in what `tringtui --demo` recorded\n\n"
        "keys: [ ] one poll back / on   { } previous / next event   g go to a time\n"
        "      Space play / pause   < > slower / faster   1-5 panes   q quit",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_recording_arguments(parser)
    parser.add_argument("--at", metavar="TIME", help="start at this time (default: the end of the recording); "
                        "an age (1m, 2h), a time of day (03:12) or a date and time")
    parser.add_argument("--theme", metavar="NAME", help="theme (default: tring-dark)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tringtui.settings import Secret, Settings
    from tringtui.store import Store, StoreError
    from tringtui.store.replay import EmptyRecording, ReplayCursor
    from tringtui.store.timeline import recorded_writes
    from tringtui.timeparse import TimeParseError, parse_time

    try:
        at = parse_time(args.at, time.time()) if args.at else None
    except TimeParseError as error:
        print(f"tringtui replay: {error}", file=sys.stderr)
        return EXIT_USAGE
    located = locate_recording(args, "replay")
    if isinstance(located, int):
        return located
    path, audit_path = located
    try:
        store = Store(path, readonly=True)
        cursor = ReplayCursor(store, at, writes=recorded_writes(store, audit_path))
    except (StoreError, EmptyRecording) as error:
        print(f"tringtui replay: {error}", file=sys.stderr)
        return EXIT_NO_STORE
    if at is not None and not cursor.start <= at <= cursor.end:
        from tringtui.timeparse import format_time

        print(f"tringtui replay: the recording runs from {format_time(cursor.start)} to {format_time(cursor.end)}; "
              "starting at its nearest end", file=sys.stderr)
    sessions = store.sessions()
    profile, host = sessions[-1] if sessions else ("recording", "")
    settings = Settings(server=f"https://{host}" if host else "", key=Secret(""), profile=profile,
                        theme=args.theme or "tring-dark", readonly=True)
    from tringtui.tui.replay_app import ReplayApp

    try:
        ReplayApp(settings, cursor, tick_interval=0).run()
    finally:
        store.close()
    return 0
