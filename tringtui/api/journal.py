"""The journal of writes, kept by the API layer itself: every write any caller sends is recorded.

``TringClient`` calls ``WriteJournal.attempt`` before a write leaves (the line
is flushed and fsynced, so it survives the process being killed while the
PBX is still answering) and ``WriteJournal.outcome`` once it is known. The
monitor, ``tringtui api``, ``config check``'s probe and any later caller
share this path, so none of them can skip it. A caller that knows more (the
monitor's action name and the target it confirmed) says so with
``TringClient.for_action``. Lines never hold the key.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from tringtui.audit import AuditEntry, AuditJournal, AuditOutcome, local_user, now_iso, scrub_parameters


@dataclass(frozen=True, slots=True)
class WriteContext:
    """What a caller knows about a write beyond its parameters: the action's name and its target."""

    action: str = ""
    target: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Attempt:
    """A journalled attempt, to which the outcome line is linked."""

    entry: AuditEntry


class WriteJournal:
    """Appends attempt and outcome lines for one session (its profile) to an ``AuditJournal``."""

    def __init__(self, journal: AuditJournal, profile: str = "") -> None:
        self.journal = journal
        self.profile = profile

    def attempt(
        self, server: str, tenant: str, action: str, params: Mapping[str, str], context: WriteContext
    ) -> Attempt:
        """Write the attempt line and fsync it; ``OSError`` if it cannot be written (then send nothing)."""
        entry = AuditEntry(
            time=now_iso(),
            user=local_user(),
            profile=self.profile,
            server=server,
            tenant=tenant or context.target.get("tenant", ""),
            action=context.action or action,
            target=scrub_parameters(context.target),
            params=scrub_parameters(params),
            outcome=AuditOutcome.ATTEMPT.value,
            attempt_id=uuid.uuid4().hex[:16],
        )
        self.journal.append(entry)
        return Attempt(entry)

    def outcome(self, attempt: Attempt, outcome: AuditOutcome, message: str, latency_ms: int | None) -> str:
        """Write the outcome line; returns the reason it could not be written ("" when it was)."""
        entry = AuditEntry(
            time=now_iso(),
            user=attempt.entry.user,
            profile=attempt.entry.profile,
            server=attempt.entry.server,
            tenant=attempt.entry.tenant,
            action=attempt.entry.action,
            target=attempt.entry.target,
            params=attempt.entry.params,
            outcome=outcome.value,
            message=message,
            latency_ms=latency_ms,
            attempt_id=attempt.entry.attempt_id,
        )
        try:
            self.journal.append(entry)
        except OSError as error:
            # The attempt line is on disk: the write reads as "outcome unknown", never as absent.
            return str(error)
        return ""
