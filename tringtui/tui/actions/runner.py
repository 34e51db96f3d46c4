"""``ActionRunner``: the one path every write takes from "confirmed" to "journalled".

It re-checks that the target is still the one the operator confirmed, sends
the write exactly once (never retried: a timeout is an unknown outcome) and
classifies what came back. A write that is sent is journalled by the API
layer itself (an attempt line before it leaves, then its outcome), under the
action's name and target, which the runner hands to the client
(``TringClient.for_action``). The runner journals only what never reached
the client: writes blocked by read-only mode, targets that changed or could
not be re-checked. It knows nothing of Textual, so it is tested directly
against the simulator.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tringtui.api.errors import (
    ActionRefused,
    InvalidParameter,
    JournalUnavailable,
    KeyRejected,
    OutcomeUnknown,
    ReadOnlyError,
    TringError,
)
from tringtui.api.models import Outcome
from tringtui.audit import AuditEntry, AuditJournal, AuditOutcome, local_user, now_iso, scrub_parameters
from tringtui.tui.actions.api_access import CallApi, scoped
from tringtui.tui.actions.write_action import WriteAction

if TYPE_CHECKING:
    from tringtui.settings import Settings

_OUTCOMES = {
    Outcome.SUCCESS: AuditOutcome.SUCCESS,
    Outcome.REFUSED: AuditOutcome.REFUSED,
    Outcome.UNKNOWN: AuditOutcome.UNKNOWN,
}


@dataclass(frozen=True, slots=True)
class ActionReport:
    """What became of one write, as the operator is told and the journal records it."""

    outcome: AuditOutcome
    message: str
    latency_ms: int | None = None
    journal_error: str = ""  # set when the audit line could not be written


class ActionRunner:
    """Re-checks, sends once, journals. ``key_refused_writes`` turns true when the server refuses the key.

    ``call_api`` runs a request with the session's client (see ``api_access``).
    """

    def __init__(
        self,
        call_api: CallApi,
        settings: Settings,
        journal: AuditJournal,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.call_api = call_api
        self.settings = settings
        self.journal = journal
        self._monotonic = monotonic
        # A read-only key is refused with the same text as a bad key; once a write
        # has been refused that way, the session treats itself as read-only.
        self.key_refused_writes = False

    @property
    def readonly(self) -> bool:
        return self.settings.readonly or self.key_refused_writes

    async def execute(self, action: WriteAction) -> ActionReport:
        """Run one confirmed action to its end; never raises for API errors."""
        report, sent = await self._attempt(action)
        # A write that reached the client was journalled there (attempt, then outcome).
        return report if sent else self._journalled(action, report)

    def record_blocked(self, action_name: str, target: dict[str, str]) -> ActionReport:
        """Journal a write that read-only mode stopped before it could be prepared."""
        report = ActionReport(AuditOutcome.READ_ONLY, "Read-only session: nothing was sent.")
        entry = self._entry(action_name, target, {}, report)
        return self._append(entry, report)

    async def _attempt(self, action: WriteAction) -> tuple[ActionReport, bool]:
        """What became of the action, and whether it reached the client (which journalled it)."""
        if self.readonly:
            return ActionReport(AuditOutcome.READ_ONLY, "Read-only session: nothing was sent."), False
        if action.recheck is not None:
            try:
                recheck = action.recheck
                changed = await self.call_api(lambda client: recheck(scoped(client, action.tenant)))
            except TringError as error:
                return ActionReport(
                    AuditOutcome.FAILED, f"Could not re-check the target, so nothing was sent: {error}"
                ), False
            if changed:
                return ActionReport(AuditOutcome.TARGET_CHANGED, f"{changed} Nothing was sent."), False
        started = self._monotonic()
        try:
            result = await self.call_api(
                lambda client: action.send(scoped(client, action.tenant).for_action(action.name, action.target))
            )
        except ReadOnlyError:
            return ActionReport(AuditOutcome.READ_ONLY, "Read-only session: nothing was sent."), False
        except InvalidParameter as error:  # refused by the request table before anything was sent
            return ActionReport(AuditOutcome.FAILED, f"{error} Nothing was sent."), False
        except JournalUnavailable as error:
            return ActionReport(AuditOutcome.FAILED, str(error)), False
        except ActionRefused as error:
            return ActionReport(AuditOutcome.REFUSED, str(error), self._since(started)), True
        except OutcomeUnknown as error:
            return ActionReport(
                AuditOutcome.UNKNOWN,
                f"Outcome unknown ({error}). It was not retried; check the pane before trying again.",
                self._since(started),
            ), True
        except KeyRejected as error:
            self.key_refused_writes = True
            return ActionReport(
                AuditOutcome.REFUSED,
                f"The server refused this key for writes ({error}); the session is now read-only.",
                self._since(started),
            ), True
        except TringError as error:
            return ActionReport(AuditOutcome.FAILED, str(error), self._since(started)), True
        report = ActionReport(_OUTCOMES[result.outcome], result.message or result.outcome.value, self._since(started))
        return report, True

    def _since(self, started: float) -> int:
        return round((self._monotonic() - started) * 1000)

    def _journalled(self, action: WriteAction, report: ActionReport) -> ActionReport:
        entry = self._entry(action.name, dict(action.target), dict(action.params), report, action.tenant)
        return self._append(entry, report)

    def _entry(
        self, name: str, target: dict[str, str], params: dict[str, str], report: ActionReport, tenant: str = ""
    ) -> AuditEntry:
        return AuditEntry(
            time=now_iso(),
            user=local_user(),
            profile=self.settings.profile,
            server=self.settings.server_host,
            # The tenant acted on: the session's, or the one an admin-key action addressed.
            tenant=tenant or self.settings.tenant or target.get("tenant", ""),
            action=name,
            target=scrub_parameters(target),
            params=scrub_parameters(params),
            outcome=report.outcome.value,
            message=report.message,
            latency_ms=report.latency_ms,
        )

    def _append(self, entry: AuditEntry, report: ActionReport) -> ActionReport:
        try:
            self.journal.append(entry)
        except OSError as error:
            return ActionReport(report.outcome, report.message, report.latency_ms, journal_error=str(error))
        return report
