"""The request table: every request type (and sub-type) of the vendor's API, declared once.

Each ``RequestSpec`` says, for one request type or one value of its selector
(``INFO info=queues``, ``QUEUE action=add``, ``PHONEBOOK subreqtype=query``):

- its wire parameters, which are required (alone, or one of a group such as
  HANGUP's ``channel``/``extension``) and the values they may take;
- whether it reads or writes (read-only mode, retries and the journal follow it);
- whether it is tenant-scoped (needs a tenant even with an admin key);
- whether an empty answer is suspect (a live PBX always fills it);
- whether its body may carry passwords (the client scrubs those on arrival);
- the parser that turns the body into a model (a generic one where no model exists).

The client's methods, the validation of writes, ``tringtui api``'s typed
calls and the journal are all derived from this table. The names are the
vendor's, from its list of request types and parameters; a request type not listed here is unknown
and treated as a write (the safe side).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from tringtui.api import history, parsing, validate
from tringtui.api.errors import InvalidParameter

# A parser gets the body and the parameters sent (some models need them: the channel asked for).
Parser = Callable[[str, Mapping[str, str]], Any]
Check = Callable[[object], str]

# Parameters every request type takes; the client adds them itself.
COMMON_PARAMETERS = frozenset({"tenant", "format", "callback"})


class Access(str, Enum):
    """Whether a request only reads or may change the PBX."""

    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class Param:
    """One wire parameter: its name, whether it is required, the values it may take, its check."""

    name: str
    required: bool = False
    values: frozenset[str] | None = None  # allowed values (case-insensitive), None: any
    check: Check | None = None  # cleans a typed value or raises InvalidParameter


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """One request type, or one sub-type selected by ``selector`` (``info``, ``action``, ``subreqtype``)."""

    reqtype: str
    summary: str
    access: Access = Access.READ
    params: tuple[Param, ...] = ()
    selector: str = ""  # the parameter that selects the sub-type
    variant: str = ""  # the selector's value for this sub-type
    one_of: tuple[tuple[str, ...], ...] = ()  # groups of which exactly one parameter must be given
    one_of_why: str = ""  # why, when it is not obvious (said when one is missing)
    tenant_scoped: bool = False  # needs a tenant even with an admin key
    empty_is_suspect: bool = False  # an empty body means the server failed, not "nothing"
    carries_secrets: bool = False  # the body may hold passwords: scrubbed before anything reads it
    # None: the generic parser (decoded JSON, else text); a write without one is returned as received.
    parser: Parser | None = None

    @property
    def writes(self) -> bool:
        return self.access is Access.WRITE

    @property
    def name(self) -> str:
        """``INFO info=queues``, ``HANGUP``: how messages and the journal name it."""
        return f"{self.reqtype} {self.selector}={self.variant}" if self.selector else self.reqtype

    @property
    def accepted(self) -> frozenset[str]:
        """Every parameter name this request takes (the selector and the common ones included)."""
        names = {param.name for param in self.params} | COMMON_PARAMETERS
        if self.selector:
            names.add(self.selector)
        return frozenset(names)

    def parse(self, text: str, params: Mapping[str, str]) -> Any:
        if self.parser is not None:
            return self.parser(text, params)
        return parsing.parse_generic(text)

    def checked(self, params: Mapping[str, str | None], *, waived: frozenset[str] = frozenset()) -> dict[str, str]:
        """The parameters to send, checked against this spec; ``InvalidParameter`` names what is wrong.

        ``None`` values are left out. ``waived``: groups or parameters the caller
        deliberately leaves out (an AGENT unpause in every queue names no queue).
        """
        given = {name: value for name, value in params.items() if value is not None}
        by_name = {param.name: param for param in self.params}
        for name, value in list(given.items()):
            param = by_name.get(name)
            if param is None:
                continue
            if param.check is not None:  # a check of its own words its message (and knows the values)
                given[name] = param.check(value)
            elif param.values is not None:
                given[name] = _allowed(value, param.values, f"{self.name} {name}")
        for param in self.params:
            if param.required and param.name not in waived and not str(given.get(param.name, "")).strip():
                raise InvalidParameter(f"{self.name}: missing parameter {param.name}")
        for group in self.one_of:
            present = [name for name in group if str(given.get(name, "")).strip()]
            if len(present) > 1:
                raise InvalidParameter(f"{self.name}: give only one of {', '.join(group)} (got {', '.join(present)})")
            if not present and not waived.intersection(group):
                why = f" ({self.one_of_why})" if self.one_of_why else ""
                raise InvalidParameter(f"{self.name}: missing parameter {' or '.join(group)}{why}")
        return given


def _allowed(value: str, allowed: frozenset[str], what: str) -> str:
    for option in allowed:
        if value.strip().lower() == option.lower():
            return option
    shown = value if len(value) <= 40 else value[:39] + "…"
    raise InvalidParameter(f"invalid {what} {shown!r}: expected one of {', '.join(sorted(allowed)) or '(empty)'}")


def _values(*names: str) -> frozenset[str]:
    return frozenset(names)


def _p(name: str, required: bool = False, values: frozenset[str] | None = None, check: Check | None = None) -> Param:
    return Param(name, required, values, check)


def _read(reqtype: str, summary: str, *params: Param, **extra: Any) -> RequestSpec:
    return RequestSpec(reqtype, summary, Access.READ, params, **extra)


def _write(reqtype: str, summary: str, *params: Param, **extra: Any) -> RequestSpec:
    return RequestSpec(reqtype, summary, Access.WRITE, params, **extra)


def _sub(
    reqtype: str, selector: str, variant: str, access: Access, summary: str, *params: Param, **extra: Any
) -> RequestSpec:
    return RequestSpec(reqtype, summary, access, params, selector=selector, variant=variant, **extra)


def _info(variant: str, summary: str, *params: Param, **extra: Any) -> RequestSpec:
    return _sub("INFO", "info", variant, Access.READ, summary, *params, tenant_scoped=True, **extra)


_YES = _values("yes")
_INFO_RANGE = (_p("start"), _p("end"))
_QUEUE_BY = (_p("id", check=validate.queue_id), _p("number", check=validate.queue_number))

# Parsers of the request types that have a model.
_node_counts: Parser = lambda text, _p: parsing.parse_node_counts(text)  # noqa: E731
_channel_detail: Parser = lambda text, p: parsing.parse_channel_detail(text, p.get("channel", ""))  # noqa: E731
_queue_stats: Parser = lambda text, p: parsing.parse_queue_stats(text, p.get("id", ""))  # noqa: E731
_agents: Parser = lambda text, p: parsing.parse_agents(text, p.get("queue"))  # noqa: E731
_extension_state: Parser = lambda text, p: parsing.parse_extension_state(text, p.get("id", ""))  # noqa: E731


def _model(parse: Callable[[str], Any]) -> Parser:
    return lambda text, _params: parse(text)


def _history(parse: Callable[[str], Any]) -> Parser:
    """Call records: parsed in any form but xml (returned as received: no model reads it)."""
    return lambda text, params: text if params.get("format", "").lower() == "xml" else parse(text)


def _action_result(reqtype: str) -> Parser:
    """The writes whose answer follows the ``Success|…|`` / ``Error|…|`` / ``OK`` contract."""
    return lambda text, _params: parsing.parse_action_result(reqtype, text)


_MANAGEDB_OBJECTS = _values(
    "tenant", "custom", "customtype", "phone", "mediafile", "huntlist", "extension", "provider", "did",
    "user", "conference", "routingprofile", "route", "destination",
)
_MANAGEDB_PARAMS = (
    _p("object", required=True, values=_MANAGEDB_OBJECTS),
    _p("routingprofileid"), _p("typesrc"), _p("typeidsrc"), _p("objectid"), _p("tenantid"), _p("jsondata"),
)
_MANAGEDB_READS = ("list", "get", "getbinary", "listtenants", "getextensions", "listroutes")
_MANAGEDB_WRITES = ("add", "update", "updatebinary", "setextensions", "delete", "addtenant", "deltenant", "replace")

_QUEUE_PARAMS = (
    *_QUEUE_BY, _p("uniqid"), _p("extension", check=validate.extension_or_none),
    _p("order"), _p("type", values=validate.AGENT_TYPES, check=validate.agent_type), _p("event"),
    *(_p(f"data{i}") for i in range(1, 6)),
)

REQUESTS: tuple[RequestSpec, ...] = (
    # ---- counts and lists the monitor polls
    _read("COUNTPEERS", "registered peers per node (and the total)", _p("tenant"),
          empty_is_suspect=True, parser=_node_counts),
    _read("COUNTCHANNELS", "channels per node, or on one node", _p("nodename"), _p("tenant"),
          empty_is_suspect=True, parser=_node_counts),
    _read("PEERS", "the peers registered on every node", _p("tenant"),
          empty_is_suspect=True, parser=_model(parsing.parse_peers)),
    _read("CHANNELS", "the live channels (empty at night: legitimate)", _p("tenant"), _p("nodename"),
          parser=_model(parsing.parse_channels)),
    _read("CHANNEL", "details of one channel", _p("channel", required=True, check=validate.channel),
          parser=_channel_detail),
    _read("BLFS", "the BLF state of each extension", tenant_scoped=True, parser=_model(parsing.parse_blfs)),
    _read("FLOWS", "the tenant's flows and their states", tenant_scoped=True, parser=_model(parsing.parse_flows)),
    _read("COUNTCALLS", "the number of calls running", parser=_model(parsing.parse_call_count)),
    # Some deployments answer CDRS and QUEUELOGS as request types of their own.
    _read("CDRS", "call records (some deployments)"),
    _read("QUEUELOGS", "queue logs (some deployments)"),
    _read("CHECKAUTH", "a user's privileges", _p("username", required=True), _p("password", required=True)),
    _read("GETWEBRTCAUTH", "an extension user's WebRTC details",
          _p("username", required=True), _p("password", required=True), carries_secrets=True),
    # ---- INFO info=…: all tenant-scoped
    _info("queues", "the tenant's queues (database ids and names)", parser=_model(parsing.parse_queues)),
    _info("queue", "live statistics of one queue", _p("id", required=True, check=validate.queue_id),
          parser=_queue_stats),
    _info("agents", "agents of one queue, or of every queue", _p("queue", check=validate.queue_id), parser=_agents),
    _info("agentsconnected", "connected agents of one queue or every queue", _p("queue", check=validate.queue_id),
          parser=_agents),
    _info("agentsdelay", "agents' delay in answering", _p("queue", check=validate.queue_id),
          parser=_model(history.parse_agents_delay)),
    _info("outdialed", "calls dialled out by extensions", _p("id"), *_INFO_RANGE),
    _info("simpledialed", "calls dialled out and in (simple call history)", _p("id"), *_INFO_RANGE),
    _info("call", "a call originated with the API (originate id or unique id)", _p("id"), _p("uniqueid"),
          one_of=(("id", "uniqueid"),)),
    _info("inforecording", "a call recording's metadata", _p("id"), _p("uniqueid"),
          one_of=(("id", "uniqueid"),), parser=_model(history.parse_recording_info)),
    _info("recording", "a call's recording", _p("id"), _p("uniqueid"), one_of=(("id", "uniqueid"),)),
    _info("playrecording", "play a call's recording", _p("id"), _p("uniqueid"), one_of=(("id", "uniqueid"),)),
    _info("voicemail", "a voicemail message", _p("id", required=True)),
    _info("voicemailtranscript", "a voicemail message's transcript", _p("id", required=True)),
    _info("dids", "the tenant's DIDs", parser=_model(history.parse_dids)),
    _info("sms", "SMS sent and received", *_INFO_RANGE),
    _info("extensions", "the tenant's extensions (passwords dropped)", parser=_model(parsing.parse_extensions),
          carries_secrets=True),
    _info("extstate", "an extension's state and whom it talks to", _p("id", required=True, check=validate.extension),
          parser=_extension_state),
    _info("config", "the tenant's configured limits", parser=_model(parsing.parse_tenant_config)),
    _info("cdrs", "call records", _p("id"), _p("uniqueid"), _p("linkedid"), _p("src"), _p("firstdst"),
          _p("direction"), _p("phone"), _p("format", values=_values("csv", "xml", "json", "plain")), _p("template"),
          *_INFO_RANGE, parser=_history(history.parse_cdrs)),
    _info("simplecdrs", "call records (simple call history)", _p("id"), _p("uniqueid"), _p("calleridnum"),
          _p("calleridname"), _p("disposition"), _p("direction"), _p("whoanswered"), _p("phone"),
          _p("format", values=_values("csv", "json", "plain")), *_INFO_RANGE, parser=_history(history.parse_simple_cdrs)),
    _info("queuelogs", "calls processed by queues", _p("queue", check=validate.queue_id), *_INFO_RANGE,
          parser=_model(history.parse_queue_logs)),
    _info("balance", "the credit available", *_INFO_RANGE, parser=_model(parsing.parse_balance)),
    _info("flow", "a flow's status", _p("id")),
    _info("variable", "a custom variable's value", _p("id")),
    # ---- QUEUE action=…
    _sub("QUEUE", "action", "list", Access.READ, "a queue's members", *_QUEUE_PARAMS,
         one_of=(("id", "number"),), tenant_scoped=True, parser=_model(parsing.parse_queue_members)),
    _sub("QUEUE", "action", "fulllist", Access.READ, "every agent's details", *_QUEUE_PARAMS,
         one_of=(("id", "number"),), tenant_scoped=True, carries_secrets=True),
    _sub("QUEUE", "action", "add", Access.WRITE, "add an agent to a queue", *_QUEUE_PARAMS,
         one_of=(("id", "number"),), tenant_scoped=True, parser=_action_result("QUEUE")),
    _sub("QUEUE", "action", "del", Access.WRITE, "remove an agent from a queue", *_QUEUE_PARAMS,
         one_of=(("id", "number"),), tenant_scoped=True, parser=_action_result("QUEUE")),
    _sub("QUEUE", "action", "clean", Access.WRITE, "remove every agent from a queue", *_QUEUE_PARAMS,
         one_of=(("id", "number"),), tenant_scoped=True, parser=_action_result("QUEUE")),
    _sub("QUEUE", "action", "log", Access.WRITE, "a custom queue_log entry", *_QUEUE_PARAMS,
         one_of=(("id", "number"),), tenant_scoped=True),
    # ---- AGENT action=pause|unpause (naming no queue acts on every queue: only when the caller says so)
    *(
        _sub("AGENT", "action", action, Access.WRITE, f"{action} a queue agent",
             _p("extension", required=True, check=validate.extension),
             _p("queue", check=validate.queue_id), _p("queuenumber", check=validate.queue_number),
             *((_p("pausereason", check=validate.pause_reason),) if action == "pause" else ()),
             one_of=(("queue", "queuenumber"),), tenant_scoped=True, parser=_action_result("AGENT"),
             one_of_why="without one the server acts on every queue")
        for action in ("pause", "unpause")
    ),
    # ---- calls
    _write("HANGUP", "hang up a channel, or every channel of an extension",
           _p("channel", check=validate.channel), _p("extension", check=validate.extension), _p("fast", values=_YES),
           one_of=(("channel", "extension"),), parser=_action_result("HANGUP")),
    _write("TRANSFER", "transfer a channel (and optionally its peer)",
           _p("channel", required=True, check=validate.channel), _p("dest", required=True, check=validate.destination),
           _p("extrachannel", check=validate.channel), parser=_action_result("TRANSFER")),
    _write("ATXTRANSFER", "attended transfer of a channel",
           _p("channel", required=True, check=validate.channel), _p("dest", required=True, check=validate.destination),
           parser=_action_result("ATXTRANSFER")),
    _write("DIAL", "dial a number and connect it to another",
           _p("source", check=validate.dial_source), _p("exten", check=validate.dial_source),
           _p("dest", check=validate.dialable), _p("phone", check=validate.dialable),
           _p("var"), _p("account"), _p("dialtimeout", check=validate.seconds), _p("timeout", check=validate.seconds),
           _p("sourceclid", check=validate.destination), _p("destclid", check=validate.destination),
           _p("recording", values=_values("yes", "no", "yeschange", "nochange")), _p("server"),
           _p("autoanswer", values=_YES), _p("nofollow", values=_YES),
           one_of=(("source", "exten"), ("dest", "phone")), tenant_scoped=True, parser=_action_result("DIAL")),
    # ---- phones and flows
    _write("REBOOT", "reboot a phone, or ALL", _p("peer", required=True, check=validate.peer),
           parser=_action_result("REBOOT")),
    _write("UNREGISTER", "unregister a phone, or ALL", _p("peer", required=True, check=validate.peer),
           parser=_action_result("UNREGISTER")),
    _write("SETFLOW", "set a flow's state and/or value", _p("number", required=True, check=validate.flow_number),
           _p("state", values=validate.FLOW_STATES, check=validate.flow_state), _p("value", check=validate.flow_value),
           parser=_action_result("SETFLOW")),
    # ---- other writes of the seed
    _write("QUEUERESET", "reset a queue's statistics", _p("queueid", required=True, check=validate.queue_id)),
    _write("SMS", "send an SMS", _p("dest", required=True, check=validate.destination), _p("message", required=True),
           _p("destclid"), _p("server"), tenant_scoped=True),
    *(
        _sub("CAMPAIGN", "action", action, Access.WRITE, f"{action} a call campaign",
             _p("campaign", required=True), _p("number", required=action in ("addnumber", "delnumber")),
             _p("numberdescription"), parser=_action_result("CAMPAIGN"))
        for action in ("start", "stop", "pause", "resume", "addnumber", "delnumber")
    ),
    _sub("FAX", "action", "send", Access.WRITE, "send a fax",
         _p("source_number", required=True), _p("dest_number", required=True), _p("filename", required=True),
         _p("quality", values=_values("204x98", "204x196", "204x392")),
         _p("pagesize", values=_values("a4", "letter", "legal")), _p("rotate", values=_values("", "E", "W", "no")),
         _p("deleteaftersend", values=_values("on")), _p("schedule"), _p("statusemail")),
    _sub("MEDIAFILE", "action", "getaudio", Access.READ, "download a media file's audio",
         _p("objectid", required=True), tenant_scoped=True),
    *(
        _sub("PHONEBOOK", "subreqtype", sub, access, summary, _p("phonebook", required=True), *extra,
             tenant_scoped=True)
        for sub, access, summary, extra in (
            ("query", Access.READ, "search a phone book", (_p("field", required=True), _p("value", required=True))),
            ("add", Access.WRITE, "add a phone book record", (_p("values", required=True),)),
            ("delete", Access.WRITE, "delete a phone book record", (_p("peid", required=True),)),
            ("cleanall", Access.WRITE, "delete every record of a phone book", ()),
        )
    ),
    *(
        _sub("RESPONSEPATH", "action", action, Access.READ, summary, _p("id", required=True), _p("rrid"),
             _p("filter", values=_values("queue", "answer", "uniqueid")), _p("filterdata"), tenant_scoped=True)
        for action, summary in (
            ("list", "a response path's responses"), ("getid", "one response's details"),
            ("getlast", "the latest response's details"),
        )
    ),
    *(
        _sub("VIRTUALEXT", "action", action, access, summary, _p("number", required=True),
             _p("extension", required=action in ("add", "del"), check=validate.extension_or_none), tenant_scoped=True)
        for action, access, summary in (
            ("list", Access.READ, "extensions under a virtual extension"),
            ("add", Access.WRITE, "add an extension to a virtual extension"),
            ("del", Access.WRITE, "remove an extension from a virtual extension"),
            ("clean", Access.WRITE, "remove every extension from a virtual extension"),
        )
    ),
    *(
        _sub("VOICEMAIL", "action", action, access, summary, _p("mailbox", required=action == "messages"),
             _p("msgid", required=action in ("message", "delete")), carries_secrets=action == "list")
        for action, access, summary in (
            ("list", Access.READ, "the voicemail boxes"),
            ("messages", Access.READ, "a mailbox's messages"),
            ("message", Access.READ, "one message's audio"),
            ("delete", Access.WRITE, "delete a voicemail message"),
        )
    ),
    *(
        _sub("MANAGEDB", "action", action, Access.READ if action in _MANAGEDB_READS else Access.WRITE,
             f"database objects: {action}", *_MANAGEDB_PARAMS, carries_secrets=True)
        for action in (*_MANAGEDB_READS, *_MANAGEDB_WRITES)
    ),
)

_BY_KEY: dict[tuple[str, str], RequestSpec] = {(spec.reqtype, spec.variant): spec for spec in REQUESTS}
# The selector of each request type that has sub-types, and the sub-types it takes.
SELECTORS: dict[str, str] = {spec.reqtype: spec.selector for spec in REQUESTS if spec.selector}
VARIANTS: dict[str, tuple[str, ...]] = {
    reqtype: tuple(spec.variant for spec in REQUESTS if spec.reqtype == reqtype) for reqtype in SELECTORS
}


def spec_for(reqtype: str, params: Mapping[str, Any] | None = None) -> RequestSpec | None:
    """The spec of this request (its sub-type chosen by its selector), ``None`` if the table lacks it."""
    name = reqtype.strip().upper()
    selector = SELECTORS.get(name)
    if selector is None:
        return _BY_KEY.get((name, ""))
    value = (params or {}).get(selector)
    return _BY_KEY.get((name, str(value).strip().lower())) if value is not None else None


def is_write(reqtype: str, params: Mapping[str, Any] | None = None) -> bool:
    """Whether a request may change the PBX. What the table does not know counts as a write (the safe side)."""
    spec = spec_for(reqtype, params)
    if spec is not None:
        return spec.writes
    name = reqtype.strip().upper()
    # A type with sub-types, none named (or an unknown one): a write if any of its sub-types writes.
    return name not in SELECTORS or any(_BY_KEY[(name, v)].writes for v in VARIANTS[name])


def carries_secrets(reqtype: str, params: Mapping[str, Any] | None = None) -> bool:
    """Whether a request's body may hold passwords (extension rows, database objects, WebRTC details).
    What the table does not know counts as carrying them (the safe side)."""
    spec = spec_for(reqtype, params)
    return spec is None or spec.carries_secrets


def require_spec(reqtype: str, params: Mapping[str, Any]) -> RequestSpec | None:
    """The spec, or ``InvalidParameter`` when a type with sub-types names none (or an unknown one)
    and one of them writes; ``None`` for a type the table does not know, or an unknown read sub-type."""
    spec = spec_for(reqtype, params)
    name = reqtype.strip().upper()
    if spec is None and name in SELECTORS and is_write(name, params):
        selector = SELECTORS[name]
        given = params.get(selector)
        what = f"invalid {name} {selector} {str(given)[:40]!r}" if given is not None else f"{name}: missing parameter {selector}"
        raise InvalidParameter(f"{what}: expected one of {', '.join(VARIANTS[name])}")
    return spec
