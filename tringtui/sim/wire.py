"""Rendering the simulator's state as TRiNG response bodies: JSON the way PHP writes it, and plain text.

JSON is written like PHP's ``json_encode``: no spaces, non-ASCII as ``\\uXXXX``,
slashes escaped (``SIP\\/103-DEVEL-0000a3f1``), and an empty associative array
comes out as ``[]`` (``php_object`` does that). Values that come from
Asterisk's CLI or from the database are strings, as on the real API.

Plain renderings (the default when no ``format`` is given) are documented in
``tringtui.sim``'s package docstring; the helpers here produce them.
"""

from __future__ import annotations

import calendar
import json
import time
import zlib
from collections.abc import Iterable, Mapping

from tringtui.sim.model import Flow, Leg, Peer, Queue
from tringtui.sim.state import SimulatedPBX

PEER_FIELDS = ("node", "Name", "Host", "Dyn", "Forcerport", "Comedia", "ACL", "Port", "Status", "Description",
               "Realtime")
_ASTERISK_STATE_CODES = {"Down": 0, "Rsrvd": 1, "OffHook": 2, "Dialing": 3, "Ring": 4, "Ringing": 5, "Up": 6,
                         "Busy": 7}


# --- encodings -----------------------------------------------------------


def php_json(value: object) -> str:
    """``value`` as PHP's ``json_encode`` writes it (compact, ASCII, escaped slashes)."""
    # A '/' can only occur inside JSON strings, so escaping it textually is exact.
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/")


def php_object(mapping: Mapping) -> Mapping | list:
    """An associative array as PHP encodes it: an empty one becomes ``[]``."""
    return mapping if mapping else []


def plain_pairs(mapping: Mapping[str, object]) -> str:
    """``k:v|k:v|`` — the plain rendering of an object (COUNTPEERS, INFO queue, ...)."""
    return "".join(f"{k}:{_plain(v)}|" for k, v in mapping.items())


def plain_list(values: Iterable[object]) -> str:
    """``a|b|`` — the plain rendering of a flat list (QUEUE list)."""
    return "".join(f"{_plain(v)}|" for v in values)


def plain_rows(rows: Iterable[Iterable[object]]) -> str:
    """One line per row, values separated by ``|`` (CHANNELS, PEERS, BLFS, FLOWS, ...)."""
    return "\n".join("|".join(_plain(v) for v in row) for row in rows)


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def timestamp(epoch: float) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in UTC, as BLFS/FLOWS ``st_timestamp``."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


def parse_time(text: str) -> float | None:
    """A ``start``/``end`` parameter: ``YYYY-MM-DD HH:MM:SS``, ``YYYY-MM-DD`` (UTC) or epoch seconds."""
    text = text.strip()
    if text.isdigit():
        return float(text)
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return float(calendar.timegm(time.strptime(text, pattern)))
        except ValueError:
            continue
    return None


def php_streamed_rows(rows: list[dict[str, str]]) -> str:
    """CDRS/QUEUELOGS JSON as the real API writes it row by row: an empty result is a lone ``]``."""
    return "[" + ",".join(php_json(row) for row in rows) + "]" if rows else "]"


# --- rows per request type (call under pbx.lock) -------------------------


def count_by_node(pbx: SimulatedPBX, items: Iterable[tuple[str, str]], tenant: str | None,
                  node: str | None = None) -> dict[str, int]:
    """Counts of ``(node, tenant)`` items per node, every node listed (or just ``node``)."""
    counts = {name: 0 for name in pbx.nodes if node is None or name == node}
    for item_node, item_tenant in items:
        if (tenant is None or item_tenant == tenant) and item_node in counts:
            counts[item_node] += 1
    return counts


def counts_object(pbx: SimulatedPBX, counts: dict[str, int]) -> dict[str, object]:
    """COUNTPEERS/COUNTCHANNELS: numbers per node; an untidy PBX (``Mess.counts_as_text``) sends them as
    strings with a ``total`` entry, as the seed describes."""
    if not pbx.mess.counts_as_text:
        return dict(counts)
    return {**{node: str(count) for node, count in counts.items()}, "total": str(sum(counts.values()))}


def peer_values(pbx: SimulatedPBX, peer: Peer) -> list[str]:
    """A PEERS row: the columns of ``sip show peers`` plus the node."""
    nat = "Yes" if peer.port != 5060 else "No"
    return [
        peer.node, peer.name, peer.address if peer.registered else "(Unspecified)", "D", nat, nat,
        "A" if peer.ex_id % 7 == 0 else "", str(peer.port) if peer.registered else "0", pbx.peer_status(peer),
        peer.description, "Cached RT",
    ]


def peer_object(values: list[str]) -> dict[str, str]:
    """A PEERS JSON row: each value under its index and under its name, as PHP's fetch_array does."""
    row: dict[str, str] = {}
    for index, (name, value) in enumerate(zip(PEER_FIELDS, values)):
        row[str(index)] = value
        row[name] = value
    return row


def channel_values(leg: Leg, now: float) -> list[str]:
    """A CHANNELS row: the 14 fields of ``core show channels concise``."""
    return [
        leg.name, leg.context, leg.exten, leg.priority, leg.state, leg.app or "(None)", leg.data, leg.cid_num,
        leg.tenant, leg.tenant, "3", str(int(now) - int(leg.created)),
        leg.bridged.name if leg.bridged else "(None)", leg.uniqueid,
    ]


def channel_detail(pbx: SimulatedPBX, leg: Leg) -> list[list[str]]:
    """CHANNEL: ``[label, value]`` pairs, the lines of ``core show channel`` and its variables."""
    other = leg.bridged
    elapsed = int(pbx.now) - int(leg.created)
    hours, rest = divmod(elapsed, 3600)
    tech = leg.name.split("/", 1)[0]
    call_hash = zlib.crc32(leg.uniqueid.encode())
    bridge_id = f"{call_hash:08x}-{leg.call.id:04x}-4c5d-9e8f-{zlib.crc32(leg.call.linkedid.encode()):012x}"
    connected = (other.cid_num, other.cid_name or "(N/A)") if other else ("(N/A)", "(N/A)")
    peer_ip = leg.peer.address if leg.peer else "10.20.0.5"
    lines = [
        ("Name", leg.name), ("Type", tech), ("UniqueID", leg.uniqueid), ("LinkedID", leg.call.linkedid),
        ("Caller ID", leg.cid_num), ("Caller ID Name", leg.cid_name or "(N/A)"),
        ("Connected Line ID", connected[0]), ("Connected Line ID Name", connected[1]),
        ("Eff. Connected Line ID", connected[0]), ("Eff. Connected Line ID Name", connected[1]),
        ("DNID Digits", leg.exten if leg.exten != "s" else "(N/A)"), ("Language", "en"),
        ("State", f"{leg.state} ({_ASTERISK_STATE_CODES.get(leg.state, 0)})"),
        ("NativeFormats", "(alaw)"), ("WriteFormat", "alaw"), ("ReadFormat", "alaw"),
        ("WriteTranscode", "No"), ("ReadTranscode", "No"), ("Time to Hangup", "0"),
        ("Elapsed Time", f"{hours}h{rest // 60}m{rest % 60}s"),
        ("Bridge ID", bridge_id if other else ""), ("Direct Bridge", other.name if other else ""),
        ("Indirect Bridge", other.name if other else ""),
        ("Context", leg.context), ("Extension", leg.exten), ("Priority", leg.priority),
        ("Call Group", "0"), ("Pickup Group", "0"), ("Application", leg.app or "(None)"), ("Data", leg.data),
        ("Call Identifer", f"[C-{leg.call.id:08x}]"), ("Variables", ""),
        ("BRIDGEPEER", other.name if other else ""), ("BRIDGEPVTCALLID", f"{call_hash:x}@{peer_ip}" if other else ""),
        ("DIALEDPEERNUMBER", f"{leg.exten}-{leg.tenant}" if leg.app == "Dial" else ""),
        ("DIALEDTIME", str(elapsed) if leg.app == "Dial" else ""),
        ("ANSWEREDTIME", str(elapsed) if other else ""), ("DIALSTATUS", "ANSWER" if other else ""),
        ("TENANT", leg.tenant), ("MIRTA_TENANT", leg.tenant), ("ACCOUNTCODE", leg.tenant),
        ("NODE", leg.node), ("CHANNEL(peerip)", peer_ip), ("CHANNEL(useragent)", "Yealink SIP-T54W 96.86.0.70"
                                                            if leg.peer else "kamailio (5.6.4 (x86_64/linux))"),
        ("SIPCALLID", f"{call_hash:08x}{leg.call.id:06x}@{peer_ip}"), ("SIPDOMAIN", "sip.tring.nu"),
        ("SIPURI", f"sip:{leg.cid_num}@{peer_ip}:5060"), ("SIPUSERAGENT", "Yealink SIP-T54W" if leg.peer else ""),
        ("CDR(accountcode)", leg.tenant), ("CDR(userfield)", ""), ("RECORDING", "no"),
        ("MIXMONITOR_FILENAME", ""), ("QUEUENAME", str(leg.call.queue.id) if leg.call.queue else ""),
        ("MEMBERINTERFACE", f"Local/AG-000-NF-{leg.peer.ex_id}@fromotherpbx"
         if leg.call.queue and leg.peer else ""),
        ("RTPAUDIOQOS", f"ssrc={call_hash};themssrc={call_hash ^ 0xFFFF};lp=0;rxjitter=0.000125;rxcount={elapsed * 50};"
                        f"txjitter=0.000250;txcount={elapsed * 50};rlp=0;rtt=0.012000"),
    ]
    return [[label, value] for label, value in lines]


def blf_rows(pbx: SimulatedPBX, tenant: str) -> list[dict[str, str]]:
    """BLFS: the device state of every extension of ``tenant``, then of its flows."""
    owner = pbx.tenants[tenant]
    rows = [{"st_extension": p.name, "st_state": p.device_state, "st_timestamp": timestamp(p.state_since)}
            for p in owner.peers]
    # An untidy PBX stamps its flows' states in epoch seconds (the contract accepts both).
    epoch = pbx.mess.counts_as_text
    rows += [{"st_extension": flow_state_name(f), "st_state": f.state,
              "st_timestamp": str(int(f.since)) if epoch else timestamp(f.since)} for f in owner.flows]
    return rows


def flow_state_name(flow: Flow) -> str:
    """The custom device a flow is watched through, e.g. ``FL801-DEVEL``."""
    return f"FL{flow.number}-{flow.tenant}"


def flow_row(flow: Flow) -> dict[str, str]:
    """A FLOWS row (database columns, all strings)."""
    return {
        "fl_id": str(flow.id), "fl_te_id": str(flow.te_id), "fl_name": flow.name, "fl_comment": flow.comment,
        "fl_number": flow.number, "fl_value": flow.value,
        "fl_value_for_unavailable": flow.value_for.get("UNAVAILABLE", ""),
        "fl_value_for_inuse": flow.value_for.get("INUSE", ""),
        "fl_value_for_notinuse": flow.value_for.get("NOT_INUSE", ""),
        "fl_value_for_ringing": flow.value_for.get("RINGING", ""),
        "fl_variable_name": flow.variable, "fl_monitor_type": "NONE", "fl_monitor_type_id": "0",
        "fl_monitor_parameter": "", "st_extension": flow_state_name(flow), "st_state": flow.state,
        "st_timestamp": timestamp(flow.since), "st_peername": f"Custom:{flow_state_name(flow)}",
    }


def queue_stats_object(pbx: SimulatedPBX, queue: Queue) -> dict[str, object]:
    """INFO queue: counts as numbers, times and ratios as strings (both happen on the real API)."""
    stats = pbx.queue_stats(queue)
    as_string = {"SERVICELEVEL", "FIRSTWAITING", "SECONDWAITING", "THIRDWAITING", "TALKTIME", "HOLDTIME",
                 "QUEUECAR", "MAXHOLDTIME", "AVERAGETALKTIME", "AVERAGEHOLDTIME"}
    return {k: str(v) if k in as_string else v for k, v in stats.items()}


AGENT_PLAIN_POSITIONS = 12


def agent_row(pbx: SimulatedPBX, queue: Queue, member: str) -> dict[str, object]:
    """An INFO agents row: sparse, index-keyed (positions documented in tring-api.md)."""
    agent = queue.members[member]
    row: dict[str, object] = {
        "0": 1 if agent.paused else 0,
        "1": pbx.agent_status(agent),
        "2": agent.peer.device_state,
    }
    if agent.calls_taken:
        row["3"] = str(agent.calls_taken)
    row["4"] = agent.pause_reason
    if agent.last_call is not None:
        row["5"] = str(int(agent.last_call))
    row["6"] = agent.peer.display
    if agent.penalty:
        row["7"] = str(agent.penalty)
    row["8"] = agent.type_code
    row["10"] = str(queue.id)
    row["11"] = str(agent.peer.ex_id)
    return row


def agent_plain_line(member: str, row: Mapping[str, object]) -> str:
    """``member|p0|p1|...|p11`` with empty positions where the JSON row has none."""
    return "|".join([member] + [_plain(row.get(str(i), "")) for i in range(AGENT_PLAIN_POSITIONS)])


def extstate_object(pbx: SimulatedPBX, peer: Peer) -> dict[str, str]:
    """INFO extstate for one extension."""
    if not peer.registered:
        return {"UniqueID": "KO", "LinkedID": "Extension not registered"}
    if not peer.legs:
        return {"UniqueID": "KO", "LinkedID": "Extension not in use"}
    leg = peer.legs[0]
    other = leg.bridged
    outgoing = leg.app == "Dial"
    other_party = other.cid_num if other else (leg.exten if outgoing else leg.call.legs[0].cid_num)
    return {
        "UniqueID": leg.uniqueid, "LinkedID": leg.call.linkedid,
        "Connected Line ID": other.cid_num if other else "(N/A)",
        "Connected Line ID Name": (other.cid_name or "(N/A)") if other else "(N/A)",
        "Context": leg.context, "Extension": leg.exten, "Direction": "out" if outgoing else "in",
        "OtherParty": other_party,
    }
