"""``tringtui config check`` against the simulator over real HTTP: key accepted? read-only or read-write?"""

from __future__ import annotations

import pytest

from tringtui.cli import main
from tringtui.sim import SimServer, SimulatedPBX


@pytest.fixture(scope="module")
def sim_server():
    server = SimServer(SimulatedPBX(seed=7, size="small"), host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sim_url(sim_server):
    sim_server.clear_log()
    return sim_server.url


@pytest.fixture
def checked(env, write_config, monkeypatch, sim_url, capsys):
    """Run ``config check`` for a profile of a config listing every kind of key; returns (status, out, err)."""
    for name in ("TRINGTUI_CONFIG", "TRINGTUI_PROFILE", "TRINGTUI_SERVER", "TRINGTUI_TENANT",
                 "TRINGTUI_KEY_ENV", "TRINGTUI_KEY", "TRINGTUI_THEME", "TRINGTUI_READONLY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    write_config(f"""
        profiles:
          admin: {{server: '{sim_url}', tenant: DEVEL, key: demo-admin}}
          admin-ro: {{server: '{sim_url}', tenant: DEVEL, key: demo-admin-ro}}
          devel: {{server: '{sim_url}', tenant: DEVEL, key: demo-devel}}
          devel-ro: {{server: '{sim_url}', tenant: DEVEL, key: demo-devel-ro}}
          careful: {{server: '{sim_url}', tenant: DEVEL, key: demo-admin, readonly: true}}
          all-tenants: {{server: '{sim_url}', key: demo-admin}}
          wrong: {{server: '{sim_url}', tenant: DEVEL, key_env: WRONG_KEY}}
    """)

    def run(profile: str) -> tuple[int, str, str]:
        status = main(["config", "check", "--profile", profile])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.mark.parametrize(
    ("profile", "rights"),
    [
        ("admin", "rights: read-write key"),
        ("devel", "rights: read-write key"),
        ("admin-ro", "rights: read-only key (SETFLOW without a number was refused for this key)"),
        ("devel-ro", "rights: read-only key (SETFLOW without a number was refused for this key)"),
        ("careful", "rights: read-only session (configured); the write probe was not sent"),
        ("all-tenants", "rights: read-only key, or the server wants a tenant for SETFLOW"),
    ],
)
def test_check_tells_the_keys_rights(checked, profile, rights):
    status, out, _ = checked(profile)
    assert status == 0
    assert "configuration: ok" in out and "key: accepted by 127.0.0.1" in out
    assert rights in out


def test_check_reports_a_rejected_key_without_showing_it(checked, monkeypatch, secret_key):
    monkeypatch.setenv("WRONG_KEY", secret_key)
    status, out, err = checked("wrong")
    assert status == 2
    assert "key: REJECTED by 127.0.0.1" in out and "for tenant DEVEL" in out
    assert secret_key not in out + err


def test_check_stops_at_config_problems(checked):
    status, out, err = checked("nope")
    assert status == 2 and "no profile named 'nope'" in err and "key:" not in out


def test_the_write_probe_names_no_flow(checked, sim_server):
    checked("admin")
    requests = [(record.reqtype, dict(record.params)) for record in sim_server.request_log]
    writes = [params for reqtype, params in requests if reqtype == "SETFLOW"]
    assert [reqtype for reqtype, _ in requests] == ["INFO", "SETFLOW"]
    assert writes and not any({"number", "state", "value"} & set(params) for params in writes)


def test_a_read_only_session_sends_no_write(checked, sim_server):
    checked("careful")
    assert [record.reqtype for record in sim_server.request_log] == ["INFO"]


def test_the_write_probe_is_journalled(checked, env, capsys):
    from pathlib import Path

    from tringtui.audit import AuditJournal, writes

    checked("devel-ro")
    journal = AuditJournal(Path(env["XDG_STATE_HOME"]) / "tringtui" / "audit.jsonl")
    (probe,) = writes(journal.entries())
    assert (probe.action, probe.profile, probe.tenant, probe.outcome) == ("rights-probe", "devel-ro", "DEVEL", "refused")
    assert probe.params == {} and "demo-devel-ro" not in journal.path.read_text()
    assert main(["audit"]) == 0 and "rights-probe" in capsys.readouterr().out


def test_check_without_a_config_file_says_there_is_none(env, monkeypatch, sim_url, capsys):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TRINGTUI_CONFIG", raising=False)
    monkeypatch.setenv("TRINGTUI_KEY", "demo-admin")
    assert main(["config", "check", "--server", sim_url, "--tenant", "DEVEL"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    would_be = f"{env['XDG_CONFIG_HOME']}/tringtui/config.yaml"
    assert first == f"configuration: ok (no config file, it would be {would_be}; settings from flags and environment)"
