"""Turning TRiNG response bodies into models: every wire quirk is handled here and nowhere else.

Body-level helpers classify bodies that are not data (``Too bad…``,
``No id specified``, HTML pages), decode JSON with its quirks (empty body,
``]``, ``null``, a JSONP wrapper) and read action results. Then one small
function per request type turns the decoded body into models; the shapes
marked *contract* in ``tring-api.md`` are inferred, so each lives in its own
clearly named function to be corrected when real data shows otherwise.

Parsers raise ``MalformedResponse`` (never ``TypeError``/``KeyError``/…)
when a body has the wrong shape; the client adds the request type, the
server and an excerpt of the body to the message.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from tringtui.api.errors import (
    ActionRefused,
    ErrorPage,
    KeyRejected,
    MalformedResponse,
    OutcomeUnknown,
    ParameterError,
    TringError,
)
from tringtui.api.models import (
    ActionResult,
    Agent,
    Blf,
    Channel,
    ChannelDetail,
    Extension,
    ExtensionState,
    Flow,
    NodeCount,
    NodeCounts,
    Outcome,
    Peer,
    PeerStatus,
    Queue,
    QueueStats,
    TenantConfig,
)
from tringtui.api.terminal_safe import may_hold_escaped_controls, safe_text, without_controls

# ---------------------------------------------------------------- lenient scalars


def as_text(value: Any) -> str:
    """A JSON scalar as text: ``None`` → ``""``, numbers → their digits (``12.0`` → ``"12"``)."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        raise MalformedResponse(f"expected a text or number, got {type(value).__name__}")
    return str(value)


def as_int(value: Any, default: int = 0) -> int:
    """A count or number of seconds that may arrive as ``12``, ``"12"``, ``"12.0"`` or ``""``."""
    result = as_optional_int(value)
    return default if result is None else result


def as_optional_int(value: Any) -> int | None:
    """Like ``as_int`` but ``None`` when the value is absent, empty or not a number."""
    if type(value) is int:
        return value
    if isinstance(value, bool) or value is None:
        return int(value) if isinstance(value, bool) else None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return int(number) if math.isfinite(number) else None
    return None


def as_float(value: Any, default: float = 0.0) -> float:
    """A rate or amount that may arrive as ``85.5``, ``"85.5"`` or ``"85.5%"``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().rstrip("%").strip())
        except ValueError:
            return default
    return default


def as_flag(value: Any) -> bool:
    """A yes/no that may arrive as ``1``, ``"1"``, ``true``, ``"yes"`` or ``""``."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y", "on"}
    return bool(value)


def as_timestamp(value: Any) -> datetime | None:
    """A state timestamp: ``YYYY-MM-DD HH:MM:SS`` (contract) or epoch seconds.

    Both become naive local-time datetimes, so callers can compare them with
    ``datetime.now()``. Empty, zero (``0000-00-00 00:00:00``) or unreadable
    values give ``None``: a timestamp is informative, never worth failing over.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or text.startswith("0000"):
        return None
    if text.replace(".", "", 1).isdigit():
        return _from_epoch(float(text))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _from_epoch(seconds: float) -> datetime | None:
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds)
    except (OverflowError, OSError, ValueError):
        return None


# ---------------------------------------------------------------- bodies


_JSONP = re.compile(r"^\s*[A-Za-z_$][\w$.]*\s*\((.*)\)\s*;?\s*$", re.S)
_MISSING_PARAMETER = re.compile(r"^No [\w -]{1,40} specified\b", re.I)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_KEY_REJECTED_PREFIX = "too bad"
_SHORT_BODY = 300


def strip_jsonp(text: str) -> str:
    """The JSON inside a ``callback(<json>);`` wrapper, or ``text`` unchanged."""
    stripped = text.strip()
    if not stripped.endswith((")", ");")):
        return text
    match = _JSONP.match(stripped)
    return match.group(1) if match else text


def decode_json(text: str) -> Any:
    """Decode a JSON body with its quirks: empty body and ``null`` → ``None``, a lone ``]`` → ``[]``.

    JSONP wrappers are removed. Anything else that is not JSON raises ``MalformedResponse``.
    Control characters spelled as escapes (``\u001b``) come back replaced (see ``terminal_safe``).
    """
    try:
        data = json.loads(text)  # the usual case first: no copy of a multi-megabyte body
    except ValueError:
        pass
    else:
        return without_controls(data) if may_hold_escaped_controls(text) else data
    stripped = text.strip()
    if stripped.startswith("\ufeff"):
        return decode_json(stripped[1:])  # a byte-order mark is not part of the body
    if not stripped:
        return None
    if stripped == "]":  # CDRS / QUEUELOGS with no rows
        return []
    unwrapped = strip_jsonp(stripped)
    if unwrapped is not stripped:
        return decode_json(unwrapped)
    raise MalformedResponse("the body is not JSON")


def try_decode_json(text: str) -> Any:
    """``decode_json`` that gives ``None`` instead of raising, for bodies that may be plain text."""
    try:
        return decode_json(text)
    except MalformedResponse:
        return None


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body", "<?xml")) or (
        head.startswith("<") and "<html" in text[:2000].lower()
    )


def html_title(text: str) -> str:
    match = _HTML_TITLE.search(text[:4000])
    return safe_text(" ".join(match.group(1).split())) if match else ""


def _unquote_json_string(text: str) -> str:
    """``"Too bad…"`` (a JSON-encoded string, as ``format=json`` may send) → its content, made safe to show."""
    stripped = text.strip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        try:
            value = json.loads(stripped)
        except ValueError:
            value = stripped
        stripped = value if isinstance(value, str) else stripped
    return safe_text(stripped)


def classify_failure_body(text: str) -> tuple[type[TringError], str] | None:
    """The error a body stands for when it is not data, with a description; ``None`` for data.

    Recognised: the key-rejected text (bad key, unknown tenant, or no rights),
    ``Wrong or missing tenant``, ``No … specified`` and HTML pages.
    """
    if looks_like_html(text):
        title = html_title(text)
        return ErrorPage, "the server sent an HTML page" + (f" ({title})" if title else "") + " instead of API data"
    if len(text) > _SHORT_BODY:
        return None
    message = _unquote_json_string(text)
    lowered = message.lower()
    if lowered.startswith(_KEY_REJECTED_PREFIX):
        return KeyRejected, "the server rejected the API key (wrong key, unknown tenant, or not allowed for this key)"
    if lowered.startswith("wrong or missing tenant"):
        return ParameterError, "wrong or missing tenant"
    if _MISSING_PARAMETER.match(message):
        return ParameterError, f"the server says a parameter is missing: {message}"
    return None


def parse_action_result(reqtype: str, text: str) -> ActionResult:
    """A write's answer: ``Success|msg|ref|`` or ``OK`` → ``ActionResult``; ``Error|msg|`` → ``ActionRefused``.

    Any other non-empty text is a refusal carrying that text; an empty body
    is an unknown outcome (the server may or may not have acted).
    """
    message = _unquote_json_string(text)
    if not message:
        raise OutcomeUnknown("the server sent an empty answer: the action may or may not have been done")
    fields = message.split("|")
    head = fields[0].strip().lower()
    if head == "success" or head.startswith("success"):
        return ActionResult(
            reqtype=reqtype,
            outcome=Outcome.SUCCESS,
            message=fields[1].strip() if len(fields) > 1 else message,
            reference=fields[2].strip() if len(fields) > 2 else "",
            raw=message,
        )
    if head == "ok":
        return ActionResult(reqtype=reqtype, outcome=Outcome.SUCCESS, message=message, raw=message)
    if head == "error" and len(fields) > 1 and fields[1].strip():
        raise ActionRefused(f"refused by the server: {fields[1].strip()}")
    raise ActionRefused(f"refused by the server: {message}")


# ---------------------------------------------------------------- containers


def rows_of(data: Any, what: str) -> list[Any]:
    """The rows of a list response. ``None`` → no rows; an object keyed ``"0"``, ``"1"``, … (a PHP
    array that lost its sequence) → its values in key order; any other object is the wrong shape."""
    if data is None:
        return []
    if type(data) is list:
        return data
    if isinstance(data, dict):
        if not data:
            return []
        if all(isinstance(k, str) and k.isdigit() for k in data):
            return [data[k] for k in sorted(data, key=int)]
    raise MalformedResponse(f"expected a list of {what}, got {_shape(data)}")


def _shape(data: Any) -> str:
    if isinstance(data, dict):
        return "an object"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, str):
        return "a text"
    if data is None:
        return "nothing"
    return f"a {type(data).__name__}"


def _object(row: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(row, dict):
        raise MalformedResponse(f"expected each {what} to be an object, got {_shape(row)}")
    return row


def _pick(row: Mapping[str, Any], *names: str) -> Any:
    """The first of ``names`` present in ``row`` (named keys first, then index keys as a fallback)."""
    for name in names:
        value = row.get(name)
        if value is not None:
            return value
    return None


def _looks_plain(text: str) -> bool:
    """A ``name:value|name:value|`` plain body rather than JSON."""
    stripped = text.strip()
    return "|" in stripped and not stripped.startswith(("{", "[", '"'))


def _plain_pairs(text: str) -> list[tuple[str, str]]:
    """``a:1|b:2|`` → ``[("a", "1"), ("b", "2")]``; values may contain ``:`` (split at the first one)."""
    pairs = []
    for item in text.strip().split("|"):
        if not item.strip():
            continue
        name, sep, value = item.partition(":")
        if not sep:
            raise MalformedResponse(f"expected name:value items separated by |, got {item[:40]!r}")
        pairs.append((safe_text(name.strip()), safe_text(value.strip())))
    return pairs


# ---------------------------------------------------------------- COUNTPEERS / COUNTCHANNELS


def parse_node_counts(text: str) -> NodeCounts:
    """COUNTPEERS / COUNTCHANNELS, JSON ``{"pbx21": 412, …}`` or plain ``pbx21:412|…``.

    A ``total`` entry (any case) is the server's total, never a node.
    """
    if _looks_plain(text):
        return node_counts_from_pairs(_plain_pairs(text))
    data = decode_json(text)
    if data is None or data == []:
        return NodeCounts(nodes=())
    if isinstance(data, (int, str)) and not isinstance(data, bool):
        total = as_optional_int(data)
        if total is None:
            raise MalformedResponse("expected per-node counts, got a text")
        return NodeCounts(nodes=(), reported_total=total)
    if not isinstance(data, dict):
        raise MalformedResponse(f"expected per-node counts as an object, got {_shape(data)}")
    return node_counts_from_pairs(data.items())


def node_counts_from_pairs(pairs: Iterable[tuple[Any, Any]]) -> NodeCounts:
    """Per-node counts. A node without a number is kept with an unknown count, so one node
    whose Asterisk did not answer never hides the others; a body with no number at all is
    not counts, and is refused."""
    nodes = []
    total = None
    first_unreadable: tuple[Any, Any] | None = None
    for name, value in pairs:
        count = as_optional_int(value)
        if count is not None and count < 0:
            count = None  # no node has fewer than zero phones: not a count
        if str(name).strip().lower() == "total":
            total = count  # not a number: the sum over the nodes stands in for it
            continue
        if count is None and first_unreadable is None:
            first_unreadable = (name, value)
        nodes.append(NodeCount(node=str(name), count=count))
    if first_unreadable is not None and all(node.count is None for node in nodes):
        name, value = first_unreadable
        raise MalformedResponse(f"expected a count for {str(name)[:40]!r}, got {_shape(value)}")
    return NodeCounts(nodes=tuple(nodes), reported_total=total)


# ---------------------------------------------------------------- PEERS

_PEER_STATUS = re.compile(r"^\s*(OK|LAGGED)\s*(?:\(\s*(\d+)\s*ms\s*\))?", re.I)
_UNREGISTERED_HOSTS = frozenset({"(Unspecified)", ""})
_DYNAMIC = frozenset({"D", "Y", "YES", "1"})
_PEER_COLUMNS = ("node", "Name", "Host", "Dyn", "Forcerport", "Comedia", "ACL", "Port", "Status", "Description", "Realtime")


def parse_peer_status(status_text: str, host: str = "") -> tuple[PeerStatus, int | None]:
    """Asterisk's ``Status`` column (``OK (23 ms)``, ``LAGGED (812 ms)``, ``UNREACHABLE``, ``UNKNOWN``,
    ``Unmonitored``) → status and latency. A ``(Unspecified)`` host means not registered."""
    if host.strip() in _UNREGISTERED_HOSTS:
        return PeerStatus.UNREGISTERED, None
    return _status_from_text(status_text)


@lru_cache(maxsize=4096)  # a PBX prints few distinct statuses; hosts vary, so they are not part of the key
def _status_from_text(status_text: str) -> tuple[PeerStatus, int | None]:
    match = _PEER_STATUS.match(status_text)
    if match:
        status = PeerStatus.OK if match.group(1).upper() == "OK" else PeerStatus.LAGGED
        return status, int(match.group(2)) if match.group(2) else None
    word = status_text.strip().lower()
    if word.startswith("unreachable"):
        return PeerStatus.UNREACHABLE, None
    if word.startswith("unmonitored"):
        return PeerStatus.UNMONITORED, None
    return PeerStatus.UNKNOWN, None


def parse_peers(text: str) -> list[Peer]:
    """PEERS: a list of ``sip show peers`` rows as objects (named keys, possibly duplicated by index)."""
    return [peer_from_row(_object(row, "peer")) for row in rows_of(decode_json(text), "peers")]


def peer_from_row(row: Mapping[str, Any]) -> Peer:
    """One PEERS row; a row with index keys only is read by column position."""
    if "Name" not in row:
        row = {column: row.get(str(index)) for index, column in enumerate(_PEER_COLUMNS)}
    get = row.get
    name, host, status_text = get("Name"), get("Host"), get("Status")
    name = name if type(name) is str else as_text(name)
    if not name:
        raise MalformedResponse("a peer row has no Name")
    host = host if type(host) is str else as_text(host)
    status_text = status_text if type(status_text) is str else as_text(status_text)
    status, latency = parse_peer_status(status_text, host)
    return Peer(
        name=name,
        node=as_text(get("node")),
        host=host,
        status_text=status_text,
        status=status,
        latency_ms=latency,
        port=as_optional_int(get("Port")),
        dynamic=as_text(get("Dyn")).strip().upper() in _DYNAMIC,
        forcerport=as_text(get("Forcerport")).strip(),
        comedia=as_text(get("Comedia")).strip(),
        acl=as_text(get("ACL")).strip(),
        description=as_text(get("Description")),
        realtime=as_text(get("Realtime")).strip(),
    )


# ---------------------------------------------------------------- CHANNELS / CHANNEL

CHANNEL_COLUMNS = 14
_DURATION = 11
_BRIDGED = 12
# What ``core show channels concise`` prints for a channel bridged to nothing.
NO_BRIDGE = "(None)"


def _slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The slot setters of a frozen slots dataclass, in field order.

    Calling a frozen dataclass's ``__init__`` goes through ``object.__setattr__``
    by name for every field; setting the slots through their descriptors does
    the same work in half the time, which is what lets CHANNELS at 10k rows
    parse within the budget. Only used for classes without ``__post_init__``.
    """
    assert not hasattr(cls, "__post_init__"), f"{cls.__name__} has a __post_init__: build it normally"
    return tuple(cls.__dict__[f.name].__set__ for f in dataclasses.fields(cls))


_CHANNEL_SETTERS = _slot_setters(Channel)


def parse_channels(text: str) -> list[Channel]:
    """CHANNELS: a list of 14-element rows in ``core show channels concise`` order; a bridged
    channel of ``(None)`` becomes ``""``.

    The hot path of a 10k-channel PBX: rows of 14 texts (the usual case) are
    checked with one ``join`` and built by setting slots directly (see
    ``_slot_setters``); any other row goes through ``channel_from_row``.
    """
    rows = rows_of(decode_json(text), "channels")
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13 = _CHANNEL_SETTERS
    new = object.__new__
    join = "".join
    out: list[Channel] = []
    append = out.append
    for row in rows:
        if type(row) is list and len(row) == CHANNEL_COLUMNS:
            try:
                join(row)  # TypeError unless every column is text
                c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13 = row
                duration = int(c11)
            except (TypeError, ValueError):
                append(channel_from_row(row))
                continue
            channel = new(Channel)
            s0(channel, c0)
            s1(channel, c1)
            s2(channel, c2)
            s3(channel, c3)
            s4(channel, c4)
            s5(channel, c5)
            s6(channel, c6)
            s7(channel, c7)
            s8(channel, c8)
            s9(channel, c9)
            s10(channel, c10)
            s11(channel, duration)
            s12(channel, "" if c12 == NO_BRIDGE else c12)
            s13(channel, c13)
            append(channel)
        else:
            append(channel_from_row(row))
    return out


def channel_from_row(row: Any) -> Channel:
    """One CHANNELS row of any tolerated shape: a list (short rows padded), or an index-keyed object."""
    if isinstance(row, dict):
        values = [row.get(str(i)) for i in range(CHANNEL_COLUMNS)]
    elif isinstance(row, list):
        values = list(row[:CHANNEL_COLUMNS]) + [None] * (CHANNEL_COLUMNS - len(row))
    else:
        raise MalformedResponse(f"expected each channel to be a list, got {_shape(row)}")
    texts = [as_text(v) for v in values]
    if not texts[0]:
        raise MalformedResponse("a channel row has no channel name")
    if texts[_BRIDGED] == NO_BRIDGE:
        texts[_BRIDGED] = ""
    channel, context, exten, priority, state, application, data, callerid, account, peer_account, ama = texts[:_DURATION]
    bridged, uniqueid = texts[_DURATION + 1 :]
    return Channel(
        channel, context, exten, priority, state, application, data, callerid, account, peer_account, ama,
        as_int(values[_DURATION]), bridged, uniqueid,
    )


def parse_channel_detail(text: str, name: str) -> ChannelDetail | None:
    """CHANNEL: ``[label, value]`` pairs (``core show channel``); nothing → ``None`` (no such channel)."""
    data = decode_json(text)
    if data is None or data == [] or data == {}:
        return None
    if isinstance(data, dict):
        pairs = list(data.items())
    elif isinstance(data, list):
        pairs = []
        for item in data:
            if not isinstance(item, list) or not item:
                raise MalformedResponse(f"expected [label, value] pairs, got {_shape(item)} in the list")
            pairs.append((item[0], item[1] if len(item) > 1 else ""))
    else:
        raise MalformedResponse(f"expected [label, value] pairs, got {_shape(data)}")
    fields = tuple((as_text(label).strip(), as_text(value)) for label, value in pairs)
    shown = dict(fields).get("Name") or name
    return ChannelDetail(channel=shown, fields=fields)


# ---------------------------------------------------------------- BLFS / FLOWS


def parse_blfs(text: str) -> list[Blf]:
    """BLFS: objects ``{st_extension, st_state, st_timestamp}``."""
    return [blf_from_row(_object(row, "BLF")) for row in rows_of(decode_json(text), "BLFs")]


def blf_from_row(row: Mapping[str, Any]) -> Blf:
    extension = as_text(_pick(row, "st_extension", "0"))
    if not extension:
        raise MalformedResponse("a BLF row has no st_extension")
    return Blf(
        extension=extension,
        state=as_text(_pick(row, "st_state", "1")),
        timestamp=as_timestamp(_pick(row, "st_timestamp", "2")),
    )


def parse_flows(text: str) -> list[Flow]:
    """FLOWS: objects of ``fl_*`` flow columns plus the ``st_*`` state of the monitored device."""
    return [flow_from_row(_object(row, "flow")) for row in rows_of(decode_json(text), "flows")]


def flow_from_row(row: Mapping[str, Any]) -> Flow:
    def field(name: str) -> str:
        return as_text(row.get(name))

    flow_id = field("fl_id")
    if not flow_id and not field("fl_number"):
        raise MalformedResponse("a flow row has neither fl_id nor fl_number")
    return Flow(
        id=flow_id,
        tenant_id=field("fl_te_id"),
        name=field("fl_name"),
        number=field("fl_number"),
        value=field("fl_value"),
        state=field("st_state"),
        comment=field("fl_comment"),
        value_for_unavailable=field("fl_value_for_unavailable"),
        value_for_inuse=field("fl_value_for_inuse"),
        value_for_notinuse=field("fl_value_for_notinuse"),
        value_for_ringing=field("fl_value_for_ringing"),
        variable_name=field("fl_variable_name"),
        monitor_type=field("fl_monitor_type"),
        monitor_type_id=field("fl_monitor_type_id"),
        monitor_parameter=field("fl_monitor_parameter"),
        extension=field("st_extension"),
        state_timestamp=as_timestamp(row.get("st_timestamp")),
        peername=field("st_peername"),
    )


# ---------------------------------------------------------------- INFO queues / queue / agents


def parse_queues(text: str) -> list[Queue]:
    """INFO queues: JSON ``{"281": "supportQ", …}`` (database ids) or plain ``281:supportQ|``."""
    if _looks_plain(text):
        return [Queue(id=qid, name=name) for qid, name in _plain_pairs(text)]
    data = decode_json(text)
    if data is None or data == []:
        return []
    if isinstance(data, dict):
        return [Queue(id=str(qid), name=as_text(name)) for qid, name in data.items()]
    if isinstance(data, list) and all(isinstance(item, list) and len(item) >= 2 for item in data):
        return [Queue(id=as_text(item[0]), name=as_text(item[1])) for item in data]
    raise MalformedResponse(f"expected queues as an object of id: name, got {_shape(data)}")


# INFO queue's upper-case keys → QueueStats fields (all integers except the service level).
_QUEUE_STATS_FIELDS = {
    "AGENTSAVAILABLE": "agents_available",
    "AGENTSPAUSED": "agents_paused",
    "AGENTSFREE": "agents_free",
    "AGENTSONLINE": "agents_online",
    "CALLSINQUEUE": "calls_in_queue",
    "FIRSTWAITING": "first_waiting",
    "SECONDWAITING": "second_waiting",
    "THIRDWAITING": "third_waiting",
    "CALLSONLINE": "calls_online",
    "TALKTIME": "talk_time",
    "HOLDTIME": "hold_time",
    "ANSWEREDCALLS": "answered_calls",
    "CALLSRECEIVED": "calls_received",
    "REALANSWEREDCALLS": "real_answered_calls",
    "TRANSFEREDCALLS": "transferred_calls",
    "ABANDONEDCALLS": "abandoned_calls",
    "TIMEDOUTCALLS": "timed_out_calls",
    "QUEUECAR": "queue_car",
    "EXITWITHKEYCALLS": "exit_with_key_calls",
    "MAXHOLDTIME": "max_hold_time",
    "AVERAGETALKTIME": "average_talk_time",
    "AVERAGEHOLDTIME": "average_hold_time",
}


def parse_queue_stats(text: str, queue_id: str) -> QueueStats | None:
    """INFO queue: one object of upper-case counters; nothing → ``None`` (no such queue)."""
    data = decode_json(text)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if data is None or data == [] or data == {}:
        return None
    row = _object(data, "queue statistics")
    values: dict[str, Any] = {}
    numbers = 0
    for key, value in row.items():
        name = str(key).upper()
        if name == "SERVICELEVEL":
            values["service_level"] = as_float(value)
        elif name in _QUEUE_STATS_FIELDS:
            number = as_optional_int(value)
            numbers += number is not None
            values[_QUEUE_STATS_FIELDS[name]] = 0 if number is None else number
    if not numbers:
        # Counters that are all null or words would show as zeros: "0 waiting,
        # 0 agents" is a claim, not a gap, so refuse the body instead.
        raise MalformedResponse("no queue counter in the body is a number")
    return QueueStats(queue_id=str(queue_id), **values)


def parse_agents(text: str, queue_id: str | None = None) -> list[Agent]:
    """INFO agents: an object keyed by member (``103-DEVEL``) of sparse index-keyed rows; ``null`` → none.

    A member in several queues may come as a list of rows.
    """
    data = decode_json(text)
    if data is None or data == [] or data == {}:
        return []
    if not isinstance(data, dict):
        raise MalformedResponse(f"expected agents as an object keyed by member, got {_shape(data)}")
    agents = []
    for member, value in data.items():
        rows = value if isinstance(value, list) and value and isinstance(value[0], (dict, list)) else [value]
        for row in rows:
            agents.append(agent_from_sparse_row(str(member), row, queue_id))
    return agents


def agent_from_sparse_row(member: str, row: Any, queue_id: str | None = None) -> Agent:
    """Contract positions: 0 paused, 1 status, 2 device state, 3 calls taken, 4 pause reason,
    5 last call (epoch), 6 display name, 7 penalty, 8 agent type, 10 queue id, 11 extension id."""
    if isinstance(row, dict):
        get: Callable[[int], Any] = lambda i: row.get(str(i))  # noqa: E731
    elif isinstance(row, list):
        get = lambda i: row[i] if i < len(row) else None  # noqa: E731
    else:
        raise MalformedResponse(f"expected the agent row of {member[:40]!r} to be an object, got {_shape(row)}")
    status = as_text(get(1)).strip().lower()
    return Agent(
        member=member,
        queue_id=as_text(get(10)) or (queue_id or ""),
        paused=as_flag(get(0)) or status == "paused",
        status=status,
        device_state=as_text(get(2)),
        calls_taken=as_int(get(3)),
        pause_reason=as_text(get(4)),
        last_call=as_timestamp(get(5)),
        display_name=as_text(get(6)),
        penalty=as_int(get(7)),
        agent_type=as_text(get(8)),
        extension_id=as_text(get(11)),
    )


# ---------------------------------------------------------------- INFO extstate / extensions / config / balance

_IN_CALL_LABELS = ("Connected Line ID", "OtherParty", "Direction")


def parse_extension_state(text: str, extension: str) -> ExtensionState:
    """INFO extstate: ``{"UniqueID": "KO", "LinkedID": "Extension not registered"}`` when not registered,
    ``KO`` with another reason (``Extension not in use``) when registered and idle; a call gives its
    UniqueID and adds ``Connected Line ID``, ``OtherParty``, ``Direction``, … Nothing → not registered."""
    data = decode_json(text)
    if data is None or data == [] or data == {}:
        return ExtensionState(extension=extension, registered=False, in_call=False)
    pairs: list[tuple[Any, Any]]
    if isinstance(data, dict):
        pairs = list(data.items())
    elif isinstance(data, list) and all(isinstance(item, list) and len(item) >= 2 for item in data):
        pairs = [(item[0], item[1]) for item in data]
    else:
        raise MalformedResponse(f"expected the extension state as an object, got {_shape(data)}")
    fields = tuple((as_text(k).strip(), as_text(v)) for k, v in pairs)
    values = dict(fields)
    idle = values.get("UniqueID", "").strip().upper() == "KO"
    registered = not (idle and "not registered" in values.get("LinkedID", "").lower())
    in_call = not idle and any(values.get(label, "").strip() for label in _IN_CALL_LABELS)
    return ExtensionState(extension=extension, registered=registered, in_call=in_call, fields=fields)


def parse_extensions(text: str) -> list[Extension]:
    """INFO extensions: JSON rows of ``ex_*`` fields (passwords among them: those are never read),
    or the plain ``Number|Name|Tech|State|Username|Password`` table."""
    stripped = text.strip()
    if stripped.startswith("Number|"):
        return _extensions_from_plain(stripped)
    rows = rows_of(decode_json(text), "extensions")
    extensions = []
    for row in rows:
        record = _object(row, "extension")
        number = as_text(_pick(record, "ex_number", "Number", "number"))
        if not number:
            raise MalformedResponse("an extension row has no ex_number")
        extensions.append(
            Extension(
                number=number,
                name=as_text(_pick(record, "ex_name", "Name", "name")),
                tech=as_text(_pick(record, "ex_tech", "Tech", "tech")),
                state=as_text(_pick(record, "ex_state", "st_state", "State", "state")),
                username=as_text(_pick(record, "ex_username", "Username", "username")),
            )
        )
    return extensions


def _extensions_from_plain(text: str) -> list[Extension]:
    lines = [safe_text(line) for line in text.splitlines() if line.strip()]
    header = [h.strip().lower() for h in lines[0].split("|")]
    columns = {name: header.index(name) for name in ("number", "name", "tech", "state", "username") if name in header}
    extensions = []
    for line in lines[1:]:
        cells = line.split("|")
        value = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
        if value.get("number"):
            extensions.append(Extension(**value))
    return extensions


def parse_tenant_config(text: str) -> TenantConfig:
    """INFO config: ``{maxchannels, maxextensions, maxdids}``; missing limits are ``None``."""
    data = decode_json(text)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if data is None or data == [] or data == {}:
        return TenantConfig()
    row = {str(k).lower(): v for k, v in _object(data, "tenant configuration").items()}
    return TenantConfig(
        max_channels=as_optional_int(row.get("maxchannels")),
        max_extensions=as_optional_int(row.get("maxextensions")),
        max_dids=as_optional_int(row.get("maxdids")),
    )


def parse_balance(text: str) -> float | None:
    """INFO balance: a bare number (``123.45``); nothing → ``None``."""
    data = decode_json(text)
    if data is None or data == "" or data == []:
        return None
    if isinstance(data, dict) and len(data) == 1:
        data = next(iter(data.values()))
    if isinstance(data, bool) or not isinstance(data, (int, float, str)):
        raise MalformedResponse(f"expected a number, got {_shape(data)}")
    try:
        return float(str(data).strip())
    except ValueError:
        raise MalformedResponse("expected a number, got a text") from None


def parse_call_count(text: str) -> int:
    """COUNTCALLS: a bare integer; an empty body means no calls (observed when idle)."""
    data = decode_json(text)
    if data is None or data == [] or data == "":
        return 0
    if isinstance(data, dict) and len(data) == 1:
        data = next(iter(data.values()))
    count = None if isinstance(data, (dict, list)) else as_optional_int(data)
    if count is None:
        raise MalformedResponse(f"expected a call count, got {_shape(data)}")
    return count


def parse_queue_members(text: str) -> list[str]:
    """QUEUE list: ``["103-DEVEL", …]`` or ``null``."""
    return [as_text(member) for member in rows_of(decode_json(text), "queue members")]


def parse_generic(text: str) -> Any:
    """A body no model describes yet: the decoded JSON when it is JSON, else the text as received."""
    data = try_decode_json(text)
    return text if data is None and text.strip() not in ("null", "") else data
