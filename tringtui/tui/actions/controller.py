"""``ActionController``: the Textual side of operator actions.

One controller per app. A pane's key handler calls ``start`` with the action's
name, the selected target's identity and a *prepare* coroutine (from
``calls``, ``agents``, ``phones`` or ``flows``) that may ask prompts and
returns the ``WriteAction``. The controller then shows the confirmation, hands
a confirmed action to the ``ActionRunner``, notifies the outcome with the
server's message and asks the affected pane to refresh.

Only one action is under way at a time: from the key press to the journal
line, a second press does nothing (and panes show the write keys disabled),
so a write can never be sent twice by an impatient operator.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tringtui.api.errors import TringError
from tringtui.audit import AuditOutcome
from tringtui.config.probe import write_rights
from tringtui.tui.actions.api_access import Request, scoped
from tringtui.tui.actions.catalog import title_of
from tringtui.tui.actions.runner import ActionReport, ActionRunner
from tringtui.tui.actions.write_action import ActionAborted, WriteAction
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.waiting import WaitingScreen

if TYPE_CHECKING:
    from textual.app import App

    from tringtui.settings import Settings

Prepare = Callable[["ActionController"], Awaitable[WriteAction | None]]

# A read that answers within this time shows no waiting screen (no flash on a quick PBX).
WAITING_SCREEN_AFTER = 0.3

_SEVERITY = {
    AuditOutcome.SUCCESS: "information",
    AuditOutcome.REFUSED: "error",
    AuditOutcome.UNKNOWN: "warning",
    AuditOutcome.FAILED: "error",
    AuditOutcome.READ_ONLY: "warning",
    AuditOutcome.TARGET_CHANGED: "warning",
}
_TITLE_SUFFIX = {
    AuditOutcome.SUCCESS: "done",
    AuditOutcome.REFUSED: "refused by the server",
    AuditOutcome.UNKNOWN: "OUTCOME UNKNOWN",
    AuditOutcome.FAILED: "failed",
    AuditOutcome.READ_ONLY: "blocked (read-only)",
    AuditOutcome.TARGET_CHANGED: "not sent",
}
# Outcomes after which the pane's data is known or suspected to be out of date.
_REFRESH_AFTER = frozenset(
    {AuditOutcome.SUCCESS, AuditOutcome.REFUSED, AuditOutcome.UNKNOWN, AuditOutcome.TARGET_CHANGED}
)


class ActionController:
    """Runs operator actions one at a time: prepare → confirm → send → notify → refresh."""

    def __init__(
        self,
        app: App[Any],
        runner: ActionRunner,
        *,
        refresh_pane: Callable[[str], None] = lambda pane: None,
        on_readonly_changed: Callable[[], None] = lambda: None,
        on_sending: Callable[[str | None], None] = lambda title: None,
        present: Callable[[WriteAction], WriteAction] = lambda action: action,
        on_journalled: Callable[[], None] = lambda: None,
    ) -> None:
        self.app = app
        self.runner = runner
        # What every action looks like to the operator before it is confirmed (the fleet names its PBX).
        self._present = present
        self._refresh_pane = refresh_pane
        self._on_readonly_changed = on_readonly_changed
        self._on_sending = on_sending
        self._on_journalled = on_journalled
        self._busy = False
        self._title = ""  # of the action under way, for the waiting screen
        self._name, self._target = "", {}  # of the action under way, for the journal
        self._in_flight = ""  # the title of the write sent and not yet answered
        self._answered = asyncio.Event()  # set when that write's answer (or failure) is in
        self._answered.set()
        # The start-up check of the key's write rights, while it runs or once it answered.
        self._rights_check: asyncio.Future[None] | None = None

    def check_write_rights(self, tenant: str) -> None:
        """Ask the PBX, once at the start of a session, whether the key may write (nothing can change).

        A read-only key without ``--readonly`` then turns the session read-only
        before any write is attempted. Flows belong to a tenant, so with an
        admin key the probe is addressed to ``tenant``; with no tenant at all a
        refusal would be ambiguous and the probe is not sent.
        """
        if self.readonly or not (tenant or self.settings.tenant):
            return
        self._rights_check = asyncio.get_running_loop().create_future()
        self.app.run_worker(self._probe_rights(tenant, self._rights_check), name="write-rights", group="write-rights")

    async def _probe_rights(self, tenant: str, answered: asyncio.Future[None]) -> None:
        try:
            may_write, _ = await self.runner.call_api(lambda client: write_rights(scoped(client, tenant)))
            if may_write is False and not self.readonly:
                self.runner.key_refused_writes = True
                self._on_readonly_changed()
                self.app.notify(
                    "The server says this key may not write: the session is read-only and the write keys are hidden.",
                    title="Read-only key", severity="warning", timeout=10,
                )
        except TringError:
            pass  # e.g. the client could not be built: the rights stay unknown, as without a probe
        finally:
            if not answered.done():
                answered.set_result(None)

    async def call(self, request: Request, tenant: str = "", *, what: str = "asking the PBX") -> Any:
        """Run a read for an action being prepared, addressed to ``tenant`` when the key has none.

        When the PBX is slow to answer, a ``WaitingScreen`` says ``what`` is awaited and
        lets the operator stop waiting (the action is then abandoned; nothing was sent).
        """
        reading = asyncio.ensure_future(self.runner.call_api(lambda client: request(scoped(client, tenant))))
        return await self._wait_for(reading, what)

    async def _wait_for(self, reading: asyncio.Future[Any], what: str) -> Any:
        """``reading``'s result; when it is slow, a ``WaitingScreen`` lets the operator stop waiting."""
        done, _ = await asyncio.wait({reading}, timeout=WAITING_SCREEN_AFTER)
        if done:
            return reading.result()
        waiting = WaitingScreen(self._title, what)
        await self.app.push_screen(waiting)
        stopping = asyncio.ensure_future(waiting.stopped.wait())
        try:
            await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # Also when this worker is cancelled (the app quits): nothing is left pending.
            stopping.cancel()
            if not reading.done():
                reading.cancel()
        if self.app.screen is waiting:
            await waiting.dismiss()
        if reading.cancelled():
            raise ActionAborted("Stopped waiting for the PBX.")
        return reading.result()

    @property
    def settings(self) -> Settings:
        return self.runner.settings

    @property
    def readonly(self) -> bool:
        return self.runner.readonly

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def in_flight(self) -> str:
        """The title of the write sent and not yet answered ("" when none)."""
        return self._in_flight

    @property
    def answered(self) -> asyncio.Event:
        """Set once the write in flight has its answer (or failed); set at once when none is."""
        return self._answered

    def availability(self) -> bool | None:
        """For a pane's ``check_action`` on a write: hidden when read-only, greyed out while busy."""
        if self.readonly:
            return False
        return None if self._busy else True

    async def ask(self, screen: Screen[Any]) -> Any:
        """Push a prompt and wait for its answer (``None`` when cancelled)."""
        return await self.app.push_screen_wait(screen)

    def start(self, name: str, target: Mapping[str, str], prepare: Prepare) -> bool:
        """Begin an action on an identified target; returns ``False`` when it was ignored.

        Ignored while another action is under way. In a read-only session the
        attempt is journalled as blocked and nothing is prepared or sent.
        """
        if self._busy:
            return False
        self._title = title_of(name)
        self._name, self._target = name, target
        if self.readonly:
            report = self.runner.record_blocked(name, dict(target))
            self._tell(title_of(name), report)
            return False
        self._set_busy(True)
        self.app.run_worker(self._run(prepare), name=f"action-{name}", group="operator-action", exclusive=False)
        return True

    async def _run(self, prepare: Prepare) -> None:
        try:
            if await self._key_found_readonly():
                return
            prepared = await prepare(self)
            if prepared is None:
                return
            action = self._present(prepared)
            while True:
                confirmed = await self.ask(ConfirmScreen(action))
                if not confirmed:
                    return
                report = await self._send(action)
                if report.outcome is not AuditOutcome.TARGET_CHANGED or action.refresh is None:
                    break
                # What was confirmed is no longer true: nothing was sent; show the new facts and ask again.
                try:
                    fresh = await action.refresh(self)
                except ActionAborted:
                    break  # the target is gone: the report says so
                action = replace(self._present(fresh), changed=f"Changed since you confirmed: {report.message}")
            self._tell(action.title, report)
            if report.outcome in _REFRESH_AFTER:
                self._refresh_pane(action.pane)
        except ActionAborted as aborted:
            self.app.notify(str(aborted), title="Nothing was sent", severity="warning")
        except TringError as error:
            self.app.notify(f"{error}. Nothing was sent.", title="Could not prepare the action", severity="error")
        finally:
            self._set_busy(False)

    async def _send(self, action: WriteAction) -> ActionReport:
        """Hand a confirmed action to the runner; SENDING shows meanwhile, and quitting asks first."""
        was_readonly = self.readonly
        self._on_sending(action.title)
        self._in_flight, self._answered = action.title, asyncio.Event()
        try:
            report = await self.runner.execute(action)
        finally:
            self._in_flight = ""
            self._answered.set()
            self._on_sending(None)
        if self.readonly != was_readonly:
            self._on_readonly_changed()
        return report

    async def _key_found_readonly(self) -> bool:
        """Wait for the start-up rights check; ``True`` (after journalling the block) when it found a read-only key."""
        check = self._rights_check
        if check is None:
            return False
        await self._wait_for(asyncio.shield(check), "checking whether this key may write")
        if not self.readonly:
            return False
        self._tell(self._title, self.runner.record_blocked(self._name, dict(self._target)))
        return True

    def _tell(self, title: str, report: ActionReport) -> None:
        """Tell the operator what became of a write (every report passes here, once it is journalled)."""
        self._on_journalled()
        self.app.notify(
            report.message,
            title=f"{title}: {_TITLE_SUFFIX[report.outcome]}",
            severity=_SEVERITY[report.outcome],  # type: ignore[arg-type]
            markup=False,
            timeout=10 if report.outcome is AuditOutcome.SUCCESS else 20,
        )
        if report.journal_error:
            self.app.notify(
                f"The audit journal could not be written: {report.journal_error}",
                title="Audit journal",
                severity="error",
                markup=False,
            )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        # The app may be closing (quit while a dialog was open): nothing left to redraw then.
        if self.app.screen_stack:
            self.app.refresh_bindings()
