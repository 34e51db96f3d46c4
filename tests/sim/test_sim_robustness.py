"""The simulator stays consistent under random actions, and under concurrent requests."""

from __future__ import annotations

import random
import threading

import pytest
from sim_http import fetch

from tringtui.sim import ManualClock, SimulatedPBX


def assert_consistent(pbx: SimulatedPBX) -> None:
    """Every index agrees with every other: legs, calls, bridges, peers, queues."""
    for name, leg in pbx.legs.items():
        assert leg.name == name and leg.call.id in pbx.calls and leg in leg.call.legs
        if leg.bridged is not None:
            assert leg.bridged.bridged is leg and pbx.legs.get(leg.bridged.name) is leg.bridged
        if leg.peer is not None:
            assert leg in leg.peer.legs
    for call in pbx.calls.values():
        assert call.legs and all(pbx.legs.get(leg.name) is leg for leg in call.legs)
    for peer in pbx.peers.values():
        assert all(pbx.legs.get(leg.name) is leg for leg in peer.legs)
        assert (peer.device_state == "UNAVAILABLE") == (not peer.registered)
    for queue in pbx.queues.values():
        assert all(call.id in pbx.calls and call.queue is queue for call in queue.waiting)
        assert queue.talking == sum(1 for c in pbx.calls.values() if c.queue is queue and c.answered_at is not None)


def random_action(pbx: SimulatedPBX, rng: random.Random) -> None:
    legs = list(pbx.legs.values())
    peers = list(pbx.peers.values())
    tenant = rng.choice(list(pbx.tenants.values()))
    leg = rng.choice(legs) if legs else None
    some_ext = rng.choice(tenant.peers).ext
    dest = rng.choice(("0201234567", some_ext))
    action = rng.randrange(9)
    if action == 0 and leg:
        pbx.hangup_channel(leg.name, None)
    elif action == 1 and leg:
        extra = leg.bridged.name if leg.bridged and rng.random() < 0.5 else None
        pbx.transfer(leg.name, dest, extra, leg.tenant)
    elif action == 2 and leg:
        pbx.atxtransfer(leg.name, rng.choice(("0201234567", rng.choice(pbx.tenants[leg.tenant].peers).ext)),
                        leg.tenant)
    elif action == 3:
        pbx.reboot(rng.choice(peers).name, None)
    elif action == 4:
        pbx.unregister(rng.choice(peers).name, None)
    elif action == 5:
        pbx.dial(some_ext, dest, tenant.code)
    elif action == 6 and tenant.queues:
        queue = rng.choice(tenant.queues)
        if rng.random() < 0.3:
            pbx.queue_clean(queue)
        else:
            pbx.queue_add(queue, rng.choice(tenant.peers).name)
    elif action == 7 and leg and leg.peer:
        pbx.hangup_extension(leg.peer.name, None)
    elif action == 8:
        pbx.set_pause(rng.choice(peers).name, None, rng.random() < 0.5, "test", None)


@pytest.mark.parametrize("seed", range(12))
def test_random_actions_keep_the_state_consistent(seed):
    clock = ManualClock()
    pbx = SimulatedPBX(seed=seed, clock=clock, channels=(5, 40, 120)[seed % 3])
    rng = random.Random(seed)
    for _ in range(150):
        clock.advance(rng.choice((0.5, 1, 3, 10, 30)))
        with pbx.lock:
            pbx.advance()
            assert_consistent(pbx)
            random_action(pbx, rng)
            assert_consistent(pbx)


def test_concurrent_requests_while_time_moves(server, pbx, clock):
    failures: list[str] = []
    requests = [
        {"reqtype": "CHANNELS", "format": "json"},
        {"reqtype": "PEERS"},
        {"reqtype": "COUNTPEERS", "format": "json"},
        {"reqtype": "INFO", "info": "agents", "tenant": "DEVEL", "format": "json"},
        {"reqtype": "BLFS", "tenant": "DEVEL", "format": "json"},
    ]

    def client(number: int) -> None:
        rng = random.Random(number)
        for _ in range(25):
            params = dict(rng.choice(requests))
            if rng.random() < 0.2:
                channels = pbx.channels_snapshot()
                if channels:
                    params = {"reqtype": "HANGUP", "channel": rng.choice(channels).name}
            answer = fetch(server, key="demo-admin", **params)
            if answer.status != 200 or answer.body.startswith(("Too bad", "<")):
                failures.append(answer.body[:80])
            clock.advance(0.5)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    with pbx.lock:
        assert_consistent(pbx)


def test_action_methods_take_the_lock_themselves(pbx, clock, server):
    """Actions called from many threads without holding ``pbx.lock`` (as tools do) never corrupt the state."""
    errors: list[BaseException] = []
    stop = threading.Event()

    def actor(number: int) -> None:
        rng = random.Random(number)
        try:
            for _ in range(60):
                with pbx.lock:  # only to pick targets from a consistent view; the action runs outside it
                    snapshot = (list(pbx.legs.values()), list(pbx.peers.values()), list(pbx.tenants.values()))
                random_action_unlocked(pbx, rng, *snapshot)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    def checker() -> None:
        while not stop.is_set():
            with pbx.lock:
                try:
                    assert_consistent(pbx)
                except BaseException as exc:  # noqa: BLE001
                    errors.append(exc)
                    return
            fetch(server, key="demo-admin", reqtype="CHANNELS", format="json")
            clock.advance(0.7)

    threads = [threading.Thread(target=actor, args=(n,)) for n in range(6)]
    watcher = threading.Thread(target=checker)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stop.set()
    watcher.join(timeout=30)
    assert not errors, errors[:3]
    with pbx.lock:
        assert_consistent(pbx)


def random_action_unlocked(pbx: SimulatedPBX, rng: random.Random, legs, peers, tenants) -> None:
    """Like ``random_action``, with targets that may have changed since they were picked."""
    leg = rng.choice(legs) if legs else None
    tenant = rng.choice(tenants)
    action = rng.randrange(6)
    if action == 0 and leg:
        pbx.hangup_channel(leg.name, None)
    elif action == 1 and leg:
        pbx.transfer(leg.name, rng.choice(tenant.peers).ext, None, leg.tenant)
    elif action == 2 and leg:
        pbx.atxtransfer(leg.name, "0201234567", leg.tenant)
    elif action == 3:
        pbx.reboot(rng.choice(peers).name, None)
    elif action == 4:
        pbx.dial(rng.choice(tenant.peers).ext, "0201234567", tenant.code)
    else:
        pbx.set_pause(rng.choice(peers).name, None, rng.random() < 0.5, "test", None)


def test_an_action_first_advances_to_the_clock(pbx, clock):
    clock.advance(42)
    pbx.reboot("ALL", "DEVEL")
    assert pbx.now == clock()
