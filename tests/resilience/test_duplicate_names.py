"""The same name twice in one answer stays two rows (issue 9 item 2).

During a migration ``488-DEVEL`` may be registered on two nodes: a peer is its
node and its name, so the Peers pane shows both and its count equals the rows
the server sent. BLFS names no node: the same extension listed twice is two
rows too. A proxy in front of the simulator adds the second registration.
"""

from __future__ import annotations

from typing import Any

from tests.resilience.fault_proxy import FaultProxy
from tests.resilience.harness import all_have_data, assert_alive, wait_until
from tringtui.live.identity import peer_key


def second_registration(rows: Any) -> Any:
    """The first peer again, registered on another node (as a migration leaves it)."""
    twin = {**rows[0], "0": "pbx-migrated", "node": "pbx-migrated", "2": "10.99.0.1", "Host": "10.99.0.1"}
    return [*rows, twin]


def twice(rows: Any) -> Any:
    """Every row sent twice (a BLF listed once per node)."""
    return [*rows, *rows]


async def test_a_name_on_two_nodes_is_two_rows_everywhere(rig):
    proxy = FaultProxy(rig.server.url).start()
    proxy.shape, proxy.reqtypes = second_registration, frozenset({"PEERS"})
    app = rig.app(rig.settings(proxy.url))
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_until(lambda: all_have_data(app), what="first data")
            await pilot.pause()
            sent = app.panes["peers"].snapshot.data.peers
            assert len(sent) == len(rig.pbx.peers_snapshot()) + 1
            twin_name = sent[0].name
            peers_table = app.panes["peers"].tables[0]
            assert peers_table.total_count == len(sent)
            shown = [peer for peer in peers_table.visible_rows() if peer.name == twin_name]
            assert sorted(peer.node for peer in shown) == sorted({sent[0].node, "pbx-migrated"})
            assert peers_table.get_row(("pbx-migrated", twin_name)) is not None
            assert peer_key(sent[0]) != peer_key(sent[-1])
            # The summary counts the same rows as the pane.
            assert app.totals().peers_total == peers_table.total_count

            proxy.shape, proxy.reqtypes = twice, frozenset({"BLFS"})
            blfs_table = app.panes["flows"].tables[1]
            before = blfs_table.total_count
            await pilot.press("r")
            await wait_until(lambda: blfs_table.total_count == 2 * before, what="the BLFs twice")
            assert len(app.panes["flows"].snapshot.data.blfs) == blfs_table.total_count
            assert_alive(app)
    finally:
        proxy.stop()
