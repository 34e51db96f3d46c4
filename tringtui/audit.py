"""The audit journal: one JSON line for every write the operator attempts.

A wrong hang-up or a reboot of the wrong tenant's phones is a real incident,
so every write attempt is recorded, whatever became of it: sent and accepted,
refused by the server, of unknown outcome, blocked by read-only mode, or not
sent because its target changed. The journal is an append-only JSONL file
(``$XDG_STATE_HOME/tringtui/audit.jsonl`` by default) readable only by its
owner. It never holds the API key: parameters are the request's own
parameters, and any that look like a credential are dropped on the way in.

This module is free of Textual so that ``tringtui audit`` and scripts can read
the journal without the UI.
"""

from __future__ import annotations

import getpass
import json
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, UTC
from enum import Enum
from pathlib import Path

JOURNAL_FILE_NAME = "audit.jsonl"
FILE_MODE = 0o600
DIR_MODE = 0o700

# Parameter names that could carry a secret. The API key never belongs in a
# journal; dropping these here protects against a caller passing it by mistake.
_SECRET_PARAMETERS = frozenset({"key", "apikey", "api_key", "password", "secret", "token"})


class AuditOutcome(str, Enum):
    """What became of one write attempt."""

    SUCCESS = "success"  # sent, and the server accepted it
    REFUSED = "refused"  # sent, and the server said no (its message says why), or refused the key
    UNKNOWN = "unknown"  # sent, but no answer came back (timeout, empty body): never retried
    FAILED = "failed"  # not sent or not completed: connection refused, target could not be re-checked, …
    READ_ONLY = "read-only"  # blocked before sending: the session is read-only
    TARGET_CHANGED = "target-changed"  # not sent: the call ended or the target changed
    ATTEMPT = "attempt"  # about to be sent: written (and flushed to disk) before the request leaves

# The harmless write a monitor sends at start to learn whether its key may write: it changes nothing
# and the server refuses it by design. ``tringtui audit`` lists it; the time line of what changed does not.
RIGHTS_PROBE = "rights-probe"

# What ``tringtui audit`` shows for an attempt whose outcome line never came (the process died, the
# machine lost power): the request may have reached the PBX.
NO_OUTCOME_MESSAGE = "no outcome recorded: the write may or may not have reached the PBX"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the journal: who tried what on which target, and what came of it."""

    time: str
    user: str
    profile: str
    server: str
    tenant: str
    action: str
    target: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    outcome: str = AuditOutcome.SUCCESS.value
    message: str = ""
    latency_ms: int | None = None
    # Links a write's "attempt" line with its outcome line (both written by the API layer).
    attempt_id: str = ""

    def to_json(self) -> str:
        """The entry as one line of JSON, with no newline inside it."""
        record = asdict(self)
        record["target"] = dict(self.target)
        record["params"] = dict(self.params)
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> AuditEntry:
        """Parse one journal line; unknown fields (from newer versions) are ignored."""
        record = json.loads(line)
        if not isinstance(record, dict):
            raise ValueError("a journal line must be a JSON object")
        known = {name: record[name] for name in cls.__dataclass_fields__ if name in record}
        return cls(**known)


def default_journal_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_STATE_HOME/tringtui/audit.jsonl``, or ``~/.local/state/tringtui/audit.jsonl``.

    The XDG spec says a relative ``XDG_STATE_HOME`` is invalid and must be ignored.
    """
    env = os.environ if environ is None else environ
    state_home = env.get("XDG_STATE_HOME", "")
    base = Path(state_home) if state_home and os.path.isabs(state_home) else Path.home() / ".local" / "state"
    return base / "tringtui" / JOURNAL_FILE_NAME


def local_user() -> str:
    """The operator's login name, or a placeholder when the system cannot say."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def now_iso() -> str:
    """The current time as an ISO 8601 string with its UTC offset, to the millisecond."""
    return datetime.now(UTC).astimezone().isoformat(timespec="milliseconds")


def scrub_parameters(params: Mapping[str, object]) -> dict[str, str]:
    """Parameters as strings, without any that could carry a credential."""
    return {
        str(name): "" if value is None else str(value)
        for name, value in params.items()
        if str(name).lower() not in _SECRET_PARAMETERS
    }


class AuditJournal:
    """Appends entries to, and reads recent entries from, one JSONL journal file.

    Each entry is written with a single ``write`` on a descriptor opened with
    ``O_APPEND``, so concurrent sessions never interleave halves of lines.
    The file is created with mode 0600 and its directory with 0700.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path).expanduser() if path else default_journal_path()

    def append(self, entry: AuditEntry) -> None:
        """Append one entry; raises ``OSError`` if the journal cannot be written."""
        data = (entry.to_json() + "\n").encode("utf-8")
        self.path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        try:
            # A journal created by hand or by an older version may be wider than 0600.
            if os.fstat(fd).st_mode & 0o777 != FILE_MODE:
                os.fchmod(fd, FILE_MODE)
            os.write(fd, data)
            # On disk before the caller goes on: an attempt line must survive a crash mid-request.
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> JournalContents:
        """Every readable entry, oldest first, and how many lines did not parse (skipped).

        ``FileNotFoundError`` if there is no journal yet.
        """
        entries: list[AuditEntry] = []
        skipped = 0
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    entries.append(AuditEntry.from_json(line))
                except (ValueError, TypeError):
                    skipped += 1
        return JournalContents(entries, skipped)

    def entries(self) -> Iterator[AuditEntry]:
        """Every readable entry, oldest first (none if there is no journal); damaged lines are skipped."""
        try:
            yield from self.read().entries
        except FileNotFoundError:
            return

    def recent(self, count: int) -> list[AuditEntry]:
        """The last ``count`` entries, oldest first."""
        if count <= 0:
            return []
        return list(deque(self.entries(), maxlen=count))


@dataclass(frozen=True, slots=True)
class JournalContents:
    """What a journal holds: its readable entries, and the number of damaged lines skipped."""

    entries: list[AuditEntry]
    skipped: int = 0


def writes(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """One entry per write: an attempt line is replaced by its outcome line; an attempt whose outcome
    never came is shown with outcome "unknown" and says so. Order: the attempt's place."""
    entries = list(entries)
    outcomes = {e.attempt_id: e for e in entries if e.attempt_id and e.outcome != AuditOutcome.ATTEMPT.value}
    attempted = {e.attempt_id for e in entries if e.attempt_id and e.outcome == AuditOutcome.ATTEMPT.value}
    merged: list[AuditEntry] = []
    for entry in entries:
        if not entry.attempt_id:
            merged.append(entry)
        elif entry.outcome == AuditOutcome.ATTEMPT.value:
            done = outcomes.get(entry.attempt_id)
            merged.append(done if done is not None else replace(
                entry, outcome=AuditOutcome.UNKNOWN.value, message=NO_OUTCOME_MESSAGE))
        elif entry.attempt_id not in attempted:
            merged.append(entry)  # its attempt line was lost (damaged): still show the outcome
    return merged
