"""``ActionRunner``: the one path every write takes from "confirmed" to "journalled".

It re-checks that the target is still the one the operator confirmed, sends
the write exactly once (never retried: a timeout is an unknown outcome),
classifies what came back, and appends one audit line whatever happened.
It knows nothing of Textual, so it is tested directly against the simulator.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tringtui.api.errors import (
    ActionRefused,
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
        report = await self._attempt(action)
        return self._journalled(action, report)

    def record_blocked(self, action_name: str, target: dict[str, str]) -> ActionReport:
        """Journal a write that read-only mode stopped before it could be prepared."""
        report = ActionReport(AuditOutcome.READ_ONLY, "Read-only session: nothing was sent.")
        entry = self._entry(action_name, target, {}, report)
        return self._append(entry, report)

    async def _attempt(self, action: WriteAction) -> ActionReport:
        if self.readonly:
            return ActionReport(AuditOutcome.READ_ONLY, "Read-only session: nothing was sent.")
        if action.recheck is not None:
            try:
                recheck = action.recheck
                changed = await self.call_api(lambda client: recheck(scoped(client, action.tenant)))
            except TringError as error:
                return ActionReport(
                    AuditOutcome.FAILED, f"Could not re-check the target, so nothing was sent: {error}"
                )
            if changed:
                return ActionReport(AuditOutcome.TARGET_CHANGED, f"{changed} Nothing was sent.")
        started = self._monotonic()
        try:
            result = await self.call_api(lambda client: action.send(scoped(client, action.tenant)))
        except ReadOnlyError:
            return ActionReport(AuditOutcome.READ_ONLY, "Read-only session: nothing was sent.")
        except ActionRefused as error:
            return ActionReport(AuditOutcome.REFUSED, str(error), self._since(started))
        except OutcomeUnknown as error:
            return ActionReport(
                AuditOutcome.UNKNOWN,
                f"Outcome unknown ({error}). It was not retried; check the pane before trying again.",
                self._since(started),
            )
        except KeyRejected as error:
            self.key_refused_writes = True
            return ActionReport(
                AuditOutcome.REFUSED,
                f"The server refused this key for writes ({error}); the session is now read-only.",
                self._since(started),
            )
        except TringError as error:
            return ActionReport(AuditOutcome.FAILED, str(error), self._since(started))
        return ActionReport(_OUTCOMES[result.outcome], result.message or result.outcome.value, self._since(started))

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
