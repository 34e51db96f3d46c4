"""Keys and roles: tenant confinement, read-only refusal, bad keys, the keys file."""

from __future__ import annotations

import pytest
from sim_http import fetch

from tringtui.sim import DEMO_KEYS, ApiKey, KeyFileError, load_keys

TOO_BAD = "Too bad... you mistaken the security api key."


def test_demo_keys_cover_every_role():
    roles = {(k.role, k.tenant, k.access) for k in DEMO_KEYS.values()}
    assert {("admin", None, "rw"), ("admin", None, "ro"), ("tenant", "DEVEL", "rw"), ("tenant", "DEVEL", "ro")} <= roles
    assert "demo-admin" not in repr(DEMO_KEYS["demo-admin"])


@pytest.mark.parametrize("fmt", ["json", "plain", "xml"])
def test_bad_or_missing_key_is_rejected_in_any_format(api, fmt):
    assert api(key="wrong", reqtype="COUNTPEERS", format=fmt).body == TOO_BAD
    assert api(key="", reqtype="CHANNELS", format=fmt).body == TOO_BAD
    assert api(key="wrong", reqtype="NOSUCHTYPE", format=fmt).body == TOO_BAD


def test_tenant_key_sees_only_its_tenant(api):
    rows = api(key="demo-devel", tenant="DEVEL", reqtype="CHANNELS", format="json").json()
    assert rows and all(row[8] == "DEVEL" for row in rows)
    peers = api(key="demo-devel", tenant="DEVEL", reqtype="PEERS", format="json").json()
    assert peers and all(p["Name"].endswith("-DEVEL") for p in peers)


def test_tenant_key_must_name_its_own_tenant(api):
    assert api(key="demo-devel", reqtype="CHANNELS", format="json").body == TOO_BAD
    assert api(key="demo-devel", tenant="ACME", reqtype="CHANNELS", format="json").body == TOO_BAD
    assert api(key="demo-devel", tenant="devel", reqtype="PEERS", format="json").body == TOO_BAD
    assert api(key="demo-devel", tenant="NOPE", reqtype="FLOWS", format="json").body == TOO_BAD


def test_countchannels_says_wrong_or_missing_tenant(api):
    assert api(key="demo-devel", reqtype="COUNTCHANNELS", format="json").body == "Wrong or missing tenant"
    assert api(key="demo-devel", tenant="NOPE", reqtype="COUNTCHANNELS").body == "Wrong or missing tenant"
    assert api(key="demo-devel", tenant="ACME", reqtype="COUNTCHANNELS").body == TOO_BAD


def test_admin_key_may_omit_or_name_a_tenant(api):
    everything = api(reqtype="CHANNELS", format="json").json()
    acme = api(reqtype="CHANNELS", format="json", tenant="ACME").json()
    assert {row[8] for row in everything} == {"DEVEL", "ACME", "Shop42"}
    assert acme and {row[8] for row in acme} == {"ACME"}
    assert api(reqtype="CHANNELS", format="json", tenant="NOPE").body == TOO_BAD


def test_types_that_need_a_tenant_reject_an_admin_without_one(api):
    for params in ({"reqtype": "BLFS"}, {"reqtype": "FLOWS"}, {"reqtype": "INFO", "info": "queues"}):
        assert api(format="json", **params).body == TOO_BAD


def test_tenant_key_cannot_act_on_another_tenant(api, pbx):
    acme = next(c for c in pbx.channels_snapshot() if c.tenant == "ACME")
    # Naming its own tenant, the DEVEL key simply cannot see the ACME channel.
    assert api(key="demo-devel", tenant="DEVEL", reqtype="HANGUP", channel=acme.name).body == "Error|Channel not found|"
    assert api(key="demo-devel", tenant="DEVEL", reqtype="CHANNEL", channel=acme.name, format="json").body == ""
    assert pbx.channel(acme.name) is not None


@pytest.mark.parametrize("params", [
    {"reqtype": "HANGUP", "channel": "x"},
    {"reqtype": "TRANSFER", "channel": "x", "dest": "104"},
    {"reqtype": "ATXTRANSFER", "channel": "x", "dest": "104"},
    {"reqtype": "AGENT", "extension": "103", "action": "pause"},
    {"reqtype": "REBOOT", "peer": "ALL"},
    {"reqtype": "UNREGISTER", "peer": "ALL"},
    {"reqtype": "SETFLOW", "number": "801", "state": "INUSE"},
    {"reqtype": "DIAL", "source": "103", "dest": "104"},
    {"reqtype": "QUEUE", "action": "add", "id": "281", "extension": "103"},
    {"reqtype": "QUEUE", "action": "clean", "id": "281"},
])
def test_read_only_keys_cannot_write(api, pbx, params):
    before = len(pbx.channels_snapshot()), [p.registered for p in pbx.peers_snapshot()]
    assert api(key="demo-devel-ro", tenant="DEVEL", **params).body == TOO_BAD
    assert api(key="demo-admin-ro", tenant="DEVEL", **params).body == TOO_BAD
    assert (len(pbx.channels_snapshot()), [p.registered for p in pbx.peers_snapshot()]) == before


def test_read_only_keys_can_read(api):
    assert api(key="demo-devel-ro", tenant="DEVEL", reqtype="CHANNELS", format="json").json()
    assert api(key="demo-admin-ro", reqtype="COUNTPEERS", format="json").json()
    assert api(key="demo-devel-ro", tenant="DEVEL", reqtype="QUEUE", action="list", id="281", format="json").json()


def test_keys_file_adds_keys(tmp_path, pbx, serve):
    path = tmp_path / "keys.yaml"
    path.write_text("- {key: s3cret, role: tenant, tenant: ACME, access: ro}\n- {key: boss, role: admin}\n")
    keys = load_keys(path)
    assert keys["s3cret"] == ApiKey("s3cret", "tenant", "ACME", "ro")
    assert keys["boss"].is_admin and not keys["boss"].read_only
    server = serve(pbx, keys=keys)
    assert fetch(server, key="s3cret", tenant="ACME", reqtype="PEERS", format="json").json()
    assert fetch(server, key="s3cret", tenant="ACME", reqtype="HANGUP", channel="x").body == TOO_BAD
    assert fetch(server, key="demo-admin", reqtype="COUNTPEERS").body == TOO_BAD  # only the given keys


@pytest.mark.parametrize("text, message", [
    ("- {key: a, role: boss}\n", "entry 1: 'role' must be one of admin, tenant"),
    ("- {key: a, role: admin}\n- {key: b, role: tenant}\n", "entry 2: a tenant key needs 'tenant'"),
    ("- {key: a, role: admin, access: rx}\n", "entry 1: 'access' must be rw or ro"),
    ("- {role: admin}\n", "entry 1: 'key' must be a non-empty string"),
    ("- {key: a, role: admin, colour: red}\n", "entry 1: unknown field(s) colour"),
    ("- {key: a, role: admin}\n- {key: a, role: admin}\n", "entry 2: duplicate key"),
    ("key: a\n", "expected a non-empty list"),
    ("- [unclosed\n", "not valid YAML"),
])
def test_bad_keys_file_names_file_and_entry(tmp_path, text, message):
    path = tmp_path / "keys.yaml"
    path.write_text(text)
    with pytest.raises(KeyFileError) as info:
        load_keys(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_missing_keys_file(tmp_path):
    with pytest.raises(KeyFileError, match="cannot read keys file"):
        load_keys(tmp_path / "absent.yaml")
