"""Every figure shown twice on one screen agrees (issue 9 item 3), and ``tringtui snapshot`` says the same.

The summary line, the Nodes pane's totals and the panes' own rows are read off
the screen for admin, tenant and read-only keys and every simulator size
(``huge`` with fewer peers and calls, to keep the suite fast: its 40 nodes and
200 tenants are what made the figures part ways).
"""

from __future__ import annotations

import pytest
from textual.widgets import Label

from tests.tui.conftest import TEST_INTERVAL, first_data, table
from tringtui.api.client import TringClient
from tringtui.commands.monitor import DEFAULT_DEMO_SEED, DEMO_KEY
from tringtui.commands.snapshot import take
from tringtui.settings import PANES, Secret, Settings
from tringtui.sim import ManualClock, SimServer, SimulatedPBX
from tringtui.tui.app import TringApp

SIZES = {
    "small": {},
    "medium": {},
    "large": {},
    "huge": {"peers": 2000, "channels": 1000},
}
KEYS = {
    # key: (the session's tenant, the tenant an admin key looks at)
    "demo-admin": ("", "DEVEL"),
    "demo-admin-ro": ("", "DEVEL"),
    "demo-devel": ("DEVEL", ""),
    "demo-devel-ro": ("DEVEL", ""),
}


def label(app, selector: str) -> str:
    return str(app.query_one(selector, Label).content)


def number(text: str) -> int:
    return int(text.replace(",", ""))


def settings_for(server: SimServer, key: str, tenant: str) -> Settings:
    return Settings(
        server=server.url, key=Secret(key), tenant=tenant, profile="test",
        intervals={pane: TEST_INTERVAL for pane in PANES},
    )


# Every key on the small PBX; one key each on the bigger ones (each run costs seconds).
CASES = [("small", key) for key in KEYS] + [("medium", "demo-admin"), ("large", "demo-devel-ro"), ("huge", "demo-admin-ro")]


@pytest.fixture
def sized_server(size):
    pbx = SimulatedPBX(seed=DEFAULT_DEMO_SEED, size=size, clock=ManualClock(), **SIZES[size])
    server = SimServer(pbx, host="127.0.0.1", port=0).start()
    yield server
    server.stop()


@pytest.mark.parametrize(("size", "key"), CASES)
async def test_the_summary_the_nodes_totals_and_the_panes_agree(sized_server, size, key):
    tenant, pane_tenant = KEYS[key]
    settings = settings_for(sized_server, key, tenant)
    app = TringApp(
        settings, pane_tenant=pane_tenant, clock=ManualClock(), tick_interval=0,
        client_factory=lambda s: TringClient(sized_server.url, s.key, tenant=s.tenant, readonly=s.readonly),
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await first_data(pilot)
        assert all(pane.snapshot.error is None for pane in app.panes.values())

        peers_rows = table(app, "peers").visible_rows()
        registered = sum(1 for peer in peers_rows if peer.registered)
        assert label(app, "#summary-peers") == f"Peers {registered:,}/{len(peers_rows):,}"
        assert label(app, "#nodes-total-peers") == f"Peers {registered:,}"

        channel_rows = table(app, "channels").total_count
        assert label(app, "#summary-channels") == f"Channels {channel_rows:,}"
        assert label(app, "#nodes-total-channels") == f"Channels {channel_rows:,}"

        queue_rows = table(app, "queues").visible_rows()
        waiting = sum(row.stats.calls_in_queue for row in queue_rows if row.stats)
        available = sum(row.stats.agents_available for row in queue_rows if row.stats)
        assert number(label(app, "#summary-waiting").rpartition(" ")[2]) == waiting
        assert label(app, "#summary-agents") == f"Agents free {available:,}"

        # tringtui snapshot, against the same frozen PBX, writes the same figures.
        bundle = await take(settings, clock=None)
        figures = bundle["figures"]
        shown = app.totals()
        for name in ("peers_registered", "peers_total", "channels"):
            assert figures[name] == getattr(shown, name), name
        if tenant:  # the snapshot's queue figures are its own tenant's (an admin key needs --tenant)
            assert (figures["calls_waiting"], figures["agents_available"]) == (waiting, available)


@pytest.mark.parametrize("size", ["medium"])
async def test_the_demo_peers_pane_shows_every_row_peers_sent_even_a_name_on_two_nodes(sized_server, size):
    """``tringtui --demo --size medium``: one name is registered on two nodes; both rows are shown and
    counted, so the pane, the summary and PEERS agree (they once said 600 against 601)."""
    async with TringClient(sized_server.url, DEMO_KEY) as client:
        sent = (await client.request("PEERS")).data
    names = [row["Name"] for row in sent]
    assert len(names) > len(set(names)), "the medium world has a name on two nodes"
    app = TringApp(
        settings_for(sized_server, DEMO_KEY, ""), pane_tenant="DEVEL", clock=ManualClock(), tick_interval=0,
        client_factory=lambda s: TringClient(sized_server.url, s.key, tenant=s.tenant, readonly=s.readonly),
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await first_data(pilot)
        rows = table(app, "peers").visible_rows()
        assert len(rows) == len(sent)
        registered = sum(1 for peer in rows if peer.registered)
        assert label(app, "#summary-peers") == f"Peers {registered:,}/{len(sent):,}"
