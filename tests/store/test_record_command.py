"""``tringtui record`` as a process: it records a simulator over HTTP, stops cleanly on SIGTERM and SIGHUP,
leaves a store that opens after ``kill -9``, and never writes its key anywhere."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tringtui.sim import DEMO_KEYS, ApiKey, SimServer, merge_keys
from tringtui.store import Store

SECRET = "REC-SECRET-7731"
WAIT_LIMIT = 60.0  # how long a test waits for the recorder to have written something (not a timing assertion)


@pytest.fixture
def secret_server(sim_pbx):
    keys = merge_keys(DEMO_KEYS, [ApiKey(SECRET, "tenant", "DEVEL", "ro")])
    server = SimServer(sim_pbx, keys=keys).start()
    yield server
    server.stop()


@pytest.fixture
def env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")}
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_STATE_HOME=str(tmp_path / "state"), REC_KEY=SECRET)
    return env


def start_recorder(server, store, env, *extra):
    """``tringtui record`` of a profile polling every source each 2 s (the floor), so that tests wait little."""
    config = store.with_suffix(".yaml")
    config.write_text(f"profiles:\n  rec:\n    server: {server.url.removesuffix('/pbx/proxyapi.php')}\n"
                      "    key_env: REC_KEY\n    tenant: DEVEL\n"
                      "    intervals: {nodes: 2, channels: 2, queues: 2, flows: 2, peers: 2}\n")
    command = [sys.executable, "-m", "tringtui", "record", "--config", str(config), "--profile", "rec",
               "--store", str(store), *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def polls_in(store) -> int:
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM polls").fetchone()[0]
    except sqlite3.Error:
        return 0


def wait_for_polls(process, store, count: int) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while polls_in(store) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"no {count} polls recorded in {WAIT_LIMIT} s"
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_record_stops_cleanly_on_a_signal_and_the_store_holds_every_source(secret_server, env, tmp_path, signum):
    store_path = tmp_path / "rec.sqlite"
    process = start_recorder(secret_server, store_path, env)
    wait_for_polls(process, store_path, 5)
    process.send_signal(signum)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "recording 127.0.0.1" in err and "stopped; the store is closed" in err
    assert SECRET not in out + err
    with Store(store_path, readonly=True) as store:
        assert store.integrity_ok()
        span = store.time_range()
        states = store.state_at(span[1])
        assert set(states) == {"nodes", "channels", "queues", "flows", "peers"}
        assert store.sessions() == [("rec", secret_server.url.split("/")[2])]
    assert (store_path.stat().st_mode & 0o777) == 0o600
    # A clean exit folds the write-ahead log into the file.
    wal = store_path.with_name(store_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    for path in tmp_path.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path  # the store, its lock and log: no key


def test_kill_9_while_recording_leaves_a_store_that_opens(secret_server, env, tmp_path, sim_clock):
    store_path = tmp_path / "crash.sqlite"
    process = start_recorder(secret_server, store_path, env)
    wait_for_polls(process, store_path, 5)
    sim_clock.advance(30)  # the next polls carry changes: deltas are being written when the kill comes
    wait_for_polls(process, store_path, 8)
    seen = polls_in(store_path)
    process.kill()
    process.communicate(timeout=10)
    with Store(store_path, readonly=True) as store:  # a reader opens it, with the log of the dead writer
        assert store.integrity_ok()
        assert store.poll_count() >= seen  # every committed poll is there: at most the one being written is lost
        assert set(store.state_at(store.time_range()[1])) == {"nodes", "channels", "queues", "flows", "peers"}
    with Store(store_path) as store:  # and a later recorder goes on with it
        assert store.integrity_ok()


def test_record_with_a_broken_profile_names_the_line_and_exits_2(tmp_path, capsys):
    from tringtui.cli import main

    config = tmp_path / "config.yaml"
    config.write_text("profiles:\n  p:\n    server: https://x.example\n    retention: {age: forever}\n")
    assert main(["record", "--config", str(config), "--profile", "p"]) == 2
    assert f"{config}:4: profiles.p.retention.age: 'forever' is not a duration" in capsys.readouterr().err


def test_a_second_recorder_of_the_same_store_is_refused(tmp_path):
    from tringtui.store import Recorder, StoreBusy

    first = Recorder(Store(tmp_path / "busy.sqlite"))
    try:
        with pytest.raises(StoreBusy, match="is being recorded by another tringtui"):
            Recorder(Store(tmp_path / "busy.sqlite"))
    finally:
        first.close()
    Recorder(Store(tmp_path / "busy.sqlite")).close()  # free again once the first has closed
