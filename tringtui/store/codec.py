"""How the API layer's models become the store's rows, and back.

The store keeps *tables* (``peers``, ``channels``, ``agents``, …): each maps
an identity key (a peer's name, a channel's uniqueid, an agent's queue and
member) to a row, a tuple of plain JSON values in the order of the model's
fields. A row is hashable and compares cheaply, so the recorder can tell a
changed row from an unchanged one without knowing what it means, and replay
gets the very same frozen models back.

One field is stored differently from the model: a channel's ``duration``
ticks on every poll, which would make every call a changed row every five
seconds. The store keeps the moment the call started instead
(``fetched_at - duration``) and gives the duration back relative to the time
asked for. A start that moved by a second (rounding between two polls) is
the same call unchanged (``same_row``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from operator import attrgetter
from datetime import datetime
from enum import Enum
from typing import Any

from tringtui.api.models import Agent, Blf, Channel, Flow, NodeCount, Peer, PeerStatus, Queue, QueueStats
from tringtui.live import identity

Row = tuple[Any, ...]
Table = dict[str, Row]
"""Identity key -> row."""

# The moment a channel started may move by this much between two polls of the same call (rounding).
START_JITTER = 1


@dataclass(frozen=True)
class TableCodec:
    """One table: which model it holds, how a model is keyed, and its row layout."""

    name: str
    model: type
    keys: Callable[[Sequence[Any]], list[str]]
    """The identity key of each item, in order (``tringtui.live.identity``)."""
    columns: tuple[str, ...]
    enums: Mapping[str, type[Enum]]
    datetimes: frozenset[str]
    key_columns: tuple[str, ...] = ()
    """The columns the key is made of (joined by ``KEY_SEPARATOR``), when it is made of columns only."""

    def keys_of_columns(self, columns: Sequence[Sequence[Any]]) -> list[str] | None:
        """The keys of rows given by column, when they are made of columns (``key_columns``): a store
        then need not keep them beside the very same values."""
        if not self.key_columns:
            return None
        parts = [columns[self.columns.index(name)] for name in self.key_columns]
        if len(parts) == 1:
            return list(map(str, parts[0]))
        return [KEY_SEPARATOR.join(map(str, values)) for values in zip(*parts)]

    def encode(self, item: Any, at: float) -> Row:
        """The row of one model, as the store keeps it (``at`` is when it was fetched)."""
        values = self._fields_of(item)  # every field at once, in C: 10,000 channels every 5 s
        return self._stored(values, at) if self._converted else values

    @cached_property
    def _fields_of(self) -> Callable[[Any], tuple[Any, ...]]:
        names = [f.name for f in fields(self.model)]
        getter = attrgetter(*names)
        return getter if len(names) > 1 else lambda item: (getter(item),)

    def _stored(self, values: Sequence[Any], at: float) -> Row:
        row = list(values)
        for index, column in self._converted:
            value = row[index]
            if column == "started":
                row[index] = round(at - value)
            elif isinstance(value, Enum):
                row[index] = value._value_  # the attribute itself: ``.value`` is a slow descriptor
            elif isinstance(value, datetime):
                row[index] = value.isoformat()
        return tuple(row)

    def decode(self, row: Row, at: float) -> Any:
        """The model of one row, as it was at ``at`` (a channel's duration counts up to it)."""
        if not self._converted:
            return self._construct(row)  # plain values in field order: the fast path for most tables
        values = list(row)
        for index, column in self._converted:
            value = values[index]
            if column == "started":
                values[index] = max(0, round(at) - int(value))
            elif value is not None and column in self.enums:
                values[index] = self._enum_members[column][value]
            elif value is not None:
                values[index] = datetime.fromisoformat(value)
        return self._construct(values)

    @cached_property
    def _enum_members(self) -> dict[str, dict[Any, Enum]]:
        """Each enum column's members by value: a dict look-up, where calling the enum costs a microsecond."""
        return {column: {member.value: member for member in enum} for column, enum in self.enums.items()}

    @cached_property
    def _construct(self) -> Callable[[Sequence[Any]], Any]:
        """Makes the model from its field values in order, as ``model(*values)`` does.

        A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; for a slots
        model without ``__post_init__`` that is all it does, so the slots are set directly, twice as
        fast (a replayed moment at huge is 30,000 models). Any other model goes through ``__init__``.
        """
        model = self.model
        names = tuple(f.name for f in fields(model))
        if (hasattr(model, "__post_init__") or getattr(model, "__slots__", None) != names
                or not all(f.init for f in fields(model))):
            return lambda values: model(*values)
        setters = tuple(getattr(model, name).__set__ for name in names)
        new = object.__new__

        def construct(values: Sequence[Any]) -> Any:
            if len(values) != len(setters):
                return model(*values)  # a row from before a field was added: __init__ fills in its default
            item: Any = new(model)
            for set_field, value in zip(setters, values):
                set_field(item, value)
            return item

        return construct

    @cached_property
    def _converted(self) -> tuple[tuple[int, str], ...]:
        """Columns whose stored value is not the model's value (enums, datetimes, a channel's start)."""
        return tuple((i, c) for i, c in enumerate(self.columns)
                     if c == "started" or c in self.enums or c in self.datetimes)

    def same_row(self, old: Row, new: Row) -> bool:
        """True when ``new`` says nothing that ``old`` did not (a channel's start may jitter)."""
        if old == new:
            return True
        if "started" not in self.columns or len(old) != len(new):
            return False
        index = self.columns.index("started")
        return (
            abs(int(old[index]) - int(new[index])) <= START_JITTER
            and old[:index] == new[:index]
            and old[index + 1:] == new[index + 1:]
        )

    def table(self, items: Iterable[Any], at: float) -> Table:
        """The rows of a poll's models by their keys: ``encode`` for a whole table, column by column,
        in C where it can (20,000 phones every 30 s, 10,000 channels every 5 s at huge)."""
        items = list(items)
        rows: list[Row] = list(map(self._fields_of, items))
        if self._converted and rows:
            columns: list[Any] = list(zip(*rows))
            for index, column in self._converted:
                values = columns[index]
                if column == "started":
                    columns[index] = [round(at - value) for value in values]
                elif column in self.enums:
                    columns[index] = [value._value_ if isinstance(value, Enum) else value for value in values]
                else:
                    columns[index] = [value.isoformat() if isinstance(value, datetime) else value for value in values]
            rows = list(zip(*columns))
        return dict(zip(self.keys(items), rows))

    def models(self, table: Mapping[str, Row], at: float) -> list[Any]:
        return [self.decode(row, at) for row in table.values()]


@dataclass(frozen=True, slots=True)
class Fact:
    """A single value a source's data carries besides its rows (a reported total, the queue whose
    agents were fetched), kept as a row of the source's ``facts`` table."""

    name: str
    value: str | int | bool | None


@dataclass(frozen=True, slots=True)
class LinkedId:
    """A leg's LinkedID, asked with CHANNEL for the legs CHANNELS alone cannot tie to their call."""

    uniqueid: str
    linked_id: str


KEY_SEPARATOR = "\t"


def _each(key: Callable[[Any], object]) -> Callable[[Sequence[Any]], list[str]]:
    join = KEY_SEPARATOR.join

    def keys(items: Sequence[Any]) -> list[str]:
        return [value if type(value) is str else join(map(str, value)) if type(value) is tuple else str(value)
                for value in map(key, items)]

    return keys


def _blf_keys(blfs: Sequence[Blf]) -> list[str]:
    return [f"{row.blf.extension}{KEY_SEPARATOR}{row.occurrence}" for row in identity.numbered_blfs(blfs)]


def _codec(name: str, model: type, keys: Callable[[Sequence[Any]], list[str]], *,
           replace: Mapping[str, str] | None = None, key_columns: tuple[str, ...] = ()) -> TableCodec:
    replace = replace or {}
    columns = tuple(replace.get(f.name, f.name) for f in fields(model))
    enums = {"status": PeerStatus} if model is Peer else {}
    datetimes = frozenset({"timestamp", "state_timestamp", "last_call"}) & set(columns)
    return TableCodec(name, model, keys, columns, enums, datetimes, key_columns)


CODECS: dict[str, TableCodec] = {
    codec.name: codec
    for codec in (
        _codec("facts", Fact, _each(lambda f: f.name), key_columns=("name",)),
        _codec("links", LinkedId, _each(lambda link: link.uniqueid), key_columns=("uniqueid",)),
        _codec("node_peers", NodeCount, _each(lambda n: n.node), key_columns=("node",)),
        _codec("node_channels", NodeCount, _each(lambda n: n.node), key_columns=("node",)),
        _codec("peers", Peer, _each(identity.peer_key), key_columns=("node", "name")),
        _codec("channels", Channel, _each(identity.channel_key), replace={"duration": "started"},
               key_columns=("uniqueid",)),
        _codec("queues", Queue, _each(lambda q: q.id), key_columns=("id",)),
        _codec("queue_stats", QueueStats, _each(lambda s: s.queue_id), key_columns=("queue_id",)),
        _codec("agents", Agent, _each(identity.agent_key), key_columns=("queue_id", "member")),
        _codec("flows", Flow, _each(identity.flow_key), key_columns=("id",)),
        _codec("blfs", Blf, _blf_keys),
    )
}


def codec(table: str) -> TableCodec:
    try:
        return CODECS[table]
    except KeyError:
        raise ValueError(f"the store has no table {table!r} (known: {', '.join(CODECS)})") from None
