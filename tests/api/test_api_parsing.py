"""Body parsing on literal bodies taken from tring-api.md: every quirk, every shape, no crash."""

import json
from datetime import datetime

import pytest

from tringtui.api import parsing
from tringtui.api.errors import (
    ActionRefused,
    ErrorPage,
    KeyRejected,
    MalformedResponse,
    OutcomeUnknown,
    ParameterError,
)
from tringtui.api.models import Outcome, PeerStatus
from tringtui.api.scrub import WITHHELD, scrub_secrets

# ------------------------------------------------------------------ body level


@pytest.mark.parametrize("body", ["", "   ", "null", "\nnull\n"])
def test_empty_and_null_decode_to_none(body):
    assert parsing.decode_json(body) is None


@pytest.mark.parametrize("body, data", [('\ufeff{"a": 1}', {"a": 1}), ("\ufeff\n[]", []), ("\ufeff", None), ("\ufeff]", [])])
def test_a_byte_order_mark_is_not_part_of_the_body(body, data):
    assert parsing.decode_json(body) == data


def test_lone_bracket_is_an_empty_list():
    assert parsing.decode_json("]") == []


def test_jsonp_wrapper_is_removed():
    assert parsing.decode_json('nav.cb({"pbx21": 3});') == {"pbx21": 3}
    assert parsing.decode_json("t([1,2])") == [1, 2]


def test_non_json_is_malformed():
    with pytest.raises(MalformedResponse):
        parsing.decode_json("pbx21 is down")


@pytest.mark.parametrize(
    "body, cls",
    [
        ("Too bad... you mistaken the security api key.", KeyRejected),
        ('"Too bad... you mistaken the security api key."', KeyRejected),
        ("Wrong or missing tenant", ParameterError),
        ("No id specified", ParameterError),
        ("No extension specified", ParameterError),
        ("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>", ErrorPage),
        ("<html><body>Internal Server Error</body></html>", ErrorPage),
    ],
)
def test_bodies_that_are_not_data_are_classified(body, cls):
    found, description = parsing.classify_failure_body(body)
    assert found is cls
    assert description


def test_html_title_is_quoted_in_the_description():
    _, description = parsing.classify_failure_body("<html><title>502 Bad Gateway</title></html>")
    assert "502 Bad Gateway" in description


@pytest.mark.parametrize("body", ["", "[]", '{"pbx21": 3}', "123.45", "OK", "Success|done|"])
def test_data_bodies_are_not_classified_as_failures(body):
    assert parsing.classify_failure_body(body) is None


# ------------------------------------------------------------------ actions


def test_dial_success_carries_the_originate_id():
    result = parsing.parse_action_result("DIAL", "Success|Originate successfully queued|15a4cfe6429054|")
    assert result.ok and result.outcome is Outcome.SUCCESS
    assert result.message == "Originate successfully queued"
    assert result.reference == "15a4cfe6429054"


@pytest.mark.parametrize("body", ["OK", "ok", "Success|Channel hung up|", "SUCCESS|x|", '"Success|x|"'])
def test_success_forms(body):
    assert parsing.parse_action_result("X", body).ok


def test_error_is_a_refusal_carrying_the_server_text():
    with pytest.raises(ActionRefused, match="Channel not found"):
        parsing.parse_action_result("HANGUP", "Error|Channel not found|")


def test_other_text_is_a_refusal_too():
    with pytest.raises(ActionRefused, match="Agent is not member"):
        parsing.parse_action_result("AGENT", "Agent is not member of queue")


def test_empty_answer_to_a_write_is_an_unknown_outcome():
    with pytest.raises(OutcomeUnknown):
        parsing.parse_action_result("HANGUP", "")


# ------------------------------------------------------------------ counts


def test_counts_json_nodes_only():
    counts = parsing.parse_node_counts('{"pbx21": 412, "pbx24": 380}')
    assert counts.as_dict() == {"pbx21": 412, "pbx24": 380}
    assert counts.total == 792 and counts.reported_total is None


def test_counts_total_entry_is_never_a_node_and_strings_are_numbers():
    counts = parsing.parse_node_counts('{"pbx21": "412", "pbx24": "380", "Total": "800"}')
    assert [n.node for n in counts.nodes] == ["pbx21", "pbx24"]
    assert counts.total == 800


def test_counts_plain():
    counts = parsing.parse_node_counts("pbx21:412|pbx24:380|total:792|")
    assert counts.as_dict() == {"pbx21": 412, "pbx24": 380} and counts.reported_total == 792


@pytest.mark.parametrize("body", ["", "null", "[]"])
def test_counts_empty(body):
    assert parsing.parse_node_counts(body).nodes == ()


@pytest.mark.parametrize(
    "body", ['{"pbx21": 412, "pbx24": null}', '{"pbx21": 412, "pbx24": ""}', '{"pbx21": 412, "pbx24": -1}', "pbx21:412|pbx24:|"]
)
def test_a_node_without_a_number_is_kept_uncounted_never_zero(body):
    counts = parsing.parse_node_counts(body)
    assert counts.as_dict() == {"pbx21": 412, "pbx24": None}
    assert counts.uncounted == ("pbx24",) and counts.total == 412


@pytest.mark.parametrize(
    "body", ['["pbx21", 3]', '{"pbx21": {"n": 1}}', '{"pbx21": "many"}', '{"pbx21": null, "pbx24": "down"}']
)
def test_counts_wrong_shapes_are_malformed(body):
    with pytest.raises(MalformedResponse):
        parsing.parse_node_counts(body)


# ------------------------------------------------------------------ peers

PEER_ROW = (
    '{"node":"pbx21","Name":"103-DEVEL","Host":"10.1.2.3","Dyn":"D","Forcerport":"Yes","Comedia":"Yes",'
    '"ACL":"","Port":"5060","Status":"OK (23 ms)","Description":"Reception","Realtime":"Cached RT",'
    '"0":"pbx21","1":"103-DEVEL","2":"10.1.2.3","extra":"ignored"}'
)


def test_peer_row_with_index_duplication_and_extra_fields():
    (peer,) = parsing.parse_peers(f"[{PEER_ROW}]")
    assert peer.name == "103-DEVEL" and peer.extension == "103" and peer.tenant == "DEVEL"
    assert peer.node == "pbx21" and peer.port == 5060 and peer.dynamic
    assert peer.status is PeerStatus.OK and peer.latency_ms == 23
    assert peer.description == "Reception"


@pytest.mark.parametrize(
    "status, host, expected, latency",
    [
        ("OK (23 ms)", "10.0.0.1", PeerStatus.OK, 23),
        ("LAGGED (812 ms)", "10.0.0.1", PeerStatus.LAGGED, 812),
        ("UNREACHABLE", "10.0.0.1", PeerStatus.UNREACHABLE, None),
        ("UNKNOWN", "10.0.0.1", PeerStatus.UNKNOWN, None),
        ("Unmonitored", "10.0.0.1", PeerStatus.UNMONITORED, None),
        ("UNKNOWN", "(Unspecified)", PeerStatus.UNREGISTERED, None),
        ("something new", "10.0.0.1", PeerStatus.UNKNOWN, None),
    ],
)
def test_peer_status_text(status, host, expected, latency):
    assert parsing.parse_peer_status(status, host) == (expected, latency)


def test_peer_with_only_a_name_is_fine():
    (peer,) = parsing.parse_peers('[{"Name": "200-ACME"}]')
    assert peer.status is PeerStatus.UNREGISTERED and peer.port is None


def test_peers_as_index_keyed_object():
    peers = parsing.parse_peers('{"1": {"Name": "b-X"}, "0": {"Name": "a-X"}}')
    assert [p.name for p in peers] == ["a-X", "b-X"]


@pytest.mark.parametrize("body", ['{"Name": "103-DEVEL"}', '["103-DEVEL"]', "[{}]", "[[1,2]]", '"x"'])
def test_peers_wrong_shapes_are_malformed(body):
    with pytest.raises(MalformedResponse):
        parsing.parse_peers(body)


# ------------------------------------------------------------------ channels

CHANNEL_ROW = (
    '["SIP/103-DEVEL-0000a3f1","authenticated","0612345678","3","Up","Dial","SIP/kamailio/0612345678,60",'
    '"103","DEVEL","","3","125","SIP/kamailio-00001c2e","pbx21-1700000000.42"]'
)


def test_channel_row():
    (channel,) = parsing.parse_channels(f"[{CHANNEL_ROW}]")
    assert channel.duration == 125 and channel.uniqueid == "pbx21-1700000000.42"
    assert channel.node == "pbx21" and channel.tenant == "DEVEL" and channel.device == "SIP/103-DEVEL"
    assert channel.bridged_to == "SIP/kamailio-00001c2e"


def test_fast_built_channels_equal_normally_built_ones():
    (fast,) = parsing.parse_channels(f"[{CHANNEL_ROW}]")
    (slow,) = [parsing.channel_from_row(row) for row in json.loads(f"[{CHANNEL_ROW}]")]
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    with pytest.raises(AttributeError):
        fast.state = "Down"  # still frozen


def test_channel_row_with_numbers_and_nulls_and_short_rows():
    body = '[["SIP/1-X-1","c","s",1,"Up","Dial",null,"1","X","",3,7.0,null,"n-1.1"], ["SIP/2-X-2","c"]]'
    first, short = parsing.parse_channels(body)
    (unbridged,) = parsing.parse_channels(CHANNEL_ROW.join("[]").replace("SIP/kamailio-00001c2e", "(None)"))
    assert unbridged.bridged_to == ""
    assert first.priority == "1" and first.duration == 7 and first.bridged_to == "" and first.data == ""
    assert short.channel == "SIP/2-X-2" and short.duration == 0 and short.uniqueid == ""


def test_channel_row_as_index_keyed_object():
    (channel,) = parsing.parse_channels('[{"0": "SIP/1-X-1", "11": "9", "13": "n-1.1"}]')
    assert channel.duration == 9 and channel.uniqueid == "n-1.1"


@pytest.mark.parametrize("body", ["", "null", "[]", "]"])
def test_no_channels(body):
    assert parsing.parse_channels(body) == []


@pytest.mark.parametrize("body", ['{"a": 1}', '["SIP/1"]', "[[]]", '[[{"x":1},"c"]]', "[[null]]"])
def test_channels_wrong_shapes_are_malformed(body):
    with pytest.raises(MalformedResponse):
        parsing.parse_channels(body)


def test_channel_detail_pairs():
    detail = parsing.parse_channel_detail(
        '[["Name","SIP/103-DEVEL-0000a3f1"],["UniqueID","pbx21-1700000000.42"],["State","Up (6)"]]', "x"
    )
    assert detail.channel == "SIP/103-DEVEL-0000a3f1" and detail.uniqueid == "pbx21-1700000000.42"
    assert detail.get("State") == "Up (6)" and detail.get("Nope", "-") == "-"


@pytest.mark.parametrize("body", ["", "null", "[]"])
def test_channel_detail_of_a_gone_channel_is_none(body):
    assert parsing.parse_channel_detail(body, "SIP/1-X-1") is None


def test_channel_detail_wrong_shape():
    with pytest.raises(MalformedResponse):
        parsing.parse_channel_detail("[1, 2]", "x")


# ------------------------------------------------------------------ BLFs and flows


def test_blf_timestamps_text_and_epoch():
    blfs = parsing.parse_blfs(
        '[{"st_extension":"103-DEVEL","st_state":"INUSE","st_timestamp":"2026-11-27 02:30:00"},'
        '{"st_extension":"104-DEVEL","st_state":"NOT_INUSE","st_timestamp":1700000000},'
        '{"st_extension":"105-DEVEL","st_state":"UNAVAILABLE","st_timestamp":"0000-00-00 00:00:00"},'
        '{"st_extension":"106-DEVEL","st_state":"BUSY"}]'
    )
    assert blfs[0].timestamp == datetime(2026, 11, 27, 2, 30)
    assert blfs[1].timestamp == datetime.fromtimestamp(1700000000)
    assert blfs[2].timestamp is None and blfs[3].timestamp is None
    assert [b.state for b in blfs] == ["INUSE", "NOT_INUSE", "UNAVAILABLE", "BUSY"]


def test_flow_row():
    (flow,) = parsing.parse_flows(
        '[{"fl_id":"12","fl_te_id":"3","fl_name":"Night","fl_comment":"","fl_number":"*80","fl_value":"1",'
        '"fl_value_for_unavailable":"0","fl_monitor_type":"EXT","st_extension":"103-DEVEL","st_state":"INUSE",'
        '"st_timestamp":"2026-11-27 01:00:00","st_peername":"SIP/103-DEVEL","unknown":1}]'
    )
    assert (flow.id, flow.number, flow.value, flow.state) == ("12", "*80", "1", "INUSE")
    assert flow.state_timestamp == datetime(2026, 11, 27, 1) and flow.peername == "SIP/103-DEVEL"


def test_flows_wrong_shape():
    with pytest.raises(MalformedResponse):
        parsing.parse_flows('[{"fl_name": "no id"}]')


# ------------------------------------------------------------------ queues and agents


def test_queues_json_and_plain():
    assert [(q.id, q.name) for q in parsing.parse_queues('{"281": "supportQ", "282": "sales: EU, NL"}')] == [
        ("281", "supportQ"),
        ("282", "sales: EU, NL"),
    ]
    assert [(q.id, q.name) for q in parsing.parse_queues("281:supportQ|282:a:b|")] == [("281", "supportQ"), ("282", "a:b")]
    assert parsing.parse_queues("") == [] and parsing.parse_queues("null") == []


def test_queue_stats():
    stats = parsing.parse_queue_stats(
        '{"AGENTSAVAILABLE":"3","AGENTSPAUSED":1,"CALLSINQUEUE":"2","SERVICELEVEL":"85.5","FIRSTWAITING":"42",'
        '"TRANSFEREDCALLS":"4","NEWFIELD":"x"}',
        "281",
    )
    assert stats.queue_id == "281" and stats.agents_available == 3 and stats.agents_paused == 1
    assert stats.calls_in_queue == 2 and stats.service_level == 85.5 and stats.longest_wait == 42
    assert stats.transferred_calls == 4 and stats.abandoned_calls == 0


def test_queue_stats_unknown_queue_and_wrong_shape():
    assert parsing.parse_queue_stats("null", "9") is None
    with pytest.raises(MalformedResponse):
        parsing.parse_queue_stats('"x"', "9")


def test_agents_sparse_rows_by_position():
    agents = parsing.parse_agents(
        '{"103-DEVEL": {"0":0,"1":"available","2":"UNAVAILABLE","4":"","8":"","10":"281","11":"55"},'
        ' "104-DEVEL": {"0":"1","1":"paused","2":"NOT_INUSE","3":"7","4":"lunch","5":"1700000000","6":"Ann",'
        '"7":"2","8":"NF","10":"281","11":"56"}}'
    )
    first, second = agents
    assert first.member == "103-DEVEL" and not first.paused and first.status == "available"
    assert first.queue_id == "281" and first.extension_id == "55" and first.last_call is None
    assert second.paused and second.pause_reason == "lunch" and second.calls_taken == 7
    assert second.display_name == "Ann" and second.penalty == 2 and second.agent_type == "NF"
    assert second.last_call == datetime.fromtimestamp(1700000000) and second.key == ("281", "104-DEVEL")


def test_agents_queue_defaults_to_the_requested_one():
    (agent,) = parsing.parse_agents('{"103-DEVEL": {"0": 0, "1": "busy"}}', "281")
    assert agent.queue_id == "281"


def test_agents_unknown_queue_is_null():
    assert parsing.parse_agents("null") == []


def test_agents_wrong_shape():
    with pytest.raises(MalformedResponse):
        parsing.parse_agents('["103-DEVEL"]')
    with pytest.raises(MalformedResponse):
        parsing.parse_agents('{"103-DEVEL": 5}')


# ------------------------------------------------------------------ extension state, extensions, config


def test_extstate_not_registered():
    state = parsing.parse_extension_state('{"UniqueID":"KO","LinkedID":"Extension not registered"}', "103-DEVEL")
    assert not state.registered and not state.in_call and state.get("LinkedID") == "Extension not registered"


def test_extstate_registered_and_idle():
    state = parsing.parse_extension_state('{"UniqueID":"KO","LinkedID":"Extension not in use"}', "103-DEVEL")
    assert state.registered and not state.in_call


def test_extstate_in_call():
    state = parsing.parse_extension_state(
        '{"UniqueID":"pbx21-1.1","LinkedID":"pbx21-1.1","Connected Line ID":"0612345678","Direction":"out",'
        '"OtherParty":"SIP/kamailio-1"}',
        "103-DEVEL",
    )
    assert state.registered and state.in_call and state.get("OtherParty") == "SIP/kamailio-1"


def test_extensions_drop_passwords():
    body = (
        '[{"ex_number":"103","ex_name":"Reception","ex_tech":"SIP","ex_username":"103-DEVEL",'
        '"ex_password":"hunter2","ex_web_password":"pw-web-9","ex_state":"NOT_INUSE"}]'
    )
    (ext,) = parsing.parse_extensions(body)
    assert (ext.number, ext.name, ext.tech, ext.username, ext.state) == ("103", "Reception", "SIP", "103-DEVEL", "NOT_INUSE")
    assert "hunter2" not in repr(ext) and not hasattr(ext, "password")
    scrubbed = scrub_secrets(body)
    assert "hunter2" not in scrubbed and "pw-web-9" not in scrubbed and "Reception" in scrubbed


def test_index_twins_of_passwords_are_dropped_even_when_positions_do_not_line_up():
    lined_up = '[{"0":"103","ex_number":"103","1":"s3cr3t-sip","ex_password":"s3cr3t-sip","2":"1234","ex_x":"1234"}]'
    assert json.loads(scrub_secrets(lined_up)) == [{"0": "103", "ex_number": "103", "2": "1234", "ex_x": "1234"}]
    # Index keys that do not match their named twins: the password's value still gives it away.
    shuffled = '{"ex_password":"s3cr3t-sip","ex_number":"103","9":"s3cr3t-sip","0":"103","1":"103"}'
    assert "s3cr3t" not in scrub_secrets(shuffled) and json.loads(scrub_secrets(shuffled))["1"] == "103"
    assert scrub_secrets('{"ex_password": "x"') == WITHHELD  # broken JSON is not quoted
    assert scrub_secrets("[1, 2]") == "[1, 2]"


def test_extensions_plain_table_drops_the_password_column():
    body = "Number|Name|Tech|State|Username|Password\n103|Reception|SIP|NOT_INUSE|103-DEVEL|hunter2\n"
    (ext,) = parsing.parse_extensions(body)
    assert ext.number == "103" and ext.username == "103-DEVEL"
    assert "hunter2" not in scrub_secrets(body)


def test_config_balance_calls_members():
    config = parsing.parse_tenant_config('{"maxchannels":"10","maxextensions":50,"maxdids":""}')
    assert (config.max_channels, config.max_extensions, config.max_dids) == (10, 50, None)
    assert parsing.parse_balance("123.45") == 123.45 and parsing.parse_balance('"7.5"') == 7.5
    assert parsing.parse_balance("") is None
    assert parsing.parse_call_count("") == 0 and parsing.parse_call_count("17") == 17
    assert parsing.parse_queue_members('["103-DEVEL","104-DEVEL"]') == ["103-DEVEL", "104-DEVEL"]
    assert parsing.parse_queue_members("null") == []


@pytest.mark.parametrize(
    "parse, body",
    [
        (parsing.parse_balance, '{"a": 1, "b": 2}'),
        (parsing.parse_call_count, "[1, 2]"),
        (parsing.parse_call_count, '"many"'),
        (parsing.parse_tenant_config, "[1, 2]"),
        (parsing.parse_queue_members, '{"a": "b"}'),
        (parsing.parse_blfs, "[1]"),
        (parsing.parse_extensions, '[{"ex_name": "no number"}]'),
    ],
)
def test_wrong_shapes_are_malformed(parse, body):
    with pytest.raises(MalformedResponse):
        parse(body)


@pytest.mark.parametrize(
    "body",
    ["{", "[[", '{"a": [1, {"b": null}]}', "[null, null]", '[["x"], 3, "y", {"1": []}]', "1e999", "true", '"Success"'],
)
def test_no_parser_crashes_on_hostile_bodies(body):
    parsers = [
        parsing.parse_node_counts,
        parsing.parse_peers,
        parsing.parse_channels,
        lambda b: parsing.parse_channel_detail(b, "x"),
        parsing.parse_blfs,
        parsing.parse_flows,
        parsing.parse_queues,
        lambda b: parsing.parse_queue_stats(b, "1"),
        parsing.parse_agents,
        lambda b: parsing.parse_extension_state(b, "1"),
        parsing.parse_extensions,
        parsing.parse_tenant_config,
        parsing.parse_balance,
        parsing.parse_call_count,
        parsing.parse_queue_members,
    ]
    for parse in parsers:
        try:
            parse(body)
        except MalformedResponse:
            pass
