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
import dataclasses
import logging
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import httpx

from tringtui.api import parsing, validate
from tringtui.api.errors import (
    ActionRefused,
    EmptyAnswer,
    ErrorPage,
    JournalUnavailable,
    KeyRejected,
    InvalidParameter,
    MalformedResponse,
    OutcomeUnknown,
    ParameterError,
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
from tringtui.api.history import (
    AgentDelay,
    CallRecord,
    Did,
    QueueLogRow,
    RecordingInfo,
    SimpleCallRecord,
    server_time,
)
from tringtui.api.memory import BIG_ANSWER_BYTES, release_freed_memory
from tringtui.api.journal import Attempt, WriteContext, WriteJournal
from tringtui.api.redact import RedactingFilter, redact_text, redact_url
from tringtui.api.scrub import scrub_secrets
from tringtui.api.requests import RequestSpec, carries_secrets, is_write, require_spec
from tringtui.audit import AuditJournal, AuditOutcome
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
        # A big answer was parsed: trim the allocator once more after the next answer.
        self.trim_after_next = False


class TringClient:
    """Async client for one TRiNG server, with one key and (optionally) one tenant.

    Use as ``async with TringClient(server, key, tenant) as client: ...`` or
    call ``aclose()``. Typed read methods return models; write methods return
    an ``ActionResult`` or raise (see the module docstring). Every error is a
    ``tringtui.api.errors.TringError``.
    """

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
        journal: WriteJournal | None = None,
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
        # Every write is journalled here, whoever sends it: without a journal of its own, a client
        # uses the default one ($XDG_STATE_HOME/tringtui/audit.jsonl), never none.
        self.journal = journal if journal is not None else WriteJournal(AuditJournal())
        self._context = WriteContext()
        self._observers: list[RequestObserver] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> TringClient:
        """The client a session's settings describe: server, key, tenant, read-only and every cap.

        The monitor, ``tringtui api`` and ``config check`` all build theirs here,
        so a profile's limits apply wherever its key is used, and every write
        is journalled (the profile's ``audit_path``, else the XDG default).
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
            journal=WriteJournal(AuditJournal(settings.audit_path or None), profile=settings.profile),
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

    def for_action(self, action: str, target: Mapping[str, str]) -> TringClient:
        """A clone whose writes are journalled under ``action`` with ``target`` (what the operator
        confirmed), sharing this client's connections. The monitor's actions send through one."""
        clone = object.__new__(TringClient)
        clone.__dict__.update(self.__dict__)
        clone._context = WriteContext(action, dict(target))
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
        """COUNTPEERS: registered peers per node (``tenant`` overrides the client's, admin keys only).
        An empty body raises ``EmptyAnswer``: a live PBX always has peers."""
        return cast(NodeCounts, await self._run("COUNTPEERS", tenant=self._tenant_param(tenant)))

    async def count_channels(self, nodename: str | None = None, tenant: str | None = None) -> NodeCounts:
        """COUNTCHANNELS: channels per node, or on ``nodename`` only (an empty body raises ``EmptyAnswer``)."""
        return cast(
            NodeCounts, await self._run("COUNTCHANNELS", nodename=nodename, tenant=self._tenant_param(tenant))
        )

    async def peers(self, tenant: str | None = None) -> list[Peer]:
        """PEERS: every peer on every node, with its registration status (an empty body raises ``EmptyAnswer``)."""
        return cast("list[Peer]", await self._run("PEERS", tenant=self._tenant_param(tenant)))

    async def channels(self, nodename: str | None = None, tenant: str | None = None) -> list[Channel]:
        """CHANNELS: the live channels (``nodename`` narrows to one node, which is much faster).
        An empty body is no calls, which is legitimate (at night)."""
        return cast("list[Channel]", await self._run("CHANNELS", nodename=nodename, tenant=self._tenant_param(tenant)))

    async def channel(self, name: str) -> ChannelDetail | None:
        """CHANNEL: details of one channel, ``None`` when it does not exist (any more)."""
        return cast("ChannelDetail | None", await self._run("CHANNEL", channel=validate.channel(name)))

    async def blfs(self) -> list[Blf]:
        """BLFS: the device state of each extension."""
        return cast("list[Blf]", await self._run("BLFS"))

    async def flows(self) -> list[Flow]:
        """FLOWS: the tenant's flows (day/night switches) and their states."""
        return cast("list[Flow]", await self._run("FLOWS"))

    async def queues(self, *, empty_is_suspect: bool = False) -> list[Queue]:
        """INFO queues: the tenant's queues (database ids and names).

        ``empty_is_suspect``: an empty body raises ``EmptyAnswer`` instead of
        meaning "no queues" (for a caller that has seen queues before).
        """
        return cast(
            "list[Queue]", await self._run_with("INFO", {"info": "queues"}, empty_is_suspect=empty_is_suspect)
        )

    async def queue_stats(self, queue_id: str | int) -> QueueStats | None:
        """INFO queue: live statistics of one queue, ``None`` for an unknown queue."""
        return cast("QueueStats | None", await self._run("INFO", info="queue", id=validate.queue_id(queue_id)))

    async def agents(self, queue_id: str | int | None = None) -> list[Agent]:
        """INFO agents: agents of one queue, or of every queue."""
        qid = validate.queue_id(queue_id) if queue_id is not None else None
        return cast("list[Agent]", await self._run("INFO", info="agents", queue=qid))

    async def extension_state(self, extension: str) -> ExtensionState:
        """INFO extstate: whether an extension is registered and whom it is talking to."""
        return cast(ExtensionState, await self._run("INFO", info="extstate", id=validate.extension(extension)))

    async def extensions(self) -> list[Extension]:
        """INFO extensions: the tenant's extensions. The passwords the server sends are never kept."""
        return cast("list[Extension]", await self._run("INFO", info="extensions"))

    async def tenant_config(self) -> TenantConfig:
        """INFO config: the tenant's configured limits."""
        return cast(TenantConfig, await self._run("INFO", info="config"))

    async def balance(self) -> float | None:
        """INFO balance: the credit available, ``None`` when the server reports none."""
        return cast("float | None", await self._run("INFO", info="balance"))

    async def agents_connected(self, queue_id: str | int | None = None) -> list[Agent]:
        """INFO agentsconnected: like ``agents``, only the agents whose phone is connected."""
        qid = validate.queue_id(queue_id) if queue_id is not None else None
        return cast("list[Agent]", await self._run("INFO", info="agentsconnected", queue=qid))

    async def agents_delay(self, queue_id: str | int | None = None) -> list[AgentDelay]:
        """INFO agentsdelay: each agent's delay in answering, in one queue or every queue."""
        qid = validate.queue_id(queue_id) if queue_id is not None else None
        return cast("list[AgentDelay]", await self._run("INFO", info="agentsdelay", queue=qid))

    async def cdrs(self, *, start: float | None = None, end: float | None = None, **filters: str) -> list[CallRecord]:
        """INFO cdrs: finished calls, ``start``/``end`` epoch bounds (written in server time) and the seed's
        filters (``linkedid``, ``uniqueid``, ``phone``, ``src``, ``direction``…; comma-separated values)."""
        window = _window(start, end)
        return cast("list[CallRecord]", await self._run("INFO", info="cdrs", **window, **filters))

    async def simple_cdrs(
        self, *, start: float | None = None, end: float | None = None, **filters: str
    ) -> list[SimpleCallRecord]:
        """INFO simplecdrs: the simple call history, with the seed's filters (``phone``, ``uniqueid``, …)."""
        window = _window(start, end)
        return cast("list[SimpleCallRecord]", await self._run("INFO", info="simplecdrs", **window, **filters))

    async def queue_logs(
        self, queue_id: str | int | None = None, *, start: float | None = None, end: float | None = None
    ) -> list[QueueLogRow]:
        """INFO queuelogs: queue_log rows of one queue (or every queue) in the window."""
        qid = validate.queue_id(queue_id) if queue_id is not None else None
        return cast("list[QueueLogRow]", await self._run("INFO", info="queuelogs", queue=qid, **_window(start, end)))

    async def recording_info(self, uniqueid: str) -> RecordingInfo | None:
        """INFO inforecording: a call's recording metadata (never audio), ``None`` when not recorded."""
        return cast("RecordingInfo | None", await self._run("INFO", info="inforecording", uniqueid=uniqueid))

    async def dids(self) -> list[Did]:
        """INFO dids: the tenant's numbers."""
        return cast("list[Did]", await self._run("INFO", info="dids"))

    async def count_calls(self) -> int:
        """COUNTCALLS: the number of calls running (0 when the server sends nothing, as it does when idle)."""
        return cast(int, await self._run("COUNTCALLS"))

    async def queue_members(self, queue_id: str | int | None = None, number: str | None = None) -> list[str]:
        """QUEUE list: the members (``103-DEVEL``) of a queue given by id or by dial number."""
        qid, qnumber = _one_queue(queue_id, number)
        return cast("list[str]", await self._run("QUEUE", action="list", id=qid, number=qnumber))

    # ------------------------------------------------------------ writes

    async def hangup(self, channel: str | None = None, *, extension: str | None = None, fast: bool = False) -> ActionResult:
        """HANGUP a channel, or every channel of ``extension`` (``103-DEVEL``)."""
        return await self._write("HANGUP", channel=channel, extension=extension, fast="yes" if fast else None)

    async def transfer(self, channel: str, dest: str, extrachannel: str | None = None) -> ActionResult:
        """TRANSFER a channel (and optionally its peer ``extrachannel``) to ``dest``."""
        return await self._write("TRANSFER", channel=channel, dest=dest, extrachannel=extrachannel or None)

    async def attended_transfer(self, channel: str, dest: str) -> ActionResult:
        """ATXTRANSFER: attended transfer of a channel to ``dest``."""
        return await self._write("ATXTRANSFER", channel=channel, dest=dest)

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
        if all_queues and (queue_id is not None or queuenumber is not None):
            raise InvalidParameter(f"{action}: name a queue or pass all_queues=True, not both")
        if not all_queues and queue_id is None and queuenumber is None:
            raise InvalidParameter(
                f"{action}: no queue named; without one the server acts on every queue (pass all_queues=True for that)"
            )
        return await self._write(
            "AGENT",
            waived=frozenset({"queue"}) if all_queues else frozenset(),
            extension=extension,
            queue=None if queue_id is None else str(queue_id),
            queuenumber=queuenumber,
            action=action,
            pausereason=reason or None,
        )

    async def queue_add(
        self, extension: str, queue_id: str | int | None = None, *, number: str | None = None, agent_type: str | None = None
    ) -> ActionResult:
        """QUEUE add: make an extension an agent of a queue (by id or number)."""
        qid, qnumber = _one_queue(queue_id, number)
        return await self._write(
            "QUEUE", action="add", id=qid, number=qnumber, extension=validate.extension(extension), type=agent_type or None
        )

    async def queue_remove(self, extension: str, queue_id: str | int | None = None, *, number: str | None = None) -> ActionResult:
        """QUEUE del: remove an agent from a queue (by id or number)."""
        qid, qnumber = _one_queue(queue_id, number)
        return await self._write("QUEUE", action="del", id=qid, number=qnumber, extension=validate.extension(extension))

    async def reboot(self, peer: str) -> ActionResult:
        """REBOOT a phone (``103-DEVEL``), or every phone with ``ALL``."""
        return await self._write("REBOOT", peer=peer)

    async def unregister(self, peer: str) -> ActionResult:
        """UNREGISTER a phone (``103-DEVEL``), or every phone with ``ALL``."""
        return await self._write("UNREGISTER", peer=peer)

    async def set_flow(self, number: str, state: str | None = None, value: str | None = None) -> ActionResult:
        """SETFLOW: set a flow's state (INUSE, NOT_INUSE, UNAVAILABLE, RINGING) and/or its value."""
        if state is None and value is None:
            raise InvalidParameter("set_flow needs a state or a value")
        return await self._write(
            "SETFLOW", number=number, state=None if state is None else str(state), value=None if value is None else str(value)
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
            source=source,
            dest=dest,
            account=account or None,
            dialtimeout=_seconds(dial_timeout, "dial_timeout"),
            timeout=_seconds(max_duration, "max_duration"),
            sourceclid=source_clid or None,
            destclid=dest_clid or None,
            autoanswer="yes" if autoanswer else None,
        )

    async def write_rights_probe(self) -> RawResponse:
        """SETFLOW *without a flow number* (``config check``): nothing can change when no flow is named,
        and the server checks the key's rights first. Raises like ``request``; journalled like any write."""
        spec = require_spec("SETFLOW", {})
        assert spec is not None
        result = await self._send(spec, {}, parse=lambda text: text, context=WriteContext("rights-probe"))
        return cast(RawResponse, result)

    # ------------------------------------------------------------ generic

    async def call(self, reqtype: str, params: Mapping[str, str]) -> Answer:
        """Any request type of the table (``tringtui.api.requests``), checked against it and parsed by
        its parser: a model where one exists, the decoded body otherwise. Writes are journalled; a
        write's ``ActionResult`` carries the parameters sent. ``InvalidParameter`` before sending
        when a parameter is missing or not allowed."""
        spec = require_spec(reqtype, params)
        if spec is None:
            raise InvalidParameter(f"{reqtype.strip().upper()} is not in the request table: use request()")
        captured: list[RawResponse] = []

        def parse(text: str) -> Any:
            return spec.parse(text, sent)

        sent = spec.checked(params)
        classify_write = spec.writes and spec.parser is None  # no model: as received, ``Error|`` refused
        value = await self._send(spec, sent, parse=parse, received=captured.append, classify_write=classify_write)
        return Answer(value, captured[0] if captured else None)

    async def request(self, reqtype: str, *, write: bool | None = None, **params: Any) -> RawResponse:
        """Any request type, returned as received (after refusing non-data bodies such as a rejected key).

        ``write`` forces write handling (no retry, unknown outcomes); by
        default it follows ``is_write``. In read-only mode a request that
        ``is_write`` says may write is refused even when ``write=False``.
        A write is checked against the request table first (required
        parameters, allowed values) and journalled; answered ``Error|…|`` it
        raises ``ActionRefused``, answered nothing ``OutcomeUnknown``.
        """
        name = reqtype.strip().upper()
        if not name.isalnum():
            raise InvalidParameter(f"invalid request type {reqtype!r}")
        clean = {k: str(v) for k, v in params.items() if v is not None}
        writes = is_write(name, clean)
        if writes:
            self._refuse_if_readonly(name)
        spec = require_spec(name, clean) if writes else None
        if spec is not None:
            clean = spec.checked(clean)
        if writes or write:
            return cast(RawResponse, await self._send(
                spec, clean, parse=lambda text: text, reqtype=name, classify_write=True
            ))
        response = await self._call(name, clean, write=False)
        return self._raw(name, response)

    def _raw(self, name: str, response: RawResponse) -> RawResponse:
        text = response.text
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

    async def _run(self, reqtype: str, **params: str | None) -> Any:
        """A typed method's request: checked against the table, sent, parsed by the table's parser."""
        return await self._run_with(reqtype, params)

    async def _run_with(
        self,
        reqtype: str,
        params: Mapping[str, str | None],
        *,
        empty_is_suspect: bool = False,
        waived: frozenset[str] = frozenset(),
    ) -> Any:
        spec = require_spec(reqtype, params)
        if spec is None:  # a typed method always names a request of the table
            raise InvalidParameter(f"{reqtype} is not in the request table")
        sent = spec.checked(params, waived=waived)
        return await self._send(
            spec, sent, parse=lambda text: spec.parse(text, sent), empty_is_suspect=empty_is_suspect
        )

    async def _write(self, reqtype: str, *, waived: frozenset[str] = frozenset(), **params: str | None) -> ActionResult:
        return cast(ActionResult, await self._run_with(reqtype, params, waived=waived))

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

    async def _send(
        self,
        spec: RequestSpec | None,
        params: dict[str, str],
        *,
        parse: Callable[[str], Any],
        reqtype: str = "",
        empty_is_suspect: bool = False,
        context: WriteContext | None = None,
        classify_write: bool = False,
        received: Callable[[RawResponse], None] | None = None,
    ) -> Any:
        """Send one request and parse its answer, telling the observers how it went."""
        name = spec.reqtype if spec is not None else reqtype
        tenant_scoped = spec is not None and spec.tenant_scoped
        with self._observed(name, params):
            if not classify_write and (spec is None or not spec.writes):
                suspect = empty_is_suspect or (spec is not None and spec.empty_is_suspect)
                return await self._read(name, params, parse, tenant_scoped=tenant_scoped,
                                        empty_is_suspect=suspect, received=received)
            return await self._journalled_write(name, params, parse, tenant_scoped=tenant_scoped,
                                                context=context or self._context, classify_write=classify_write,
                                                received=received)

    async def _read(
        self, name: str, params: dict[str, str], parse: Callable[[str], Any], *, tenant_scoped: bool,
        empty_is_suspect: bool, received: Callable[[RawResponse], None] | None,
    ) -> Any:
        response = await self._call(name, params, write=False, tenant_scoped=tenant_scoped)
        if received is not None:
            received(self._raw(name, response))
        if empty_is_suspect and not response.text.strip():
            raise self._error(EmptyAnswer, name, "empty answer (no data), where a live PBX always sends some")
        size = response.size
        value = self._parse_or_raise(name, response.text, parse)
        del response  # the body text is not kept alongside the models (big answers)
        self._after_answer(size)
        return value

    async def _journalled_write(
        self, name: str, params: dict[str, str], parse: Callable[[str], Any], *, tenant_scoped: bool,
        context: WriteContext, classify_write: bool, received: Callable[[RawResponse], None] | None,
    ) -> Any:
        """A write, journalled around: the attempt line is on disk before the request leaves, the
        outcome line follows whatever happens."""
        self._refuse_if_readonly(name)
        attempt = self._journal_attempt(name, params, context)
        started = time.monotonic()
        try:
            response = await self._call(name, params, write=True, tenant_scoped=tenant_scoped)
            if received is not None:
                received(self._raw(name, response))
            if not response.text.strip():
                raise self._error(OutcomeUnknown, name, "the server sent an empty answer: the action may or may not have been done")
            if classify_write:
                result = self._classified_write(name, params, response)
            else:
                result = self._parse_or_raise(name, response.text, parse)
        except BaseException as exc:  # cancelled while waiting too: the outcome line must say so
            self._journal_outcome(attempt, exc, started)
            raise
        if isinstance(result, ActionResult):
            result = dataclasses.replace(result, params=dict(params))
        self._journal_outcome(attempt, result, started)
        return result

    def _after_answer(self, size: int) -> None:
        """After a big answer, and once more after the answer that follows it (by then the caller has
        usually dropped the previous models), hand the freed memory back to the system."""
        if size >= BIG_ANSWER_BYTES:
            self._pool.trim_after_next = True
            release_freed_memory()
        elif self._pool.trim_after_next:
            self._pool.trim_after_next = False
            release_freed_memory()

    def _classified_write(self, name: str, params: Mapping[str, str], response: RawResponse) -> RawResponse:
        """A write without a model, as received; ``Error|…|`` raises ``ActionRefused``."""
        if response.text.lstrip()[:6].lower() == "error|":
            self._parse_or_raise(name, response.text, lambda body: parsing.parse_action_result(name, body))
        return self._raw(name, response)

    def _journal_attempt(self, reqtype: str, params: Mapping[str, str], context: WriteContext) -> Attempt:
        try:
            return self.journal.attempt(self._host, params.get("tenant") or self.tenant, reqtype, params, context)
        except OSError as error:
            raise self._error(
                JournalUnavailable, reqtype, f"the audit journal cannot be written ({error}); nothing was sent"
            ) from None

    def _journal_outcome(self, attempt: Attempt, result: object, started: float) -> None:
        outcome, message = _journal_outcome_of(result)
        problem = self.journal.outcome(attempt, outcome, message, round((time.monotonic() - started) * 1000))
        if problem:
            log.warning("the audit journal's outcome line could not be written: %s", problem)

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

    async def _call(
        self, reqtype: str, params: Mapping[str, str | None], *, write: bool, tenant_scoped: bool = False
    ) -> RawResponse:
        """Send one request (retrying a read once after a lost connection) and classify its body."""
        if self._pool.closed:
            raise TransportError(f"{reqtype} on {self._host}: the client is closed", reqtype=reqtype, server=self._host)
        if write:
            self._refuse_if_readonly(reqtype)
        attempts = 1 if write else 2
        failure = _Failure("other", "not attempted")
        for attempt in range(1, attempts + 1):
            outcome = await self._attempt(reqtype, params)
            if isinstance(outcome, RawResponse):
                if carries_secrets(reqtype, params):  # before anything reads it: parsers, errors, callers
                    outcome = dataclasses.replace(outcome, text=scrub_secrets(outcome.text))
                tenantless = tenant_scoped and not (params.get("tenant") or self.tenant)
                return self._checked(outcome, write=write, tenantless=tenantless)
            failure = outcome
            if failure.kind not in ("connect", "dropped") or attempt == attempts:
                break
            log.info("%s on %s: %s; retrying once", reqtype, self._host, failure.detail)
        raise self._transport_error(reqtype, failure, write=write)

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

    def _checked(self, response: RawResponse, *, write: bool, tenantless: bool = False) -> RawResponse:
        """Raise for bodies that are not data (rejected key, missing parameter, error page, HTTP error).

        ``tenantless``: a tenant-scoped request sent without a tenant, where the
        key-rejected text may only mean "which tenant?" (an admin key).
        """
        recognised = parsing.classify_failure_body(response.text)
        if recognised is not None:
            cls, what = recognised
            if cls is KeyRejected and tenantless:
                what = (f"the server rejected the request: {response.reqtype} is tenant-scoped and no tenant was "
                        "sent, so it may only need a tenant (the text is the same as for a wrong key)")
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
        body = bytearray()
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
        size = len(body)
        try:
            text = body.decode(encoding, errors="replace")
        except LookupError:  # an unknown charset name
            text = body.decode("utf-8", errors="replace")
        del body  # the bytes are not kept beside their text (big answers)
        # A PHP file saved with a byte-order mark emits it before the body: not part of the answer.
        text = text.removeprefix("\ufeff")
        return RawResponse(reqtype, text, content_type, status, None, elapsed_ms, size)

    def _query(self, reqtype: str, params: Mapping[str, str | None]) -> dict[str, str]:
        query = {"key": self._key.reveal()}
        if "tenant" not in params and self.tenant:
            query["tenant"] = self.tenant
        query["reqtype"] = reqtype
        if "format" not in params:
            query["format"] = "json"
        query.update({name: value for name, value in params.items() if value is not None})
        return query

    async def _read_capped(self, response: httpx.Response) -> bytearray:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise _BodyTooLarge(int(declared))
        # One growing buffer, not a list of chunks joined at the end (which held the body twice).
        body = bytearray()
        async for chunk in response.aiter_bytes():
            if len(body) + len(chunk) > self.max_body_bytes:
                raise _BodyTooLarge(len(body) + len(chunk))
            body += chunk
        return body

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


def _window(start: float | None, end: float | None) -> dict[str, str]:
    """``start``/``end`` as the server reads them (see ``history.server_time``); left out when not given."""
    window = {}
    if start is not None:
        window["start"] = server_time(start)
    if end is not None:
        window["end"] = server_time(end)
    return window


def _seconds(value: int | None, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidParameter(f"{what} must be a positive number of seconds")
    return str(value)


@dataclass(frozen=True, slots=True)
class Answer:
    """What ``TringClient.call`` returns: the parsed value, and the response as received."""

    value: Any
    raw: RawResponse | None = None


def _journal_outcome_of(result: object) -> tuple[AuditOutcome, str]:
    """The journal's outcome and message for a write's result or the exception it ended with."""
    if isinstance(result, ActionResult):
        return AuditOutcome(result.outcome.value), result.message or result.outcome.value
    if isinstance(result, RawResponse):
        head = result.text.strip()[:7].lower()
        if head.startswith("success") or head == "ok":
            return AuditOutcome.SUCCESS, excerpt(result.text)
        return AuditOutcome.UNKNOWN, f"answered {excerpt(result.text)!r}"
    if isinstance(result, (ActionRefused, KeyRejected, ParameterError)) and not isinstance(result, InvalidParameter):
        return AuditOutcome.REFUSED, str(result)
    if isinstance(result, OutcomeUnknown):
        return AuditOutcome.UNKNOWN, str(result)
    if isinstance(result, TringError):
        return AuditOutcome.FAILED, str(result)
    if isinstance(result, asyncio.CancelledError):
        return AuditOutcome.UNKNOWN, "stopped waiting for the answer (cancelled): the write may have reached the PBX"
    return AuditOutcome.UNKNOWN, f"interrupted ({type(result).__name__}): the write may have reached the PBX"
