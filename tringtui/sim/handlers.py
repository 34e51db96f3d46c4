"""The request dispatcher: keys and roles, tenant confinement, parameters, and one handler per request type.

``ProxyApi.handle(params)`` turns the query parameters of one request into
``(body, content_type)``, exactly as ``proxyapi.php`` answers (see
``tringtui.sim``'s docstring for every shape). It knows nothing about HTTP,
faults or logging; ``server.py`` does those.

Checks come in this order: the key (unknown → key-rejected text), the format
(not json/plain → empty body), the request type (unknown → empty body), the
tenant (a tenant key must name its own tenant; any named tenant must exist;
types that need a tenant reject its absence), write access (a read-only key
gets the key-rejected text for a write), then the type's own parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tringtui.sim import wire
from tringtui.sim.keys import DEMO_KEYS, ApiKey
from tringtui.sim.state import SimulatedPBX

KEY_REJECTED = "Too bad... you mistaken the security api key."
WRONG_TENANT = "Wrong or missing tenant"
PLAIN_TYPE = "text/html; charset=UTF-8"
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Reply:
    """A body before encoding: ``is_data`` marks JSON data (the only thing JSONP wraps)."""

    text: str
    is_data: bool = False


EMPTY = Reply("")


@dataclass(frozen=True)
class RequestType:
    """How one ``reqtype`` is served: its handler, whether it needs a tenant, whether it writes."""

    handler: str
    needs_tenant: bool = False
    writes: bool | Callable[[Mapping[str, str]], bool] = False


REQUEST_TYPES: dict[str, RequestType] = {
    "COUNTPEERS": RequestType("_countpeers"),
    "COUNTCHANNELS": RequestType("_countchannels"),
    "PEERS": RequestType("_peers"),
    "CHANNELS": RequestType("_channels"),
    "CHANNEL": RequestType("_channel"),
    "BLFS": RequestType("_blfs", needs_tenant=True),
    "FLOWS": RequestType("_flows", needs_tenant=True),
    "INFO": RequestType("_info", needs_tenant=True),
    "COUNTCALLS": RequestType("_countcalls"),
    "QUEUE": RequestType("_queue", needs_tenant=True,
                         writes=lambda p: p.get("action", "list").lower() not in ("list", "fulllist")),
    "AGENT": RequestType("_agent", needs_tenant=True, writes=True),
    "HANGUP": RequestType("_hangup", writes=True),
    "TRANSFER": RequestType("_transfer", writes=True),
    "ATXTRANSFER": RequestType("_atxtransfer", writes=True),
    "REBOOT": RequestType("_reboot", writes=True),
    "UNREGISTER": RequestType("_unregister", writes=True),
    "SETFLOW": RequestType("_setflow", needs_tenant=True, writes=True),
    "DIAL": RequestType("_dial", needs_tenant=True, writes=True),
}
"""Every request type the simulator serves; any other ``reqtype`` gets an empty body."""


def is_write(reqtype: str, params: Mapping[str, str]) -> bool:
    spec = REQUEST_TYPES.get(reqtype)
    if spec is None:
        return False
    return spec.writes(params) if callable(spec.writes) else spec.writes


def success(message: str) -> Reply:
    return Reply(f"Success|{message}|")


def error(message: str) -> Reply:
    return Reply(f"Error|{message}|")


def outcome(result: tuple[bool, str]) -> Reply:
    ok, message = result
    return success(message) if ok else error(message)


class ProxyApi:
    """Serves ``proxyapi.php`` requests against one ``SimulatedPBX`` with a set of accepted keys."""

    def __init__(self, pbx: SimulatedPBX, keys: Mapping[str, ApiKey] = DEMO_KEYS) -> None:
        self.pbx = pbx
        self.keys = dict(keys)
        self._cache: dict[tuple, str] = {}

    def handle(self, params: Mapping[str, str]) -> tuple[str, str]:
        """Answer one request: returns ``(body, content_type)``."""
        fmt = (params.get("format") or "plain").lower()
        content_type = JSON_TYPE if fmt == "json" else PLAIN_TYPE
        reply = self._reply(params, fmt)
        text = reply.text
        callback = params.get("callback")
        if callback and fmt == "json" and reply.is_data and text:
            text = f"{callback}({text});"
        return text, content_type

    def _reply(self, params: Mapping[str, str], fmt: str) -> Reply:
        key = self.keys.get(params.get("key", ""))
        if key is None:
            return Reply(KEY_REJECTED)
        if fmt not in ("json", "plain"):
            return EMPTY
        reqtype = params.get("reqtype", "").upper()
        spec = REQUEST_TYPES.get(reqtype)
        if spec is None:
            return EMPTY
        tenant = params.get("tenant", "")
        known = tenant in self.pbx.tenants
        if key.is_admin:
            if tenant and not known:
                return Reply(WRONG_TENANT if reqtype == "COUNTCHANNELS" else KEY_REJECTED)
            if not tenant and spec.needs_tenant:
                return Reply(KEY_REJECTED)
        elif not tenant or not known:
            return Reply(WRONG_TENANT if reqtype == "COUNTCHANNELS" else KEY_REJECTED)
        elif tenant != key.tenant:
            return Reply(KEY_REJECTED)
        if key.read_only and is_write(reqtype, params):
            return Reply(KEY_REJECTED)
        handler = getattr(self, spec.handler)
        with self.pbx.lock:
            self.pbx.advance()
            return handler(tenant or None, params, fmt)

    # --- helpers ------------------------------------------------------------

    def _data(self, fmt: str, value: object, plain: Callable[[object], str]) -> Reply:
        if fmt == "json":
            return Reply(wire.php_json(value), is_data=True)
        return Reply(plain(value))

    def _cached(self, key: tuple, build: Callable[[], str]) -> str:
        """Bodies of the big listings, reused while the state and the second are the same."""
        full_key = key + (self.pbx.version, int(self.pbx.now))
        body = self._cache.get(full_key)
        if body is None:
            if len(self._cache) > 32:
                self._cache.clear()
            body = self._cache[full_key] = build()
        return body

    # --- read types ---------------------------------------------------------

    def _countpeers(self, tenant, params, fmt) -> Reply:
        counts = wire.count_by_node(self.pbx, ((p.node, p.tenant) for p in self.pbx.world.peer_list
                                               if p.registered), tenant)
        return self._data(fmt, wire.counts_object(self.pbx, counts), wire.plain_pairs)

    def _countchannels(self, tenant, params, fmt) -> Reply:
        node = params.get("nodename") or None
        if node is not None and node not in self.pbx.nodes:
            return EMPTY
        counts = wire.count_by_node(self.pbx, ((leg.node, leg.tenant) for leg in self.pbx.legs.values()),
                                    tenant, node)
        return self._data(fmt, wire.counts_object(self.pbx, counts), wire.plain_pairs)

    def _peers(self, tenant, params, fmt) -> Reply:
        def build() -> str:
            peers = self.pbx.world.registrations_by_tenant[tenant] if tenant else self.pbx.world.peer_list
            rows = [wire.peer_values(self.pbx, peer) for peer in peers]
            if fmt == "json":
                return wire.php_json([wire.peer_object(row) for row in rows])
            return wire.plain_rows([v for value in row for v in (value, value)] for row in rows)
        return Reply(self._cached(("PEERS", tenant, fmt), build), is_data=fmt == "json")

    def _channels(self, tenant, params, fmt) -> Reply:
        node = params.get("nodename") or None

        def build() -> str:
            now = self.pbx.now
            rows = [wire.channel_values(leg, now) for leg in self.pbx.ordered_legs()
                    if (tenant is None or leg.tenant == tenant) and (node is None or leg.node == node)]
            return wire.php_json(rows) if fmt == "json" else wire.plain_rows(rows)
        return Reply(self._cached(("CHANNELS", tenant, node, fmt), build), is_data=fmt == "json")

    def _channel(self, tenant, params, fmt) -> Reply:
        name = params.get("channel")
        if not name:
            return Reply("No channel specified")
        leg = self.pbx.legs.get(name)
        if leg is None or (tenant is not None and leg.tenant != tenant):
            return EMPTY
        return self._data(fmt, wire.channel_detail(self.pbx, leg), wire.plain_rows)

    def _blfs(self, tenant, params, fmt) -> Reply:
        rows = wire.blf_rows(self.pbx, tenant)
        return self._data(fmt, rows, lambda rs: wire.plain_rows(r.values() for r in rs))

    def _flows(self, tenant, params, fmt) -> Reply:
        rows = [wire.flow_row(flow) for flow in self.pbx.tenants[tenant].flows]
        return self._data(fmt, rows, lambda rs: wire.plain_rows(r.values() for r in rs))

    def _countcalls(self, tenant, params, fmt) -> Reply:
        count = sum(1 for call in self.pbx.calls.values() if tenant is None or call.tenant == tenant)
        return Reply(str(count) if count else "")

    def _info(self, tenant, params, fmt) -> Reply:
        kind = (params.get("info") or "").lower()
        handler = getattr(self, f"_info_{kind}", None) if kind.isalpha() else None
        return handler(tenant, params, fmt) if handler else EMPTY

    def _info_queues(self, tenant, params, fmt) -> Reply:
        queues = {str(q.id): q.name for q in self.pbx.tenants[tenant].queues}
        return self._data(fmt, wire.php_object(queues), lambda _: wire.plain_pairs(queues))

    def _info_queue(self, tenant, params, fmt) -> Reply:
        queue_id = params.get("id")
        if not queue_id:
            return Reply("No id specified")
        queue = self.pbx.find_queue(queue_id, None, tenant)
        if queue is None:
            return EMPTY
        return self._data(fmt, wire.queue_stats_object(self.pbx, queue), wire.plain_pairs)

    def _info_agents(self, tenant, params, fmt, connected_only: bool = False) -> Reply:
        queue_id = params.get("queue")
        if queue_id:
            queue = self.pbx.find_queue(queue_id, None, tenant)
            if queue is None:
                return Reply("null", is_data=True) if fmt == "json" else EMPTY
            queues = [queue]
        else:
            queues = self.pbx.tenants[tenant].queues
        agents: dict[str, dict] = {}
        for queue in queues:
            # Keyed by member: with no queue given, a later queue's row replaces an earlier one (as PHP does).
            for member, agent in queue.members.items():
                if connected_only and not agent.peer.registered:
                    continue
                agents[member] = wire.agent_row(self.pbx, queue, member)
        return self._data(fmt, wire.php_object(agents),
                          lambda _: "\n".join(wire.agent_plain_line(m, row) for m, row in agents.items()))

    def _info_agentsconnected(self, tenant, params, fmt) -> Reply:
        return self._info_agents(tenant, params, fmt, connected_only=True)

    def _info_extstate(self, tenant, params, fmt) -> Reply:
        extension = params.get("id") or params.get("extension")
        if not extension:
            return Reply("No id specified")
        peer = self.pbx.find_extension(extension, tenant)
        if peer is None:
            return EMPTY
        return self._data(fmt, wire.extstate_object(self.pbx, peer), wire.plain_pairs)

    def _info_extensions(self, tenant, params, fmt) -> Reply:
        rows = [wire.extension_row(self.pbx, peer) for peer in self.pbx.tenants[tenant].peers]
        return self._data(fmt, rows, lambda rs: "\n".join(
            [wire.EXTENSIONS_PLAIN_HEADER] + [wire.extension_plain_line(r) for r in rs]))

    def _info_config(self, tenant, params, fmt) -> Reply:
        owner = self.pbx.tenants[tenant]
        config = {"maxchannels": str(owner.max_channels), "maxextensions": str(owner.max_extensions),
                  "maxdids": str(owner.max_dids)}
        return self._data(fmt, config, wire.plain_pairs)

    def _history_window(self, params) -> tuple[float, float] | None:
        start, end = params.get("start"), params.get("end")
        low = wire.parse_time(start) if start else float("-inf")
        high = wire.parse_time(end) if end else float("inf")
        if low is None or high is None:
            return None
        return low, high

    def _info_cdrs(self, tenant, params, fmt) -> Reply:
        window = self._history_window(params)
        uniqueid = params.get("uniqueid")
        rows = [] if window is None else [
            wire.cdr_row(r) for r in self.pbx.cdrs
            if r.tenant == tenant and window[0] <= r.started <= window[1] and (not uniqueid or r.uniqueid == uniqueid)
        ]
        return self._history(fmt, rows)

    def _info_queuelogs(self, tenant, params, fmt) -> Reply:
        window = self._history_window(params)
        queue_id = params.get("queue") or params.get("id")
        rows = [] if window is None else [
            wire.queue_log_row(e) for e in self.pbx.queue_log
            if e.tenant == tenant and window[0] <= e.time <= window[1] and (not queue_id or str(e.queue_id) == queue_id)
        ]
        return self._history(fmt, rows)

    def _history(self, fmt: str, rows: list[dict[str, str]]) -> Reply:
        if fmt == "json":
            return Reply(wire.php_streamed_rows(rows), is_data=bool(rows))
        return Reply(wire.plain_rows(r.values() for r in rows))

    def _info_balance(self, tenant, params, fmt) -> Reply:
        return Reply(f"{self.pbx.tenants[tenant].balance:.2f}", is_data=True)

    # --- actions ------------------------------------------------------------

    def _queue(self, tenant, params, fmt) -> Reply:
        action = (params.get("action") or "list").lower()
        if action not in ("list", "add", "del", "clean"):
            return error("Unknown action")
        queue_id, number = params.get("id"), params.get("number")
        if not queue_id and not number:
            return Reply("No id specified")
        queue = self.pbx.find_queue(queue_id, number, tenant)
        if action == "list":
            members = list(queue.members) if queue else []
            if not members:
                return Reply("null", is_data=True) if fmt == "json" else EMPTY
            return self._data(fmt, members, wire.plain_list)
        if queue is None:
            return error("Queue not found")
        if action == "clean":
            return outcome(self.pbx.queue_clean(queue))
        extension = params.get("extension")
        if not extension:
            return Reply("No extension specified")
        if action == "add":
            ok, message = self.pbx.queue_add(queue, extension)
            return Reply("OK") if ok else error(message)
        return outcome(self.pbx.queue_del(queue, extension))

    def _agent(self, tenant, params, fmt) -> Reply:
        extension = params.get("extension")
        if not extension:
            return Reply("No extension specified")
        action = (params.get("action") or "").lower()
        if not action:
            return Reply("No action specified")
        if action not in ("pause", "unpause"):
            return error("Unknown action")
        queue = None
        if params.get("queue") or params.get("queuenumber"):
            queue = self.pbx.find_queue(params.get("queue"), params.get("queuenumber"), tenant)
            if queue is None:
                return error("Queue not found")
        return outcome(self.pbx.set_pause(extension, queue, action == "pause", params.get("pausereason", ""),
                                          tenant))

    def _hangup(self, tenant, params, fmt) -> Reply:
        channel, extension = params.get("channel"), params.get("extension")
        if channel:
            return outcome(self.pbx.hangup_channel(channel, tenant))
        if extension:
            return outcome(self.pbx.hangup_extension(extension, tenant))
        return Reply("No channel specified")

    def _transfer(self, tenant, params, fmt) -> Reply:
        channel, dest = params.get("channel"), params.get("dest")
        if not channel:
            return Reply("No channel specified")
        if not dest:
            return Reply("No destination specified")
        return outcome(self.pbx.transfer(channel, dest, params.get("extrachannel") or None, tenant))

    def _atxtransfer(self, tenant, params, fmt) -> Reply:
        channel, dest = params.get("channel"), params.get("dest")
        if not channel:
            return Reply("No channel specified")
        if not dest:
            return Reply("No destination specified")
        return outcome(self.pbx.atxtransfer(channel, dest, tenant))

    def _reboot(self, tenant, params, fmt) -> Reply:
        peer = params.get("peer")
        if not peer:
            return Reply("No peer specified")
        return outcome(self.pbx.reboot(peer, tenant))

    def _unregister(self, tenant, params, fmt) -> Reply:
        peer = params.get("peer")
        if not peer:
            return Reply("No peer specified")
        return outcome(self.pbx.unregister(peer, tenant))

    def _setflow(self, tenant, params, fmt) -> Reply:
        number = params.get("number")
        if not number:
            return Reply("No number specified")
        state = (params.get("state") or "").upper() or None
        return outcome(self.pbx.set_flow(number, state, params.get("value"), tenant))

    def _dial(self, tenant, params, fmt) -> Reply:
        source = params.get("source") or params.get("exten")
        dest = params.get("dest") or params.get("phone")
        if not source:
            return Reply("No source specified")
        if not dest:
            return Reply("No destination specified")
        ok, message = self.pbx.dial(source, dest, tenant)
        return Reply(f"Success|Originate successfully queued|{message}|") if ok else error(message)
