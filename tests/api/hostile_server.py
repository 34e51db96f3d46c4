"""A tiny scripted HTTP server for the client tests: exact bodies, hangs, drops, trickles, huge bodies.

The simulator answers like the real API; this server answers like a broken
one, byte for byte, so each error path of the client meets exactly the body
or the network failure it is written for. Each test sets ``server.reply``
to a ``Reply`` (or a function of the request's query returning one).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    """What to answer: a body (with status and content type), or a failure ``mode``.

    Modes: ``hang`` (say nothing until released), ``drop`` (close without a
    response), ``trickle`` (headers, then one byte every ``interval``
    seconds, forever), ``stream`` (``body`` repeated ``repeat`` times,
    chunked, no Content-Length).
    """

    body: str | bytes = ""
    status: int = 200
    content_type: str = "application/json"
    mode: str = ""
    repeat: int = 1
    interval: float = 0.05
    headers: dict[str, str] = field(default_factory=dict)


class HostileServer:
    """Serves ``reply`` on ``/pbx/proxyapi.php`` and records each request's query (``requests``)."""

    def __init__(self) -> None:
        self.reply: Reply | Callable[[dict[str, str]], Reply] = Reply("")
        self.requests: list[dict[str, str]] = []
        self.paths: list[str] = []
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                server.requests.append(query)
                server.paths.append(parts.path)
                reply = server.reply(query) if callable(server.reply) else server.reply
                server.answer(self, reply)

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients hang up on purpose in these tests

        self._httpd = QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> HostileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.mode == "hang":
            self.released.wait(10)
            handler.close_connection = True
            return
        if reply.mode == "drop":
            handler.close_connection = True
            return
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        if reply.mode in ("trickle", "stream"):
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            try:
                if reply.mode == "trickle":
                    while not self.released.wait(reply.interval):
                        handler.wfile.write(b"1\r\n \r\n")
                        handler.wfile.flush()
                else:
                    for _ in range(reply.repeat):
                        handler.wfile.write(b"%x\r\n%s\r\n" % (len(body), body))
                    handler.wfile.write(b"0\r\n\r\n")
            except OSError:  # the client gave up: that is the point of these modes
                pass
            handler.close_connection = True
            return
        if "Content-Length" not in reply.headers:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

