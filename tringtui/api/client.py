"""``TringClient``: the async client every part of tringtui uses to talk to ``proxyapi.php``.

One shared ``httpx.AsyncClient`` carries every request (``with_tenant``
clones share it, and share the cap on concurrent requests). Each request is
bounded in time (a total cap, whatever the server does) and in size (the
body is streamed and abandoned past ``max_body_bytes``). Reads may be
retried once after a connection failure; writes never are, and a write whose
answer was lost is reported as ``OutcomeUnknown``. Read-only mode refuses
writes before a byte is sent. The API key lives in a ``Secret`` and is
masked in every URL, log line, exception and repr.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from tringtui.api import parsing, validate
from tringtui.api.errors import (
    ErrorPage,
    InvalidParameter,
    MalformedResponse,
    OutcomeUnknown,
    ReadOnlyError,
    ResponseTooLarge,
    TransportError,
    TringError,
    excerpt,
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
    NodeCounts,
    Peer,
    Queue,
    QueueStats,
    TenantConfig,
)
from tringtui.api.redact import RedactingFilter, redact_text, redact_url
from tringtui.settings import Secret, Settings

log = logging.getLogger("tringtui.api")

RequestObserver = Callable[[str, str, float], None]
"""Told of each request: its type, ``ok`` or the error's class name, and the seconds it took."""
# Whatever is logged on ``tringtui.api`` passes through this filter, which
# knows every key a client was created with. httpx logs each request's full
# URL (the key included) at INFO on its own logger: it gets the filter too.
_LOG_FILTER = RedactingFilter()
for _name in ("tringtui.api", "httpx", "httpcore"):
    logging.getLogger(_name).addFilter(_LOG_FILTER)
# A library does not print: without a configured handler, failures stay silent
# (instead of going to stderr through logging's last-resort handler).
log.addHandler(logging.NullHandler())


def known_secrets() -> frozenset[str]:
    """Every API key a client of this process was created with, for redacting what the
    project prints outside the logs (a crash report)."""
    return _LOG_FILTER.secrets


API_PATH = "/pbx/proxyapi.php"
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024
DEFAULT_USER_AGENT = "tringtui/0.1 (+https://github.com/tringtui)"

# Request types that only read. Anything not listed here (or in READ_ACTIONS
# with a read action) counts as a write: read-only mode blocks it, and it is
# never retried.
READ_REQTYPES = frozenset(
    {
        "COUNTPEERS",
        "COUNTCHANNELS",
        "PEERS",
        "BLFS",
        "FLOWS",
        "CHANNEL",
        "CHANNELS",
        "INFO",
        "CDRS",  # some deployments answer CDRS / QUEUELOGS as request types of their own
        "QUEUELOGS",
        "COUNTCALLS",
        "RESPONSEPATH",
        "CHECKAUTH",
        "GETWEBRTCAUTH",
    }
)
# Request types that change something on the PBX whatever their parameters.
WRITE_REQTYPES = frozenset(
    {
        "AGENT",
        "ATXTRANSFER",
        "CAMPAIGN",
        "DIAL",
        "FAX",
        "HANGUP",
        "QUEUERESET",
        "REBOOT",
        "SETFLOW",
        "SMS",
        "TRANSFER",
        "UNREGISTER",
    }
)
# Request types that read or write depending on one parameter: (parameter, values that only read).
READ_ACTIONS: Mapping[str, tuple[str, frozenset[str]]] = {
    "QUEUE": ("action", frozenset({"list", "fulllist"})),
    "VIRTUALEXT": ("action", frozenset({"list"})),
    "VOICEMAIL": ("action", frozenset({"list", "messages", "message"})),
    "MANAGEDB": ("action", frozenset({"list", "get", "getbinary", "listtenants", "getextensions", "listroutes"})),
    "PHONEBOOK": ("subreqtype", frozenset({"query"})),
    "MEDIAFILE": ("action", frozenset({"getaudio"})),
}


def is_write(reqtype: str, params: Mapping[str, Any] | None = None) -> bool:
    """Whether a request may change the PBX. Unknown request types count as writes (the safe side)."""
    name = reqtype.upper()
    if name in READ_REQTYPES:
        return False
    if name in READ_ACTIONS:
        param, reads = READ_ACTIONS[name]
        return str((params or {}).get(param, "")).lower() not in reads
    return True


@dataclass(frozen=True)
class Timeouts:
    """Time limits of one request, in seconds. ``total`` caps everything, however the server trickles."""

    connect: float = 10.0
    read: float = 30.0
    total: float = 30.0

    @classmethod
    def of(cls, value: float | Timeouts) -> Timeouts:
        """``Timeouts`` from a number (the total cap, also bounding connect and read) or as given."""
        if isinstance(value, Timeouts):
            return value
        seconds = float(value)
        if seconds <= 0:
            raise ValueError("timeout must be positive")
        return cls(connect=min(cls.connect, seconds), read=seconds, total=seconds)


@dataclass(frozen=True, slots=True)
class RawResponse:
    """A response as received: the body text, its content type and, when it is JSON, the decoded value."""

    reqtype: str
    text: str
    content_type: str
    status_code: int
    data: Any = None
    elapsed_ms: float = 0.0
    size: int = 0


class _BodyTooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


@dataclass(frozen=True, slots=True)
class _Failure:
    """Why an attempt got no response: ``kind`` decides retry and outcome, ``detail`` is redacted text."""

    kind: str  # "connect" (nothing sent), "dropped", "timeout", "too_large", "other"
    detail: str


class _SharedPool:
    """What a client and its ``with_tenant`` clones share: the HTTP connection pool and the concurrency cap."""

    def __init__(self, http: httpx.AsyncClient, max_concurrency: int) -> None:
        self.http = http
        self.slots = asyncio.Semaphore(max_concurrency)
        self.closed = False


class TringClient:
    """Async client for one TRiNG server, with one key and (optionally) one tenant.

    Use as ``async with TringClient(server, key, tenant) as client: ...`` or
    call ``aclose()``. Typed read methods return models; write methods return
    an ``ActionResult`` or raise (see the module docstring). Every error is a
    ``tringtui.api.errors.TringError``.
    """

    READ_REQTYPES = READ_REQTYPES
    WRITE_REQTYPES = WRITE_REQTYPES
    READ_ACTIONS = READ_ACTIONS

    def __init__(
        self,
        server: str,
        key: str | Secret,
        tenant: str = "",
        *,
        readonly: bool = False,
        timeout: float | Timeouts = 30.0,
        verify: bool | str = True,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_concurrency: int = 4,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        self._endpoint, self._host = _endpoint_and_host(server)
        self._key = key if isinstance(key, Secret) else Secret(str(key))
        if not self._key:
            raise InvalidParameter("the API key is empty")
        _LOG_FILTER.add_secret(self._key.reveal())
        self.tenant = validate.tenant(tenant) if tenant else ""
        self.readonly = readonly
        self.timeouts = Timeouts.of(timeout)
        if max_body_bytes <= 0 or max_concurrency <= 0:
            raise ValueError("max_body_bytes and max_concurrency must be positive")
        self.max_body_bytes = max_body_bytes
        http = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=min(self.timeouts.connect, self.timeouts.total),
                read=min(self.timeouts.read, self.timeouts.total),
                write=min(self.timeouts.read, self.timeouts.total),
                pool=None,  # the semaphore, not the pool, makes callers wait
            ),
            verify=_tls_verification(verify),
            headers={"User-Agent": user_agent},
            follow_redirects=False,
            limits=httpx.Limits(max_connections=max_concurrency, max_keepalive_connections=max_concurrency),
        )
        self._pool = _SharedPool(http, max_concurrency)
        self._owns_pool = True
        self._observers: list[RequestObserver] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> TringClient:
        """The client a session's settings describe: server, key, tenant, read-only and every cap.

        The monitor, ``tringtui api`` and ``config check`` all build theirs here,
        so a profile's limits apply wherever its key is used.
        """
        return cls(
            settings.server,
            settings.key,
            tenant=settings.tenant,
            readonly=settings.readonly,
            timeout=settings.timeout,
            verify=settings.verify_tls,
            max_body_bytes=settings.max_body_bytes,
            max_concurrency=settings.max_concurrency,
        )

    # ------------------------------------------------------------ lifecycle

    @property
    def server_host(self) -> str:
        """The server's host (and port), for display: never the key, path or query."""
        return self._host

    @property
    def closed(self) -> bool:
        return self._pool.closed

    def with_tenant(self, tenant: str) -> TringClient:
        """A client for another tenant with the same key, sharing this one's connections and
        concurrency cap (for admin keys). Closing the clone does nothing; close the original."""
        clone = object.__new__(TringClient)
        clone.__dict__.update(self.__dict__)
        clone.tenant = validate.tenant(tenant) if tenant else ""
        clone._owns_pool = False
        return clone

    async def aclose(self) -> None:
        """Close the connection pool (shared with ``with_tenant`` clones); a clone's ``aclose`` does nothing."""
        if self._owns_pool and not self._pool.closed:
            self._pool.closed = True
            await self._pool.http.aclose()

    async def __aenter__(self) -> TringClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        mode = ", readonly" if self.readonly else ""
        return f"TringClient(server={self._host!r}, tenant={self.tenant!r}, key=***{mode})"

    # ------------------------------------------------------------ reads

    def _tenant_param(self, tenant: str | None) -> str | None:
        if tenant is None:
            return self.tenant or None
        return validate.tenant(tenant) if tenant else None

    async def count_peers(self, tenant: str | None = None) -> NodeCounts:
        """COUNTPEERS: registered peers per node (``tenant`` overrides the client's, admin keys only)."""
        return await self._read("COUNTPEERS", parsing.parse_node_counts, tenant=self._tenant_param(tenant))

    async def count_channels(self, nodename: str | None = None, tenant: str | None = None) -> NodeCounts:
        """COUNTCHANNELS: channels per node, or on ``nodename`` only."""
        return await self._read(
            "COUNTCHANNELS", parsing.parse_node_counts, nodename=nodename, tenant=self._tenant_param(tenant)
        )

    async def peers(self, tenant: str | None = None) -> list[Peer]:
        """PEERS: every peer on every node, with its registration status."""
        return await self._read("PEERS", parsing.parse_peers, tenant=self._tenant_param(tenant))

    async def channels(self, nodename: str | None = None, tenant: str | None = None) -> list[Channel]:
        """CHANNELS: the live channels (``nodename`` narrows to one node, which is much faster)."""
        return await self._read(
            "CHANNELS", parsing.parse_channels, nodename=nodename, tenant=self._tenant_param(tenant)
        )

    async def channel(self, name: str) -> ChannelDetail | None:
        """CHANNEL: details of one channel, ``None`` when it does not exist (any more)."""
        name = validate.channel(name)
        return await self._read("CHANNEL", lambda text: parsing.parse_channel_detail(text, name), channel=name)

    async def blfs(self) -> list[Blf]:
        """BLFS: the device state of each extension."""
        return await self._read("BLFS", parsing.parse_blfs)

    async def flows(self) -> list[Flow]:
        """FLOWS: the tenant's flows (day/night switches) and their states."""
        return await self._read("FLOWS", parsing.parse_flows)

    async def queues(self) -> list[Queue]:
        """INFO queues: the tenant's queues (database ids and names)."""
        return await self._read("INFO", parsing.parse_queues, info="queues")

    async def queue_stats(self, queue_id: str | int) -> QueueStats | None:
        """INFO queue: live statistics of one queue, ``None`` for an unknown queue."""
        qid = validate.queue_id(queue_id)
        return await self._read("INFO", lambda text: parsing.parse_queue_stats(text, qid), info="queue", id=qid)

    async def agents(self, queue_id: str | int | None = None) -> list[Agent]:
        """INFO agents: agents of one queue, or of every queue."""
        qid = validate.queue_id(queue_id) if queue_id is not None else None
        return await self._read("INFO", lambda text: parsing.parse_agents(text, qid), info="agents", queue=qid)

    async def extension_state(self, extension: str) -> ExtensionState:
        """INFO extstate: whether an extension is registered and whom it is talking to."""
        ext = validate.extension(extension)
        return await self._read(
            "INFO", lambda text: parsing.parse_extension_state(text, ext), info="extstate", id=ext
        )

    async def extensions(self) -> list[Extension]:
        """INFO extensions: the tenant's extensions. The passwords the server sends are never kept."""
        return await self._read("INFO", parsing.parse_extensions, info="extensions")

    async def tenant_config(self) -> TenantConfig:
        """INFO config: the tenant's configured limits."""
        return await self._read("INFO", parsing.parse_tenant_config, info="config")

    async def balance(self) -> float | None:
        """INFO balance: the credit available, ``None`` when the server reports none."""
        return await self._read("INFO", parsing.parse_balance, info="balance")

    async def count_calls(self) -> int:
        """COUNTCALLS: the number of calls running (0 when the server sends nothing, as it does when idle)."""
        return await self._read("COUNTCALLS", parsing.parse_call_count)

    async def queue_members(self, queue_id: str | int | None = None, number: str | None = None) -> list[str]:
        """QUEUE list: the members (``103-DEVEL``) of a queue given by id or by dial number."""
        qid, qnumber = _one_queue(queue_id, number)
        return await self._read("QUEUE", parsing.parse_queue_members, action="list", id=qid, number=qnumber)

    # ------------------------------------------------------------ writes

    async def hangup(self, channel: str | None = None, *, extension: str | None = None, fast: bool = False) -> ActionResult:
        """HANGUP a channel, or every channel of ``extension`` (``103-DEVEL``)."""
        if (channel is None) == (extension is None):
            raise InvalidParameter("hangup needs exactly one of channel or extension")
        return await self._write(
            "HANGUP",
            channel=validate.channel(channel) if channel is not None else None,
            extension=validate.extension(extension) if extension is not None else None,
            fast="yes" if fast else None,
        )

    async def transfer(self, channel: str, dest: str, extrachannel: str | None = None) -> ActionResult:
        """TRANSFER a channel (and optionally its peer ``extrachannel``) to ``dest``."""
        return await self._write(
            "TRANSFER",
            channel=validate.channel(channel),
            dest=validate.destination(dest),
            extrachannel=validate.channel(extrachannel) if extrachannel else None,
        )

    async def attended_transfer(self, channel: str, dest: str) -> ActionResult:
        """ATXTRANSFER: attended transfer of a channel to ``dest``."""
        return await self._write("ATXTRANSFER", channel=validate.channel(channel), dest=validate.destination(dest))

    async def pause_agent(
        self,
        extension: str,
        queue_id: str | int | None = None,
        *,
        queuenumber: str | None = None,
        reason: str = "",
        all_queues: bool = False,
    ) -> ActionResult:
        """AGENT pause in one queue (by id or number). Pausing in every queue needs ``all_queues=True``."""
        return await self._agent("pause", extension, queue_id, queuenumber, all_queues, validate.pause_reason(reason))

    async def unpause_agent(
        self,
        extension: str,
        queue_id: str | int | None = None,
        *,
        queuenumber: str | None = None,
        all_queues: bool = False,
    ) -> ActionResult:
        """AGENT unpause in one queue (by id or number), or in every queue with ``all_queues=True``."""
        return await self._agent("unpause", extension, queue_id, queuenumber, all_queues, "")

    async def _agent(
        self, action: str, extension: str, queue_id: str | int | None, queuenumber: str | None, all_queues: bool, reason: str
    ) -> ActionResult:
        if all_queues:
            if queue_id is not None or queuenumber is not None:
                raise InvalidParameter(f"{action}: name a queue or pass all_queues=True, not both")
            qid = qnumber = None
        else:
            if queue_id is None and queuenumber is None:
                raise InvalidParameter(
                    f"{action}: no queue named; without one the server acts on every queue (pass all_queues=True for that)"
                )
            qid, qnumber = _one_queue(queue_id, queuenumber)
        return await self._write(
            "AGENT",
            extension=validate.extension(extension),
            queue=qid,
            queuenumber=qnumber,
            action=action,
            pausereason=reason or None,
        )

    async def queue_add(
        self, extension: str, queue_id: str | int | None = None, *, number: str | None = None, agent_type: str | None = None
    ) -> ActionResult:
        """QUEUE add: make an extension an agent of a queue (by id or number)."""
        qid, qnumber = _one_queue(queue_id, number)
        return await self._write(
            "QUEUE",
            action="add",
            id=qid,
            number=qnumber,
            extension=validate.extension(extension),
            type=validate.agent_type(agent_type) if agent_type else None,
        )

    async def queue_remove(self, extension: str, queue_id: str | int | None = None, *, number: str | None = None) -> ActionResult:
        """QUEUE del: remove an agent from a queue (by id or number)."""
        qid, qnumber = _one_queue(queue_id, number)
        return await self._write("QUEUE", action="del", id=qid, number=qnumber, extension=validate.extension(extension))

    async def reboot(self, peer: str) -> ActionResult:
        """REBOOT a phone (``103-DEVEL``), or every phone with ``ALL``."""
        return await self._write("REBOOT", peer=validate.peer(peer))

    async def unregister(self, peer: str) -> ActionResult:
        """UNREGISTER a phone (``103-DEVEL``), or every phone with ``ALL``."""
        return await self._write("UNREGISTER", peer=validate.peer(peer))

    async def set_flow(self, number: str, state: str | None = None, value: str | None = None) -> ActionResult:
        """SETFLOW: set a flow's state (INUSE, NOT_INUSE, UNAVAILABLE, RINGING) and/or its value."""
        if state is None and value is None:
            raise InvalidParameter("set_flow needs a state or a value")
        if value is not None and (not str(value).isprintable() or len(str(value)) > 128):
            raise InvalidParameter("invalid flow value: printable text of at most 128 characters expected")
        return await self._write(
            "SETFLOW",
            number=validate.flow_number(number),
            state=validate.flow_state(state) if state is not None else None,
            value=str(value) if value is not None else None,
        )

    async def dial(
        self,
        source: str,
        dest: str,
        *,
        account: str | None = None,
        dial_timeout: int | None = None,
        max_duration: int | None = None,
        source_clid: str | None = None,
        dest_clid: str | None = None,
        autoanswer: bool = False,
    ) -> ActionResult:
        """DIAL ``source`` then connect it to ``dest``; the result's ``reference`` is the originate id."""
        return await self._write(
            "DIAL",
            source="ACCOUNT" if source == "ACCOUNT" else _dialable(source, "source"),
            dest=_dialable(dest, "dest"),
            account=account or None,
            dialtimeout=_seconds(dial_timeout, "dial_timeout"),
            timeout=_seconds(max_duration, "max_duration"),
            sourceclid=validate.destination(source_clid) if source_clid else None,
            destclid=validate.destination(dest_clid) if dest_clid else None,
            autoanswer="yes" if autoanswer else None,
        )

    # ------------------------------------------------------------ generic

    async def request(self, reqtype: str, *, write: bool | None = None, **params: Any) -> RawResponse:
        """Any request type, returned as received (after refusing non-data bodies such as a rejected key).

        ``write`` forces write handling (no retry, unknown outcomes); by
        default it follows ``is_write``. In read-only mode a request that
        ``is_write`` says may write is refused even when ``write=False``.
        A write answered ``Error|…|`` raises ``ActionRefused``.
        """
        name = reqtype.strip().upper()
        if not name.isalnum():
            raise InvalidParameter(f"invalid request type {reqtype!r}")
        clean = {k: None if v is None else str(v) for k, v in params.items()}
        writes = is_write(name, clean)
        if writes:
            self._refuse_if_readonly(name)
        response = await self._call(name, clean, write=writes if write is None else write)
        text = response.text
        if name == "INFO" and str(clean.get("info", "")).lower() == "extensions":
            text = parsing.scrub_secrets(text)
        if writes and text.lstrip()[:6].lower() == "error|":
            self._parse_or_raise(name, text, lambda body: parsing.parse_action_result(name, body))
        return RawResponse(
            reqtype=name,
            text=text,
            content_type=response.content_type,
            status_code=response.status_code,
            data=parsing.try_decode_json(text),
            elapsed_ms=response.elapsed_ms,
            size=response.size,
        )

    # ------------------------------------------------------------ plumbing

    async def _read(self, reqtype: str, parse: Any, **params: str | None) -> Any:
        with self._observed(reqtype, params):
            response = await self._call(reqtype, params, write=False)
            return self._parse_or_raise(reqtype, response.text, parse)

    async def _write(self, reqtype: str, **params: str | None) -> ActionResult:
        with self._observed(reqtype, params):
            response = await self._call(reqtype, params, write=True)
            return self._parse_or_raise(reqtype, response.text, lambda body: parsing.parse_action_result(reqtype, body))

    def _parse_or_raise(self, reqtype: str, text: str, parse: Any) -> Any:
        """Run a parser; its errors are re-raised with the request type, server host and body excerpt."""
        failure: TringError | None = None
        try:
            return parse(text)
        except TringError as exc:
            failure = exc
        except (TypeError, KeyError, AttributeError, IndexError, ValueError) as exc:
            # A shape no parser function anticipated: still a malformed body, never a crash.
            failure = MalformedResponse(f"unexpected shape ({type(exc).__name__})")
        raise self._error(type(failure), reqtype, failure.message, text)

    def _error(self, cls: type[TringError], reqtype: str, what: str, body: str = "") -> TringError:
        """An error whose message names the request, the server host and (redacted) what came back."""
        shown = redact_text(body, [self._key.reveal()]) if body else ""
        message = f"{reqtype} on {self._host}: {what}"
        if shown.strip():
            message += f" — got {excerpt(shown)!r}"
        return cls(message, reqtype=reqtype, server=self._host, body=shown)

    def add_observer(self, observer: RequestObserver) -> None:
        """Call ``observer(request, outcome, seconds)`` after every request (clones share observers).

        ``request`` is the request type (``INFO`` with its ``info``: ``INFO queue``), ``outcome`` ``ok``
        or the error's class name; it runs on the client's loop and must return at once.
        """
        self._observers.append(observer)

    @contextmanager
    def _observed(self, reqtype: str, params: Mapping[str, str | None]) -> Iterator[None]:
        """Tell the observers how the request in the block went (parsing included)."""
        if not self._observers:
            yield
            return
        started = time.monotonic()
        outcome = "ok"
        try:
            yield
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        except Exception as exc:
            outcome = type(exc).__name__
            raise
        finally:
            label = f"{reqtype} {params['info']}" if reqtype == "INFO" and params.get("info") else reqtype
            for observer in self._observers:
                observer(label, outcome, time.monotonic() - started)

    async def _call(self, reqtype: str, params: Mapping[str, str | None], *, write: bool) -> RawResponse:
        """Send one request (retrying a read once after a lost connection) and classify its body."""
        if self._pool.closed:
            raise TransportError(f"{reqtype} on {self._host}: the client is closed", reqtype=reqtype, server=self._host)
        if write:
            self._refuse_if_readonly(reqtype)
        attempts = 1 if write else 2
        for attempt in range(1, attempts + 1):
            outcome = await self._attempt(reqtype, params)
            if isinstance(outcome, RawResponse):
                return self._checked(outcome, write=write)
            if outcome.kind not in ("connect", "dropped") or attempt == attempts:
                break
            log.info("%s on %s: %s; retrying once", reqtype, self._host, outcome.detail)
        raise self._transport_error(reqtype, outcome, write=write)

    def _refuse_if_readonly(self, reqtype: str) -> None:
        if self.readonly:
            raise ReadOnlyError(
                f"{reqtype} on {self._host}: refused, read-only mode (nothing was sent)",
                reqtype=reqtype,
                server=self._host,
            )

    def _transport_error(self, reqtype: str, failure: _Failure, *, write: bool) -> TringError:
        if failure.kind == "too_large":
            if write:
                return self._error(OutcomeUnknown, reqtype, f"{failure.detail}; the action may or may not have been done")
            return self._error(ResponseTooLarge, reqtype, failure.detail)
        if write and failure.kind != "connect":
            return self._error(
                OutcomeUnknown, reqtype, f"{failure.detail}; the action may or may not have been done (not retried)"
            )
        return self._error(TransportError, reqtype, failure.detail)

    def _checked(self, response: RawResponse, *, write: bool) -> RawResponse:
        """Raise for bodies that are not data (rejected key, missing parameter, error page, HTTP error)."""
        recognised = parsing.classify_failure_body(response.text)
        if recognised is not None:
            cls, what = recognised
            if cls is ErrorPage and response.status_code != 200:
                what = f"{self._http_status(response.status_code)}: {what}"
            if write and cls is ErrorPage:
                cls, what = OutcomeUnknown, what + "; the action may or may not have been done"
            raise self._error(cls, response.reqtype, what, response.text)
        if response.status_code != 200:
            what = self._http_status(response.status_code)
            if write:
                raise self._error(OutcomeUnknown, response.reqtype, what + "; the action may or may not have been done", response.text)
            raise self._error(ErrorPage, response.reqtype, what, response.text)
        return response

    def _http_status(self, status: int) -> str:
        """An HTTP error status, with what it most likely means for this client."""
        if status == 404:
            # Nearly always a wrong server URL: say where the client looked.
            return f"HTTP status 404 (no API at {self._host}{urlsplit(self._endpoint).path}: is the server URL right?)"
        if status in (401, 403):
            return f"HTTP status {status} (refused by the web server before the API: an access rule or a proxy?)"
        return f"HTTP status {status}"

    async def _attempt(self, reqtype: str, params: Mapping[str, str | None]) -> RawResponse | _Failure:
        """One HTTP exchange, bounded in time and size. Never raises for network trouble: it returns a
        ``_Failure`` with redacted text, so that no httpx exception (whose text holds the URL, key
        included) is chained to what the caller sees."""
        pool = self._pool
        started = time.monotonic()
        shown_url = ""
        failure: _Failure | None = None
        status = 0
        content_type = ""
        body = b""
        encoding = "utf-8"
        async with pool.slots:
            try:
                request = pool.http.build_request("GET", self._endpoint, params=self._query(reqtype, params))
                shown_url = redact_url(request.url)
                async with asyncio.timeout(self.timeouts.total):
                    response = await pool.http.send(request, stream=True)
                    try:
                        status = response.status_code
                        content_type = response.headers.get("content-type", "")
                        encoding = response.charset_encoding or "utf-8"
                        body = await self._read_capped(response)
                    finally:
                        await response.aclose()
            except _BodyTooLarge as exc:
                failure = _Failure("too_large", f"the response is larger than the {self.max_body_bytes}-byte cap (read {exc.size} bytes)")
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                failure = _Failure("connect", f"could not connect ({self._describe(exc)}){_tls_hint(exc)}")
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                failure = _Failure("dropped", f"the connection was dropped ({self._describe(exc)})")
            except (httpx.TimeoutException, TimeoutError):
                failure = _Failure("timeout", f"no complete answer within {self.timeouts.total:g} s")
            except Exception as exc:  # anything else httpx or the TLS stack raises
                failure = _Failure("other", f"request failed ({self._describe(exc)})")
        elapsed_ms = (time.monotonic() - started) * 1000
        if failure is not None:
            log.warning("%s %s failed after %.0f ms: %s", reqtype, shown_url or self._host, elapsed_ms, failure.detail)
            return failure
        log.debug("%s %s -> HTTP %d, %d bytes in %.0f ms", reqtype, shown_url, status, len(body), elapsed_ms)
        try:
            text = body.decode(encoding, errors="replace")
        except LookupError:  # an unknown charset name
            text = body.decode("utf-8", errors="replace")
        # A PHP file saved with a byte-order mark emits it before the body: not part of the answer.
        text = text.removeprefix("\ufeff")
        return RawResponse(reqtype, text, content_type, status, None, elapsed_ms, len(body))

    def _query(self, reqtype: str, params: Mapping[str, str | None]) -> dict[str, str]:
        query = {"key": self._key.reveal()}
        if "tenant" not in params and self.tenant:
            query["tenant"] = self.tenant
        query["reqtype"] = reqtype
        if "format" not in params:
            query["format"] = "json"
        query.update({name: value for name, value in params.items() if value is not None})
        return query

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise _BodyTooLarge(int(declared))
        chunks = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _BodyTooLarge(size)
            chunks.append(chunk)
        return b"".join(chunks)

    def _describe(self, exc: BaseException) -> str:
        """An exception as redacted text (httpx messages may quote the URL, key included)."""
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return redact_text(text, [self._key.reveal()])


def _endpoint_and_host(server: str) -> tuple[str, str]:
    """``https://api.tring.nu`` → (``https://api.tring.nu/pbx/proxyapi.php``, ``api.tring.nu``)."""
    parts = urlsplit(str(server).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidParameter(f"invalid server URL {redact_url(server)!r}: expected http(s)://host")
    if parts.query or parts.fragment:
        raise InvalidParameter("the server URL must not carry a query or fragment (the key goes in --key-env)")
    hostname = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname  # IPv6 literal
    host = hostname + (f":{parts.port}" if parts.port else "")
    path = parts.path.rstrip("/")
    if not path.endswith(API_PATH):
        path += API_PATH
    return f"{parts.scheme}://{host}{path}", host


def _tls_hint(exc: BaseException) -> str:
    """What to do about the TLS failures people meet first, when ``exc`` is one of them."""
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return ": the server's certificate is not trusted; give its CA with ca_bundle in the profile"
    if "WRONG_VERSION_NUMBER" in text:
        return ": the server does not speak TLS there; is it http:// rather than https://?"
    return ""


def _tls_verification(verify: bool | str) -> bool | ssl.SSLContext:
    """``True``/``False``, or a CA bundle path turned into an SSL context (httpx's preferred form)."""
    if not isinstance(verify, str):
        return bool(verify)
    problem = ""
    try:
        return ssl.create_default_context(cafile=verify)
    except (OSError, ssl.SSLError) as exc:
        problem = getattr(exc, "strerror", None) or str(exc)
    raise InvalidParameter(f"cannot use the CA bundle {verify!r}: {problem}")


def _one_queue(queue_id: str | int | None, number: str | None) -> tuple[str | None, str | None]:
    if (queue_id is None) == (number is None):
        raise InvalidParameter("name the queue by exactly one of its id or its number")
    if queue_id is not None:
        return validate.queue_id(queue_id), None
    return None, validate.queue_number(number)


def _dialable(value: str, what: str) -> str:
    """A DIAL endpoint: a phone number, or an extension (``103`` / ``103-DEVEL``)."""
    try:
        return validate.destination(value)
    except InvalidParameter:
        try:
            return validate.extension(value)
        except InvalidParameter:
            raise InvalidParameter(f"invalid {what} {str(value)[:40]!r}: expected a number or an extension") from None


def _seconds(value: int | None, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidParameter(f"{what} must be a positive number of seconds")
    return str(value)
