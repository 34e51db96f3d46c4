"""``reqtype=INFO``: one handler per ``info`` sub-type, in the table ``INFO_TYPES``.

Each handler takes ``(pbx, tenant, params, fmt)`` under the PBX's lock and
returns a ``Reply``. ``tenant`` is the request's tenant code; for ``cdrs`` and
``simplecdrs`` an admin key may give a ``%`` pattern instead (``%`` for all
tenants, ``DEV%`` for those starting so), as the seed allows. Filters take
comma-separated values (``uniqueid=a,b``). Which shapes are contract and
which are inferred is written in ``records.py``; the rest in ``tringtui.sim``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from tringtui.sim import records, wire
from tringtui.sim.model import CallRecord
from tringtui.sim.replies import EMPTY, Reply, data
from tringtui.sim.state import SimulatedPBX

InfoHandler = Callable[[SimulatedPBX, str, Mapping[str, str], str], Reply]

HISTORY_FORMATS = ("json", "plain", "csv")
"""Formats of cdrs and simplecdrs (the seed lists csv for both); other types know json and plain."""


def tenant_matches(pattern: str, code: str) -> bool:
    """A tenant code against a tenant parameter that may hold SQL ``%`` wildcards."""
    if "%" not in pattern:
        return code == pattern
    regex = ".*".join(re.escape(part) for part in pattern.split("%"))
    return re.fullmatch(regex, code, flags=re.IGNORECASE) is not None


def wanted(params: Mapping[str, str], name: str) -> set[str] | None:
    """The comma-separated values of filter ``name``, or None when it is not given."""
    text = params.get(name)
    if not text:
        return None
    return {value.strip() for value in text.split(",") if value.strip()}


def time_window(params: Mapping[str, str]) -> tuple[float, float] | None:
    """``start``/``end`` as epoch bounds (open when missing); None when either does not parse."""
    start, end = params.get("start"), params.get("end")
    low = wire.parse_time(start) if start else float("-inf")
    high = wire.parse_time(end) if end else float("inf")
    if low is None or high is None:
        return None
    return low, high


# --- live state -----------------------------------------------------------------


def queues(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    listing = {str(q.id): q.name for q in pbx.tenants[tenant].queues}
    return data(fmt, wire.php_object(listing), lambda _: wire.plain_pairs(listing))


def queue(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    queue_id = params.get("id")
    if not queue_id:
        return Reply("No id specified")
    found = pbx.find_queue(queue_id, None, tenant)
    if found is None:
        return EMPTY
    return data(fmt, wire.queue_stats_object(pbx, found), wire.plain_pairs)


def agents(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str, connected_only: bool = False) -> Reply:
    queue_id = params.get("queue")
    if queue_id:
        found = pbx.find_queue(queue_id, None, tenant)
        if found is None:
            return Reply("null", is_data=True) if fmt == "json" else EMPTY
        chosen = [found]
    else:
        chosen = pbx.tenants[tenant].queues
    rows: dict[str, dict] = {}
    for each in chosen:
        # Keyed by member: with no queue given, a later queue's row replaces an earlier one (as PHP does).
        for member, agent in each.members.items():
            if connected_only and not agent.peer.registered:
                continue
            rows[member] = wire.agent_row(pbx, each, member)
    return data(fmt, wire.php_object(rows),
                lambda _: "\n".join(wire.agent_plain_line(m, row) for m, row in rows.items()))


def agents_connected(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    return agents(pbx, tenant, params, fmt, connected_only=True)


def agents_delay(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    """Per member (a later queue replacing an earlier one, as in INFO agents), its answer delays."""
    queue_ids = wanted(params, "queue")
    rows: dict[str, dict[str, str]] = {}
    for each in pbx.tenants[tenant].queues:
        if queue_ids is not None and str(each.id) not in queue_ids:
            continue
        for member, agent in each.members.items():
            rows[member] = records.agent_delay_values(agent)
    if queue_ids is not None and not rows:
        return Reply("null", is_data=True) if fmt == "json" else EMPTY
    columns = records.AGENT_DELAY_COLUMNS
    return data(fmt, wire.php_object({m: records.indexed(columns, v) for m, v in rows.items()}),
                lambda _: "\n".join("|".join([m, *records.doubled_plain_line(columns, v)]) for m, v in rows.items()))


def extstate(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    extension = params.get("id") or params.get("extension")
    if not extension:
        return Reply("No id specified")
    peer = pbx.find_extension(extension, tenant)
    if peer is None:
        return EMPTY
    return data(fmt, wire.extstate_object(pbx, peer), wire.plain_pairs)


# --- the tenant's configuration ---------------------------------------------------


def extensions(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    owner = pbx.tenants[tenant]
    values = [records.extension_values(pbx.seed, owner, peer) for peer in owner.peers]
    if fmt == "json":
        return data(fmt, [records.indexed(records.EXTENSION_COLUMNS, v) for v in values], str)
    return Reply("\n".join([records.EXTENSIONS_PLAIN_HEADER] + [records.extension_plain_line(v) for v in values]))


def dids(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    owner = pbx.tenants[tenant]
    values = [records.did_values(owner, index, number) for index, number in enumerate(owner.dids)]
    return _rows(fmt, records.DID_COLUMNS, values, empty="[]")


def config(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    owner = pbx.tenants[tenant]
    settings = {"maxchannels": str(owner.max_channels), "maxextensions": str(owner.max_extensions),
                "maxdids": str(owner.max_dids)}
    return data(fmt, settings, wire.plain_pairs)


def balance(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    return Reply(f"{pbx.tenants[tenant].balance:.2f}", is_data=True)


# --- history ---------------------------------------------------------------------


def _calls(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str],
           fields: Mapping[str, Callable[[CallRecord], Iterable[str]]]) -> list[CallRecord] | None:
    """The call records of ``tenant`` (a pattern) in the time window, passing every filter of ``fields``."""
    window = time_window(params)
    if window is None:
        return None
    filters = [(wanted(params, name), values) for name, values in fields.items()]
    phones = wanted(params, "phone")
    phone_keys = {records.number_key(p) for p in phones} if phones is not None else None
    found = []
    for record in pbx.cdrs:
        if not tenant_matches(tenant, record.tenant) or not window[0] <= record.started <= window[1]:
            continue
        if any(allowed is not None and not allowed & set(values(record)) for allowed, values in filters):
            continue
        if phone_keys is not None and not phone_keys & records.phone_numbers(record):
            continue
        found.append(record)
    return found


_CDR_FILTERS: dict[str, Callable[[CallRecord], Iterable[str]]] = {
    "id": lambda r: (str(r.id),),
    "uniqueid": lambda r: (r.uniqueid,),
    "linkedid": lambda r: (r.linkedid,),
    "src": lambda r: (r.src_peer, r.src_number, r.src_peer.split("-", 1)[0]),
    "firstdst": lambda r: (r.first_dst,),
    "direction": lambda r: (r.direction,),
}

_SIMPLE_CDR_FILTERS: dict[str, Callable[[CallRecord], Iterable[str]]] = {
    "id": lambda r: (str(r.id),),
    "uniqueid": lambda r: (r.uniqueid,),
    "calleridnum": lambda r: (r.src_number,),
    "calleridname": lambda r: (r.src_name,),
    "disposition": lambda r: (r.disposition,),
    "direction": lambda r: (r.direction,),
    "whoanswered": lambda r: (r.whoanswered, r.whoanswered.split("-", 1)[0]),
}


def cdrs(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    found = _calls(pbx, tenant, params, _CDR_FILTERS) or []
    return _rows(fmt, records.CDR_COLUMNS, [records.cdr_values(r) for r in found])


def simple_cdrs(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    found = _calls(pbx, tenant, params, _SIMPLE_CDR_FILTERS) or []
    return _rows(fmt, records.SIMPLE_CDR_COLUMNS, [records.simple_cdr_values(r) for r in found])


def queue_logs(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    window = time_window(params)
    queue_ids = wanted(params, "queue") or wanted(params, "id")
    found = [] if window is None else [
        records.queue_log_values(entry) for entry in pbx.queue_log
        if entry.tenant == tenant and window[0] <= entry.time <= window[1]
        and (queue_ids is None or str(entry.queue_id) in queue_ids)
    ]
    if fmt == "json":
        return Reply(wire.php_streamed_rows(found), is_data=bool(found))
    return Reply(wire.plain_rows(row.values() for row in found))


def inforecording(pbx: SimulatedPBX, tenant: str, params: Mapping[str, str], fmt: str) -> Reply:
    """Metadata of a finished call's recording, by ``uniqueid``, ``linkedid`` or ``id`` (the originate id)."""
    keys = wanted(params, "uniqueid") or wanted(params, "linkedid") or wanted(params, "id")
    if keys is None:
        return Reply("No id specified")
    for record in reversed(pbx.cdrs):
        if record.tenant == tenant and record.recorded and keys & {record.uniqueid, record.linkedid,
                                                                    record.originate_id}:
            return data(fmt, records.recording_metadata(record), wire.plain_pairs)
    return EMPTY


def _rows(fmt: str, columns: Sequence[str], rows: list[dict[str, str]], empty: str = "]") -> Reply:
    """Index-duplicated rows: JSON (``empty`` when none), plain (each value twice), or csv with a header."""
    if fmt == "csv":
        return Reply(records.csv_table(columns, rows), content_type=records.CSV_TYPE)
    if fmt == "json":
        if not rows:
            return Reply(empty, is_data=empty != "]")
        return Reply(wire.php_streamed_rows([records.indexed(columns, row) for row in rows]), is_data=True)
    return Reply(wire.plain_rows(records.doubled_plain_line(columns, row) for row in rows))


INFO_TYPES: dict[str, InfoHandler] = {
    "queues": queues,
    "queue": queue,
    "agents": agents,
    "agentsconnected": agents_connected,
    "agentsdelay": agents_delay,
    "extstate": extstate,
    "extensions": extensions,
    "dids": dids,
    "config": config,
    "balance": balance,
    "cdrs": cdrs,
    "simplecdrs": simple_cdrs,
    "queuelogs": queue_logs,
    "inforecording": inforecording,
}
"""Every ``info`` sub-type served; any other gets an empty body."""

TENANT_PATTERN_TYPES = frozenset({"cdrs", "simplecdrs"})
"""Sub-types whose ``tenant`` may be a ``%`` pattern (admin keys only)."""
