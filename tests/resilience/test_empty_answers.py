"""A server that suddenly answers nothing is not a PBX with nothing (issue 9 item 4).

COUNTPEERS, COUNTCHANNELS, PEERS, and INFO queues once queues were seen are
always filled by a live PBX: an empty answer there keeps the last data on
screen, marks the pane EMPTY ANSWER, and counts as a failure (backoff, STALE)
until data comes back. An empty CHANNELS is a quiet night, shown as such.
"""

from __future__ import annotations

from tests.resilience.fault_proxy import FaultProxy
from tests.resilience.harness import (
    INTERVAL,
    all_have_data,
    assert_alive,
    has_data,
    title_status,
    wait_until,
)
from tringtui.live.snapshot import ErrorKind

SUSPECT = ("nodes", "queues", "peers")


async def test_empty_answers_keep_the_last_data_marked_and_failing(rig):
    proxy = FaultProxy(rig.server.url).start()
    app = rig.app(rig.settings(proxy.url))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(lambda: all_have_data(app), what="first data")
            await pilot.pause()
            rows = {pane_id: [t.total_count for t in app.panes[pane_id].tables] for pane_id in SUSPECT}
            figures = app.totals()
            assert figures.peers_total and figures.channels

            proxy.bend("empty", {"COUNTPEERS", "COUNTCHANNELS", "PEERS", "INFO", "CHANNELS"})
            for pane_id in SUSPECT:
                await wait_until(lambda: app.panes[pane_id].snapshot.error is not None, what=f"the {pane_id} mark")
            await wait_until(lambda: app.panes["channels"].tables[0].total_count == 0, what="a quiet night")
            await pilot.pause()
            for pane_id in SUSPECT:
                snapshot = app.panes[pane_id].snapshot
                assert snapshot.error.kind is ErrorKind.EMPTY_ANSWER, pane_id
                assert snapshot.failures >= 1, pane_id
                assert "✗ EMPTY ANSWER" in title_status(app, pane_id), pane_id
                shown_rows = [t.total_count for t in app.panes[pane_id].tables]
                if pane_id == "queues":
                    # The bend may land inside a poll, after INFO queues and before INFO agents: an empty
                    # agents list is a queue's legitimate answer, so the kept poll may hold none. The queues
                    # stay, and the agents shown are the kept poll's.
                    assert shown_rows[0] == rows[pane_id][0]
                    assert shown_rows[1] == len(app.panes[pane_id].snapshot.data.agents)
                else:
                    assert shown_rows == rows[pane_id], pane_id
            # CHANNELS answered nothing: no calls, and that is no error.
            assert app.panes["channels"].snapshot.error is None
            # The summary keeps the last peers figure and says the panes fail; it never reads "Peers 0/0".
            shown = app.totals()
            assert (shown.peers_registered, shown.peers_total) == (figures.peers_registered, figures.peers_total)
            assert set(shown.failing_sources) == set(SUSPECT)
            assert "ERROR" in str(app.query_one("#summary-trouble").content)

            rig.clock.advance(3 * INTERVAL + 1)
            app.tick()
            await pilot.pause()
            for pane_id in SUSPECT:
                assert title_status(app, pane_id).startswith("STALE"), pane_id

            proxy.straighten()
            now = rig.clock()
            await wait_until(
                lambda: all(has_data(app, p) and app.panes[p].snapshot.fetched_at == now for p in SUSPECT),
                what="data again",
            )
            await pilot.pause()
            for pane_id in SUSPECT:
                assert "EMPTY" not in title_status(app, pane_id)
            assert_alive(app)
    finally:
        proxy.stop()
