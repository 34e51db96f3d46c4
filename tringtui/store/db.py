"""The store: one SQLite file (stdlib ``sqlite3``, WAL) holding what a session polled, and its events.

Changes, not copies. Each poll of a source is one row of ``polls``:

- ``SAME``: the data did not change; the row is a time stamp and a latency,
  a few dozen bytes;
- ``DELTA``: the rows that changed or went, compressed (zlib'd JSON);
- ``KEYFRAME``: the source's whole state, compressed, written on the first
  poll of a session and every few minutes after, so that any moment is
  rebuilt from the keyframe before it plus the deltas since;
- ``FAILED``: the poll failed; the data is what it was, the error is kept.

Tables are kept by column (schema 2, ``_columns``): replay reads a few long
lists instead of a small list per row. Stores of schema 1 (a list per row)
are still read, and recorded on as schema 2.

Each poll is one transaction, and SQLite's WAL keeps committed transactions
through a crash of the process: after ``kill -9`` the file opens, and at most
the poll being written is lost. Retention (age and size) deletes the oldest
polls and turns the oldest poll kept into a keyframe, so what is kept can
still be rebuilt. The file is readable by its owner only; no key is in it
(the recorder stores models, which never carry one).
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from operator import itemgetter
from pathlib import Path
from typing import Any

from tringtui.store.codec import CODECS, Row, Table, codec
from tringtui.store.events import Event
from tringtui.store.gc_pause import collector_paused

# 2: tables are stored by column (``_columns``). Schema 1's payloads are still read, so a store of
# schema 1 is recorded on as schema 2 (a tringtui that only knows schema 1 then says it is newer).
SCHEMA_VERSION = 2
SESSIONS_KEPT = 20
FILE_MODE = 0o600
DIR_MODE = 0o700

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS polls (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    source TEXT NOT NULL,
    kind INTEGER NOT NULL,
    latency REAL,
    error TEXT,
    payload BLOB
);
CREATE INDEX IF NOT EXISTS polls_by_source ON polls (source, id);
CREATE INDEX IF NOT EXISTS polls_by_time ON polls (at);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    node TEXT NOT NULL,
    tenant TEXT NOT NULL,
    object TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (at);
"""


class PollKind(IntEnum):
    SAME = 0
    DELTA = 1
    KEYFRAME = 2
    FAILED = 3


class StoreError(Exception):
    """The store cannot be opened or read (not a tringtui store, a newer schema, a damaged file)."""


@dataclass(frozen=True)
class SourceState:
    """One source as it stood at some moment: its tables and how its last poll went."""

    source: str
    polled_at: float
    """When it was last polled, successfully or not."""
    fetched_at: float | None
    """When its data (``tables``) was fetched; ``None`` if no poll had succeeded yet."""
    latency: float | None = None
    error: str | None = None
    tables: Mapping[str, Table] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PollMark:
    """A poll on the time line (for stepping and the time bar): when, which source, what kind."""

    id: int
    at: float
    source: str
    kind: PollKind


def pack(document: Any) -> bytes:
    return zlib.compress(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 6)


def unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def delta_document(changed: Mapping[str, Table], deleted: Mapping[str, Sequence[str]],
                   previous: Mapping[str, Table]) -> dict[str, Any]:
    """New rows whole (``set``), changed rows as their changed columns (``patch``), and the keys that
    went (``del``). A phone's latency changing is then a few bytes, not its whole row.

    Rows are kept by column (``_columns``); a patch groups the rows whose same columns changed
    (``[changed column indexes, keys, the values of each column]``): 15,000 phones whose latency moved
    are then two flat lists, which JSON reads in C, not 15,000 small lists."""
    full: dict[str, Any] = {}
    patches: dict[str, list[list[Any]]] = {}
    for name, rows in changed.items():
        old_rows = previous.get(name, {})
        whole: Table = {}
        groups: dict[tuple[int, ...], tuple[list[str], list[Row]]] = {}
        for key, row in rows.items():
            old = old_rows.get(key)
            if old is not None and len(old) == len(row):
                columns = tuple([index for index, (was, value) in enumerate(zip(old, row)) if was != value])
                if len(columns) * 2 <= len(row):
                    keys, values = groups.setdefault(columns, ([], []))
                    keys.append(key)
                    values.append(row)
                    continue
            whole[key] = row
        if whole:
            full[name] = _columns(name, whole)
        if groups:
            patches[name] = [[list(columns), keys, [[row[index] for row in values] for index in columns]]
                             for columns, (keys, values) in groups.items()]
    return {"set": full, "patch": patches, "del": {name: list(keys) for name, keys in deleted.items() if keys}}


def keyframe_document(fetched_at: float | None, tables: Mapping[str, Table]) -> dict[str, Any]:
    return {"fetched_at": fetched_at, "tables": {name: _columns(name, rows) for name, rows in tables.items()}}


def _columns(name: str, rows: Table) -> Any:
    """A table as ``[keys, column 0, column 1, …]``: far cheaper to write and read than a list per row,
    and the values of one column side by side compress better. The keys are ``null`` when they are
    made of the row's own columns (a channel's uniqueid, a peer's node and name: ``key_columns``). A
    column of few distinct texts (a node, a state, an application) is kept as ``{"values": the texts,
    "codes": their places}``, so replay reads small numbers instead of 20,000 strings. Rows of
    different lengths (recorded before a field was added) keep the layout of schema 1, ``{key: row}``."""
    keys = list(rows)
    if len({len(row) for row in rows.values()}) > 1:
        return {key: list(row) for key, row in rows.items()}
    columns = [list(column) for column in zip(*rows.values())]
    derived = CODECS[name].keys_of_columns(columns) if name in CODECS and columns else None
    return [None if derived == keys else keys, *map(_coded, columns)]


# A column is coded when it has at most this share of distinct values (and enough rows to matter).
CODED_SHARE = 0.25
CODED_MIN_ROWS = 16


def _coded(column: list[Any]) -> Any:
    if len(column) < CODED_MIN_ROWS:
        return column
    distinct = dict.fromkeys(column)
    # Texts only: True == 1 == 1.0 would share a code and come back as another type.
    if len(distinct) > CODED_SHARE * len(column) or not all(v is None or type(v) is str for v in distinct):
        return column
    places = {value: place for place, value in enumerate(distinct)}
    return {"values": list(distinct), "codes": list(map(places.__getitem__, column))}


def _rows(name: str, table: Any) -> Table:
    """A table of a payload back into rows, from either layout (``_columns``; ``{key: row}`` in stores of
    schema 1)."""
    if isinstance(table, list):
        keys, *columns = table
        columns = [column if isinstance(column, list) else list(map(column["values"].__getitem__, column["codes"]))
                   for column in columns]
        if keys is None:
            keys = codec(name).keys_of_columns(columns)
        return dict(zip(keys, zip(*columns))) if columns else dict.fromkeys(keys, ())
    return {key: tuple(row) for key, row in table.items()}


def _patcher(width: int, columns: Sequence[int]) -> Callable[[Row], Row]:
    """For a row of ``width`` values followed by the new values of ``columns``: the patched row, taken
    in C by one ``itemgetter`` (15,000 phones' latencies are patched per delta at huge)."""
    order = list(range(width))
    for place, column in enumerate(columns):
        order[column] = width + place
    if width == 1:
        return lambda row: (row[order[0]],)
    return itemgetter(*order)


class Store:
    """One store file, opened for recording or for reading (``readonly``)."""

    def __init__(self, path: Path | str, *, readonly: bool = False) -> None:
        self.path = Path(path).expanduser()
        self.readonly = readonly
        self._rebuilds: dict[str, _Rebuild] = {}
        if readonly:
            if not self.path.exists():
                raise StoreError(f"{self.path}: no such store (nothing recorded yet?)")
            uri = f"file:{self.path}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            self.path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            os.close(fd)
            if self.path.stat().st_mode & 0o777 != FILE_MODE:
                os.chmod(self.path, FILE_MODE)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            self._prepare()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreError(f"{self.path}: not a readable tringtui store ({error})") from None

    def _prepare(self) -> None:
        db = self._db
        db.execute("PRAGMA busy_timeout = 5000")
        if self.readonly:
            version = self.meta("schema")
            if version is None:
                raise StoreError(f"{self.path}: not a tringtui store")
        else:
            # auto_vacuum must be chosen before the first table exists: pruning then gives pages back.
            db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            db.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a committed poll survives a crash of the process (not always of the OS).
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA journal_size_limit = 8388608")
            db.executescript(_SCHEMA)
            version = self.meta("schema")
            if version is None or int(version) < SCHEMA_VERSION:
                self.set_meta("schema", str(SCHEMA_VERSION))
                version = str(SCHEMA_VERSION)
        if int(version) > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer tringtui (store schema {version}, this one reads up to "
                             f"{SCHEMA_VERSION}): upgrade tringtui, or record into another file with --store")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- metadata ---------------------------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        except sqlite3.OperationalError:
            return None  # no meta table: not a store
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def note_session(self, profile: str, server_host: str) -> None:
        """Remember whose recording this is: the audit journal's writes are matched by profile and host."""
        sessions = [pair for pair in self.sessions() if pair != (profile, server_host)]
        sessions.append((profile, server_host))  # the latest last; demo sessions differ by port, so keep a few
        self.set_meta("sessions", json.dumps(sessions[-SESSIONS_KEPT:]))

    def sessions(self) -> list[tuple[str, str]]:
        """The (profile, server host) pairs that recorded into this store."""
        return [(str(p), str(h)) for p, h in json.loads(self.meta("sessions") or "[]")]

    # -- writing ----------------------------------------------------------------------------------

    def append_poll(
        self,
        source: str,
        at: float,
        kind: PollKind,
        *,
        latency: float | None = None,
        error: str | None = None,
        document: Any = None,
        events: Iterable[Event] = (),
    ) -> int:
        """Write one poll and the events it gave, in one transaction; returns the bytes its data took."""
        payload = None if document is None else pack(document)
        with self._transaction():
            self._db.execute(
                "INSERT INTO polls (at, source, kind, latency, error, payload) VALUES (?, ?, ?, ?, ?, ?)",
                (at, source, int(kind), latency, error, payload),
            )
            self._insert_events(events)
        return 0 if payload is None else len(payload)

    def append_events(self, events: Iterable[Event]) -> None:
        with self._transaction():
            self._insert_events(events)

    def _insert_events(self, events: Iterable[Event]) -> None:
        self._db.executemany(
            "INSERT INTO events (at, kind, node, tenant, object, before, after, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(e.at, e.kind, e.node, e.tenant, e.object, e.before, e.after, e.detail) for e in events],
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    # -- reading ----------------------------------------------------------------------------------

    def sources(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT source FROM polls ORDER BY source")]

    def time_range(self) -> tuple[float, float] | None:
        """The first and last moment recorded, or None for an empty store."""
        first, last = self._db.execute("SELECT MIN(at), MAX(at) FROM polls").fetchone()
        return None if first is None else (float(first), float(last))

    def polls(self, since: float | None = None, until: float | None = None) -> list[PollMark]:
        """Every poll in the window, in the order they were recorded."""
        sql = "SELECT id, at, source, kind FROM polls WHERE at >= ? AND at <= ? ORDER BY id"
        rows = self._db.execute(sql, (_low(since), _high(until)))
        return [PollMark(int(i), float(a), str(s), PollKind(k)) for i, a, s, k in rows]

    def poll_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM polls").fetchone()[0])

    def state_at(self, at: float, sources: Iterable[str] | None = None) -> dict[str, SourceState]:
        """Every source as it stood at ``at`` (its last poll at or before it); sources not yet polled are absent."""
        states: dict[str, SourceState] = {}
        with collector_paused():
            for source in self.sources() if sources is None else sources:
                state = self.source_state_at(source, at)
                if state is not None:
                    states[source] = state
        return states

    def source_state_at(self, source: str, at: float) -> SourceState | None:
        """The source as it stood at ``at``: the keyframe before it plus the polls since.

        A replay mostly moves forward a little (a step, playing): a store opened
        read-only keeps each source's last rebuild and applies only the polls
        after it when the keyframe it started from is still the latest one.
        """
        db = self._db
        start = db.execute(
            "SELECT id FROM polls WHERE source = ? AND kind = ? AND at <= ? ORDER BY id DESC LIMIT 1",
            (source, int(PollKind.KEYFRAME), at),
        ).fetchone()
        if start is None:
            return None
        cached = self._rebuilds.get(source) if self.readonly else None
        if cached is None or cached.keyframe_id != start[0] or cached.polled_at is None or cached.polled_at > at:
            cached = _Rebuild(source)
            first_id = start[0]
        else:
            first_id = cached.last_id + 1
        rows = db.execute(
            "SELECT id, at, kind, latency, error, payload FROM polls WHERE source = ? AND id >= ? AND at <= ? ORDER BY id",
            (source, first_id, at),
        )
        with collector_paused():
            for row_id, *row in rows:
                cached.apply(*row)
                cached.last_id = row_id
        cached.keyframe_id = start[0]
        if self.readonly:
            self._rebuilds[source] = cached
        return cached.state()

    def states_between(self, source: str, since: float, until: float) -> Iterator[SourceState]:
        """The source after each of its polls from ``since`` to ``until``, rebuilt incrementally (for history
        charts)."""
        start = self._db.execute(
            "SELECT id FROM polls WHERE source = ? AND kind = ? AND at <= ? ORDER BY id DESC LIMIT 1",
            (source, int(PollKind.KEYFRAME), since),
        ).fetchone() or self._db.execute(
            "SELECT id FROM polls WHERE source = ? AND kind = ? ORDER BY id LIMIT 1", (source, int(PollKind.KEYFRAME)),
        ).fetchone()
        if start is None:
            return
        rebuild = _Rebuild(source)
        rows = self._db.execute(
            "SELECT at, kind, latency, error, payload FROM polls WHERE source = ? AND id >= ? AND at <= ? ORDER BY id",
            (source, start[0], until),
        )
        for row in rows.fetchall():
            rebuild.apply(*row)
            state = rebuild.state()
            if state is not None and state.polled_at >= since:
                yield state

    def events(
        self,
        since: float | None = None,
        until: float | None = None,
        *,
        kinds: Sequence[str] = (),
        node: str = "",
        tenant: str = "",
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Event]:
        """Events in the window; ``kinds`` match a kind or its family (``peer`` matches ``peer.unregistered``)."""
        sql = "SELECT at, kind, node, tenant, object, before, after, detail FROM events WHERE at >= ? AND at <= ?"
        params: list[Any] = [_low(since), _high(until)]
        if kinds:
            sql += " AND (" + " OR ".join("kind = ? OR kind LIKE ?" for _ in kinds) + ")"
            for kind in kinds:
                params += [kind, kind.rstrip(".") + ".%"]
        if node:
            sql += " AND node = ?"
            params.append(node)
        if tenant:
            sql += " AND tenant = ?"
            params.append(tenant)
        sql += " ORDER BY at DESC, id DESC" if newest_first else " ORDER BY at, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Event(*row) for row in self._db.execute(sql, params)]

    # -- retention --------------------------------------------------------------------------------

    def used_bytes(self) -> int:
        """Bytes the data occupies (pages in use, the write-ahead log not counted)."""
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
        size = self._db.execute("PRAGMA page_size").fetchone()[0]
        return int((pages - free) * size)

    def prune(self, now: float, max_age: float | None, max_bytes: int | None) -> int:
        """Delete what is older than ``max_age`` seconds, then the oldest until under ``max_bytes``.

        Returns how many polls went. The oldest poll kept of each source becomes
        a keyframe, so every moment still in the store can be rebuilt.
        """
        removed = 0
        if max_age is not None:
            removed += self._drop_before(now - max_age)
        if max_bytes is not None:
            for _ in range(8):
                used = self.used_bytes()
                span = self.time_range()
                if used <= max_bytes or span is None:
                    break
                first, last = span
                # Drop the oldest share of the recorded time in proportion to the excess, plus a margin.
                share = min(1.0, (used - 0.8 * max_bytes) / used)
                cutoff = first + (last - first) * share
                removed += self._drop_before(cutoff if cutoff > first else last)
                self._db.execute("PRAGMA incremental_vacuum")
        self._db.execute("PRAGMA incremental_vacuum")
        return removed

    def _drop_before(self, cutoff: float) -> int:
        removed = 0
        with self._transaction():
            for source in self.sources():
                first_kept = self._db.execute(
                    "SELECT id, at, kind FROM polls WHERE source = ? AND at >= ? ORDER BY id LIMIT 1", (source, cutoff)
                ).fetchone()
                if first_kept is None:
                    removed += self._db.execute("DELETE FROM polls WHERE source = ?", (source,)).rowcount
                    continue
                kept_id, kept_at, kept_kind = first_kept
                if kept_kind != PollKind.KEYFRAME:
                    state = self.source_state_at(source, kept_at)
                    if state is not None:
                        document = keyframe_document(state.fetched_at, state.tables)
                        self._db.execute(
                            "UPDATE polls SET kind = ?, payload = ? WHERE id = ?",
                            (int(PollKind.KEYFRAME), pack(document), kept_id),
                        )
                removed += self._db.execute(
                    "DELETE FROM polls WHERE source = ? AND id < ?", (source, kept_id)
                ).rowcount
            self._db.execute("DELETE FROM events WHERE at < ?", (cutoff,))
        return removed

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file and truncate it (after pruning, at a clean exit)."""
        if not self.readonly:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_ok(self) -> bool:
        return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


class _Rebuild:
    """A source rebuilt poll by poll: a keyframe row first, then the rows after it, in order."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tables: dict[str, Table] = {}
        self.fetched_at: float | None = None
        self.polled_at: float | None = None
        self.latency: float | None = None
        self.error: str | None = None
        self.keyframe_id = 0
        self.last_id = 0

    def apply(self, at: float, kind: int, latency: float | None, error: str | None, payload: bytes | None) -> None:
        self.polled_at, self.latency, self.error = at, latency, error
        if kind == PollKind.KEYFRAME:
            document = unpack(payload) if payload is not None else {"tables": {}}
            self.tables = {name: _rows(name, table) for name, table in document["tables"].items()}
            self.fetched_at = at if error is None else document.get("fetched_at")
        elif kind == PollKind.DELTA:
            self._apply_delta(unpack(payload) if payload is not None else {})
            self.fetched_at = at
        elif kind == PollKind.SAME:
            self.fetched_at = at

    def _apply_delta(self, document: Mapping[str, Any]) -> None:
        tables = self.tables
        for name, keys in document.get("del", {}).items():
            table = tables.setdefault(name, {})
            for key in keys:
                table.pop(key, None)
        for name, changed in document.get("set", {}).items():
            tables.setdefault(name, {}).update(_rows(name, changed))
        for name, patched in document.get("patch", {}).items():
            table = tables.setdefault(name, {})
            if isinstance(patched, dict):  # schema 1: {key: [[column, value], …]}
                patched = [[[index for index, _ in patch], [key], [[value] for _, value in patch]]
                           for key, patch in patched.items()]
            for columns, keys, values in patched:
                pickers: dict[int, Callable[[Row], Row]] = {}
                for key, new_values in zip(keys, zip(*values)):
                    row = table[key]
                    pick = pickers.get(len(row))
                    if pick is None:
                        pick = pickers[len(row)] = _patcher(len(row), columns)
                    table[key] = pick(row + new_values)

    def state(self) -> SourceState | None:
        """The state so far; its tables are copies, so rebuilding on does not change them."""
        if self.polled_at is None:
            return None
        tables = {name: dict(rows) for name, rows in self.tables.items()}
        return SourceState(self.source, self.polled_at, self.fetched_at, self.latency, self.error, tables)


def replay_polls(source: str, rows: Iterable[tuple[float, int, float | None, str | None, bytes | None]]) -> SourceState | None:
    """Rebuild a source from a keyframe row followed by the rows after it."""
    rebuild = _Rebuild(source)
    for row in rows:
        rebuild.apply(*row)
    return rebuild.state()


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception); the connection is in autocommit mode."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def _low(value: float | None) -> float:
    return float("-inf") if value is None else value


def _high(value: float | None) -> float:
    return float("inf") if value is None else value
