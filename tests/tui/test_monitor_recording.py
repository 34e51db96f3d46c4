"""The monitor records its own session (the black box), shows REC while it does, and says why when it cannot."""

from __future__ import annotations

from tringtui.store import Recorder, Store
from tringtui.tui.widgets.header import StatusHeader

from tests.tui.conftest import first_data, progress, refresh, table, wait_until


def rec_shown(app) -> bool:
    return app.query_one(StatusHeader).query_one("#header-rec").display


async def test_the_monitor_records_its_session_and_a_phone_unregistered_is_an_event(make_app, sim_pbx, sim_clock, tmp_path):
    store_path = tmp_path / "monitor.sqlite"
    app = make_app(record=True, store_path=str(store_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert rec_shown(app)
        phone = next(p for p in sim_pbx.peers_snapshot() if p.registered and p.name.endswith("-DEVEL"))
        sim_pbx.unregister(phone.name, "DEVEL")
        sim_clock.advance(5)
        await refresh(pilot)
        await wait_until(lambda: any(e.object == phone.name for e in _events(app)))
        # The Events pane got it as it was written, newest first.
        await pilot.press("6")
        await wait_until(lambda: any(e.object == phone.name for e in table(app, "events").visible_rows()))
    with Store(store_path, readonly=True) as store:
        events = [e for e in store.events(kinds=["peer.unregistered"]) if e.object == phone.name]
        assert len(events) == 1 and events[0].after == "unregistered"
        assert store.sessions() == [("test", "pbx.demo.test")]
        assert set(store.sources()) == {"nodes", "channels", "queues", "flows", "peers"}


def _events(app):
    app.recording._recording.flush()
    with Store(app.recording.path, readonly=True) as store:
        return store.events(kinds=["peer.unregistered"])


async def test_without_recording_there_is_no_rec_mark_and_no_store(make_app, tmp_path):
    app = make_app(record=False, store_path=str(tmp_path / "none.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert not rec_shown(app)
        assert "not recording" in app.panes["events"].idle_reason
    assert not (tmp_path / "none.sqlite").exists()


async def test_a_store_taken_by_tringtui_record_leaves_the_monitor_running_and_says_so(make_app, tmp_path):
    store_path = tmp_path / "taken.sqlite"
    other = Recorder(Store(store_path))
    try:
        app = make_app(record=True, store_path=str(store_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await first_data(pilot)
            assert not rec_shown(app)
            assert any("recorded by another tringtui" in str(n.message) for n in app._notifications)
    finally:
        other.close()


async def test_refresh_returns_when_a_recording_monitor_finds_no_event(make_app, sim_clock, tmp_path):
    """The test helper waits for the polling panes only: a refresh that changes nothing adds no event."""
    app = make_app(record=True, store_path=str(tmp_path / "quiet.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        before = progress(app)
        await refresh(pilot)
        assert app.panes["events"].snapshot.completed == before["events"]  # no event: the Events pane is as it was
        assert all(app.panes[source].snapshot.completed > before[source] for source in app.live.sources
                   if app.panes[source].idle_reason is None)
