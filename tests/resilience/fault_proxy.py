"""A hostile HTTP proxy for the fault matrix: forwards to the simulator and bends the answers.

The simulator's own fault injection breaks answers at the HTTP level (hangs,
truncation, HTML pages, …). What it cannot do is answer well-formed JSON of
the wrong shape, so this proxy sits between the monitor and the simulator and
rewrites the bodies of chosen request types: an object where a list belongs
(and a list where an object belongs), every value ``null``, every number a
word, one node's count ``null``, nothing at all. Everything else passes through unchanged. It also counts how many
requests it holds open at once, to check the client's concurrency cap.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def swap_containers(data: Any) -> Any:
    """A list becomes an object holding it; an object becomes a list holding it."""
    return {"data": data} if isinstance(data, list) else [data]


def all_nulls(data: Any) -> Any:
    """The same structure with every leaf value ``null``."""
    if isinstance(data, list):
        return [all_nulls(item) for item in data]
    if isinstance(data, dict):
        return {key: all_nulls(value) for key, value in data.items()}
    return None


def words_for_numbers(data: Any) -> Any:
    """Every number, and every string that reads as one, replaced by a word."""
    if isinstance(data, list):
        return [words_for_numbers(item) for item in data]
    if isinstance(data, dict):
        return {key: words_for_numbers(value) for key, value in data.items()}
    if isinstance(data, bool):
        return data
    if isinstance(data, (int, float)) or (isinstance(data, str) and _numeric(data)):
        return "lots"
    return data


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def first_count_null(data: Any) -> Any:
    """Per-node counts with the first node's number gone (``null``): that node's Asterisk did not answer."""
    if isinstance(data, dict) and data:
        first = next(iter(data))
        return {**data, first: None}
    return data


EMPTY = object()
"""What a shape returns for an empty body (0 bytes), as TRiNG sends for "no match"."""


def nothing(data: Any) -> Any:
    """No answer at all: an empty body."""
    return EMPTY


SHAPES: dict[str, Callable[[Any], Any]] = {
    "empty": nothing,
    "object_for_list": swap_containers,
    "nulls": all_nulls,
    "words_for_numbers": words_for_numbers,
    "first_count_null": first_count_null,
}


class FaultProxy:
    """Forwards ``/pbx/proxyapi.php`` to ``upstream``; bodies of ``reqtypes`` go through ``shape`` when set.

    ``most_in_flight`` is the largest number of requests it has had open at once.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.shape: Callable[[Any], Any] | None = None
        self.reqtypes: frozenset[str] = frozenset()
        self.in_flight = 0
        self.most_in_flight = 0
        self._count_lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # the request line holds the key
                pass

            def do_GET(self) -> None:
                proxy._answer(self)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients time out and hang up on purpose in these tests

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def bend(self, shape: str, reqtypes: set[str]) -> None:
        self.shape, self.reqtypes = SHAPES[shape], frozenset(reqtypes)

    def straighten(self) -> None:
        self.shape = None

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._count_lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self._forward(handler)
        finally:
            with self._count_lock:
                self.in_flight -= 1

    def _forward(self, handler: BaseHTTPRequestHandler) -> None:
        query = parse_qs(urlsplit(handler.path).query)
        reqtype = query.get("reqtype", [""])[0].upper()
        with urllib.request.urlopen(self.upstream + handler.path, timeout=10) as upstream:
            body = upstream.read()
            content_type = upstream.headers.get("Content-Type", "application/json")
        shape = self.shape
        if shape is not None and reqtype in self.reqtypes:
            try:
                bent = shape(json.loads(body))
                body = b"" if bent is EMPTY else json.dumps(bent).encode()
            except ValueError:
                pass  # not JSON (an empty answer): nothing to bend
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
