"""The simulator is as untidy as the field: names registered on two nodes, unicode, counts as text."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sim_http import fetch

from tringtui.sim import ManualClock, SimulatedPBX
from tringtui.sim.generate import Mess


@pytest.fixture
def doubled(clock):
    return SimulatedPBX(seed=7, size="small", clock=clock, mess=Mess(duplicate_peers=2))


def test_the_default_small_world_is_tidy(pbx):
    assert pbx.mess == Mess()
    assert len(pbx.peers_snapshot()) == len(pbx.peers)


def test_a_name_registered_on_two_nodes_is_two_peers_rows(doubled, serve):
    server = serve(doubled)
    rows = fetch(server, key="demo-admin", reqtype="PEERS", format="json").json()
    names = Counter(row["Name"] for row in rows)
    twice = [name for name, count in names.items() if count == 2]
    assert len(twice) == 2 and len(rows) == len(doubled.peers) + 2
    for name in twice:
        nodes = [row["node"] for row in rows if row["Name"] == name]
        assert len(set(nodes)) == 2
    counts = fetch(server, key="demo-admin", reqtype="COUNTPEERS", format="json").json()
    registered = sum(1 for row in rows if row["Host"] != "(Unspecified)")
    assert sum(counts.values()) == registered
    snapshot_names = Counter(peer.name for peer in doubled.peers_snapshot())
    assert sorted(n for n, c in snapshot_names.items() if c == 2) == sorted(twice)


def test_a_tenant_sees_both_registrations_and_one_blf(doubled, serve):
    server = serve(doubled)
    name = next(peer.name for peer in doubled.world.duplicates_list())
    tenant = doubled.peers[name].tenant
    key = {"DEVEL": "demo-devel", "ACME": "demo-acme"}.get(tenant, "demo-admin")
    rows = fetch(server, key=key, tenant=tenant, reqtype="PEERS", format="json").json()
    assert [row["Name"] for row in rows].count(name) == 2
    blfs = fetch(server, key=key, tenant=tenant, reqtype="BLFS", format="json").json()
    assert [row["st_extension"] for row in blfs].count(name) == 1


def test_reboot_of_a_doubled_name_drops_both_registrations(doubled, serve):
    server = serve(doubled)
    name = next(peer.name for peer in doubled.world.duplicates_list())
    assert fetch(server, key="demo-admin", reqtype="REBOOT", peer=name).body.startswith("Success|")
    rows = [row for row in fetch(server, key="demo-admin", reqtype="PEERS", format="json").json()
            if row["Name"] == name]
    assert [row["Host"] for row in rows] == ["(Unspecified)", "(Unspecified)"]


def test_node_names_come_in_several_styles(api):
    nodes = set(api(reqtype="COUNTPEERS", format="json").json())
    assert {"pbx21", "srv02", "pbx6.example.net"} <= nodes


@pytest.fixture(scope="module")
def medium():
    return SimulatedPBX(seed=3, size="medium", clock=ManualClock())


def test_bigger_worlds_are_untidy_by_default(medium, serve):
    assert medium.mess.duplicate_peers == 1 and medium.mess.counts_as_text
    server = serve(medium)
    raw = fetch(server, key="demo-admin", reqtype="PEERS", format="json").body
    assert "\\u" in raw and raw.isascii()  # non-ASCII as \uXXXX, as PHP's json_encode writes it
    descriptions = {row["Description"] for row in json.loads(raw)}
    assert any(not text.isascii() for text in descriptions)
    plain = fetch(server, key="demo-admin", reqtype="PEERS").body
    assert any(not text.isascii() for text in descriptions if text in plain)  # plain is UTF-8, unescaped
    counts = fetch(server, key="demo-admin", reqtype="COUNTPEERS", format="json").json()
    total = counts.pop("total")
    assert all(isinstance(v, str) for v in counts.values()) and int(total) == sum(map(int, counts.values()))
    assert fetch(server, key="demo-admin", reqtype="COUNTCHANNELS").body.endswith(f"|total:{len(medium.legs)}|")


def test_unicode_caller_names_reach_the_wire(medium, serve):
    server = serve(medium)
    with medium.lock:
        trunk = next(leg for leg in medium.legs.values() if leg.peer is None and not leg.cid_name.isascii())
        unicode_peers = [p for p in medium.peers.values() if not p.display.isascii()]
    assert len(unicode_peers) > len(medium.peers) * 0.08
    detail = dict(fetch(server, key="demo-admin", reqtype="CHANNEL", channel=trunk.name, format="json").json())
    assert detail["Caller ID Name"] == trunk.cid_name
    with medium.lock:
        peer = unicode_peers[0]
    extensions = fetch(server, key="demo-admin", tenant=peer.tenant, reqtype="INFO", info="extensions",
                       format="json").json()
    assert peer.display in {row["ex_name"] for row in extensions}
