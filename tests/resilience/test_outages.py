"""The monitor when the server is away or slow: down at start, down mid-run and back, hanging with
the real 30 s time cap (keys and quitting must not wait for it), a read-only key, and the bounds:
the settings' caps reach the client, the concurrency cap holds across panes, and backoff never
delays recovery past two intervals."""

from __future__ import annotations

import asyncio

from tests.resilience.fault_proxy import FaultProxy
from tests.resilience.harness import (
    ADMIN_KEY,
    INTERVAL,
    TENANT,
    RecoveryWatch,
    all_have_data,
    assert_alive,
    assert_keys_answer,
    has_data,
    screen_text,
    title_status,
    wait_until,
)
from tringtui.api.errors import KeyRejected, TransportError
from tringtui.settings import PANES, Secret
from tringtui.live.clock import ManualClock
from tringtui.live.poller import Poller


async def test_server_down_at_start_then_up(rig):
    rig.server.stop()
    app = rig.app(rig.settings())
    async with app.run_test(size=(80, 24)) as pilot:
        for pane_id in PANES:
            await wait_until(lambda: app.panes[pane_id].snapshot.error is not None, what=f"the {pane_id} error")
            assert "could not connect" in app.panes[pane_id].snapshot.error.message
        await pilot.pause()
        for pane_id in PANES:
            # Nothing was ever shown: NO DATA at once, and why (not STALE: nothing shown is old).
            assert title_status(app, pane_id).startswith("NO DATA · ✗"), pane_id
            for table in app.panes[pane_id].tables:
                assert table.no_data_text.startswith("No data yet: ") and "could not connect" in table.no_data_text
        # An empty table must not claim the PBX has nothing ("No nodes reported").
        shown = screen_text(app)
        assert "No data yet: " in shown and "No nodes reported" not in shown
        assert "▁▁▁" not in shown  # no flat sparkline, which would read as zero phones
        assert_alive(app)
        await assert_keys_answer(pilot, "51")

        watch = RecoveryWatch(app)
        rig.server.start()
        assert all(polls <= 2 for polls in (await watch.polls_to_recover()).values())
        await wait_until(lambda: all_have_data(app), what="every pane's data")
        await pilot.pause()
        # Fresh data and no error; at a 0.25 s interval the next poll may already be under way (" ⟳").
        assert all(title_status(app, pane_id).removesuffix(" ⟳") == "0s ago" for pane_id in PANES)
        assert all(table.no_data_text is None for pane_id in PANES for table in app.panes[pane_id].tables)
        assert_alive(app)


async def test_server_down_mid_run_then_back(rig):
    app = rig.app(rig.settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: all_have_data(app), what="first data")
        rows = {pane_id: [t.total_count for t in pane.tables] for pane_id, pane in app.panes.items()}
        rig.server.stop()
        for pane_id in PANES:
            await wait_until(lambda: app.panes[pane_id].snapshot.error is not None, what=f"the {pane_id} error")
        rig.clock.advance(3 * INTERVAL + 1)
        app.tick()
        await pilot.pause()
        for pane_id in PANES:  # the source panes (the Events pane polls nothing)
            pane = app.panes[pane_id]
            assert title_status(app, pane_id).startswith("STALE · "), pane_id
            assert "✗" in title_status(app, pane_id), pane_id
            assert [t.total_count for t in pane.tables] == rows[pane_id], pane_id
        assert_alive(app)
        await assert_keys_answer(pilot, "51")

        watch = RecoveryWatch(app)
        rig.server.start()
        now = rig.clock()
        assert all(polls <= 2 for polls in (await watch.polls_to_recover()).values())
        await wait_until(lambda: all(has_data(app, p) and app.panes[p].snapshot.fetched_at == now for p in PANES))
        assert_alive(app)


async def test_keys_and_quit_do_not_wait_for_hanging_requests(rig):
    """With the real 30 s time cap, every request hangs: keys still answer at once, and q quits at once."""
    rig.server.faults.hang_seconds = 60
    app = rig.app(rig.settings(timeout=30.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: all_have_data(app), what="first data")
        rig.server.faults.mode = "hang"
        await pilot.press("r")
        await wait_until(lambda: all(app.panes[p].snapshot.in_flight for p in PANES), what="requests in flight")
        hung = {p: app.live.snapshot(p).completed for p in PANES}
        await assert_keys_answer(pilot)
        assert all(app.panes[p].snapshot.in_flight for p in PANES)  # still hanging: the keys did not wait for them
        await pilot.press("q")
        # Waiting for a hung request would take its 30 s cap: the safety net is shorter, and no poll ended.
        await wait_until(lambda: not app.is_running, timeout=25, what="the app to quit")
        assert {p: app.live.snapshot(p).completed for p in PANES} == hung


async def test_a_read_only_key_monitors_everything_and_writes_are_refused_clearly(rig):
    app = rig.app(rig.settings(key=Secret(ADMIN_KEY + "-ro")))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: all_have_data(app), what="first data")
        await pilot.pause()
        assert all(app.panes[p].snapshot.error is None for p in PANES)
        assert all(app.panes[p].tables[0].total_count > 0 for p in ("nodes", "channels", "queues", "peers"))

        channel = app.panes["channels"].snapshot.data.channels[0]
        try:
            await app.call_api(lambda client: client.with_tenant(TENANT).hangup(channel.channel))
        except KeyRejected as refusal:
            assert "rejected the API key" in str(refusal)
        else:
            raise AssertionError("a read-only key hung up a call")
        assert rig.pbx.channel_by_uniqueid(channel.uniqueid) is not None
        assert_alive(app)


async def test_requests_in_flight_across_panes_never_exceed_the_cap(rig):
    """Five panes polling a slow server at once: the settings' concurrency cap holds across all of them."""
    cap = 2
    proxy = FaultProxy(rig.server.url).start()
    rig.server.faults.set_latency("default", 0.05)
    app = rig.app(rig.settings(proxy.url, max_concurrency=cap, timeout=5.0))
    try:
        async with app.run_test(size=(80, 24)):
            # The cap keeps some pane busy at every moment: wait for each pane's data, not for all idle.
            await wait_until(lambda: all(app.panes[p].snapshot.data is not None for p in PANES))
            assert all(app.panes[p].snapshot.error is None for p in PANES)
    finally:
        proxy.stop()
    assert proxy.most_in_flight == cap


async def test_the_app_gives_the_client_the_settings_caps(rig):
    app = rig.app(rig.settings(timeout=7.5, max_body_bytes=12345, max_concurrency=3))
    async with app.run_test(size=(80, 24)):
        caps = await app.call_api(lambda client: asyncio.sleep(0, (client.timeouts.total, client.max_body_bytes)))
    assert caps == (7.5, 12345)


async def test_a_long_outage_never_delays_recovery_beyond_two_intervals():
    async def fetch():
        raise TransportError("could not connect")

    poller = Poller("test", fetch, interval=5.0, on_change=lambda state: None, clock=ManualClock(), backoff_cap=120.0)
    for _ in range(10):
        await poller.poll_once()
    assert poller.snapshot.failures == 10
    assert poller.next_delay() == 10.0
