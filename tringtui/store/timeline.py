"""The time line people read: the store's events and the audit journal's writes, merged in time order."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from tringtui.audit import AuditEntry, AuditJournal, writes
from tringtui.store.events import Event


def audit_events(entries: Iterable[AuditEntry], hosts: Collection[str] = (),
                 since: float | None = None, until: float | None = None) -> list[Event]:
    """Journal entries as ``write.<action>`` events; only those sent to one of ``hosts`` when given."""
    events = []
    for entry in entries:
        if hosts and entry.server not in hosts:
            continue
        try:
            at = datetime.fromisoformat(entry.time).timestamp()
        except ValueError:
            continue
        if (since is not None and at < since) or (until is not None and at > until):
            continue
        target = dict(entry.target)
        label = next((target[name] for name in ("channel", "member", "peer", "number", "source", "extension", "queue")
                      if target.get(name)), "")
        params = " ".join(f"{name}={value}" for name, value in entry.params.items() if value and value != label)
        detail = ", ".join(part for part in (f"by {entry.user}", params, entry.message) if part)
        events.append(Event(at, f"write.{entry.action.lower()}", "", entry.tenant, label, "", entry.outcome, detail))
    return events


def merge(*streams: Sequence[Event], newest_first: bool = False) -> list[Event]:
    """Events of several sources in one time order (stable: a store event before a write at the same moment)."""
    merged = sorted((event for stream in streams for event in stream), key=lambda event: event.at)
    return merged[::-1] if newest_first else merged


def journal_events(journal: AuditJournal, hosts: Collection[str], since: float | None, until: float | None) -> list[Event]:
    """The journal's writes to ``hosts`` in the window, as events (an attempt and its outcome are one write)."""
    return audit_events(writes(journal.entries()), hosts, since, until)
