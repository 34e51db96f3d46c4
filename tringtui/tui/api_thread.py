"""Runs the API client on its own event loop in a background thread, off the UI's path.

Decoding and parsing a 20,000-peer PEERS body takes hundreds of milliseconds
of pure Python. Done on Textual's event loop, that would freeze key handling
for as long; done here, the interpreter switches between the two threads
every few milliseconds and the UI keeps answering. Panes and actions never
touch the client directly: they hand a coroutine function to ``call`` and
await its result from the UI loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from tringtui.api.client import TringClient

T = TypeVar("T")

STOP_TIMEOUT = 5.0


class ApiThread:
    """Owns one ``TringClient`` living on a private event loop in a daemon thread."""

    def __init__(self, client_factory: Callable[[], TringClient]) -> None:
        self._client_factory = client_factory
        self._client: TringClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tringtui-api", daemon=True)
        self._thread.start()

    async def call(self, request: Callable[[TringClient], Awaitable[T]]) -> T:
        """Run ``request(client)`` on the API thread and return its result (or raise its error) here.

        Cancelling the caller cancels the request on the API thread too.
        """
        if self._loop is None:
            raise RuntimeError("the API thread is not started")
        future = asyncio.run_coroutine_threadsafe(self._invoke(request), self._loop)
        return await asyncio.wrap_future(future)

    async def _invoke(self, request: Callable[[TringClient], Awaitable[T]]) -> T:
        if self._client is None:
            self._client = self._client_factory()
        return await request(self._client)

    def stop(self) -> None:
        """Close the client and end the thread (waits a few seconds at most)."""
        if self._loop is None or self._thread is None or not self._thread.is_alive():
            return
        closing = asyncio.run_coroutine_threadsafe(self._close(), self._loop)
        try:
            closing.result(timeout=STOP_TIMEOUT)
        except (TimeoutError, RuntimeError):
            pass  # a wedged connection must not keep the monitor from quitting
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=STOP_TIMEOUT)
        if not self._thread.is_alive():
            self._loop.close()

    async def _close(self) -> None:
        # Requests still running (a hung server) are cancelled rather than awaited.
        current = asyncio.current_task()
        for task in asyncio.all_tasks():
            if task is not current:
                task.cancel()
        if self._client is not None:
            await self._client.aclose()
