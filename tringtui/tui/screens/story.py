"""``StoryScreen``: the frame of the drill-downs (a call's, a number's, a phone's, a queue's story).

The story is gathered by ``tringtui.live.stories`` on the API thread, one
request after the other; while the slow API answers, the screen says what it
is asking and for how long. Then it shows the story's sections; ``r`` asks
again (a call's record appears once the call has ended), Esc closes. Server
text is shown as text, never as markup.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tringtui.api.client import TringClient
from tringtui.api.errors import TringError
from tringtui.live.stories import Progress

Gather = Callable[[TringClient, Progress], Awaitable[Any]]


def section(title: str, rows: Sequence[Sequence[str]], header: Sequence[str] = (), empty: str = "none") -> Group:
    """A titled table of server text (never markup); ``empty`` when there are no rows."""
    heading = Text(title, style="bold")
    if not rows:
        return Group(heading, Text("  " + empty, style="dim"), Text(""))
    table = Table(box=None, padding=(0, 1), show_header=bool(header), header_style="bold", pad_edge=False)
    for index in range(len(header) or max(len(row) for row in rows)):
        table.add_column(header[index] if header else "", overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return Group(heading, table, Text(""))


def pairs(title: str, items: Iterable[tuple[str, str]], empty: str = "none") -> Group:
    """A titled list of ``label  value`` lines."""
    return section(title, [(label, value) for label, value in items if value], empty=empty)


class StoryScreen(ModalScreen[None]):
    """Fetches a story with ``gather`` and shows ``render(story)``; ``r`` fetches again, Esc closes."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("r", "reload", "Ask again"),
    ]

    def __init__(self, title: str, gather: Gather) -> None:
        super().__init__(classes="story-screen")
        self.story_title = title
        self.gather = gather
        self.story: Any = None
        self._asking = ""
        self._since = 0.0

    def render_story(self, story: Any) -> list[RenderableType]:
        """The sections of a gathered story."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="story-dialog", classes="dialog"):
            yield Label(self.story_title, classes="dialog-title", markup=False)
            yield Label("", id="story-progress", markup=False)
            with VerticalScroll(id="story-body"):
                yield Static("", id="story-lines")
            yield Label("r: ask again · Esc: close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#story-body").focus()
        self.set_interval(1.0, self._show_progress)
        self.load()

    def action_reload(self) -> None:
        self.load()

    def _asking_now(self, what: str) -> None:
        self._asking, self._since = what, time.monotonic()
        self._show_progress()

    def _show_progress(self) -> None:
        label = self.query_one("#story-progress", Label)
        label.display = bool(self._asking)
        if self._asking:
            label.update(f"asking the PBX: {self._asking} · {int(time.monotonic() - self._since)}s")

    @work(exclusive=True)
    async def load(self) -> None:
        loop = asyncio.get_running_loop()

        def progress(what: str) -> None:  # called on the API thread
            loop.call_soon_threadsafe(self._asking_now, what)

        lines = self.query_one("#story-lines", Static)
        try:
            story = await self.app.call_api(lambda client: self.gather(client, progress))  # type: ignore[attr-defined]
        except TringError as exc:
            self._asking = ""
            self._show_progress()
            lines.update(Text(f"✗ {exc.message}"))
            return
        self.story = story
        # The API thread's last progress call may still be queued: clear after it.
        loop.call_soon(self._done)
        lines.update(Group(*self.render_story(story)))

    def _done(self) -> None:
        self._asking = ""
        self._show_progress()
