"""Every pane against every fault the real API can throw at it, with the real app over real HTTP.

Each fault hits every pane's requests at once (as a sick API does), and for
every pane: nothing crashes and no traceback is drawn; the title says what
went wrong; the last good data stays on screen and turns STALE as it ages;
the keys keep answering while the fault lasts; and once the fault is gone the
pane shows fresh data within two intervals. A second test aims a hanging
server at one pane's requests: only that pane suffers.
"""

from __future__ import annotations

import pytest

from tests.resilience.fault_proxy import SHAPES, FaultProxy
from tests.resilience.harness import (
    INTERVAL,
    PANE_REQTYPES,
    TIME_CAP,
    RecoveryWatch,
    all_have_data,
    assert_alive,
    assert_keys_answer,
    has_data,
    title_status,
    wait_until,
)
from tringtui.settings import PANES

ALL_REQTYPES = frozenset().union(*PANE_REQTYPES.values())

# Fault: what every pane's error message must contain.
EXPECTED_ERRORS = {
    "slow": "no complete answer within",  # "20 s" against a 5 s cap, scaled down
    "hang": "no complete answer within",
    "html": "HTML page",
    "truncated": "",
    "malformed": "",
    "oversized": "larger than the",  # 50 MB against the size cap
    "key_rejected": "rejected the API key",
    "object_for_list": "expected",
    "nulls": "",
    "words_for_numbers": "",
}
# Numbers often arrive as strings, so parsing is lenient: rows that keep their
# identity (a peer's name, a channel's uniqueid, a flow's id) are shown with the
# unreadable numbers left blank or zero. Counters with no number at all (nodes,
# queue statistics) are refused instead, since a zero there is a false claim.
ACCEPTED = {"words_for_numbers": frozenset({"channels", "peers", "flows"})}


class Faults:
    """Turns one named fault on and off: the simulator's own injection, or the bending proxy."""

    def __init__(self, rig, fault: str) -> None:
        self.rig = rig
        self.fault = fault
        self.proxy = FaultProxy(rig.server.url).start() if fault in SHAPES else None

    @property
    def url(self) -> str | None:
        return self.proxy.url if self.proxy else None

    def inject(self, reqtypes: frozenset[str]) -> None:
        faults = self.rig.server.faults
        if self.fault == "slow":
            for reqtype in reqtypes:
                faults.set_latency(reqtype, 4 * TIME_CAP)
        elif self.proxy is not None:
            self.proxy.bend(self.fault, set(reqtypes))
        else:
            faults.hang_seconds = 10
            faults.oversized_bytes = 50 * 1024 * 1024
            faults.mode = self.fault
            faults.only = reqtypes

    def clear(self) -> None:
        self.rig.server.faults.clear()
        if self.proxy is not None:
            self.proxy.straighten()

    def close(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()


def failing(app, pane_id: str) -> bool:
    return app.panes[pane_id].snapshot.error is not None


@pytest.mark.parametrize("fault", list(EXPECTED_ERRORS))
async def test_every_pane_survives_fault_and_recovers(rig, fault):
    faults = Faults(rig, fault)
    app = rig.app(rig.settings(faults.url))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(lambda: all_have_data(app), what="first data")
            good = {pane_id: pane.snapshot.data for pane_id, pane in app.panes.items()}
            rows = {pane_id: [t.total_count for t in pane.tables] for pane_id, pane in app.panes.items()}

            accepted = ACCEPTED.get(fault, frozenset())
            hit = [pane_id for pane_id in PANES if pane_id not in accepted]
            faults.inject(ALL_REQTYPES)
            for pane_id in hit:
                await wait_until(lambda: failing(app, pane_id), what=f"the {pane_id} error")
            for pane_id in accepted:
                # Two successful polls after the fault began: the second surely parsed a bent body.
                generation = app.panes[pane_id].snapshot.generation
                await wait_until(lambda: app.panes[pane_id].snapshot.generation >= generation + 2, what="lenient polls")
                assert app.panes[pane_id].snapshot.data != good[pane_id], pane_id  # the words were taken in
                assert [t.total_count for t in app.panes[pane_id].tables] == rows[pane_id], pane_id
            await pilot.pause()  # let the panes' update messages reach the summary line
            for pane_id in hit:
                pane = app.panes[pane_id]
                assert EXPECTED_ERRORS[fault] in pane.snapshot.error.message, pane_id
                assert "✗" in title_status(app, pane_id), pane_id
                assert pane.snapshot.data == good[pane_id], pane_id
                assert [t.total_count for t in pane.tables] == rows[pane_id], pane_id
            assert "ERROR" in str(app.query_one("#summary-trouble").content)
            assert_alive(app)

            # Keys answer while the fault lasts (under "hang" and "slow", requests are in flight now);
            # test_outages presses every key while all requests hang for 30 s.
            await assert_keys_answer(pilot, "51", help_screen=False)

            rig.clock.advance(3 * INTERVAL + 1)
            app.tick()
            await pilot.pause()
            for pane_id in hit:
                pane = app.panes[pane_id]
                assert title_status(app, pane_id).startswith("STALE"), pane_id
                assert [t.total_count for t in pane.tables] == rows[pane_id], pane_id

            watch = RecoveryWatch(app)
            faults.clear()
            now = rig.clock()
            polls = await watch.polls_to_recover()
            assert all(count <= 2 for count in polls.values()), polls
            await wait_until(lambda: all(has_data(app, p) and app.panes[p].snapshot.fetched_at == now for p in PANES))
            await pilot.pause()
            for pane_id in PANES:
                status = title_status(app, pane_id)
                assert "STALE" not in status and "✗" not in status, (pane_id, status)
            assert_alive(app)
    finally:
        faults.close()


async def test_a_hanging_request_hurts_only_its_own_pane(rig):
    pane_id = "channels"
    faults = Faults(rig, "hang")
    app = rig.app(rig.settings())
    pane = app.panes[pane_id]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: all_have_data(app), what="first data")
        faults.inject(PANE_REQTYPES[pane_id])
        await wait_until(lambda: failing(app, pane_id), what="the error")
        rig.clock.advance(3 * INTERVAL + 1)
        now = rig.clock()
        others = [other for other in PANES if other != pane_id]
        await wait_until(
            lambda: all(app.panes[other].snapshot.fetched_at == now for other in others), what="the others"
        )
        app.tick()
        await pilot.pause()
        assert title_status(app, pane_id).startswith("STALE")
        for other in others:
            assert title_status(app, other).startswith("0s ago"), other
        watch = RecoveryWatch(app)
        faults.clear()
        assert (await watch.polls_to_recover([pane_id]))[pane_id] <= 2
        await wait_until(lambda: has_data(app, pane_id) and pane.snapshot.fetched_at == now)
        assert_alive(app)


async def test_a_node_listed_without_a_count_is_flagged_and_the_others_still_shown(rig):
    faults = Faults(rig, "first_count_null")
    app = rig.app(rig.settings(faults.url))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(lambda: all_have_data(app), what="first data")
            nodes = app.panes["nodes"]
            first_node = nodes.snapshot.data.peers.nodes[0].node
            faults.inject(frozenset({"COUNTPEERS"}))
            await wait_until(lambda: nodes.snapshot.data.peers.uncounted == (first_node,), what="the uncounted node")
            await pilot.pause()
            rows = {row.node: row for row in nodes.tables[0].visible_rows()}
            assert rows[first_node].peers is None and rows[first_node].alert == "NO COUNT"
            others = [row for node, row in rows.items() if node != first_node]
            assert others and all(row.peers is not None and row.alert == "" for row in others)
            assert nodes.snapshot.error is None  # one silent node is news about that node, not a broken answer
            assert f"NODE {first_node}" in str(app.query_one("#summary-trouble").content)
            faults.clear()
            await wait_until(lambda: not nodes.snapshot.data.peers.uncounted, what="the count back")
            await pilot.pause()
            assert all(row.alert == "" for row in nodes.tables[0].visible_rows())
            assert_alive(app)
    finally:
        faults.close()
