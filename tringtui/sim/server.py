"""The simulator's HTTP server: ``/pbx/proxyapi.php`` on loopback, with fault injection and a request log.

``SimServer(pbx)`` serves one ``SimulatedPBX`` from a background thread
(stdlib ``ThreadingHTTPServer``, daemon threads). It answers GET (and POST
form) requests; the HTTP status is always 200 on the API path, as on the real
API. ``stop()`` ends the server, wakes hanging requests and closes open
connections, so tests never leak threads that keep sockets open.
"""

from __future__ import annotations

import socket
import sys
import threading
import traceback
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from typing import TextIO
from urllib.parse import parse_qs, urlsplit

from tringtui.sim.faults import MODES_BEFORE_PROCESSING, Faults
from tringtui.sim.handlers import KEY_REJECTED, PLAIN_TYPE, ProxyApi
from tringtui.sim.keys import DEMO_KEYS, ApiKey
from tringtui.sim.request_log import RequestLogWriter, classify
from tringtui.sim.state import SimulatedPBX

API_PATH = "/pbx/proxyapi.php"
REDACTED = "***"
LOG_LIMIT = 10_000

HTML_ERROR_PAGE = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>500 Internal Server Error</title>\n'
    "</head><body>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error or\n"
    "misconfiguration and was unable to complete\nyour request.</p>\n<hr>\n"
    "<address>Apache/2.4.41 (Ubuntu) Server at api.tring.nu Port 443</address>\n</body></html>\n"
)
PHP_NOTICE = (
    "<br />\n<b>Notice</b>:  Undefined index: nodename in <b>/var/www/html/pbx/proxyapi.php</b> "
    "on line <b>231</b><br />\n"
)


@dataclass(frozen=True)
class RequestRecord:
    """One request as it reached the server: when (injected clock), its type, its parameters (key redacted)."""

    time: float
    reqtype: str
    params: Mapping[str, str]
    method: str
    fault: str | None


class SimServer:
    """Serves a ``SimulatedPBX`` over HTTP on ``host:port`` (port 0 picks a free one).

    ``keys`` are the accepted API keys (default ``DEMO_KEYS``); ``faults`` the
    fault settings (default: none; change ``server.faults`` at any time).
    ``log_to`` (a text stream) receives one JSON line per request, key
    redacted (see ``request_log.py``).
    Use as a context manager, or call ``start()`` and ``stop()``.
    """

    def __init__(self, pbx: SimulatedPBX, host: str = "127.0.0.1", port: int = 0, *,
                 keys: Mapping[str, ApiKey] | None = None, faults: Faults | None = None,
                 log_to: TextIO | None = None) -> None:
        self.pbx = pbx
        self.api = ProxyApi(pbx, DEMO_KEYS if keys is None else keys)
        self.faults = faults if faults is not None else Faults(seed=pbx.seed)
        self._host, self._port = host, port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._log: deque[RequestRecord] = deque(maxlen=LOG_LIMIT)
        self._log_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._answering = 0  # requests between arrival and their log line, guarded by _answered
        self._answered = threading.Condition()
        self._errors: list[str] = []
        self.log_writer = RequestLogWriter(log_to) if log_to is not None else None
        """Writes each request as a JSON line (``log_to``: ``tringtui sim --log-requests``)."""

    # --- lifecycle ----------------------------------------------------------

    def start(self) -> SimServer:
        """Bind and serve from a daemon thread; returns self."""
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._stopping.clear()
        self._httpd = _HTTPServer((self._host, self._port), _Handler, self)
        self._thread = threading.Thread(target=self._accept_loop, name=f"tringtui-sim:{self.port}", daemon=True)
        self._thread.start()
        return self

    def _accept_loop(self) -> None:
        httpd = self._httpd
        httpd.timeout = 1.0
        while not self._stopping.is_set():
            httpd.handle_request()

    def stop(self) -> None:
        """Stop serving, release hanging requests and close every open connection."""
        httpd = self._httpd
        if httpd is None:
            return
        self._stopping.set()
        # A connection of our own wakes the accept loop at once instead of after its timeout.
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self._host, self._host)
        try:
            socket.create_connection((host, self.port), timeout=1).close()
        except OSError:
            pass
        if self._thread is not None:
            self._thread.join(timeout=5)
        # Handler threads are daemons: let requests already answered write their log line before a
        # process exits under them (hanging ones were woken by _stopping above).
        with self._answered:
            self._answered.wait_for(lambda: self._answering == 0, timeout=2)
        httpd.server_close()
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            _close_quietly(connection)
        self._httpd = self._thread = None

    def serve_forever(self) -> None:
        """Block the calling thread while serving (starting if needed) until ``stop()`` or Ctrl-C."""
        if self._httpd is None:
            self.start()
        try:
            while not self._stopping.wait(0.5):
                pass
        finally:
            self.stop()

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``; requests go to ``url + "/pbx/proxyapi.php"``."""
        host = self._host if ":" not in self._host else f"[{self._host}]"
        return f"http://{host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """The full API URL: ``url + "/pbx/proxyapi.php"``."""
        return self.url + API_PATH

    # --- request log ----------------------------------------------------------

    @property
    def request_log(self) -> list[RequestRecord]:
        """Requests received so far (oldest first, at most the last 10,000), keys shown as ``***``."""
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    @property
    def open_connections(self) -> int:
        """Connections being served right now."""
        with self._connections_lock:
            return len(self._connections)

    @property
    def handler_errors(self) -> list[str]:
        """Tracebacks of requests that failed inside the simulator (its own bugs; clients hanging up are not)."""
        with self._log_lock:
            return list(self._errors)

    def _record_error(self, text: str) -> None:
        for secret in self.api.keys:  # a traceback may quote the query: never print a key
            text = text.replace(secret, REDACTED)
        with self._log_lock:
            self._errors.append(text)
        print(f"tringtui sim: error while serving a request:\n{text}", file=sys.stderr, end="")

    # --- serving ----------------------------------------------------------------

    def _track(self, connection: socket.socket, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _serve(self, handler: _Handler, params: dict[str, str]) -> None:
        with self._answered:
            self._answering += 1
        try:
            self._serve_and_log(handler, params)
        finally:
            with self._answered:
                self._answering -= 1
                self._answered.notify_all()

    def _serve_and_log(self, handler: _Handler, params: dict[str, str]) -> None:
        reqtype = params.get("reqtype", "").upper()
        fault = self.faults.draw(reqtype)
        logged = MappingProxyType({k: (REDACTED if k == "key" else v) for k, v in params.items()})
        record = RequestRecord(time=self.pbx.clock_time(), reqtype=reqtype, params=logged, method=handler.command,
                               fault=fault)
        with self._log_lock:
            self._log.append(record)
        status, outcome, message, size = self._answer(handler, params, reqtype, fault)
        if self.log_writer is not None:
            self.log_writer.write(when=record.time, reqtype=reqtype, params=logged, method=record.method,
                                  status=status, outcome=outcome, message=message, size=size)

    def _answer(self, handler: _Handler, params: dict[str, str], reqtype: str,
                fault: str | None) -> tuple[int | None, str, str, int]:
        """Answer one request (faults included); returns ``(status, outcome, message, bytes)`` for the log."""
        gate = self.faults.gate_for(reqtype)
        while gate is not None and not gate.wait(0.05):
            if self._stopping.is_set():
                handler.drop()
                return None, "dropped", "server stopping", 0
        latency = self.faults.latency_for(reqtype)
        if latency and self._stopping.wait(latency):
            handler.drop()
            return None, "dropped", "server stopping", 0
        if fault == "html":
            return 200, "fault:html", "", handler.reply(HTML_ERROR_PAGE, PLAIN_TYPE)
        if fault == "key_rejected":
            return 200, "fault:key_rejected", "", handler.reply(KEY_REJECTED, PLAIN_TYPE)
        assert fault is None or fault not in MODES_BEFORE_PROCESSING
        body, content_type = self.api.handle(params)
        if fault == "drop":
            handler.drop()
            return None, "fault:drop", "", 0
        if fault == "hang":
            self._stopping.wait(self.faults.hang_seconds)
            handler.drop()
            return None, "fault:hang", "", 0
        if fault == "truncated":
            return 200, "fault:truncated", "", handler.reply(body[: len(body) // 2], content_type)
        if fault == "malformed":
            return 200, "fault:malformed", "", handler.reply(PHP_NOTICE + body, content_type)
        if fault == "oversized":
            handler.reply_junk(self.faults.oversized_bytes, content_type)
            return 200, "fault:oversized", "", self.faults.oversized_bytes
        if fault == "empty":
            return 200, "fault:empty", "", handler.reply("", content_type)
        outcome, message = classify(body)
        return 200, outcome, message, handler.reply(body, content_type)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type, sim: SimServer) -> None:
        self.sim = sim
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up early is normal and passes quietly; anything else is a bug, kept and printed."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)) or self.sim._stopping.is_set():
            return
        self.sim._record_error("".join(traceback.format_exception(exc)))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx clients expect
    disable_nagle_algorithm = True  # headers and body go out as two writes; don't wait 40 ms for an ACK
    server_version = "Apache/2.4.41"
    sys_version = ""
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.sim._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.sim._track(self.connection, False)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != API_PATH:
            self._not_found()
            return
        self.server.sim._serve(self, _first_values(url.query))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        if url.path != API_PATH:
            self._not_found()
            return
        params = _first_values(url.query)
        params.update(_first_values(form))
        self.server.sim._serve(self, params)

    def reply(self, body: str, content_type: str) -> int:
        """Send ``body`` with status 200; returns its size in bytes."""
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return len(data)

    def reply_junk(self, size: int, content_type: str) -> None:
        chunk = (b'{"junk":"' + b"x" * 65_000 + b'"},')[:65_536]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        try:
            remaining = size
            while remaining > 0:
                piece = chunk[: min(len(chunk), remaining)]
                self.wfile.write(piece)
                remaining -= len(piece)
        except OSError:
            self.close_connection = True  # the client gave up reading, as it should

    def drop(self) -> None:
        """Close the connection without a response."""
        self.close_connection = True
        _close_quietly(self.connection)

    def _not_found(self) -> None:
        data = b"<html><body><h1>404 Not Found</h1></body></html>\n"
        self.send_response(404)
        self.send_header("Content-Type", PLAIN_TYPE)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        # The request line carries the API key: never print it.
        pass


def _first_values(query: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(query, keep_blank_values=True).items()}


def _close_quietly(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


