"""Alerts in the monitor: the header counts them coloured by the worst severity, the Alerts view lists them,
Enter jumps to the object, ``a`` acknowledges (journalled), and the bell and desktop notification are per profile."""

from __future__ import annotations

import pytest

from tests.tui.conftest import first_data, refresh, table, wait_until
from tringtui.alert_rules import Severity, rule_from_defaults
from tringtui.audit import AuditJournal
from tringtui.live.alerts import FIRE, Alert, Transition
from tringtui.tui.alert_notices import desktop_sequence, notice_text
from tringtui.tui.screens.alerts import AlertsScreen
from tringtui.tui.widgets.header import StatusHeader

QUEUE_281 = rule_from_defaults("queue_waiting", threshold=1, hold=0, selectors=(("queue", "281"),))
# Rules that hold at once on the frozen sim: a critical one about queue 281, a warning about the balance.
ALWAYS = (
    rule_from_defaults("queue_waiting", threshold=0, hold=0, severity=Severity.CRITICAL, selectors=(("queue", "281"),)),
    rule_from_defaults("balance_low", threshold=10000),
)


def header_alerts(app):
    label = app.query_one(StatusHeader).query_one("#header-alerts")
    return str(label.content) if label.display else "", label.classes


async def firing(pilot, count: int) -> None:
    await wait_until(lambda: len(pilot.app.alerting.engine.firing) == count)
    await pilot.pause()


async def test_an_alert_fires_is_acknowledged_and_resolves_in_the_monitor(make_app, sim_pbx, sim_clock, tmp_path):
    pbx, clock = sim_pbx, sim_clock
    app = make_app(alert_rules=(QUEUE_281,), audit_path=str(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        members = pbx.queue(281).members
        with pbx.lock:
            for member in members:
                pbx.set_pause(member.split("-")[0], pbx.queues[281], True, "test", "DEVEL")
        clock.advance(60)
        await refresh(pilot)
        await firing(pilot, 1)
        text, classes = header_alerts(app)
        assert text.strip() == "1 ALERT WARN" and "-warning" in classes

        await pilot.press("7")
        assert isinstance(app.screen, AlertsScreen)
        alerts_table = app.screen.query_one("#alerts-table")
        (alert,) = alerts_table.visible_rows()
        assert alert.rule.name == "queue_waiting[queue=281]" and alert.where.startswith("queue 281 supportQ")
        await pilot.press("a")
        assert app.alerting.engine.firing[0].acknowledged
        (entry,) = AuditJournal(tmp_path / "audit.jsonl").entries()
        assert entry.action == "alert.acknowledge" and entry.target["rule"] == "queue_waiting[queue=281]"
        assert "demo-admin" not in (tmp_path / "audit.jsonl").read_text()

        await pilot.press("enter")
        assert not isinstance(app.screen, AlertsScreen)
        assert app.active_pane == "queues" and table(app, "queues").cursor_key == "281"

        with pbx.lock:
            for member in members:
                pbx.set_pause(member.split("-")[0], pbx.queues[281], False, "", "DEVEL")
        for _ in range(30):
            if not app.alerting.engine.firing:
                break
            clock.advance(30)
            await refresh(pilot)
        assert not app.alerting.engine.firing
        assert header_alerts(app)[0] == ""


async def test_unacknowledged_alerts_flash_and_stop_once_acknowledged(make_app):
    app = make_app(alert_rules=ALWAYS)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await firing(pilot, 2)
        assert "-critical" in header_alerts(app)[1]
        app.tick()
        flashing = "-flash" in header_alerts(app)[1]
        app.tick()
        assert ("-flash" in header_alerts(app)[1]) != flashing  # it alternates each second
        for alert in app.alerting.engine.firing:
            app.acknowledge_alert(alert)
        app.tick()
        app.tick()
        assert "-flash" not in header_alerts(app)[1]
        assert header_alerts(app)[0].strip() == "2 ALERTS CRIT"  # still listed and counted


@pytest.mark.parametrize(("bell", "desktop"), [(True, "osc777"), (False, "off")])
async def test_bell_and_desktop_notification_per_profile(make_app, monkeypatch, bell, desktop):
    app = make_app(alert_rules=ALWAYS, alert_bell=bell, alert_desktop=desktop)
    rung, written = [], []
    monkeypatch.setattr(app, "bell", lambda: rung.append(True))
    monkeypatch.setattr("tringtui.tui.app.write_to_terminal", lambda _app, text: written.append(text))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await firing(pilot, 2)
    assert bool(rung) == bell
    if desktop == "off":
        assert written == []
    else:
        assert written and all(text.startswith("\x1b]777;notify;tringtui ") for text in written)


def test_desktop_sequences_are_clean_of_control_characters():
    rule = rule_from_defaults("balance_low")
    alert = Alert(rule, "DEVEL", "tenant DEVEL\x1b]0;owned\x07; balance\n", 1.5, 0.0)
    title, body = notice_text([Transition(FIRE, alert, 0.0)])
    osc9 = desktop_sequence("osc9", title, body, environ={})
    assert osc9.startswith("\x1b]9;tringtui WARNING: balance_low: tenant DEVEL") and osc9.endswith("\x07")
    assert osc9.count("\x1b") == 1 and osc9.count("\x07") == 1
    osc777 = desktop_sequence("osc777", title, body, environ={})
    assert osc777.count(";") == 3  # ]777;notify;title;body: the body's own ';' became ','
    tmux = desktop_sequence("osc9", title, body, environ={"TMUX": "/tmp/tmux-0/default,1,0"})
    assert tmux.startswith("\x1bPtmux;\x1b\x1b]9;") and tmux.endswith("\x1b\\")
    assert desktop_sequence("off", title, body, environ={}) == ""


async def show_alerts_view(pilot) -> None:
    await first_data(pilot)
    await firing(pilot, 2)
    await pilot.press("7")
    await pilot.pause()


async def header_with_alerts(pilot) -> None:
    await first_data(pilot)
    await firing(pilot, 2)


def test_header_with_alerts_firing_at_80x24(snap_compare, make_app, utc):
    assert snap_compare(make_app(alert_rules=ALWAYS), press=["3"], terminal_size=(80, 24), run_before=header_with_alerts)


def test_alerts_view_at_80x24(snap_compare, make_app, utc):
    assert snap_compare(make_app(alert_rules=ALWAYS), terminal_size=(80, 24), run_before=show_alerts_view)


def test_alerts_view_at_160x48(snap_compare, make_app, utc):
    assert snap_compare(make_app(alert_rules=ALWAYS), terminal_size=(160, 48), run_before=show_alerts_view)


async def test_the_monitor_puts_alerts_on_its_recorded_time_line(make_app, tmp_path):
    from tringtui.store import Store

    store_path = tmp_path / "monitor.sqlite"
    app = make_app(alert_rules=ALWAYS, record=True, store_path=str(store_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await firing(pilot, 2)
    with Store(store_path, readonly=True) as store:
        events = store.events(kinds=["alert"])
    assert sorted((event.kind, event.object) for event in events) == [
        ("alert.firing", "balance_low"), ("alert.firing", "queue_waiting[queue=281]")]
