"""Asks which tenant the tenant-scoped panes (queues, flows) show, for sessions with an admin key.

The tenants seen in PEERS are listed with their phone counts; typing narrows
the list (type-ahead) and Enter takes the highlighted one. A code that is not
listed can still be typed: it must look like a tenant code (so
``ACME&tenant=DEVEL`` never reaches a request) and is checked with the PBX
before the dialog closes; what is wrong is said in the dialog.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tringtui.api import validate
from tringtui.api.errors import InvalidParameter, KeyRejected, TringError

if TYPE_CHECKING:
    from tringtui.api.models import Peer
    from tringtui.tui.actions.api_access import CallApi

# Asks the PBX about a typed code: ``None`` when it is a tenant, else what is wrong.
TenantCheck = Callable[[str], Awaitable[str | None]]


def tenant_check(call_api: CallApi) -> TenantCheck:
    """The check of a typed code against the PBX ``call_api`` reaches: does INFO config answer for it?"""

    async def check(code: str) -> str | None:
        try:
            await call_api(lambda client: client.with_tenant(code).tenant_config())
        except KeyRejected:
            return f"The PBX knows no tenant {code} (or this key may not see it)."
        except TringError as error:
            return f"Could not check tenant {code}: {error}"
        return None

    return check


def tenants_seen(peers: Iterable[Peer]) -> list[tuple[str, int]]:
    """The tenants of the phones the Peers pane shows, with how many phones each: the screen's choices."""
    return list(Counter(peer.tenant for peer in peers if peer.tenant).items())


class TenantScreen(ModalScreen[str | None]):
    """Tenants seen, with type-ahead; Enter returns the code, Esc returns None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, current: str, tenants: Sequence[tuple[str, int]] = (), check: TenantCheck | None = None) -> None:
        super().__init__()
        self.current = current
        self.tenants = sorted(tenants)
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="tenant-dialog", classes="dialog"):
            yield Label("Tenant for the queues and flows panes", classes="dialog-title")
            yield Input(placeholder="type to narrow the list, or a tenant code", id="tenant-input")
            yield OptionList(id="tenant-list")
            yield Static("", id="tenant-error", markup=False)
            yield Label("Enter: show this tenant   ↑↓: choose   Esc: cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_matches("")
        self.query_one("#tenant-input", Input).focus()

    def _show_matches(self, typed: str) -> None:
        options = self.query_one("#tenant-list", OptionList)
        options.clear_options()
        wanted = typed.strip().upper()
        matches = [(code, count) for code, count in self.tenants if wanted in code.upper()]
        # Codes starting with what was typed first, then those containing it.
        matches.sort(key=lambda item: (not item[0].upper().startswith(wanted), item[0]))
        options.add_options(
            Option(f"{code}  ({count} phone{'s' if count != 1 else ''})", id=code) for code, count in matches
        )
        options.display = bool(matches)
        if matches:
            current = next((i for i, (code, _) in enumerate(matches) if code == self.current and not wanted), 0)
            options.highlighted = current

    @on(Input.Changed, "#tenant-input")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#tenant-error", Static).update("")
        self._show_matches(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one("#tenant-list", OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    @on(OptionList.OptionSelected, "#tenant-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted, "#tenant-input")
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#tenant-list", OptionList)
        if options.display and options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)
            return
        typed = event.value.strip()
        if not typed:
            return
        try:
            code = validate.tenant(typed)
        except InvalidParameter as error:
            self.query_one("#tenant-error", Static).update(str(error))
            return
        self.run_worker(self._check_then_close(code), exclusive=True)

    async def _check_then_close(self, code: str) -> None:
        error = self.query_one("#tenant-error", Static)
        if self._check is not None:
            error.update(f"asking the PBX about tenant {code}…")
            problem = await self._check(code)
            if problem:
                error.update(problem)
                return
        self.dismiss(code)

    def action_cancel(self) -> None:
        self.dismiss(None)
