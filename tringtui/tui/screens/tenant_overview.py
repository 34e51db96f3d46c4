"""The tenant overview (``o``, palette "Tenant overview"): one row per tenant, for admin keys.

Registered/total peers and channels come from the live session's snapshots
(the same figures as every per-tenant view); maxchannels and maxextensions
(INFO config), balance (INFO balance) and calls waiting (its queues) are asked
per tenant on the API thread, at most once a minute (``live.tenants``). Enter
makes the row's tenant the one the Queues and Flows panes show.
"""

from __future__ import annotations

import asyncio
import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from tringtui.live.tenants import MIN_INTERVAL, TenantAccounts, TenantRow, tenant_rows, tenants_seen
from tringtui.tui.monitor import monitor_of
from tringtui.tui.widgets.keyed_table import Column, KeyedTable
from tringtui.tui.widgets.state_table import STATE_ALERT, StateTable


def _of(value: int | None, limit: int | None) -> str:
    if value is None:
        return "–"
    return f"{value}/{limit}" if limit is not None else str(value)


def overview_cells(row: TenantRow) -> tuple[str, ...]:
    share, account = row.share, row.account
    config = account.config if account is not None else None
    peers = "–" if share.peers_registered is None else f"{share.peers_registered}/{share.peers_total}"
    asked = account is not None
    return (
        row.tenant,
        peers,
        _of(share.channels, config.max_channels if config else None),
        _of(share.peers_total, config.max_extensions if config else None),
        (f"{account.balance:,.2f}" if account and account.balance is not None else "–") if asked else "…",
        (str(account.waiting) if account and account.waiting is not None else "–") if asked else "…",
        "✗" if account and account.problems else "",
    )


def over_limit(row: TenantRow) -> str | None:
    config = row.account.config if row.account else None
    if config and config.max_channels is not None and (row.share.channels or 0) >= config.max_channels:
        return STATE_ALERT
    return None


class TenantOverviewScreen(ModalScreen[str | None]):
    """Tenants with their peers, channels against limits, balance and calls waiting; Enter picks one."""

    BINDINGS = [Binding("escape,q", "dismiss_none", "Close"), Binding("r", "reload", "Ask again")]

    def __init__(self, accounts: TenantAccounts) -> None:
        super().__init__()
        self.accounts = accounts
        self._asking = ""
        self._since = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(id="tenants-dialog", classes="dialog"):
            yield Label("Tenants", classes="dialog-title")
            yield Label("", id="tenants-status", markup=False)
            yield StateTable(
                [
                    Column("tenant", "Tenant", max_width=20),
                    Column("peers", "Peers reg/all", align="right"),
                    Column("channels", "Ch/max", align="right"),
                    Column("extensions", "Ext/max", align="right"),
                    Column("balance", "Balance", align="right"),
                    Column("waiting", "Waiting", align="right"),
                    Column("problems", "", max_width=2),
                ],
                row_key=lambda row: row.tenant,
                cells=overview_cells,
                row_style=over_limit,
                empty_text="No tenants seen in PEERS yet",
                select_description="Use for queues and flows",
                id="tenants-table",
            )
            yield Label(f"Enter: its queues and flows · r: ask again (≤ once per {MIN_INTERVAL:.0f}s) · Esc: close",
                        classes="dialog-hint")

    @property
    def rows(self) -> list[TenantRow]:
        return self.query_one(StateTable).visible_rows()

    def on_mount(self) -> None:
        self.query_one(StateTable).focus()
        self._show_rows()
        self.set_interval(MIN_INTERVAL, self.load)
        self.set_interval(1.0, self._show_status)
        self.load()

    def _tenants(self) -> list[str]:
        monitor = monitor_of(self)
        if monitor.settings.tenant:
            return [monitor.settings.tenant]
        return tenants_seen(monitor.live.snapshots["peers"].data)

    def _show_rows(self) -> None:
        live = monitor_of(self).live
        rows = tenant_rows(self._tenants(), live.snapshots["peers"].data, live.snapshots["channels"].data,
                           self.accounts.accounts)
        self.query_one(StateTable).set_rows(rows)

    def _show_status(self) -> None:
        status = self.query_one("#tenants-status", Label)
        if self._asking:
            status.update(f"asking the PBX: {self._asking} · {int(time.monotonic() - self._since)}s")
            return
        problems = sum(len(a.problems) for a in self.accounts.accounts.values())
        status.update(f"{problems} requests not answered (✗)" if problems else "")

    def _asking_now(self, what: str) -> None:
        self._asking, self._since = what, time.monotonic()
        self._show_status()

    def action_reload(self) -> None:
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        monitor = monitor_of(self)
        tenants = self._tenants()
        now = monitor.live.clock()
        if not self.accounts.due(now):
            self._show_rows()
            return
        loop = asyncio.get_running_loop()

        def progress(what: str) -> None:  # on the API thread
            loop.call_soon_threadsafe(self._asking_now, what)

        await self.app.call_api(  # type: ignore[attr-defined]
            lambda client: self.accounts.refresh(client, tenants, now, progress))
        loop.call_soon(self._loaded)

    def _loaded(self) -> None:
        self._asking = ""
        self._show_rows()
        self._show_status()

    @on(KeyedTable.RowSelected, "#tenants-table")
    def _pick(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        if event.row is not None:
            self.dismiss(event.row.tenant)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
