"""The time line people read: the store's events and the audit journal's writes, merged in time order."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from tringtui.audit import RIGHTS_PROBE, AuditEntry, AuditJournal, writes
from tringtui.store.db import Store
from tringtui.store.events import Event


def audit_events(entries: Iterable[AuditEntry], hosts: Collection[str] = (),
                 since: float | None = None, until: float | None = None) -> list[Event]:
    """Journal entries as ``write.<action>`` events; only those sent to one of ``hosts`` when given."""
    events = []
    for entry in entries:
        if (hosts and entry.server not in hosts) or entry.action == RIGHTS_PROBE:
            continue
        try:
            at = datetime.fromisoformat(entry.time).timestamp()
        except ValueError:
            continue
        if (since is not None and at < since) or (until is not None and at > until):
            continue
        # The object: what the operator confirmed, else what the request named (a write made without a
        # confirmation, by a script through the API layer, has no target but its parameters).
        named = {**dict(entry.params), **dict(entry.target)}
        label = next((named[name] for name in ("channel", "member", "peer", "number", "source", "extension", "queue")
                      if named.get(name)), "")
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


def kind_matches(kind: str, kinds: Collection[str]) -> bool:
    """``kind`` is one of ``kinds`` or of one of their families (``peer`` takes ``peer.unregistered``)."""
    return not kinds or any(kind == k or kind.startswith(k.rstrip(".") + ".") for k in kinds)


def event_matches(event: Event, kinds: Collection[str] = (), node: str = "", tenant: str = "") -> bool:
    """The filters of ``Store.events``, for events that are not in the store (the journal's writes)."""
    return kind_matches(event.kind, kinds) and (not node or event.node == node) and (not tenant or event.tenant == tenant)


def recorded_writes(store: Store, audit_path: str | None) -> list[Event]:
    """The journal's writes to the PBXs the store recorded (the default journal when ``audit_path`` is None)."""
    hosts = {host for _profile, host in store.sessions()}
    return journal_events(AuditJournal(audit_path), hosts, None, None) if hosts else []
