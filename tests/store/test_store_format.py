"""The store's on-disk format: tables by column (schema 2), stores of schema 1 still read and recorded on,
a newer schema refused with what to do, and the shortcuts of the recorder and of replay give what the
plain way gives."""

from __future__ import annotations

import gc
import sqlite3

import pytest

from tringtui.api.models import PeerStatus
from tringtui.live import SOURCES
from tringtui.store import Store, StoreError
from tringtui.store.codec import CODECS
from tringtui.store.db import SCHEMA_VERSION, PollKind, _Rebuild, delta_document, keyframe_document, pack, unpack
from tringtui.store.gc_pause import collector_paused
from tringtui.store.snapshots import snapshot_of

from tests.store.conftest import make_recording
from tests.store.test_store_replay import _same


def _schema_1_table(name, table):
    """A table as schema 1 wrote it: ``{key: row}``."""
    if isinstance(table, dict):
        return table
    keys, *columns = table
    columns = [c if isinstance(c, list) else [c["values"][code] for code in c["codes"]] for c in columns]
    if keys is None:
        keys = CODECS[name].keys_of_columns(columns)
    return {key: list(row) for key, row in zip(keys, zip(*columns))}


def _as_schema_1(document, kind):
    """A payload of schema 2 rewritten as schema 1 wrote it (patches as ``{key: [[column, value], …]}``)."""
    if kind == 2:
        return {"fetched_at": document["fetched_at"],
                "tables": {name: _schema_1_table(name, t) for name, t in document["tables"].items()}}
    patches = {}
    for name, groups in document["patch"].items():
        for columns, keys, values in groups:
            for key, new_values in zip(keys, zip(*values)):
                patches.setdefault(name, {})[key] = [[c, v] for c, v in zip(columns, new_values)]
    return {"set": {name: _schema_1_table(name, t) for name, t in document["set"].items()}, "patch": patches,
            "del": document["del"]}


def _downgrade_to_schema_1(path) -> None:
    db = sqlite3.connect(path)
    rows = db.execute("SELECT id, kind, payload FROM polls WHERE payload IS NOT NULL").fetchall()
    for poll_id, kind, payload in rows:
        db.execute("UPDATE polls SET payload = ? WHERE id = ?", (pack(_as_schema_1(unpack(payload), kind)), poll_id))
    db.execute("UPDATE meta SET value = '1' WHERE name = 'schema'")
    db.commit()
    db.close()


async def test_a_store_of_schema_1_still_rebuilds_every_moment_and_is_recorded_on(admin_client, sim_clock, tmp_path):
    path = tmp_path / "old.sqlite"
    recording = make_recording(admin_client, sim_clock, path, keyframe_every=30.0)
    seen = {}
    try:
        for step in range(12):
            seen[sim_clock()] = await recording.step(0 if step == 0 else 5)
    finally:
        recording.recorder.close()
    keyframes = [unpack(p)["tables"] for (p,) in sqlite3.connect(path).execute(
        "SELECT payload FROM polls WHERE kind = 2 AND source IN ('peers', 'channels')")]
    # Schema 2 keeps tables by column, without the keys that are the rows' own columns.
    assert {type(t) for tables in keyframes for t in tables.values()} == {list}
    assert all(tables[name][0] is None for tables in keyframes for name in ("peers", "channels") if name in tables)
    _downgrade_to_schema_1(path)

    def check(store, moments):
        for moment in moments:
            states = store.state_at(moment)
            assert set(states) == set(SOURCES)
            for source in SOURCES:
                _same(seen[moment][source].data, snapshot_of(states[source]).data)

    with Store(path, readonly=True) as store:
        assert store.meta("schema") == "1"
        check(store, list(seen))
    # Recording on into it: the store says schema 2 (an older tringtui then refuses it), both halves rebuild.
    recording = make_recording(admin_client, sim_clock, path, keyframe_every=30.0)
    try:
        for _ in range(4):
            seen[sim_clock()] = await recording.step(5)
    finally:
        recording.recorder.close()
    with Store(path, readonly=True) as store:
        assert store.meta("schema") == str(SCHEMA_VERSION)
        check(store, list(seen))


def test_a_store_of_a_newer_schema_is_refused_naming_the_file_and_what_to_do(tmp_path):
    path = tmp_path / "future.sqlite"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE name = 'schema'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    for readonly in (True, False):
        with pytest.raises(StoreError, match=r"future\.sqlite.*newer tringtui.*upgrade tringtui.*--store"):
            Store(path, readonly=readonly)


async def test_rows_decode_to_the_models_their_init_makes(recording):
    await recording.step()
    state = recording.store.state_at(recording.sim_clock())
    for source_state in state.values():
        for name, rows in source_state.tables.items():
            codec = CODECS[name]
            for row in list(rows.values())[:50]:
                model = codec.decode(row, source_state.fetched_at)
                values = [getattr(model, field) for field in model.__slots__]
                assert model == codec.model(*values) and hash(model) == hash(codec.model(*values))
    # A row recorded before a field was added is shorter: its model takes the field's default.
    peer_codec = CODECS["peers"]
    short = ("101-DEVEL", "node1", "10.0.0.1", "OK (3 ms)", "ok", 3)
    assert peer_codec.decode(short, 0.0) == peer_codec.model("101-DEVEL", "node1", "10.0.0.1", "OK (3 ms)",
                                                             PeerStatus.OK, 3)


async def test_peer_events_read_from_the_rows_are_those_the_models_give(admin_client, sim_clock, tmp_path):
    """The recorder tells registration and lag from the raw rows; the models say the same."""
    recording = make_recording(admin_client, sim_clock, tmp_path / "p.sqlite")
    try:
        polls = [await recording.step(0)]
        phones = [p for p in polls[0]["peers"].data.peers if p.tenant == "DEVEL" and p.registered][:2]
        for phone in phones:
            await admin_client.unregister(phone.name)
        for _ in range(40):
            polls.append(await recording.step(30))
        expected = []
        for before, after in zip(polls, polls[1:]):
            old = {(p.node, p.name): p for p in before["peers"].data.peers}
            for new in after["peers"].data.peers:
                was = old.get((new.node, new.name))
                if was is None or was == new:
                    continue
                if was.registered != new.registered:
                    expected.append((new.name, "peer.registered" if new.registered else "peer.unregistered"))
                elif (new.status is PeerStatus.LAGGED) != (was.status is PeerStatus.LAGGED):
                    expected.append((new.name, "peer.lagged" if new.status is PeerStatus.LAGGED else "peer.lag_cleared"))
        got = [(e.object, e.kind) for e in recording.store.events(kinds=["peer"])]
        assert sorted(got) == sorted(expected)
        assert {(phone.name, "peer.unregistered") for phone in phones} <= set(got)
    finally:
        recording.recorder.close()


def test_tables_by_column_come_back_as_they_went_whatever_their_values():
    texts = [f"node{i % 3}" for i in range(40)]
    mixed = [True if i % 2 else 1 for i in range(40)]  # equal as keys, not as values
    tables = {
        "t": {f"k{i}": (texts[i], mixed[i], None if i % 5 else "x", i * 0.5, "") for i in range(40)},
        "empty": {},
        "uneven": {"a": (1, 2), "b": (1, 2, 3)},  # rows from before a field was added
    }
    document = unpack(pack(keyframe_document(12.0, tables)))
    assert isinstance(document["tables"]["t"][1], dict)  # the few node names are coded
    rebuilt = _Rebuild("x")
    rebuilt.apply(12.0, PollKind.KEYFRAME, None, None, pack(keyframe_document(12.0, tables)))
    assert rebuilt.tables == tables
    assert [type(row[1]) for row in rebuilt.tables["t"].values()] == [type(v) for v in mixed]
    changed = {"t": {"k1": ("node9", True, None, 0.5, ""), "k2": ("n", 0, "y", 9.0, "z"), "new": ("a", 1, None, 0.0, "")},
               "uneven": {"c": (4,)}}
    after = {name: {**rows, **changed.get(name, {})} for name, rows in tables.items()}
    del after["t"]["k3"]
    rebuilt.apply(17.0, PollKind.DELTA, None, None, pack(delta_document(changed, {"t": ["k3"]}, tables)))
    assert rebuilt.tables == after


def test_the_collector_is_paused_inside_and_as_it_was_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # the caller's own pause is left alone
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
