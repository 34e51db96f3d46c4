"""Models and parsers of the INFO history and account types: cdrs, simplecdrs, queuelogs,
inforecording, agentsdelay, dids (agentsconnected is INFO agents' shape: ``parsing.parse_agents``).

Nobody has published these JSON shapes (``tring-api.md``): each is **inferred**
and lives in one small function named after it, to be corrected against a
real server. What is contract and what is inferred, per type:

- ``INFO cdrs`` — contract: the columns ``CDR_COLUMNS`` (read by lower-cased
  name), times ``YYYY-MM-DD HH:MM:SS`` in the server's local time, ``]`` for no
  rows, ``format=csv`` with a header line. Inferred: JSON rows carry each value
  under its name and its index (so a row without names is read by position in
  ``CDR_COLUMNS``); plain lines repeat each value twice.
- ``INFO simplecdrs`` — inferred throughout: ``SIMPLE_CDR_COLUMNS``, shaped like cdrs.
- ``INFO queuelogs`` — contract: ``]`` for none. Inferred: Asterisk's
  ``queue_log`` columns ``QUEUE_LOG_COLUMNS`` by name (or position).
- ``INFO inforecording`` — inferred: one object of metadata (or ``key:value|``
  plain); an empty body when the call was not recorded. Audio is never asked for.
- ``INFO agentsdelay`` — inferred: keyed by member like INFO agents, each value
  a row under names and indexes of ``AGENT_DELAY_COLUMNS``.
- ``INFO dids`` — contract: index 2, 3, 4 the number's parts, 5 the description,
  13 a ``yes``/``no`` flag a client skips DIDs by. Inferred: ``di_*`` names.

The column names are also written in ``tringtui.sim.records``: the simulator
speaks the wire on its own (it never imports this layer), so both sides keep a
copy of the contract, and a test over HTTP checks that they agree.

Times stay as the server wrote them (its local time, text): the window a
caller asks for is written by ``server_time``, which assumes the server's
clock is UTC (the simulator's is). That assumption is in one place.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tringtui.api.errors import MalformedResponse
from tringtui.api.parsing import as_float, as_int, as_text, decode_json, rows_of
from tringtui.api.terminal_safe import safe_text

CDR_COLUMNS = (
    "accountcode", "call_id", "start", "answer", "end", "clid", "realsrc", "firstdst", "duration", "billsec",
    "disposition", "cc_cost", "dcontext", "dstchannel", "srcchannel", "userfield", "uniqueid", "prevuniqueid",
    "lastdst", "wherelanded", "src", "dst", "lastapp", "srccallid", "linkedid", "peeraccount", "originateid",
    "cc_country", "cc_network", "pincode", "cc_buy",
)
SIMPLE_CDR_COLUMNS = (
    "id", "calldate", "uniqueid", "linkedid", "calleridnum", "calleridname", "dialednum", "direction",
    "disposition", "whoanswered", "duration", "billsec", "tenant",
)
QUEUE_LOG_COLUMNS = ("time", "callid", "queuename", "agent", "event", "data1", "data2", "data3", "data4", "data5")
AGENT_DELAY_COLUMNS = ("queue", "agent", "answered", "missed", "avgdelay", "maxdelay")
DID_NUMBER_PARTS = (2, 3, 4)
DID_DESCRIPTION = 5
DID_SKIP_FLAG = 13

# Queue log events that end a call without an agent: listed first in a queue's story.
UNANSWERED_QUEUE_EVENTS = frozenset({"ABANDON", "EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY"})


def server_time(epoch: float) -> str:
    """An instant as the server writes and reads times (``start``/``end``): its local time, taken as UTC."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


# ---------------------------------------------------------------- models


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One INFO cdrs row (a finished call). Identity: ``uniqueid``; the legs of a call share ``linkedid``."""

    uniqueid: str
    linkedid: str
    tenant: str  # accountcode
    start: str  # server time, as sent
    answer: str
    end: str
    clid: str
    src: str
    dst: str
    firstdst: str
    lastdst: str
    wherelanded: str
    disposition: str
    duration: int
    billsec: int
    dcontext: str
    srcchannel: str
    dstchannel: str
    userfield: str = ""
    lastapp: str = ""
    originateid: str = ""


@dataclass(frozen=True, slots=True)
class SimpleCallRecord:
    """One INFO simplecdrs row (the simple call history)."""

    id: str
    calldate: str
    uniqueid: str
    linkedid: str
    calleridnum: str
    calleridname: str
    dialednum: str
    direction: str
    disposition: str
    whoanswered: str
    duration: int
    billsec: int
    tenant: str = ""


@dataclass(frozen=True, slots=True)
class QueueLogRow:
    """One INFO queuelogs row: an event of Asterisk's queue_log (``callid`` is the call's linkedid)."""

    time: str
    callid: str
    queue: str
    agent: str
    event: str
    data: tuple[str, ...] = ()

    @property
    def unanswered(self) -> bool:
        return self.event.upper() in UNANSWERED_QUEUE_EVENTS


@dataclass(frozen=True, slots=True)
class RecordingInfo:
    """INFO inforecording: a call recording's metadata (never its audio), as ``(name, value)`` pairs."""

    fields: tuple[tuple[str, str], ...]

    def get(self, name: str, default: str = "") -> str:
        for key, value in self.fields:
            if key.lower() == name:
                return value
        return default


@dataclass(frozen=True, slots=True)
class AgentDelay:
    """INFO agentsdelay for one agent of one queue: rings answered and missed, mean and longest delay (s)."""

    member: str
    queue_id: str
    answered: int
    missed: int
    average_delay: float
    max_delay: float


@dataclass(frozen=True, slots=True)
class Did:
    """INFO dids: one number of the tenant; ``skip`` is the yes/no flag at index 13."""

    number: str
    description: str
    skip: bool
    id: str = ""
    destination: str = ""


# ---------------------------------------------------------------- rows of any wire form


def table_rows(text: str, columns: Sequence[str], what: str) -> list[Callable[[str], Any]]:
    """The rows of a history answer as lookups by column name, whatever the form:

    JSON rows (objects by name, else by the column's index; or arrays by
    position), ``format=csv`` (a header line naming the columns), or plain
    (``|``-separated values, each written twice). ``]``, ``null``, empty → none.
    """
    stripped = text.strip()
    if not stripped or stripped in ("]", "null", "[]"):
        return []
    if stripped[0] in "[{":
        return [_json_row(row, columns, what) for row in rows_of(decode_json(stripped), what)]
    first = stripped.splitlines()[0]
    if "," in first and first.lower().split(",")[0].strip('"') in columns:
        return _csv_rows(stripped)
    return [_plain_row(line, columns) for line in stripped.splitlines() if line.strip()]


def _json_row(row: Any, columns: Sequence[str], what: str) -> Callable[[str], Any]:
    if isinstance(row, dict):
        named = {str(key).lower(): value for key, value in row.items()}
        index = {name: str(i) for i, name in enumerate(columns)}
        return lambda name: named.get(name, named.get(index.get(name, "")))
    if isinstance(row, list):
        position = {name: i for i, name in enumerate(columns)}
        return lambda name: row[position[name]] if position.get(name, len(row)) < len(row) else None
    raise MalformedResponse(f"expected each {what} row to be an object, got {type(row).__name__}")


def _csv_rows(text: str) -> list[Callable[[str], Any]]:
    reader = csv.reader(io.StringIO(text))
    header = [name.strip().lower() for name in next(reader)]
    rows: list[Callable[[str], Any]] = []
    for cells in reader:
        if cells:
            rows.append(dict(zip(header, cells)).get)
    return rows


def _plain_row(line: str, columns: Sequence[str]) -> Callable[[str], Any]:
    cells = line.split("|")
    doubled = len(cells) >= 2 * len(columns)
    position = {name: (2 * i if doubled else i) for i, name in enumerate(columns)}
    return lambda name: cells[position[name]] if position.get(name, len(cells)) < len(cells) else None


def _text(get: Callable[[str], Any], name: str) -> str:
    value = get(name)
    if isinstance(value, (dict, list)):
        return ""  # a value of the wrong kind in one column never costs the whole row
    return safe_text(as_text(value))


# ---------------------------------------------------------------- one parser per shape


def parse_cdrs(text: str) -> list[CallRecord]:
    """INFO cdrs (json, csv or plain); rows without a uniqueid are refused."""
    records = []
    for get in table_rows(text, CDR_COLUMNS, "cdrs"):
        uniqueid = _text(get, "uniqueid")
        if not uniqueid:
            raise MalformedResponse("a cdrs row has no uniqueid")
        records.append(CallRecord(
            uniqueid=uniqueid, linkedid=_text(get, "linkedid") or uniqueid, tenant=_text(get, "accountcode"),
            start=_text(get, "start"), answer=_text(get, "answer"), end=_text(get, "end"), clid=_text(get, "clid"),
            src=_text(get, "src") or _text(get, "realsrc"), dst=_text(get, "dst"), firstdst=_text(get, "firstdst"),
            lastdst=_text(get, "lastdst"), wherelanded=_text(get, "wherelanded"),
            disposition=_text(get, "disposition"), duration=as_int(_text(get, "duration")),
            billsec=as_int(_text(get, "billsec")), dcontext=_text(get, "dcontext"),
            srcchannel=_text(get, "srcchannel"), dstchannel=_text(get, "dstchannel"),
            userfield=_text(get, "userfield"), lastapp=_text(get, "lastapp"), originateid=_text(get, "originateid"),
        ))
    return records


def parse_simple_cdrs(text: str) -> list[SimpleCallRecord]:
    """INFO simplecdrs (json, csv or plain); rows without a uniqueid are refused."""
    records = []
    for get in table_rows(text, SIMPLE_CDR_COLUMNS, "simplecdrs"):
        uniqueid = _text(get, "uniqueid")
        if not uniqueid:
            raise MalformedResponse("a simplecdrs row has no uniqueid")
        records.append(SimpleCallRecord(
            id=_text(get, "id"), calldate=_text(get, "calldate"), uniqueid=uniqueid,
            linkedid=_text(get, "linkedid") or uniqueid, calleridnum=_text(get, "calleridnum"),
            calleridname=_text(get, "calleridname"), dialednum=_text(get, "dialednum"),
            direction=_text(get, "direction"), disposition=_text(get, "disposition"),
            whoanswered=_text(get, "whoanswered"), duration=as_int(_text(get, "duration")),
            billsec=as_int(_text(get, "billsec")), tenant=_text(get, "tenant"),
        ))
    return records


def parse_queue_logs(text: str) -> list[QueueLogRow]:
    """INFO queuelogs (json or plain); rows without an event are refused."""
    rows = []
    for get in table_rows(text, QUEUE_LOG_COLUMNS, "queuelogs"):
        event = _text(get, "event")
        if not event:
            raise MalformedResponse("a queuelogs row has no event")
        data = tuple(_text(get, f"data{i}") for i in range(1, 6))
        while data and not data[-1]:
            data = data[:-1]
        rows.append(QueueLogRow(time=_text(get, "time"), callid=_text(get, "callid"),
                                queue=_text(get, "queuename"), agent=_text(get, "agent"), event=event, data=data))
    return rows


def parse_recording_info(text: str) -> RecordingInfo | None:
    """INFO inforecording: an object of metadata, or ``key:value|`` plain; nothing → not recorded (``None``)."""
    stripped = text.strip()
    if not stripped or stripped in ("null", "[]", "]", "{}"):
        return None
    if stripped[0] in "[{":
        data = decode_json(stripped)
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        if not isinstance(data, dict):
            raise MalformedResponse("expected the recording's metadata as an object")
        items = [(str(k), v) for k, v in data.items() if not str(k).isdigit()]
    else:
        items = [(item.partition(":")[0], item.partition(":")[2]) for item in stripped.split("|") if item.strip()]
    fields = tuple((safe_text(name.strip()), safe_text(as_text(value)) if not isinstance(value, (dict, list)) else "")
                   for name, value in items)
    return RecordingInfo(fields) if fields else None


def parse_agents_delay(text: str) -> list[AgentDelay]:
    """INFO agentsdelay: ``{member: row}`` (a row under names and indexes); ``null`` → none."""
    data = decode_json(text)
    if data is None or data == [] or data == {}:
        return []
    if not isinstance(data, dict):
        raise MalformedResponse("expected agents' delays as an object keyed by member")
    delays = []
    for member, row in data.items():
        get = _json_row(row, AGENT_DELAY_COLUMNS, "agentsdelay")
        delays.append(AgentDelay(
            member=safe_text(str(member)), queue_id=_text(get, "queue"), answered=as_int(_text(get, "answered")),
            missed=as_int(_text(get, "missed")), average_delay=as_float(_text(get, "avgdelay")),
            max_delay=as_float(_text(get, "maxdelay")),
        ))
    return delays


def parse_dids(text: str) -> list[Did]:
    """INFO dids: rows read by index (2-4 the number, 5 the description, 13 the skip flag), names as fallback."""
    data = decode_json(text)
    dids = []
    for row in rows_of(data, "DIDs"):
        if not isinstance(row, (dict, list)):
            raise MalformedResponse("expected each DID row to be an object")

        def get(index: int, name: str, row: dict[str, Any] | list[Any] = row) -> str:
            if isinstance(row, dict):
                value = row.get(str(index), row.get(name))
            else:
                value = row[index] if index < len(row) else None
            return "" if isinstance(value, (dict, list)) else safe_text(as_text(value))
        number = "".join(get(i, n) for i, n in zip(DID_NUMBER_PARTS, ("di_prefix", "di_area", "di_number")))
        if not number:
            raise MalformedResponse("a DID row has no number")
        dids.append(Did(number=number, description=get(DID_DESCRIPTION, "di_description"),
                        skip=get(DID_SKIP_FLAG, "di_disabled").strip().lower() == "yes",
                        id=get(0, "di_id"), destination=get(7, "di_destination")))
    return dids
