"""INFO history and account types over real HTTP: a call's records match what was live."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sim_http import fetch

from tringtui.sim.records import CDR_COLUMNS, SIMPLE_CDR_COLUMNS

TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def live_for(pbx, clock, seconds: int) -> None:
    """Let the PBX live ``seconds`` in steps it replays (one long jump would re-draw the calls instead)."""
    for _ in range(seconds // 300):
        clock.advance(300)
        pbx.advance()


def cdrs(api, tenant="DEVEL", key="demo-admin", **filters):
    answer = api(key=key, reqtype="INFO", info="cdrs", format="json", tenant=tenant, **filters)
    return [] if answer.body == "]" else answer.json()


def hang_up_a_live_call(api, pbx, tenant="DEVEL", context=None):
    """Hang up an answered call of ``tenant`` over HTTP; returns its first leg as it was live."""
    channels = [c for c in pbx.channels_snapshot() if c.tenant == tenant and c.bridged
                and (context is None or c.context == context)]
    first = min((c for c in channels), key=lambda c: c.uniqueid != c.linkedid)  # the call's first leg
    assert api(reqtype="HANGUP", channel=first.name).body == "Success|Channel hungup|"
    return first


def test_a_call_hung_up_is_found_by_its_live_ids(api, pbx):
    live = hang_up_a_live_call(api, pbx)
    rows = cdrs(api, linkedid=live.linkedid)
    assert len(rows) == 1
    row = rows[0]
    assert {k for k in row if not k.isdigit()} == set(CDR_COLUMNS)
    assert [row[str(i)] for i in range(len(CDR_COLUMNS))] == [row[name] for name in CDR_COLUMNS]
    assert row["linkedid"] == live.linkedid and row["disposition"] == "ANSWERED"
    assert row["srcchannel"] in {live.name, live.bridged}
    assert TIME.fullmatch(row["start"]) and TIME.fullmatch(row["answer"]) and TIME.fullmatch(row["end"])
    assert int(row["duration"]) >= int(row["billsec"]) >= 0
    assert re.fullmatch(r'"[^"]*" <\+?[\d*#]+>', row["clid"])
    assert cdrs(api, uniqueid=row["uniqueid"]) == rows


def test_inbound_and_outbound_calls_look_like_the_field(api, pbx, clock):
    inbound = hang_up_a_live_call(api, pbx, tenant="DEVEL", context="fromoutside")
    row = cdrs(api, linkedid=inbound.linkedid)[0]
    assert row["dcontext"] == "fromoutside"
    number = re.fullmatch(r'"[^"]*" <(\+\d{9,})>', row["clid"]).group(1)  # outside numbers in E.164
    assert number[-8:] == inbound.caller_id[-8:]
    live_for(pbx, clock, 1800)
    rows = cdrs(api, tenant="%")
    out = [r for r in rows if r["dcontext"] == "authenticated" and r["lastdst"].startswith("#")]
    assert out and all(re.fullmatch(r"#\d{3}#\d+", r["lastdst"]) for r in out)
    assert all(re.fullmatch(r"\d+-" + re.escape(r["accountcode"]), r["src"]) and r["realsrc"] == r["src"]
               for r in rows if r["dcontext"] == "authenticated")
    assert {"ANSWERED", "NO ANSWER"} <= {r["disposition"] for r in rows}
    assert {r["disposition"] for r in rows} <= {"ANSWERED", "NO ANSWER", "BUSY", "FAILED"}


def test_filters_take_comma_separated_values_times_and_a_tenant_pattern(api, pbx, clock):
    live_for(pbx, clock, 1200)
    every = cdrs(api, tenant="%")
    assert len({r["accountcode"] for r in every}) == len(pbx.tenants)
    devel = cdrs(api)
    assert devel == [r for r in every if r["accountcode"] == "DEVEL"]
    assert cdrs(api, tenant="DEV%") == devel and cdrs(api, tenant="dev%") == devel
    pick = [devel[0]["uniqueid"], devel[-1]["uniqueid"]]
    assert [r["uniqueid"] for r in cdrs(api, uniqueid=",".join(pick))] == pick
    assert {r["dcontext"] for r in cdrs(api, direction="in")} <= {"fromoutside"}
    middle = devel[len(devel) // 2]["start"]
    assert all(r["start"] >= middle for r in cdrs(api, start=middle))
    assert all(r["start"] <= middle for r in cdrs(api, end=middle))
    assert cdrs(api, start="2099-01-01 00:00:00") == []
    assert api(reqtype="INFO", info="cdrs", format="json", tenant="DEVEL", start="soon").body == "]"


def test_a_tenant_key_cannot_use_the_pattern(api):
    answer = api(key="demo-devel", reqtype="INFO", info="cdrs", format="json", tenant="%")
    assert answer.body.startswith("Too bad")
    assert api(reqtype="INFO", info="queues", format="json", tenant="%").body.startswith("Too bad")


def test_a_number_trace_finds_a_phones_calls(api, pbx, clock):
    live_for(pbx, clock, 1800)
    rows = cdrs(api)
    phone = next(r["src"] for r in rows if r["dcontext"] == "authenticated")
    extension = phone.split("-")[0]
    traced = cdrs(api, phone=extension)
    assert traced and all(phone in (r["src"], r["wherelanded"]) or extension == r["firstdst"] for r in traced)
    assert {r["uniqueid"] for r in rows if r["src"] == phone} <= {r["uniqueid"] for r in traced}


def test_csv_and_plain(api, pbx, clock):
    live_for(pbx, clock, 900)
    rows = cdrs(api)
    text = api(reqtype="INFO", info="cdrs", format="csv", tenant="DEVEL")
    assert text.content_type.startswith("text/csv")
    table = list(csv.reader(io.StringIO(text.body)))
    assert table[0] == list(CDR_COLUMNS) and len(table) == len(rows) + 1
    assert table[1][CDR_COLUMNS.index("uniqueid")] == rows[0]["uniqueid"]
    plain = api(reqtype="INFO", info="cdrs", tenant="DEVEL").body.split("\n")
    assert len(plain) == len(rows) and plain[0].split("|")[:4] == ["DEVEL", "DEVEL"] + [rows[0]["call_id"]] * 2
    assert api(reqtype="INFO", info="cdrs", format="xml", tenant="DEVEL").body == ""
    assert api(reqtype="PEERS", format="csv").body == ""


def test_simplecdrs_disposition_and_whoanswered(api, pbx, clock):
    live = hang_up_a_live_call(api, pbx)
    live_for(pbx, clock, 600)
    rows = api(reqtype="INFO", info="simplecdrs", format="json", tenant="DEVEL").json()
    assert {k for k in rows[0] if not k.isdigit()} == set(SIMPLE_CDR_COLUMNS)
    mine = [r for r in rows if r["linkedid"] == live.linkedid]
    assert len(mine) == 1 and mine[0]["disposition"] == "ANSWERED" and mine[0]["whoanswered"]
    answered = api(reqtype="INFO", info="simplecdrs", format="json", tenant="DEVEL",
                   disposition="ANSWERED").json()
    assert answered and all(r["disposition"] == "ANSWERED" for r in answered)
    who = mine[0]["whoanswered"]
    by_who = api(reqtype="INFO", info="simplecdrs", format="json", tenant="DEVEL", whoanswered=who).json()
    assert live.linkedid in {r["linkedid"] for r in by_who}
    csv_lines = api(reqtype="INFO", info="simplecdrs", format="csv", tenant="DEVEL").body.splitlines()
    assert csv_lines[0] == ",".join(SIMPLE_CDR_COLUMNS) and len(csv_lines) == len(rows) + 1
    empty = api(reqtype="INFO", info="simplecdrs", format="json", tenant="DEVEL", start="2099-01-01")
    assert empty.body == "]"


def test_queue_calls_write_queuelogs_rows(api, pbx, clock):
    queue = pbx.tenants["DEVEL"].queues[0]
    live_for(pbx, clock, 1800)
    rows = api(reqtype="INFO", info="queuelogs", format="json", tenant="DEVEL", queue=str(queue.id)).json()
    events = {r["event"] for r in rows}
    assert {"ENTERQUEUE", "CONNECT"} <= events
    connect = next(r for r in rows if r["event"] == "CONNECT")
    assert connect["agent"] in queue.members or connect["agent"].endswith("-DEVEL")
    assert connect["data1"].isdigit()  # seconds waited
    entered = [r for r in rows if r["event"] == "ENTERQUEUE" and r["callid"] == connect["callid"]]
    assert len(entered) == 1
    # The queue call's record carries the same linkedid (callid) once it ended.
    ended = {r["callid"] for r in rows if r["event"] in ("COMPLETECALLER", "ABANDON", "EXITWITHTIMEOUT")}
    assert ended and ended & {r["linkedid"] for r in cdrs(api)}
    both = api(reqtype="INFO", info="queuelogs", format="json", tenant="DEVEL",
               queue=",".join(str(q.id) for q in pbx.tenants["DEVEL"].queues)).json()
    assert len(both) >= len(rows)


def test_inforecording_is_metadata_of_a_recorded_call(api, pbx, clock):
    live_for(pbx, clock, 1800)
    rows = cdrs(api)
    found = []
    for row in rows:
        answer = api(reqtype="INFO", info="inforecording", format="json", tenant="DEVEL", uniqueid=row["uniqueid"])
        if answer.body:
            found.append((row, answer.json()))
    assert found and len(found) < len(rows)  # some calls are recorded, not all
    row, meta = found[0]
    assert meta["uniqueid"] == row["uniqueid"] and meta["linkedid"] == row["linkedid"]
    assert meta["filename"].endswith(".wav") and int(meta["size"]) > 0
    assert not any(key in meta for key in ("audio", "data", "content"))
    assert api(reqtype="INFO", info="inforecording", tenant="DEVEL").body == "No id specified"
    assert api(reqtype="INFO", info="inforecording", tenant="DEVEL", uniqueid="nope").body == ""


def test_agentsdelay_per_member(api, pbx):
    queue = pbx.tenants["DEVEL"].queues[0]
    rows = api(reqtype="INFO", info="agentsdelay", format="json", tenant="DEVEL", queue=str(queue.id)).json()
    assert set(rows) == set(queue.members)
    row = next(iter(rows.values()))
    assert row["0"] == row["queue"] == str(queue.id) and float(row["avgdelay"]) >= 0
    assert int(row["maxdelay"]) >= float(row["avgdelay"]) or row["answered"] == "0"
    assert api(reqtype="INFO", info="agentsdelay", format="json", tenant="DEVEL", queue="1").body == "null"
    plain = api(reqtype="INFO", info="agentsdelay", tenant="DEVEL", queue=str(queue.id)).body.split("\n")
    assert {line.split("|")[0] for line in plain} == set(queue.members)


def test_agentsconnected_only_registered_agents(api, pbx):
    queue = pbx.tenants["DEVEL"].queues[0]
    rows = api(reqtype="INFO", info="agentsconnected", format="json", tenant="DEVEL", queue=str(queue.id)).json()
    registered = {m for m in queue.members if pbx.peer(m).registered}
    assert set(rows or {}) == registered


@pytest.mark.parametrize("tenant", ["DEVEL", "ACME", "Shop42"])
def test_dids_by_index(api, pbx, tenant):
    rows = api(reqtype="INFO", info="dids", format="json", tenant=tenant).json()
    numbers = pbx.tenants[tenant].dids
    assert ["".join(r[i] for i in ("2", "3", "4")) for r in rows] == numbers
    for row in rows:
        assert row["13"] in ("yes", "no") and row["13"] == row["di_disabled"]
        assert row["5"] == row["di_description"]
        assert all(row[k] == row[str(i)] for i, k in enumerate(k for k in row if k.startswith("di_")))
    assert rows[0]["13"] == "no"  # the main number is in use


def test_extstate_of_a_phone_in_a_call(api, pbx):
    channel = next(c for c in pbx.channels_snapshot() if c.tenant == "DEVEL" and c.peer and c.bridged)
    state = api(reqtype="INFO", info="extstate", format="json", tenant="DEVEL", id=channel.peer).json()
    assert state["LinkedID"] == channel.linkedid and state["Direction"] in ("in", "out")
    idle = next(p for p in pbx.peers_snapshot() if p.tenant == "DEVEL" and p.registered
                and p.device_state == "NOT_INUSE")
    assert api(reqtype="INFO", info="extstate", format="json", tenant="DEVEL", id=idle.name).json() == {
        "UniqueID": "KO", "LinkedID": "Extension not in use"}


def test_read_only_and_tenant_keys_read_history(server, pbx, clock):
    live_for(pbx, clock, 600)
    for key in ("demo-devel-ro", "demo-devel", "demo-admin-ro"):
        body = fetch(server, key=key, reqtype="INFO", info="cdrs", format="json", tenant="DEVEL").body
        assert body.startswith("[{")
    assert fetch(server, key="demo-acme", reqtype="INFO", info="cdrs", format="json",
                 tenant="DEVEL").body.startswith("Too bad")
