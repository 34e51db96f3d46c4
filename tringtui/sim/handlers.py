"""The request dispatcher: keys and roles, tenant confinement, parameters, and one handler per request type.

``ProxyApi.handle(params)`` turns the query parameters of one request into
``(body, content_type)``, exactly as ``proxyapi.php`` answers (see
``tringtui.sim``'s docstring for every shape). It knows nothing about HTTP,
faults or logging; ``server.py`` does those.

Checks come in this order: the key (unknown → key-rejected text), the format
(not json/plain, or csv for INFO cdrs/simplecdrs → empty body), the request type (unknown → empty body), the
tenant (a tenant key must name its own tenant; any named tenant must exist;
types that need a tenant reject its absence; an admin key may give a ``%``
pattern for INFO cdrs/simplecdrs), write access (a read-only key
gets the key-rejected text for a write), then the type's own parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tringtui.sim import info, wire
from tringtui.sim.keys import DEMO_KEYS, ApiKey
from tringtui.sim.replies import (
    EMPTY, JSON_TYPE, KEY_REJECTED, PLAIN_TYPE, WRONG_TENANT, Reply, data, error, outcome,
)
from tringtui.sim.state import SimulatedPBX

__all__ = ["JSON_TYPE", "KEY_REJECTED", "PLAIN_TYPE", "REQUEST_TYPES", "WRONG_TENANT", "ProxyApi", "is_write"]


def is_write(reqtype: str, params: Mapping[str, str]) -> bool:
    spec = REQUEST_TYPES.get(reqtype)
    if spec is None:
        return False
    return spec.writes(params) if callable(spec.writes) else spec.writes


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
        return text, reply.content_type or content_type

    def _reply(self, params: Mapping[str, str], fmt: str) -> Reply:
        key = self.keys.get(params.get("key", ""))
        if key is None:
            return Reply(KEY_REJECTED)
        reqtype = params.get("reqtype", "").upper()
        history = reqtype == "INFO" and (params.get("info") or "").lower() in info.TENANT_PATTERN_TYPES
        if fmt not in (info.HISTORY_FORMATS if history else ("json", "plain")):
            return EMPTY
        spec = REQUEST_TYPES.get(reqtype)
        if spec is None:
            return EMPTY
        tenant = params.get("tenant", "")
        known = tenant in self.pbx.tenants or (history and key.is_admin and "%" in tenant)
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
        with self.pbx.lock:
            self.pbx.advance()
            return spec.handler(self, tenant or None, params, fmt)

    # --- helpers ------------------------------------------------------------

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
        return data(fmt, wire.counts_object(self.pbx, counts), wire.plain_pairs)

    def _countchannels(self, tenant, params, fmt) -> Reply:
        node = params.get("nodename") or None
        if node is not None and node not in self.pbx.nodes:
            return EMPTY
        counts = wire.count_by_node(self.pbx, ((leg.node, leg.tenant) for leg in self.pbx.legs.values()),
                                    tenant, node)
        return data(fmt, wire.counts_object(self.pbx, counts), wire.plain_pairs)

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
        return data(fmt, wire.channel_detail(self.pbx, leg), wire.plain_rows)

    def _blfs(self, tenant, params, fmt) -> Reply:
        rows = wire.blf_rows(self.pbx, tenant)
        return data(fmt, rows, lambda rs: wire.plain_rows(r.values() for r in rs))

    def _flows(self, tenant, params, fmt) -> Reply:
        rows = [wire.flow_row(flow) for flow in self.pbx.tenants[tenant].flows]
        return data(fmt, rows, lambda rs: wire.plain_rows(r.values() for r in rs))

    def _countcalls(self, tenant, params, fmt) -> Reply:
        count = sum(1 for call in self.pbx.calls.values() if tenant is None or call.tenant == tenant)
        return Reply(str(count) if count else "")

    def _info(self, tenant, params, fmt) -> Reply:
        handler = info.INFO_TYPES.get((params.get("info") or "").lower())
        return handler(self.pbx, tenant, params, fmt) if handler else EMPTY

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
            return data(fmt, members, wire.plain_list)
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


@dataclass(frozen=True)
class RequestType:
    """How one ``reqtype`` is served: its handler, whether it needs a tenant, whether it writes."""

    handler: Callable[[ProxyApi, str | None, Mapping[str, str], str], Reply]
    needs_tenant: bool = False
    writes: bool | Callable[[Mapping[str, str]], bool] = False


REQUEST_TYPES: dict[str, RequestType] = {
    "COUNTPEERS": RequestType(ProxyApi._countpeers),
    "COUNTCHANNELS": RequestType(ProxyApi._countchannels),
    "PEERS": RequestType(ProxyApi._peers),
    "CHANNELS": RequestType(ProxyApi._channels),
    "CHANNEL": RequestType(ProxyApi._channel),
    "BLFS": RequestType(ProxyApi._blfs, needs_tenant=True),
    "FLOWS": RequestType(ProxyApi._flows, needs_tenant=True),
    "INFO": RequestType(ProxyApi._info, needs_tenant=True),
    "COUNTCALLS": RequestType(ProxyApi._countcalls),
    "QUEUE": RequestType(ProxyApi._queue, needs_tenant=True,
                         writes=lambda p: p.get("action", "list").lower() not in ("list", "fulllist")),
    "AGENT": RequestType(ProxyApi._agent, needs_tenant=True, writes=True),
    "HANGUP": RequestType(ProxyApi._hangup, writes=True),
    "TRANSFER": RequestType(ProxyApi._transfer, writes=True),
    "ATXTRANSFER": RequestType(ProxyApi._atxtransfer, writes=True),
    "REBOOT": RequestType(ProxyApi._reboot, writes=True),
    "UNREGISTER": RequestType(ProxyApi._unregister, writes=True),
    "SETFLOW": RequestType(ProxyApi._setflow, needs_tenant=True, writes=True),
    "DIAL": RequestType(ProxyApi._dial, needs_tenant=True, writes=True),
}
"""Every request type the simulator serves; any other ``reqtype`` gets an empty body."""
