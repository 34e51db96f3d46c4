"""Every built-in alert rule, driven on the simulator over HTTP with its clock: it fires once and resolves once."""

from collections import Counter

import pytest

from tests.live.alert_helpers import Watch, hang_up, one_clock  # noqa: F401 (one_clock: the sim_clock fixture)
from tringtui.alert_rules import CONDITIONS, rule_from_defaults
from tringtui.live.alerts import FIRE, RESOLVE, AlertEngine


async def test_queue_waiting_fires_while_agents_are_paused_and_resolves_after(client, sim_clock, sim_pbx):
    watch = Watch(client, sim_clock, rule_from_defaults("queue_waiting", threshold=1, hold=60,
                                                       selectors=(("queue", "281"),)))
    members = sim_pbx.queue(281).members
    for member in members:
        await client.pause_agent(member, 281)
    await watch.step()
    assert watch.kinds() == []  # holding, but not yet for a minute
    for _ in range(20):
        await watch.step(20)
    assert watch.kinds() == [FIRE]
    alert = watch.engine.firing[0]
    assert alert.since == watch.transitions[0].at
    assert alert.where.startswith("queue 281 ") and alert.target.pane == "queues" and alert.target.key == "281"
    for member in members:
        await client.unpause_agent(member, 281)
    for _ in range(10):
        await watch.step(20)
    watch.assert_fired_and_resolved_once_each()


async def test_queue_longest_wait(client, sim_clock, sim_pbx):
    watch = Watch(client, sim_clock, rule_from_defaults("queue_longest_wait", threshold=40, hold=0,
                                                       selectors=(("queue", "supportQ"),)))
    for member in sim_pbx.queue(281).members:
        await client.pause_agent(member, 281)
    for _ in range(20):
        await watch.step(20)
    assert watch.kinds() == [FIRE]
    for member in sim_pbx.queue(281).members:
        await client.unpause_agent(member, 281)
    for _ in range(5):
        await watch.step(20)
    watch.assert_fired_and_resolved_once_each()


async def test_queue_service_level(client, sim_clock, sim_pbx):
    watch = Watch(client, sim_clock, rule_from_defaults("queue_service_level", threshold=60, hold=120,
                                                       selectors=(("queue", "281"),)))
    queue = sim_pbx.queues[281]
    await watch.step()
    with sim_pbx.lock:
        saved, queue.answered_in_sl = queue.answered_in_sl, queue.answered // 2
    await watch.step(60)
    await watch.step(60)
    assert watch.kinds() == []  # below 60 % for one minute only
    await watch.step(60)
    assert watch.kinds() == [FIRE]
    assert watch.engine.firing[0].value < 60
    with sim_pbx.lock:
        queue.answered_in_sl = saved + (queue.answered - saved)  # every call answered in time
    await watch.step(10)
    watch.assert_fired_and_resolved_once_each()


async def test_node_peers_lost(admin_client, sim_clock, sim_pbx):
    watch = Watch(admin_client, sim_clock, rule_from_defaults("node_peers_lost", threshold=50, hold=60,
                                                             selectors=(("node", "pbx24"),)))
    await watch.step()
    for peer in sim_pbx.peers_snapshot():
        if peer.node == "pbx24" and peer.registered:
            await admin_client.unregister(peer.name)
    await watch.step(20)
    assert watch.kinds() == []
    await watch.step(60)
    assert watch.kinds() == [FIRE]
    assert watch.engine.firing[0].value >= 50
    for _ in range(15):  # UNREGISTER lasts 60-240 s, then the phones come back
        await watch.step(20)
    watch.assert_fired_and_resolved_once_each()


async def test_node_no_channels_while_the_others_carry_calls(admin_client, sim_clock, sim_pbx):
    watch = Watch(admin_client, sim_clock, rule_from_defaults("node_no_channels", threshold=5, hold=0,
                                                             selectors=(("node", "pbx24"),)))
    await watch.step()
    assert watch.kinds() == []
    for channel in await admin_client.channels(nodename="pbx24"):
        await hang_up(admin_client, channel.channel)
    await watch.step()  # the clock stands still: no new call yet
    assert watch.kinds() == [FIRE]
    for _ in range(6):
        await watch.step(20)
    watch.assert_fired_and_resolved_once_each()


async def test_call_stuck(client, sim_clock):
    watch = Watch(client, sim_clock, rule_from_defaults("call_stuck", threshold=0.06, hold=0))  # 216 s
    await watch.step(40)
    assert watch.transitions and set(watch.kinds()) == {FIRE}
    for alert in watch.engine.firing:
        assert alert.target.pane == "channels" and alert.value >= 0.06
        channel = next(c for c in watch.figures.channels.channels if c.uniqueid == alert.subject)
        await hang_up(client, channel.channel)
    await watch.step()
    watch.assert_fired_and_resolved_once_each()


async def test_peer_flapping(client, sim_clock, sim_pbx):
    watch = Watch(client, sim_clock, rule_from_defaults("peer_flapping", threshold=4, window=600,
                                                       selectors=(("tenant", "DEVEL"),)))
    phone = next(p for p in sim_pbx.peers_snapshot() if p.tenant == "DEVEL" and p.registered)
    await watch.step()
    for _ in range(2):
        await client.reboot(phone.name)
        await watch.step(5)
        await watch.step(100)  # a rebooted phone is back within 30-90 s
    subject = f"{phone.node}/{phone.name}"
    assert watch.kinds(subject) == [FIRE]
    for _ in range(8):
        await watch.step(100)
    assert watch.kinds(subject) == [FIRE, RESOLVE]


async def test_request_failing(client, sim_clock, sim_server):
    watch = Watch(client, sim_clock, rule_from_defaults("request_failing", hold=60,
                                                       selectors=(("request", "channels"),)))
    await watch.step()
    sim_server.faults.mode, sim_server.faults.only = "html", ["CHANNELS"]
    await watch.step(30)
    await watch.step(30)
    assert watch.kinds() == []
    await watch.step(30)
    assert watch.kinds() == [FIRE]
    assert "CHANNELS" in watch.engine.firing[0].where
    sim_server.faults.clear()
    await watch.step(30)
    watch.assert_fired_and_resolved_once_each()


async def test_request_slow(client, sim_clock, sim_server):
    watch = Watch(client, sim_clock, rule_from_defaults("request_slow", threshold=0.25, hold=0,
                                                       selectors=(("request", "PEERS"),)))
    sim_server.faults.set_latency("PEERS", 0.3)
    await watch.step()
    assert watch.kinds() == [FIRE]
    sim_server.faults.clear()
    await watch.step(5)
    watch.assert_fired_and_resolved_once_each()


async def test_balance_low_asks_at_most_once_a_minute(client, sim_clock, sim_pbx, sim_server):
    watch = Watch(client, sim_clock, rule_from_defaults("balance_low", threshold=10))
    await watch.step()
    with sim_pbx.lock:
        saved, sim_pbx.tenants["DEVEL"].balance = sim_pbx.tenants["DEVEL"].balance, 4.5
    await watch.step(30)
    assert watch.kinds() == []  # not asked again yet
    await watch.step(30)
    assert watch.kinds() == [FIRE]
    assert watch.engine.firing[0].value == 4.5
    with sim_pbx.lock:
        sim_pbx.tenants["DEVEL"].balance = saved
    await watch.step(60)
    watch.assert_fired_and_resolved_once_each()
    asked = Counter(record.params.get("info") for record in sim_server.request_log if record.reqtype == "INFO")
    assert asked["balance"] == asked["config"] == 3


async def test_channels_near_max(client, sim_clock, sim_pbx):
    watch = Watch(client, sim_clock, rule_from_defaults("channels_near_max", threshold=10, hold=0))
    with sim_pbx.lock:
        sim_pbx.tenants["DEVEL"].max_channels = 1000
    await watch.step()
    assert watch.kinds() == []
    in_use = watch.figures.tenant_share("DEVEL").channels
    with sim_pbx.lock:
        sim_pbx.tenants["DEVEL"].max_channels = max(1, in_use // 2)
    await watch.step(60)
    assert watch.kinds() == [FIRE]
    with sim_pbx.lock:
        sim_pbx.tenants["DEVEL"].max_channels = 1000
    await watch.step(60)
    watch.assert_fired_and_resolved_once_each()


def test_every_condition_is_driven_here():
    tested = {name.removeprefix("test_").split("_fires")[0] for name in globals() if name.startswith("test_")}
    missing = [name for name in CONDITIONS if not any(t.startswith(name) for t in tested)]
    assert not missing


async def test_missing_data_neither_fires_nor_resolves(client, sim_clock, sim_server):
    watch = Watch(client, sim_clock, rule_from_defaults("queue_waiting", threshold=0, hold=0))
    await watch.step()
    firing = len(watch.engine.firing)
    assert firing == 2  # both DEVEL queues: waiting >= 0
    sim_server.faults.mode, sim_server.faults.only = "malformed", ["INFO"]
    await watch.step(30)
    assert len(watch.engine.firing) == firing and watch.kinds().count(RESOLVE) == 0


@pytest.mark.parametrize("severity", ["warning", "critical"])
def test_worst_severity(severity):
    from tringtui.alert_rules import Severity
    from tringtui.live.alerts import Reading

    engine = AlertEngine([rule_from_defaults("balance_low", severity=Severity(severity))])
    assert engine.worst is None
    engine._apply(engine.rules[0], [Reading("DEVEL", "tenant DEVEL balance", 1.0)], 100.0)
    assert engine.worst == Severity(severity)
