"""``tringtui snapshot``: the whole PBX state, once, as a bundle for a ticket or a script.

It polls every source of the live core once (``tringtui.live``: the same
fetches, the same derived figures as the monitor) and writes
``snapshot-<server>-<time>.json`` (every pane's data, the figures, each
source's age and error) and a readable ``.md`` summary to ``--out``, or the
JSON to stdout with ``--json``. A failing source is recorded as an error and
the rest is still written; the exit status says the bundle is partial. The
API key is never in it, and neither are INFO extensions' passwords (it does
not ask for extensions, and the API layer drops their passwords anyway).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tringtui.live.derived import Totals
    from tringtui.live.session import LiveSession
    from tringtui.settings import Settings

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
BUNDLE_FORMAT = 1

EXAMPLES = """\
examples:
  export TRINGTUI_KEY=…
  tringtui snapshot --server https://api.tring.nu --tenant DEVEL --out ~/tickets/4711
  tringtui snapshot --profile production               # into the current directory
  tringtui snapshot --profile production --json | jq .figures

The bundle holds every pane's data (nodes, channels, queues and the first
queue's agents, flows and BLFs, peers), the summary's figures, and each
source's fetch time, latency and error. Exit status: 0 complete, 1 partial
(a source failed; the rest is written and the error recorded), 2 bad command
line or configuration.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "snapshot",
        help="poll every pane once and write a JSON + Markdown bundle",
        description="Poll every source of the monitor once and write the whole PBX state as "
        "snapshot-<server>-<time>.json plus a readable .md summary (or the JSON to stdout with --json). "
        "The figures are the monitor's own; the API key is never written.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    quiet = argparse.SUPPRESS  # a value given before the sub-command (tringtui --profile x snapshot) survives
    parser.add_argument("--profile", metavar="NAME", default=quiet, help="profile of the config file (default: its default_profile)")
    parser.add_argument("--config", metavar="PATH", default=quiet, help="config file (default: ~/.config/tringtui/config.yaml)")
    parser.add_argument("--server", metavar="URL", default=quiet, help="base URL, e.g. https://api.tring.nu")
    parser.add_argument("--key-env", metavar="VAR", default=quiet, help="environment variable holding the API key (default: the profile's key, else TRINGTUI_KEY)")
    parser.add_argument("--tenant", metavar="CODE", default=quiet, help="tenant code (optional with an admin key, but without it queues and flows are skipped)")
    parser.add_argument("--out", metavar="DIR", default=".", help="directory for the bundle (default: the current one; created if missing)")
    parser.add_argument("--json", action="store_true", help="print the JSON to stdout instead of writing files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from tringtui.config import ConfigError

    try:
        settings = _settings(args)
    except ConfigError as error:
        for problem in error.problems:
            print(f"tringtui snapshot: {str(problem).removesuffix('; or try --demo')}", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out).expanduser()
    if not args.json and out.exists() and not out.is_dir():
        print(f"tringtui snapshot: --out {out}: not a directory", file=sys.stderr)
        return EXIT_USAGE
    try:
        bundle = asyncio.run(take(settings, progress=_progress))
    except KeyboardInterrupt:
        print("tringtui snapshot: interrupted", file=sys.stderr)
        return EXIT_PARTIAL
    text = to_json(bundle)
    if args.json:
        sys.stdout.write(text + "\n")
    else:
        try:
            json_path, md_path = write_bundle(bundle, text, out)
        except OSError as exc:
            print(f"tringtui snapshot: cannot write to {out}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        print(f"{json_path}\n{md_path}")
    if bundle["partial"]:
        failing = ", ".join(bundle["figures"]["failing_sources"])
        print(f"tringtui snapshot: partial: {failing} failed (recorded in the bundle)", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def _settings(args: argparse.Namespace) -> Settings:
    from dataclasses import replace

    from tringtui.config import Overrides, resolve_settings

    resolution = resolve_settings(replace(Overrides.from_args(args), demo=False, readonly=True))
    for warning in resolution.warnings:
        print(f"tringtui snapshot: {warning}", file=sys.stderr)
    return resolution.settings


def _progress(message: str) -> None:
    print(f"tringtui snapshot: {message}", file=sys.stderr, flush=True)


async def take(settings: Settings, *, progress: Any = None, clock: Any = None) -> dict[str, Any]:
    """Poll every source once through the live core and return the bundle (a JSON-ready dict)."""
    from tringtui.api.client import TringClient
    from tringtui.live.session import LiveSession, direct
    from tringtui.live.sources import SOURCES

    async with TringClient.from_settings(settings) as client:
        session = LiveSession(
            direct(client),
            intervals={source: settings.interval(source) for source in SOURCES},
            clock=clock,
            tenant=settings.tenant,
        )
        if progress is not None:
            progress(f"polling {settings.server_host} …")
            session.subscribe(lambda snap: None if snap.in_flight else progress(
                f"{snap.source}: {'ok' if snap.error is None else snap.error.marker}"))
        await session.poll_once()
        return bundle_of(session, settings)


def bundle_of(session: LiveSession, settings: Settings) -> dict[str, Any]:
    """The bundle for a session's latest snapshots: figures from ``tringtui.live.derived``, as the monitor's."""
    from tringtui.commands.api_call import to_jsonable
    from tringtui.live.identity import numbered_blfs
    from tringtui.store.incident import recent_timeline

    now = session.clock()
    totals = session.totals()
    sources: dict[str, Any] = {}
    for name, snapshot in session.snapshots.items():
        idle = session.idle_reason(name)
        data = to_jsonable(snapshot.data)
        if name == "flows" and snapshot.data is not None:
            data["blfs"] = [to_jsonable(row.blf) for row in numbered_blfs(snapshot.data.blfs)]
        sources[name] = {
            "fetched_at": _iso(snapshot.fetched_at),
            "latency_ms": None if snapshot.latency is None else round(snapshot.latency * 1000),
            "error": None if snapshot.error is None else {"kind": snapshot.error.kind.value,
                                                           "message": snapshot.error.message},
            "skipped": idle,
            "data": data,
        }
    return {
        "format": BUNDLE_FORMAT,
        "server": settings.server_host,
        "profile": settings.profile,
        "tenant": session.tenant,
        "taken_at": _iso(now),
        "partial": bool(totals.failing_sources),
        "figures": figures(totals, session),
        "sources": sources,
        "timeline": recent_timeline(settings, now),
    }


def figures(totals: Totals, session: LiveSession) -> dict[str, Any]:
    from tringtui.commands.api_call import to_jsonable

    shown = to_jsonable(totals)
    shown.pop("stale_sources", None)  # one poll: nothing is stale yet
    shown["nodes"] = [
        {"node": row.node, "peers": row.peers, "channels": row.channels, "alert": row.alert}
        for row in session.node_trends.rows
    ]
    return dict(shown)


def _iso(epoch: float | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def to_json(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, indent=2, ensure_ascii=False)


def bundle_stem(bundle: dict[str, Any]) -> str:
    """``snapshot-pbx.example.com-20251127T080000Z``: the server host and the time, safe as a file name."""
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", bundle["server"]) or "server"
    taken = datetime.fromisoformat(bundle["taken_at"]).strftime("%Y%m%dT%H%M%SZ")
    return f"snapshot-{host}-{taken}"


def write_bundle(bundle: dict[str, Any], text: str, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    stem = bundle_stem(bundle)
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(text + "\n", encoding="utf-8")
    md_path.write_text(markdown(bundle), encoding="utf-8")
    return json_path, md_path


def _cell(value: Any) -> str:
    text = "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(bundle: dict[str, Any]) -> str:
    """A readable summary for a ticket: the figures, each source's state, nodes and queues."""
    figures = bundle["figures"]
    scope = f" ({figures['queue_scope']})" if figures.get("queue_scope") else ""
    lines = [
        f"# PBX snapshot: {bundle['server']}",
        "",
        f"Taken {bundle['taken_at']} by tringtui" + (f", profile {bundle['profile']}" if bundle["profile"] else "")
        + (f", tenant {bundle['tenant']}" if bundle["tenant"] else "") + ".",
        "" if not bundle["partial"] else "\n**Partial:** some sources failed; see below.\n",
        "| Figure | Value |",
        "|---|---|",
        f"| Peers registered | {_cell(figures['peers_registered'])} |",
        f"| Peers total | {_cell(figures['peers_total'])} |",
        f"| Active channels | {_cell(figures['channels'])} |",
        f"| Calls waiting{scope} | {_cell(figures['calls_waiting'])} |",
        f"| Agents available{scope} | {_cell(figures['agents_available'])} |",
        f"| Nodes losing phones | {_cell(', '.join(figures['alerting_nodes']) or 'none')} |",
        "",
        "## Sources",
        "",
        "| Source | Fetched | Latency | State |",
        "|---|---|---|---|",
    ]
    for name, source in bundle["sources"].items():
        error = source["error"]
        state = (f"skipped: {source['skipped']}" if source["skipped"]
                 else f"{error['kind']}: {error['message']}" if error else "ok")
        latency = f"{source['latency_ms']} ms" if source["latency_ms"] is not None else None
        lines.append(f"| {name} | {_cell(source['fetched_at'])} | {_cell(latency)} | {_cell(state)} |")
    if figures["nodes"]:
        lines += ["", "## Nodes", "", "| Node | Peers | Channels | Alert |", "|---|---|---|---|"]
        lines += [f"| {_cell(n['node'])} | {_cell(n['peers'])} | {_cell(n['channels'])} | {_cell(n['alert'])} |"
                  for n in figures["nodes"]]
    queues = (bundle["sources"].get("queues") or {}).get("data")
    if queues and queues["queues"]:
        lines += ["", f"## Queues{scope}", "", "| Queue | ID | Waiting | Available |", "|---|---|---|---|"]
        for row in queues["queues"]:
            stats = row["stats"] or {}
            lines.append(f"| {_cell(row['queue']['name'])} | {_cell(row['queue']['id'])} | "
                         f"{_cell(stats.get('calls_in_queue'))} | {_cell(stats.get('agents_available'))} |")
    lines += timeline_markdown(bundle.get("timeline"))
    return "\n".join(lines) + "\n"


def timeline_markdown(timeline: dict[str, Any] | None) -> list[str]:
    """The events and writes of the minutes before the snapshot, one line each."""
    if not timeline:
        return []
    lines = ["", f"## Events since {timeline['since']}", ""]
    if timeline["note"]:
        lines.append(f"_{timeline['note']}_")
    rows = [(event["time"], event["kind"], "/".join(p for p in (event["node"], event["tenant"]) if p), event["object"],
             f"{event['before']} → {event['after']}" if event["before"] else event["after"], event["detail"])
            for event in timeline["events"]]
    rows += [(write["time"], f"write.{write['action'].lower()}", write["tenant"], "", write["outcome"],
              f"by {write['user']}") for write in timeline["writes"]]
    if not rows:
        lines.append("None recorded.")
        return lines
    lines += ["| Time | Kind | Where | Object | Change | Detail |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in sorted(rows)]
    return lines
