"""Every request type answers in JSON, plain and JSONP with the shapes of tring-api.md."""

from __future__ import annotations

import json
import re

import pytest
from sim_http import fetch

from tringtui.sim.records import CDR_COLUMNS
from tringtui.sim import SimulatedPBX

JSON_TYPE = "application/json"
PLAIN_TYPE = "text/html; charset=UTF-8"


def test_countpeers_counts_registered_peers_per_node(api, pbx: SimulatedPBX):
    answer = api(reqtype="COUNTPEERS", format="json")
    assert answer.status == 200 and answer.content_type == JSON_TYPE
    counts = answer.json()
    assert list(counts) == pbx.nodes and "total" not in counts
    assert sum(counts.values()) == sum(1 for p in pbx.peers_snapshot() if p.registered)
    plain = api(reqtype="COUNTPEERS")
    assert plain.content_type == PLAIN_TYPE
    assert plain.body == "".join(f"{node}:{n}|" for node, n in counts.items())


def test_countpeers_by_tenant(api, pbx):
    counts = api(reqtype="COUNTPEERS", format="json", tenant="ACME").json()
    assert sum(counts.values()) == sum(1 for p in pbx.peers_snapshot() if p.registered and p.tenant == "ACME")


def test_countchannels_per_node_and_filtered(api, pbx):
    counts = api(reqtype="COUNTCHANNELS", format="json").json()
    assert sum(counts.values()) == len(pbx.channels_snapshot())
    node = pbx.nodes[0]
    assert api(reqtype="COUNTCHANNELS", format="json", nodename=node).json() == {node: counts[node]}
    devel = api(reqtype="COUNTCHANNELS", format="json", tenant="DEVEL").json()
    assert sum(devel.values()) == sum(1 for c in pbx.channels_snapshot() if c.tenant == "DEVEL")
    assert api(reqtype="COUNTCHANNELS", nodename=node).body == f"{node}:{counts[node]}|"
    assert api(reqtype="COUNTCHANNELS", format="json", nodename="nosuchnode").body == ""


def test_peers_rows_carry_values_under_index_and_name(api, pbx):
    rows = api(reqtype="PEERS", format="json").json()
    assert len(rows) == len(pbx.peers_snapshot())  # one row per registration
    fields = ["node", "Name", "Host", "Dyn", "Forcerport", "Comedia", "ACL", "Port", "Status", "Description",
              "Realtime"]
    for row in rows:
        for index, name in enumerate(fields):
            assert row[str(index)] == row[name]
        assert re.fullmatch(r"\d+-(DEVEL|ACME|Shop42)", row["Name"])
        assert row["node"] in pbx.nodes
    statuses = {row["Status"].split(" (")[0] for row in rows}
    assert {"OK", "LAGGED", "UNREACHABLE", "UNKNOWN", "Unmonitored"} <= statuses
    assert any(row["Host"] == "(Unspecified)" for row in rows)
    assert any(re.fullmatch(r"OK \(\d+ ms\)", row["Status"]) for row in rows)


def test_peers_plain_repeats_each_value(api):
    lines = api(reqtype="PEERS", tenant="DEVEL").body.split("\n")
    first = lines[0].split("|")
    assert len(first) == 22 and first[0::2] == first[1::2]
    assert first[2].endswith("-DEVEL")


def test_peers_of_one_tenant(api):
    rows = api(reqtype="PEERS", format="json", tenant="Shop42").json()
    assert rows and all(row["Name"].endswith("-Shop42") for row in rows)


def test_channels_concise_layout(api, pbx):
    answer = api(reqtype="CHANNELS", format="json")
    assert "SIP\\/" in answer.body  # slashes escaped the way PHP's json_encode does
    rows = answer.json()
    assert len(rows) == len(pbx.channels_snapshot()) > 10
    names = {row[0] for row in rows}
    for row in rows:
        assert len(row) == 14 and all(isinstance(v, str) for v in row)
        channel, _, _, _, state, _, _, _, account, _, _, duration, bridged, uniqueid = row
        assert re.fullmatch(r"(SIP|PJSIP)/(\d+-\w+|kamailio)-[0-9a-f]{8}", channel)
        assert state in {"Up", "Ring", "Ringing", "Down", "Busy", "Dialing"}
        assert duration.isdigit()
        assert bridged == "(None)" or bridged in names
        node = re.fullmatch(r"(.+)-(\d+)\.(\d+)", uniqueid).group(1)
        assert node in pbx.nodes and account in pbx.tenants
    assert any(row[0].startswith("SIP/kamailio-") for row in rows)


def test_channels_filters_and_plain(api, pbx):
    node = pbx.nodes[0]
    rows = api(reqtype="CHANNELS", format="json", tenant="DEVEL", nodename=node).json()
    expected = [c for c in pbx.channels_snapshot() if c.tenant == "DEVEL" and c.node == node]
    assert [r[13] for r in rows] == [c.uniqueid for c in expected]
    plain = api(reqtype="CHANNELS", tenant="DEVEL", nodename=node).body.split("\n")
    assert [line.split("|") for line in plain] == rows


def test_channels_empty(api, pbx):
    assert api(reqtype="CHANNELS", format="json", nodename="nosuchnode").body == "[]"
    assert api(reqtype="CHANNELS", nodename="nosuchnode").body == ""


def test_channel_detail(api, pbx):
    channel = pbx.channels_snapshot()[0]
    pairs = api(reqtype="CHANNEL", format="json", channel=channel.name).json()
    assert len(pairs) >= 50 and all(len(p) == 2 for p in pairs)
    detail = dict(pairs)
    assert detail["Name"] == channel.name and detail["UniqueID"] == channel.uniqueid
    for label in ("Type", "LinkedID", "Caller ID", "Caller ID Name", "Connected Line ID", "State",
                  "Elapsed Time", "Context", "Extension", "Priority", "Application", "Data", "Direct Bridge"):
        assert label in detail
    plain = api(reqtype="CHANNEL", channel=channel.name).body.split("\n")
    assert plain[0] == f"Name|{channel.name}"
    assert api(reqtype="CHANNEL", format="json").body == "No channel specified"
    assert api(reqtype="CHANNEL", format="json", channel="SIP/nope-00000000").body == ""


def test_blfs(api, pbx):
    rows = api(reqtype="BLFS", format="json", tenant="DEVEL").json()
    states = {"NOT_INUSE", "INUSE", "BUSY", "RINGING", "RINGINUSE", "ONHOLD", "UNAVAILABLE", "INVALID"}
    assert rows and all(set(r) == {"st_extension", "st_state", "st_timestamp"} for r in rows)
    assert all(r["st_state"] in states for r in rows)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", r["st_timestamp"]) for r in rows)
    assert {"UNAVAILABLE", "INUSE", "NOT_INUSE"} <= {r["st_state"] for r in rows}
    first = api(reqtype="BLFS", tenant="DEVEL").body.split("\n")[0]
    assert first == "|".join(rows[0].values())


def test_flows(api, pbx):
    rows = api(reqtype="FLOWS", format="json", tenant="DEVEL").json()
    fields = {"fl_id", "fl_te_id", "fl_name", "fl_comment", "fl_number", "fl_value", "fl_value_for_unavailable",
              "fl_value_for_inuse", "fl_value_for_notinuse", "fl_value_for_ringing", "fl_variable_name",
              "fl_monitor_type", "fl_monitor_type_id", "fl_monitor_parameter", "st_extension", "st_state",
              "st_timestamp", "st_peername"}
    assert rows and all(set(r) == fields for r in rows)
    flow = pbx.flow(rows[0]["fl_number"], "DEVEL")
    assert rows[0]["st_state"] == flow.state and rows[0]["fl_value"] == flow.value
    assert api(reqtype="FLOWS", tenant="DEVEL").body.split("\n")[0].split("|")[0] == rows[0]["fl_id"]


def test_info_queues(api, pbx):
    queues = api(reqtype="INFO", info="queues", format="json", tenant="DEVEL").json()
    assert queues == {str(q.id): q.name for q in pbx.tenants["DEVEL"].queues}
    assert any(":" in name or "," in name for name in queues.values())
    plain = api(reqtype="INFO", info="queues", tenant="DEVEL").body
    assert plain == "".join(f"{i}:{n}|" for i, n in queues.items())


def test_info_queue(api, pbx):
    queue = pbx.tenants["DEVEL"].queues[0]
    stats = api(reqtype="INFO", info="queue", id=str(queue.id), format="json", tenant="DEVEL").json()
    keys = ["AGENTSAVAILABLE", "AGENTSPAUSED", "AGENTSFREE", "AGENTSONLINE", "CALLSINQUEUE", "SERVICELEVEL", "FIRSTWAITING", "SECONDWAITING", "THIRDWAITING", "CALLSONLINE", "TALKTIME", "HOLDTIME", "ANSWEREDCALLS", "CALLSRECEIVED", "REALANSWEREDCALLS", "TRANSFEREDCALLS", "ABANDONEDCALLS", "TIMEDOUTCALLS", "QUEUECAR", "EXITWITHKEYCALLS", "MAXHOLDTIME", "AVERAGETALKTIME", "AVERAGEHOLDTIME"]
    assert list(stats) == keys
    assert any(isinstance(v, str) for v in stats.values()) and any(isinstance(v, int) for v in stats.values())
    assert float(stats["AGENTSPAUSED"]) == pbx.queue(queue.id).stats["AGENTSPAUSED"]
    assert api(reqtype="INFO", info="queue", id=str(queue.id), tenant="DEVEL").body.startswith("AGENTSAVAILABLE:")
    assert api(reqtype="INFO", info="queue", format="json", tenant="DEVEL").body == "No id specified"
    assert api(reqtype="INFO", info="queue", id="99999", format="json", tenant="DEVEL").body == ""


def test_info_agents_sparse_rows(api, pbx):
    queue = pbx.tenants["DEVEL"].queues[0]
    agents = api(reqtype="INFO", info="agents", queue=str(queue.id), format="json", tenant="DEVEL").json()
    assert set(agents) == set(queue.members)
    for member, row in agents.items():
        assert row["0"] in (0, 1)
        assert row["1"] in {"available", "busy", "paused", "ringing", "unavailable"}
        assert row["10"] == str(queue.id)
        assert "9" not in row
        info = pbx.agent(queue.id, member)
        assert row["1"] == info.status and bool(row["0"]) == info.paused and row["4"] == info.pause_reason
    plain = api(reqtype="INFO", info="agents", queue=str(queue.id), tenant="DEVEL").body.split("\n")
    assert len(plain) == len(agents) and all(len(line.split("|")) == 13 for line in plain)


def test_info_agents_unknown_queue_is_null(api):
    assert api(reqtype="INFO", info="agents", queue="99999", format="json", tenant="DEVEL").body == "null"


def test_info_agents_all_queues_and_connected(api, pbx):
    everyone = api(reqtype="INFO", info="agents", format="json", tenant="DEVEL").json()
    members = {m for q in pbx.tenants["DEVEL"].queues for m in q.members}
    assert set(everyone) == members
    connected = api(reqtype="INFO", info="agentsconnected", format="json", tenant="DEVEL").json()
    assert set(connected) == {m for m in members if pbx.peer(m).registered}


def test_info_extstate(api, pbx):
    peers = pbx.peers_snapshot()
    unregistered = next(p for p in peers if not p.registered and p.tenant == "DEVEL")
    body = api(reqtype="INFO", info="extstate", id=unregistered.name, format="json", tenant="DEVEL").json()
    assert body == {"UniqueID": "KO", "LinkedID": "Extension not registered"}
    busy = next(c for c in pbx.channels_snapshot() if c.peer and c.tenant == "DEVEL")
    ext = busy.peer.split("-")[0]
    state = api(reqtype="INFO", info="extstate", id=ext, format="json", tenant="DEVEL").json()
    assert {"UniqueID", "LinkedID", "Connected Line ID", "Connected Line ID Name", "Context", "Extension",
            "Direction", "OtherParty"} <= set(state)
    assert api(reqtype="INFO", info="extstate", format="json", tenant="DEVEL").body == "No id specified"


def test_info_extensions_carry_passwords(api, pbx):
    rows = api(reqtype="INFO", info="extensions", format="json", tenant="DEVEL").json()
    assert len(rows) == len(pbx.tenants["DEVEL"].peers)
    # Index-keyed with more than 130 fields, the extension number at index 132 (contract), names alongside.
    names = [k for k in rows[0] if not k.isdigit()]
    assert all(k.startswith("ex_") for k in names) and len(names) > 130
    assert rows[0]["132"] == rows[0]["ex_number"] == pbx.tenants["DEVEL"].peers[0].ext
    assert rows[0]["ex_password"] and rows[0]["ex_webpassword"]
    lines = api(reqtype="INFO", info="extensions", tenant="DEVEL").body.split("\n")
    assert lines[0] == "Number|Name|Tech|State|Username|Password"
    assert lines[1].split("|")[5] == rows[0]["ex_password"]


def test_info_config_balance_and_unknown(api):
    config = api(reqtype="INFO", info="config", format="json", tenant="ACME").json()
    assert set(config) == {"maxchannels", "maxextensions", "maxdids"}
    balance = api(reqtype="INFO", info="balance", format="json", tenant="ACME").body
    assert re.fullmatch(r"\d+\.\d\d", balance)
    assert api(reqtype="INFO", info="balance", tenant="ACME").body == balance
    assert api(reqtype="INFO", info="nosuchinfo", format="json", tenant="ACME").body == ""
    assert api(reqtype="INFO", format="json", tenant="ACME").body == ""


def test_countcalls(api, pbx, clock, serve):
    calls = {c.call_id for c in pbx.channels_snapshot()}
    assert api(reqtype="COUNTCALLS").body == str(len(calls))
    devel_calls = {c.call_id for c in pbx.channels_snapshot() if c.tenant == "DEVEL"}
    assert api(reqtype="COUNTCALLS", tenant="DEVEL").body == str(len(devel_calls))
    quiet = serve(SimulatedPBX(seed=1, clock=clock, channels=0))
    assert fetch(quiet, key="demo-admin", reqtype="COUNTCALLS").body == ""


def test_queue_list(api, pbx):
    queue = pbx.tenants["DEVEL"].queues[0]
    members = api(reqtype="QUEUE", action="list", id=str(queue.id), format="json", tenant="DEVEL").json()
    assert members == list(queue.members)
    by_number = api(reqtype="QUEUE", action="list", number=queue.number, format="json", tenant="DEVEL").json()
    assert by_number == members
    assert api(reqtype="QUEUE", action="list", id=str(queue.id), tenant="DEVEL").body == "|".join(members) + "|"
    assert api(reqtype="QUEUE", action="list", format="json", tenant="DEVEL").body == "No id specified"


@pytest.mark.parametrize("params", [
    {"reqtype": "COUNTPEERS"},
    {"reqtype": "CHANNELS"},
    {"reqtype": "PEERS", "tenant": "ACME"},
    {"reqtype": "FLOWS", "tenant": "DEVEL"},
    {"reqtype": "INFO", "info": "queues", "tenant": "DEVEL"},
])
def test_jsonp_wraps_json(api, params):
    plain_json = api(format="json", **params).body
    wrapped = api(format="json", callback="handle_it", **params)
    assert wrapped.body == f"handle_it({plain_json});"
    json.loads(wrapped.body[len("handle_it("):-2])


def test_jsonp_needs_format_json_and_leaves_text_alone(api):
    assert not api(reqtype="COUNTPEERS", callback="cb").body.startswith("cb(")
    assert api(reqtype="CHANNEL", format="json", callback="cb").body == "No channel specified"
    assert api(reqtype="HANGUP", channel="nope", format="json", callback="cb").body == "Error|Channel not found|"


def test_unknown_reqtype_and_format_give_empty_body(api):
    unknown = api(reqtype="NOSUCHTYPE", format="json")
    assert unknown.status == 200 and unknown.body == ""
    assert api(reqtype="COUNTPEERS", format="xml").body == ""


def test_other_paths_are_not_the_api(server):
    import urllib.error
    import urllib.request
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(server.url + "/elsewhere", timeout=5)
    assert info.value.code == 404


def test_post_form_is_accepted(server):
    import urllib.parse
    import urllib.request
    data = urllib.parse.urlencode({"key": "demo-admin", "reqtype": "COUNTPEERS", "format": "json"}).encode()
    with urllib.request.urlopen(server.endpoint, data=data, timeout=5) as response:
        assert json.loads(response.read())


def test_cdrs_empty_is_a_lone_bracket_then_fill_up(api, clock):
    assert api(reqtype="INFO", info="cdrs", format="json", tenant="DEVEL").body == "]"
    assert api(reqtype="INFO", info="cdrs", tenant="DEVEL").body == ""
    clock.advance(600)
    rows = api(reqtype="INFO", info="cdrs", format="json", tenant="DEVEL").json()
    assert rows and all(r["accountcode"] == "DEVEL" for r in rows)
    assert {k for k in rows[0] if not k.isdigit()} == set(CDR_COLUMNS)  # the contract's columns, no more
    later = api(reqtype="INFO", info="cdrs", format="json", tenant="DEVEL", start="2030-01-01")
    assert later.body == "]"
    assert api(reqtype="INFO", info="cdrs", format="json", tenant="DEVEL", start="2030-01-01",
               callback="cb").body == "]"


def test_queuelogs(api, pbx, clock):
    queue = pbx.tenants["DEVEL"].queues[0]
    assert api(reqtype="INFO", info="queuelogs", format="json", tenant="DEVEL", end="2000-01-01").body == "]"
    clock.advance(900)
    rows = api(reqtype="INFO", info="queuelogs", format="json", tenant="DEVEL", queue=str(queue.id)).json()
    assert rows and {r["queuename"] for r in rows} == {str(queue.id)}
    assert {"ENTERQUEUE", "CONNECT"} <= {r["event"] for r in rows}
    assert set(rows[0]) == {"time", "callid", "queuename", "agent", "event", "data1", "data2", "data3", "data4",
                            "data5"}
