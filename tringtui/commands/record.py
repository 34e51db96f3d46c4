"""``tringtui record``: the live core without a screen, recording a PBX into its store until stopped.

For a jump host or systemd: it polls like the monitor (the profile's
intervals, one request in flight per source), writes every poll into the
store and logs on stderr what it records (the events, and a status line
every minute). SIGTERM, SIGHUP or Ctrl-C stop it cleanly within a second:
the polls in flight are abandoned, what was polled is written, the store
is closed. It never writes to the PBX: its client is read-only.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from dataclasses import replace

from tringtui.settings import Secret

EXIT_CONFIG = 2
EXIT_STORE = 1
STATUS_EVERY = 60.0

log = logging.getLogger("tringtui.record")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "record",
        help="record a PBX into the store without a screen (for a jump host or systemd)",
        description="Poll a PBX like the monitor does and record every poll and event into the store, "
        "until SIGTERM, SIGHUP or Ctrl-C. Logs go to stderr. Read the recording with "
        "`tringtui events` and `tringtui replay`.",
        epilog="examples:\n"
        "  tringtui record --profile production\n"
        "  TRINGTUI_KEY=… tringtui record --server https://api.tring.nu --tenant DEVEL\n"
        "  tringtui record --server https://api.tring.nu --key-env NOC_KEY --store /var/lib/tringtui/noc.sqlite\n"
        "  tringtui record --demo                 record the simulated PBX\n\n"
        "  tringtui record --profile production --metrics-port 9877   also serve /metrics to Prometheus\n\n"
        "The profile's alert rules run here too: firing and resolving go on the time line and the log,\n"
        "and to each rule's command: and webhook: (see the README, Alerts).\n"
        "The store keeps the profile's retention (default 24h and 500 MB); a monitor of the same\n"
        "profile then runs without recording (one recorder per store). See docs/deploy/ for a systemd unit.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--profile", metavar="NAME", help="profile of the config file (default: its default_profile)")
    parser.add_argument("--config", metavar="PATH", help="config file (default: ~/.config/tringtui/config.yaml)")
    parser.add_argument("--server", metavar="URL", help="TRiNG API base URL, e.g. https://api.tring.nu")
    parser.add_argument("--tenant", metavar="CODE", help="tenant code (queues and flows are per tenant)")
    parser.add_argument("--key-env", metavar="VAR", help="environment variable holding the API key (default TRINGTUI_KEY)")
    parser.add_argument("--store", metavar="FILE", help="the store to record into (default: one per profile and "
                        "server under ~/.local/state/tringtui/recordings/)")
    parser.add_argument("--demo", action="store_true", help="record an embedded simulated PBX")
    parser.add_argument("--size", choices=("small", "medium", "large", "huge"), default="medium",
                        help="size of the --demo PBX (default %(default)s)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the --demo PBX")
    parser.add_argument("--metrics-port", metavar="PORT", type=_port,
                        help="serve Prometheus metrics at http://HOST:PORT/metrics (needs: pip install "
                        "'tringtui[prometheus]')")
    parser.add_argument("--metrics-host", metavar="HOST", default="127.0.0.1",
                        help="address the metrics are served on (default %(default)s: this machine only)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log every poll")
    parser.set_defaults(func=run)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port (1-65535)")
    return port


def run(args: argparse.Namespace) -> int:
    from tringtui.config import ConfigError, Overrides, resolve_settings

    _log_to_stderr(args.verbose)
    if args.metrics_port is not None:
        try:
            import prometheus_client  # noqa: F401
        except ImportError:
            print("tringtui record: --metrics-port needs the prometheus extra: pip install 'tringtui[prometheus]'",
                  file=sys.stderr)
            return EXIT_CONFIG
    try:
        resolution = resolve_settings(Overrides.from_args(args))
    except ConfigError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_CONFIG
    for warning in resolution.warnings:
        log.warning("%s", warning)
    settings = replace(resolution.settings, readonly=True)  # a recorder never writes to the PBX
    demo_server = None
    tenant = settings.tenant
    if args.demo:
        from tringtui.commands.monitor import DEMO_KEY, start_demo_server

        demo_server, tenant = start_demo_server(args.size, args.seed)
        settings = replace(settings, server=demo_server.url, key=Secret(DEMO_KEY), demo=True)
    try:
        return asyncio.run(_record(settings, tenant, args.metrics_host, args.metrics_port))
    finally:
        if demo_server is not None:
            demo_server.stop()


def _log_to_stderr(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s tringtui record: %(message)s", "%Y-%m-%d %H:%M:%S"))
    for name in ("tringtui.record", "tringtui.store", "tringtui.live", "tringtui.alerts"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.propagate = False


async def _record(settings, tenant: str, metrics_host: str, metrics_port: int | None) -> int:
    from tringtui.api.client import TringClient
    from tringtui.live import LiveSession, direct
    from tringtui.store import Recorder, Retention, Store, StoreBusy, StoreError
    from tringtui.live.alerting import Alerting
    from tringtui.store.events import Event, alert_event
    from tringtui.store.paths import store_path
    from tringtui.store.session_recorder import SessionRecorder
    from tringtui.timeparse import format_time

    path = store_path(settings, os.environ)
    try:
        store = Store(path)
    except (StoreError, OSError) as error:
        log.error("cannot open the store: %s", error)
        return EXIT_STORE
    try:
        recorder = Recorder(store, retention=Retention(settings.retention_age, settings.retention_bytes))
    except StoreBusy as error:
        store.close()
        log.error("%s", error)
        return EXIT_STORE
    store.note_session(settings.profile, settings.server_host)

    def events_found(events: list[Event]) -> None:
        for event in events:
            log.info("event %s %s", format_time(event.at), describe(event))

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with TringClient.from_settings(settings) as client:
        session = LiveSession(direct(client), intervals={s: settings.interval(s) for s in settings.intervals},
                              tenant=tenant)
        recording = SessionRecorder(session, recorder, on_events=events_found)
        if log.isEnabledFor(logging.DEBUG):
            session.subscribe(lambda snap: None if snap.in_flight else log.debug(
                "poll %s: %s", snap.source, snap.error.message if snap.error else "ok"))
        log.info("recording %s (profile %s%s) into %s; retention %s", settings.server_host, settings.profile,
                 f", tenant {tenant}" if tenant else "", path, _retention_text(settings))
        if not tenant:
            log.info("no tenant: queues and flows are not recorded (give --tenant or a profile tenant)")
        alerting = Alerting(session, direct(client), settings)
        alerting.observe(client)

        def alerts_changed(transitions) -> None:
            recording.add_events([alert_event(transition) for transition in transitions])
            for transition in transitions:
                alert = transition.alert
                log.info("alert %s %s [%s] %s: %s", transition.status, alert.rule.name, alert.severity.value,
                         alert.where, alert.describe_value())

        alerting.watcher.listeners.append(alerts_changed)
        metrics_server = await _serve_metrics(alerting, client, session, metrics_host, metrics_port)
        if metrics_port is not None and metrics_server is None:
            await session.aclose()
            recording.close()
            return EXIT_CONFIG
        log.info("%d alert rules: %s", len(settings.alert_rules),
                 ", ".join(rule.name for rule in settings.alert_rules) or "none (alerts: [])")
        session.start()
        alerting.start()
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), STATUS_EVERY)
            except TimeoutError:
                log.info("%s", _status(recording))
            if recording.failed:
                log.error("recording stopped: %s", recording.failed)
                break
        await session.aclose()
        await alerting.aclose()
        if metrics_server is not None:
            await metrics_server.aclose()
    recording.close()
    log.info("stopped; the store is closed (%s)", path)
    return EXIT_STORE if recording.failed else 0


async def _serve_metrics(alerting, client, session, host: str, port: int | None):
    """The /metrics server on this loop, or None (not asked for, or the port cannot be had: logged)."""
    if port is None:
        return None
    from tringtui.live.metrics import MetricsServer, PbxMetrics

    metrics = PbxMetrics(lambda: alerting.watcher.figures, alerting.engine, session.clock)
    client.add_observer(metrics.observe_request)
    try:
        server = await MetricsServer(metrics, host, port).start()
    except OSError as error:
        log.error("cannot serve metrics on %s port %d: %s", host, port, error.strerror or error)
        return None
    log.info("serving Prometheus metrics at %s", server.url)
    return server


def describe(event) -> str:
    """One line for an event: kind, where, what, before → after, detail."""
    where = "/".join(part for part in (event.node, event.tenant) if part)
    change = f"{event.before} → {event.after}" if event.before else event.after
    parts = [event.kind, where, event.object, change, event.detail]
    return "  ".join(part for part in parts if part)


def _retention_text(settings) -> str:
    return f"{settings.retention_age / 3600:g} h, {settings.retention_bytes / 1024 / 1024:g} MB"


def _status(recording) -> str:
    store = recording.recorder.store
    return f"{store.poll_count()} polls in the store, {store.used_bytes() / 1024 / 1024:.1f} MB"
