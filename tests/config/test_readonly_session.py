"""Read-only is sticky for the whole run whatever made it so (flag, TRINGTUI_READONLY, the profile,
the key), and a read-only key is found at start, before any write is attempted."""

from __future__ import annotations

import pytest
from textual.widgets import Label

from tests.tui.conftest import TEST_INTERVAL, first_data, settled, wait_until
from tringtui.api.client import TringClient
from tringtui.config import Overrides
from tringtui.config.resolve import resolve_settings
from tringtui.config.switcher import ProfileSwitcher
from tringtui.settings import PANES
from tringtui.tui.app import TringApp
from tringtui.tui.screens.confirm import ConfirmScreen
from tringtui.tui.screens.profile import ProfilePicker

WRITES = ("HANGUP", "TRANSFER", "ATXTRANSFER", "AGENT", "REBOOT", "UNREGISTER", "SETFLOW", "DIAL", "QUEUE")
INTERVALS = ", ".join(f"{pane}: {int(TEST_INTERVAL)}" for pane in PANES)


def _app(settings, sim_server, sim_clock, env) -> TringApp:
    return TringApp(
        settings,
        pane_tenant="DEVEL",
        clock=sim_clock,
        client_factory=lambda s: TringClient(sim_server.url, s.key, tenant=s.tenant, readonly=s.readonly),
        tick_interval=0,
        switcher=ProfileSwitcher(Overrides(), env),
    )


def _header_readonly(app: TringApp) -> bool:
    return bool(app.query_one("#header-readonly", Label).display)


def _writes(sim_server, *reqtypes: str) -> list:
    return [record for record in sim_server.request_log if record.reqtype in (reqtypes or WRITES)]


@pytest.mark.parametrize("source", ["flag", "environment", "profile", "key"])
async def test_read_only_survives_a_profile_switch(source, env, write_config, sim_server, sim_clock, tmp_path):
    first_key = "demo-admin-ro" if source == "key" else "demo-admin"
    write_config(f"""
        default_profile: a
        profiles:
          a: {{server: '{sim_server.url}', tenant: DEVEL, key: {first_key}, readonly: {str(source == "profile").lower()},
               intervals: {{{INTERVALS}}}, audit_path: '{tmp_path / "audit.jsonl"}'}}
          b: {{server: '{sim_server.url}', tenant: DEVEL, key: demo-admin,
               intervals: {{{INTERVALS}}}, audit_path: '{tmp_path / "audit.jsonl"}'}}
    """)
    session_env = {**env, "TRINGTUI_READONLY": "1"} if source == "environment" else env
    settings = resolve_settings(Overrides(readonly=source == "flag"), session_env).settings
    app = _app(settings, sim_server, sim_clock, env)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await wait_until(lambda: app.readonly)  # the key: found by the start-up probe
        assert _header_readonly(app)
        await pilot.press("P")
        await wait_until(lambda: isinstance(app.screen, ProfilePicker))
        await pilot.press("down", "enter")
        await wait_until(lambda: app.settings.profile == "b" and settled(app), timeout=10)
        assert app.readonly and app.settings.readonly
        assert _header_readonly(app)
        await pilot.press("2")
        await first_data(pilot)
        await pilot.press("H", "tab", "enter")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmScreen)
    assert _writes(sim_server, "HANGUP") == []


@pytest.mark.parametrize("key, tenant", [("demo-admin-ro", ""), ("demo-devel-ro", "DEVEL")])
async def test_a_read_only_key_is_found_at_start_before_any_write(key, tenant, env, write_config, sim_server,
                                                                  sim_clock, tmp_path):
    """No --readonly: the start-up SETFLOW-without-number probe finds the key read-only; H is then
    refused without a single write request beyond the probe, which names no flow."""
    write_config(f"""
        profiles:
          a: {{server: '{sim_server.url}', {f"tenant: {tenant}, " if tenant else ""}key: {key},
               intervals: {{{INTERVALS}}}, audit_path: '{tmp_path / "audit.jsonl"}'}}
    """)
    settings = resolve_settings(Overrides(), env).settings
    assert not settings.readonly
    app = _app(settings, sim_server, sim_clock, env)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await wait_until(lambda: app.readonly)
        assert _header_readonly(app)
        assert any("may not write" in n.message for n in app._notifications)
        await pilot.press("2")
        await pilot.press("H", "tab", "enter")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmScreen)
    probes = _writes(sim_server)
    assert [record.reqtype for record in probes] == ["SETFLOW"]
    assert "number" not in probes[0].params


async def test_a_read_write_key_stays_writable_after_the_probe(env, write_config, sim_server, sim_clock, tmp_path):
    write_config(f"""
        profiles:
          a: {{server: '{sim_server.url}', key: demo-admin, intervals: {{{INTERVALS}}},
               audit_path: '{tmp_path / "audit.jsonl"}'}}
    """)
    app = _app(resolve_settings(Overrides(), env).settings, sim_server, sim_clock, env)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await wait_until(lambda: bool(_writes(sim_server, "SETFLOW")))
        await pilot.pause(0.1)
        assert not app.readonly and not _header_readonly(app)
