"""Tenants: a tenant key's session names its tenant and never asks; with an admin key, ``t`` lists the
tenants seen in PEERS with their phone counts, narrows as one types, and checks a typed code first."""

from __future__ import annotations

from collections import Counter

from textual.widgets import Label, OptionList, Static

from tests.tui.conftest import first_data, wait_until
from tringtui.tui.screens.tenant import TenantScreen


def _error(screen) -> str:
    return str(screen.query_one("#tenant-error", Static).render())


async def test_a_tenant_keys_session_names_its_tenant_and_never_asks(make_app):
    app = make_app(key="demo-devel", tenant="DEVEL", demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert str(app.query_one("#header-tenant", Label).content) == "tenant DEVEL"
        for pane in ("3", "4"):
            await pilot.press(pane, "t")
            await pilot.pause(0.1)
            assert not isinstance(app.screen, TenantScreen)
            assert app.panes["queues" if pane == "3" else "flows"].snapshot.data is not None


async def test_t_lists_the_tenants_seen_with_their_phone_counts(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        seen = Counter(peer.tenant for peer in app.panes["peers"].snapshot.data.peers if peer.tenant)
        await pilot.press("t")
        screen = await _tenant_screen(pilot)
        options = screen.query_one("#tenant-list", OptionList)
        listed = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert listed == [f"{code}  ({count} phones)" for code, count in sorted(seen.items())]
        # Type-ahead: "AC" leaves ACME; Enter takes it.
        await pilot.press("A", "C")
        assert options.option_count == 1 and options.get_option_at_index(0).id == "ACME"
        await pilot.press("enter")
        await wait_until(lambda: app.pane_tenant == "ACME")


async def test_a_typed_code_is_checked_before_the_dialog_closes(make_app, sim_server):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        before = app.pane_tenant
        await pilot.press("t")
        screen = await _tenant_screen(pilot)
        for typed, problem in (("ACME&tenant=DEVEL", "invalid tenant code"), ("NOSUCH", "knows no tenant NOSUCH")):
            input_ = screen.query_one("#tenant-input")
            input_.value = typed
            await pilot.press("enter")
            await wait_until(lambda problem=problem: problem in _error(screen))
            assert app.screen is screen and app.pane_tenant == before
    assert not any("&" in record.params.get("tenant", "") for record in sim_server.request_log)


async def _tenant_screen(pilot) -> TenantScreen:
    await wait_until(lambda: isinstance(pilot.app.screen, TenantScreen))
    await pilot.pause()
    return pilot.app.screen
