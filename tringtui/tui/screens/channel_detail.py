"""The CHANNEL detail of one call: every ``label: value`` line Asterisk reports, in a modal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tringtui.api.errors import TringError
from tringtui.api.models import Channel, ChannelDetail


def detail_table(detail: ChannelDetail) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    for label, value in detail.fields:
        # Text, not str: values come from the server and must never be read as Rich markup.
        table.add_row(Text(label, style="bold"), Text(value))
    return table


class ChannelDetailScreen(ModalScreen[None]):
    """Fetches CHANNEL for the given call and lists its lines; Esc closes."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, channel: Channel) -> None:
        super().__init__()
        self.channel = channel
        self.detail: ChannelDetail | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-dialog", classes="dialog"):
            yield Label(f"Channel {self.channel.channel}", classes="dialog-title", markup=False)
            with VerticalScroll(id="detail-body"):
                yield Static("Loading…", id="detail-lines", markup=False)
            yield Label("Esc: close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        lines = self.query_one("#detail-lines", Static)
        try:
            name = self.channel.channel
            detail = await self.app.call_api(lambda client: client.channel(name))
        except TringError as exc:
            lines.update(f"✗ {exc.message}")
            lines.add_class("-error")
            return
        if detail is None:
            lines.update("This channel has ended (CHANNEL returned nothing).")
            return
        self.detail = detail
        lines.update(detail_table(detail))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
