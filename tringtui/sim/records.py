"""Rows of the INFO history and account types (cdrs, simplecdrs, queuelogs, inforecording, agentsdelay, dids,
extensions).

What is **contract** (from ``tring-api.md``: observed, or seen through a public
client of real servers) and what is **inferred** (nobody has published it;
kept in one function per shape so it can be corrected against a real server):

- INFO cdrs — contract: exactly the columns ``CDR_COLUMNS``; times
  ``YYYY-MM-DD HH:MM:SS`` (the sim's server time is UTC); ``clid`` as
  ``"Name" <+15551234567>``; ``dcontext`` ``fromoutside`` (inbound),
  ``fromotherpbx`` (API-originated), ``authenticated`` (from a phone);
  ``lastdst`` with a ``#NNN#`` routing prefix on calls out through a trunk;
  ``realsrc``/``src`` with the ``-<tenant>`` suffix for phones; dispositions
  ``ANSWERED``, ``NO ANSWER``, ``BUSY``, ``FAILED``; ``format=csv`` has a header
  line; an empty JSON result is a lone ``]``. Inferred: the JSON rows carry
  each value under its name and its index (as other rows do); ``answer`` is
  empty when nobody answered; the cost columns' formats.
- INFO simplecdrs — inferred throughout (``SIMPLE_CDR_COLUMNS``, index-
  duplicated JSON, csv with a header); its filters are the seed's.
- INFO queuelogs — contract: empty JSON is ``]``. Inferred: the columns of
  Asterisk's ``queue_log`` table (``time, callid, queuename, agent, event,
  data1..data5``), named only.
- INFO inforecording — inferred: one object of metadata (never audio) for a
  call's uniqueid, linkedid or originate id; empty body when not recorded.
- INFO agentsdelay — inferred: keyed by member like INFO agents, each a row
  under names and indexes (``AGENT_DELAY_COLUMNS``).
- INFO dids — contract: rows read by index: 2, 3, 4 the number's parts, 5 the
  description, 13 a ``yes``/``no`` flag (a client skips ``yes`` DIDs), values
  also under ``di_*`` names. Inferred: the other columns and their names.
- INFO extensions — contract: JSON rows index-keyed with more than 130 fields,
  the extension number at index 132, passwords among them; plain has the
  header ``Number|Name|Tech|State|Username|Password``. Inferred: the other
  ``ex_*`` names and their order.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence

from tringtui.sim.model import Agent, CallRecord, Peer, QueueLogEntry, Tenant

CDR_COLUMNS = (
    "accountcode", "call_id", "start", "answer", "end", "clid", "realsrc", "firstdst", "duration", "billsec",
    "disposition", "cc_cost", "dcontext", "dstchannel", "srcchannel", "userfield", "uniqueid", "prevuniqueid",
    "lastdst", "wherelanded", "src", "dst", "lastapp", "srccallid", "linkedid", "peeraccount", "originateid",
    "cc_country", "cc_network", "pincode", "cc_buy",
)
"""INFO cdrs' columns, in this order (contract)."""

SIMPLE_CDR_COLUMNS = (
    "id", "calldate", "uniqueid", "linkedid", "calleridnum", "calleridname", "dialednum", "direction",
    "disposition", "whoanswered", "duration", "billsec", "tenant",
)
"""INFO simplecdrs' columns (inferred)."""

QUEUE_LOG_COLUMNS = ("time", "callid", "queuename", "agent", "event", "data1", "data2", "data3", "data4", "data5")

AGENT_DELAY_COLUMNS = ("queue", "agent", "answered", "missed", "avgdelay", "maxdelay")
"""INFO agentsdelay's columns per member (inferred)."""

DID_COLUMNS = (
    "di_id", "di_te_id", "di_prefix", "di_area", "di_number", "di_description", "di_destination_type",
    "di_destination", "di_provider", "di_channels", "di_recording", "di_fax", "di_sms", "di_disabled",
    "di_created",
)
"""INFO dids' columns: 2-4 number parts, 5 description, 13 the yes/no skip flag (contract); names inferred."""

EXTENSIONS_PLAIN_HEADER = "Number|Name|Tech|State|Username|Password"
EXTENSION_NUMBER_INDEX = 132
_EXTENSION_NAMED = (
    "ex_id", "ex_te_id", "ex_name", "ex_tech", "ex_username", "ex_password", "ex_webpassword", "ex_vmpassword",
    "ex_email", "ex_callerid", "ex_outboundcallerid", "ex_context", "ex_nat", "ex_dtmfmode", "ex_codecs",
    "ex_qualify", "ex_callgroup", "ex_pickupgroup", "ex_voicemail", "ex_recording", "ex_language", "ex_timezone",
    "ex_maxcalls", "ex_callwaiting", "ex_dnd", "ex_forward", "ex_forward_busy", "ex_forward_noanswer",
    "ex_ringtime", "ex_mac", "ex_model", "ex_provisioning", "ex_transport", "ex_encryption", "ex_webrtc",
    "ex_acl_permit", "ex_acl_deny", "ex_department", "ex_mobile", "ex_note", "ex_node", "ex_state", "ex_hidden",
    "ex_created", "ex_modified",
)
EXTENSION_COLUMNS = (
    _EXTENSION_NAMED
    + tuple(f"ex_option{n:02d}" for n in range(EXTENSION_NUMBER_INDEX - len(_EXTENSION_NAMED)))
    + ("ex_number",)
    + tuple(f"ex_extra{n:02d}" for n in range(15))
)
"""INFO extensions' 148 columns, ``ex_number`` at index 132 (contract); the other names are inferred."""

CSV_TYPE = "text/csv; charset=UTF-8"
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def indexed(columns: Sequence[str], values: Mapping[str, str]) -> dict[str, str]:
    """A row as PHP's fetch_array gives it: each value under its index and under its name."""
    row: dict[str, str] = {}
    for index, name in enumerate(columns):
        row[str(index)] = row[name] = values.get(name, "")
    return row


def doubled_plain_line(columns: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """The plain rendering of an index-duplicated row: each value twice."""
    return [v for name in columns for v in (values.get(name, ""),) * 2]


def csv_table(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """``format=csv``: a header line, then one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return out.getvalue()


def db_time(epoch: float | None) -> str:
    """``YYYY-MM-DD HH:MM:SS`` (the server's time, UTC here); empty for none."""
    return "" if epoch is None else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


def e164(number: str) -> str:
    """An outside number as a caller id shows it (``0031…`` → ``+31…``, ``06…`` → ``+316…``); extensions as is."""
    if number.startswith("00"):
        return "+" + number[2:]
    if number.startswith("0") and len(number) >= 9:
        return "+31" + number[1:]
    return number


def number_key(text: str) -> str:
    """A number compared loosely: no ``#NNN#`` prefix, no ``-<tenant>`` suffix, outside numbers as E.164."""
    text = re.sub(r"^#\d+#", "", text.strip())
    text = text.split("-", 1)[0] if re.fullmatch(r"\d+-\w+", text) else text
    return e164(text)


# --- cdrs and simplecdrs ---------------------------------------------------


def cdr_values(record: CallRecord) -> dict[str, str]:
    """INFO cdrs' columns for one call (see the module docstring for what is contract)."""
    billsec = int(record.ended) - int(record.answered_at) if record.answered_at is not None else 0
    outside_src = record.src_peer == ""
    src = record.src_peer or record.src_number
    caller = e164(record.src_number) if outside_src else record.src_number
    minutes = billsec / 60 if record.direction == "out" else 0.0
    call_hash = zlib.crc32(record.linkedid.encode())
    return {
        "accountcode": record.tenant, "call_id": f"{call_hash:08x}{record.id:06x}@{record.node}",
        "start": db_time(record.started), "answer": db_time(record.answered_at), "end": db_time(record.ended),
        "clid": f'"{record.src_name or caller}" <{caller}>', "realsrc": src, "firstdst": record.first_dst,
        "duration": str(int(record.ended) - int(record.started)), "billsec": str(billsec),
        "disposition": record.disposition, "cc_cost": f"{minutes * 0.035:.4f}", "dcontext": record.dcontext,
        "dstchannel": record.dstchannel, "srcchannel": record.srcchannel,
        "userfield": f"queue:{record.queue_id}" if record.queue_id is not None else "",
        "uniqueid": record.uniqueid, "prevuniqueid": "", "lastdst": record.last_dst,
        "wherelanded": record.whoanswered, "src": src, "dst": record.dst_number, "lastapp": record.lastapp,
        "srccallid": f"{call_hash:08x}@{record.node}", "linkedid": record.linkedid, "peeraccount": record.tenant,
        "originateid": record.originate_id,
        "cc_country": "NL" if record.direction == "out" else "",
        "cc_network": ("mobile" if record.dst_number.startswith("06") else "fixed") if record.direction == "out"
        else "",
        "pincode": "", "cc_buy": f"{minutes * 0.012:.4f}",
    }


def simple_cdr_values(record: CallRecord) -> dict[str, str]:
    """INFO simplecdrs' columns for one call (inferred)."""
    return {
        "id": str(record.id), "calldate": db_time(record.started), "uniqueid": record.uniqueid,
        "linkedid": record.linkedid, "calleridnum": record.src_number, "calleridname": record.src_name,
        "dialednum": record.first_dst, "direction": record.direction, "disposition": record.disposition,
        "whoanswered": record.whoanswered, "duration": str(int(record.ended) - int(record.started)),
        "billsec": str(int(record.ended) - int(record.answered_at)) if record.answered_at is not None else "0",
        "tenant": record.tenant,
    }


def phone_numbers(record: CallRecord) -> set[str]:
    """What the ``phone`` filter looks at: who answered, the caller's number, the dialed number."""
    return {number_key(n) for n in (record.whoanswered, record.src_number, record.src_peer, record.first_dst,
                                    record.dst_number, record.last_dst) if n}


def recording_metadata(record: CallRecord) -> dict[str, str]:
    """INFO inforecording for a recorded call (inferred): metadata only, never audio."""
    seconds = int(record.ended) - int(record.answered_at or record.started)
    return {
        "uniqueid": record.uniqueid, "linkedid": record.linkedid, "originateid": record.originate_id,
        "tenant": record.tenant, "start": db_time(record.answered_at or record.started),
        "end": db_time(record.ended), "duration": str(seconds), "format": "wav",
        "filename": f"{record.tenant}/{time.strftime('%Y/%m/%d', time.gmtime(record.started))}/"
                    f"{record.uniqueid}.wav",
        "size": str(44 + seconds * 16000), "src": record.src_peer or record.src_number,
        "dst": record.whoanswered or record.dst_number,
    }


def queue_log_values(entry: QueueLogEntry) -> dict[str, str]:
    """An INFO queuelogs row (inferred: the queue_log table's columns, ``data1``..``data5`` padded)."""
    data = list(entry.data) + [""] * (5 - len(entry.data))
    row = {"time": db_time(entry.time), "callid": entry.callid, "queuename": str(entry.queue_id),
           "agent": entry.agent, "event": entry.event}
    row.update({f"data{i}": data[i - 1] for i in range(1, 6)})
    return row


# --- agents, dids, extensions ----------------------------------------------


def agent_delay_values(agent: Agent) -> dict[str, str]:
    """INFO agentsdelay for one membership (inferred): rings answered and missed, mean and longest delay."""
    mean = agent.ring_delay_total / agent.rings_answered if agent.rings_answered else 0.0
    return {"queue": str(agent.queue.id), "agent": agent.peer.name, "answered": str(agent.rings_answered),
            "missed": str(agent.rings_missed), "avgdelay": f"{mean:.1f}", "maxdelay": str(int(agent.ring_delay_max))}


_DID_DESCRIPTIONS = ("Main number", "Support line", "Sales – Verkauf", "Fax", "Nachtdienst", "Réception", "")


def did_values(tenant: Tenant, index: int, number: str) -> dict[str, str]:
    """An INFO dids row for ``number`` (``3120…``: country 31, area 20, then the subscriber part)."""
    salt = zlib.crc32(f"{tenant.code}:{number}".encode())
    disabled = index > 0 and salt % 4 == 0
    return {
        "di_id": str(500 + tenant.te_id * 10 + index), "di_te_id": str(tenant.te_id), "di_prefix": number[:2],
        "di_area": number[2:4], "di_number": number[4:],
        "di_description": _DID_DESCRIPTIONS[salt % len(_DID_DESCRIPTIONS)],
        "di_destination_type": "QUEUE" if tenant.queues and index == 0 else "EXTENSION",
        "di_destination": tenant.queues[0].number if tenant.queues and index == 0 else
        (tenant.peers[0].ext if tenant.peers else ""),
        "di_provider": "kamailio", "di_channels": "0", "di_recording": "no", "di_fax": "no", "di_sms": "no",
        "di_disabled": "yes" if disabled else "no", "di_created": "2024-02-19 10:12:44",
    }


def extension_values(seed: int, tenant: Tenant, peer: Peer) -> dict[str, str]:
    """INFO extensions' columns for one phone, including its (fake) passwords."""
    return {
        "ex_id": str(peer.ex_id), "ex_te_id": str(tenant.te_id), "ex_number": peer.ext,
        "ex_name": peer.display, "ex_tech": peer.tech, "ex_username": peer.name,
        "ex_password": _fake_secret(seed, peer.name, 12), "ex_webpassword": _fake_secret(seed, "web" + peer.name, 10),
        "ex_vmpassword": str(1000 + zlib.crc32(peer.name.encode()) % 9000), "ex_email": "",
        "ex_callerid": f'"{peer.display}" <{peer.ext}>', "ex_outboundcallerid": "", "ex_context": "authenticated",
        "ex_nat": "force_rport,comedia" if peer.port != 5060 else "no", "ex_dtmfmode": "rfc2833",
        "ex_codecs": "alaw,ulaw,g722", "ex_qualify": "yes" if peer.qualified else "no", "ex_callgroup": "1",
        "ex_pickupgroup": "1", "ex_voicemail": "yes", "ex_recording": "no", "ex_language": "en",
        "ex_timezone": "Europe/Amsterdam", "ex_maxcalls": "2", "ex_callwaiting": "yes", "ex_dnd": "no",
        "ex_ringtime": "30", "ex_mac": f"805ec0{zlib.crc32(peer.name.encode()) & 0xFFFFFF:06x}",
        "ex_model": "Yealink T54W", "ex_provisioning": "yes", "ex_transport": "udp", "ex_encryption": "no",
        "ex_webrtc": "no", "ex_acl_permit": "0.0.0.0/0.0.0.0", "ex_department": peer.description,
        "ex_node": peer.node, "ex_state": peer.device_state, "ex_hidden": "no",
        "ex_created": "2023-03-14 09:26:53", "ex_modified": "2025-10-02 16:41:07",
    }


def extension_plain_line(values: Mapping[str, str]) -> str:
    """A plain INFO extensions line under ``EXTENSIONS_PLAIN_HEADER``."""
    return "|".join(values.get(name, "") for name in ("ex_number", "ex_name", "ex_tech", "ex_state", "ex_username",
                                                      "ex_password"))


def _fake_secret(seed: int, name: str, length: int) -> str:
    value = zlib.crc32(f"{seed}:{name}".encode()) * 2654435761
    chars = []
    for _ in range(length):
        value, index = divmod(value, len(_PASSWORD_ALPHABET))
        chars.append(_PASSWORD_ALPHABET[index])
        value = value * 31 + 7
    return "".join(chars)
