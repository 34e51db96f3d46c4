"""``tringtui api`` end to end: a subprocess against a simulator served from the test process."""

import json
import os
import subprocess
import sys

import pytest
from leak_check import SECRET_KEY

from tringtui.sim import ApiKey, SimServer, records



@pytest.fixture
def cli_server(sim_pbx):
    keys = {
        SECRET_KEY: ApiKey(SECRET_KEY, "tenant", "DEVEL", "rw"),
        "ro-" + SECRET_KEY: ApiKey("ro-" + SECRET_KEY, "tenant", "DEVEL", "ro"),
    }
    server = SimServer(sim_pbx, keys=keys).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """No config file or state of the machine running the tests is read."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


def run_api(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")}
    env.update(env_extra or {})
    command = [sys.executable, "-m", "tringtui", "api", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30, env=env)
    assert SECRET_KEY not in result.stdout and SECRET_KEY not in result.stderr
    return result


def tringtui_api(server, *args, key=SECRET_KEY, tenant="DEVEL"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")}
    if key is not None:
        env["TRING_TEST_KEY"] = key
    command = [sys.executable, "-m", "tringtui", "api", *args, "--server", server.url, "--key-env", "TRING_TEST_KEY"]
    if tenant:
        command += ["--tenant", tenant]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30, env=env)
    assert SECRET_KEY not in result.stdout and SECRET_KEY not in result.stderr
    return result


def one_line_error(result):
    assert result.returncode != 0 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    return lines[0]


def test_typed_reads_print_models_as_json(cli_server, sim_pbx):
    result = tringtui_api(cli_server, "PEERS")
    assert result.returncode == 0, result.stderr
    peers = json.loads(result.stdout)
    assert {p["name"] for p in peers} == {p.name for p in sim_pbx.peers_snapshot() if p.tenant == "DEVEL"}
    assert {p["status"] for p in peers} <= {"ok", "lagged", "unreachable", "unknown", "unmonitored", "unregistered"}

    agents = json.loads(tringtui_api(cli_server, "INFO", "info=agents", "queue=281").stdout)
    assert {a["member"] for a in agents} == set(sim_pbx.queue(281).members)
    blfs = json.loads(tringtui_api(cli_server, "BLFS").stdout)
    assert all("T" in b["timestamp"] for b in blfs if b["timestamp"])  # datetimes as ISO text


def test_untyped_and_raw_formats(cli_server):
    raw = tringtui_api(cli_server, "COUNTPEERS", "--format", "raw")
    assert raw.returncode == 0 and raw.stdout.startswith("{")
    plain = tringtui_api(cli_server, "COUNTPEERS", "--format", "plain")
    assert plain.returncode == 0 and "|" in plain.stdout
    queues_plain = tringtui_api(cli_server, "INFO", "info=queues", "--format", "plain")
    assert "281:supportQ|" in queues_plain.stdout
    cdrs = tringtui_api(cli_server, "INFO", "info=cdrs")
    assert cdrs.returncode == 0


def sim_passwords(sim_pbx, tenant="DEVEL"):
    """The SIP and web passwords the simulator sends for a tenant's extensions (long enough to search for)."""
    owner = sim_pbx.tenants[tenant]
    values = [records.extension_values(sim_pbx.seed, owner, peer) for peer in owner.peers]
    return {v[name] for v in values for name in ("ex_password", "ex_webpassword")}


def test_extensions_never_print_passwords(cli_server, sim_pbx):
    passwords = sim_passwords(sim_pbx)
    assert passwords
    for fmt in ("json", "raw", "plain"):
        result = tringtui_api(cli_server, "INFO", "info=extensions", "--format", fmt)
        assert result.returncode == 0 and "101" in result.stdout
        assert "password" not in result.stdout.lower()
        assert not [p for p in passwords if p in result.stdout or p in result.stderr], fmt


def test_raw_extensions_keep_every_column_but_the_passwords(cli_server, sim_pbx):
    rows = json.loads(tringtui_api(cli_server, "INFO", "info=extensions", "--format", "raw").stdout)
    secret_positions = {str(records.EXTENSION_COLUMNS.index(name)) for name in records.EXTENSION_COLUMNS
                        if "password" in name}
    assert secret_positions == {"5", "6", "7"}
    for row in rows:
        assert not secret_positions & row.keys()  # the index twins of the password columns are gone too
        assert row[str(records.EXTENSION_NUMBER_INDEX)] == row["ex_number"]  # the number where clients read it
        assert len(row) == 2 * (len(records.EXTENSION_COLUMNS) - 3)
    plain = tringtui_api(cli_server, "INFO", "info=extensions", "--format", "plain").stdout
    assert plain.splitlines()[0] == "Number|Name|Tech|State|Username"


def test_write_and_its_effect(cli_server, sim_pbx):
    result = tringtui_api(cli_server, "SETFLOW", "number=801", "state=INUSE")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "success"
    assert sim_pbx.flow("801", "DEVEL").state == "INUSE"


def test_failures_are_one_line(cli_server):
    assert "KeyRejected" in one_line_error(tringtui_api(cli_server, "PEERS", key="wrong-key"))
    assert "TRING_TEST_KEY" in one_line_error(tringtui_api(cli_server, "PEERS", key=None))
    assert "every queue" in one_line_error(tringtui_api(cli_server, "AGENT", "action=pause", "extension=107"))
    assert "ActionRefused" in one_line_error(tringtui_api(cli_server, "HANGUP", "channel=SIP/999-DEVEL-00000001"))
    assert "does not take" in one_line_error(tringtui_api(cli_server, "PEERS", "bogus=1"))
    assert "NAME=VALUE" in one_line_error(tringtui_api(cli_server, "PEERS", "bogus"))
    assert "ReadOnlyError" in one_line_error(tringtui_api(cli_server, "REBOOT", "peer=ALL", "--readonly"))
    assert "KeyRejected" in one_line_error(tringtui_api(cli_server, "REBOOT", "peer=ALL", key="ro-" + SECRET_KEY))
    assert len(cli_server.request_log) == 3  # key rejected, the hangup, the read-only key's reboot
    cli_server.faults.mode = "drop"
    assert "OutcomeUnknown" in one_line_error(tringtui_api(cli_server, "SETFLOW", "number=801", "state=INUSE"))
    assert "TransportError" in one_line_error(tringtui_api(cli_server, "PEERS"))


def write_profiles(path, server):
    path.write_text(
        "default_profile: devel\n"
        "profiles:\n"
        f"  devel: {{server: '{server.url}', tenant: DEVEL, key_env: TRING_TEST_KEY}}\n"
        f"  devel-ro: {{server: '{server.url}', tenant: DEVEL, key_env: TRING_TEST_KEY, readonly: true}}\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def test_profiles_give_server_tenant_and_key(cli_server, sim_pbx, tmp_path):
    config = write_profiles(tmp_path / "noc.yaml", cli_server)
    key = {"TRING_TEST_KEY": SECRET_KEY}

    by_flag = run_api("INFO", "info=queues", "--config", str(config), "--profile", "devel", env_extra=key)
    assert by_flag.returncode == 0, by_flag.stderr
    assert json.loads(by_flag.stdout) == json.loads(tringtui_api(cli_server, "INFO", "info=queues").stdout)
    # The config file's default profile, the file named by the environment.
    by_default = run_api("FLOWS", env_extra={**key, "TRINGTUI_CONFIG": str(config)})
    assert by_default.returncode == 0, by_default.stderr
    assert json.loads(by_default.stdout)[0]["number"] == "801"
    # A flag still beats the profile: a wrong tenant reaches the server and is refused there.
    overridden = run_api("PEERS", "--config", str(config), "--tenant", "ACME", env_extra=key)
    assert "KeyRejected" in one_line_error(overridden)


def test_a_read_only_profile_refuses_writes_before_sending(cli_server, sim_pbx, tmp_path):
    config = write_profiles(tmp_path / "noc.yaml", cli_server)
    sent_before = len(cli_server.request_log)
    result = run_api("SETFLOW", "number=801", "state=INUSE", "--config", str(config), "--profile", "devel-ro",
                     env_extra={"TRING_TEST_KEY": SECRET_KEY})
    assert "ReadOnlyError" in one_line_error(result)
    assert len(cli_server.request_log) == sent_before


def test_configuration_problems_are_one_line_each(cli_server, tmp_path):
    config = write_profiles(tmp_path / "noc.yaml", cli_server)
    assert "no profile named 'prod'" in one_line_error(
        run_api("PEERS", "--config", str(config), "--profile", "prod", env_extra={"TRING_TEST_KEY": SECRET_KEY})
    )
    assert "is not a valid URL" in one_line_error(
        run_api("PEERS", "--server", "http://[::1", env_extra={"TRINGTUI_KEY": SECRET_KEY})
    )
    assert "TRING_TEST_KEY" in one_line_error(run_api("PEERS", "--config", str(config)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")}
    demo = subprocess.run([sys.executable, "-m", "tringtui", "--demo", "api", "PEERS"],
                          capture_output=True, text=True, timeout=30, env=env)
    assert demo.returncode == 2 and demo.stderr.startswith("tringtui api: no server: pass --server URL")
    assert "--demo" not in demo.stderr, "the monitor's --demo is no advice for one request"
    missing = run_api("PEERS", "--config", str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and "no such config file" in missing.stderr


def test_a_readable_config_with_a_literal_key_is_warned_about_on_stderr(cli_server, tmp_path):
    config = tmp_path / "noc.yaml"
    config.write_text(f"profiles:\n  devel: {{server: '{cli_server.url}', tenant: DEVEL, key: {SECRET_KEY}}}\n",
                      encoding="utf-8")
    config.chmod(0o644)
    result = run_api("FLOWS", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["number"] == "801"
    assert result.stderr.startswith("tringtui api: warning:") and "chmod 600" in result.stderr


def test_a_slow_answer_is_announced_on_a_terminal_and_erased(cli_server):
    """stderr on a terminal (a pty here): a note counts the seconds, then is erased before the answer."""
    import pty

    cli_server.faults.set_latency("COUNTPEERS", 2.5)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRINGTUI_")}
    env["TRING_TEST_KEY"] = SECRET_KEY
    command = [sys.executable, "-m", "tringtui", "api", "COUNTPEERS", "--server", cli_server.url,
               "--key-env", "TRING_TEST_KEY", "--tenant", "DEVEL"]
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=terminal, env=env)
        os.close(terminal)
        stdout, _ = process.communicate(timeout=30)
        written = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal's other end is closed: all of it was read
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(controller)
    assert process.returncode == 0
    assert json.loads(stdout)  # the answer itself, on stdout, untouched by the note
    shown = written.decode()
    assert "waiting for COUNTPEERS from 127.0.0.1" in shown and "Ctrl+C stops" in shown
    assert shown.endswith("\r\x1b[K")  # erased: nothing of it is left on the screen
    assert SECRET_KEY not in shown


def test_a_slow_answer_adds_nothing_to_a_redirected_stderr(cli_server):
    cli_server.faults.set_latency("COUNTPEERS", 1.5)
    result = tringtui_api(cli_server, "COUNTPEERS")
    assert result.returncode == 0 and result.stderr == ""


def test_history_types_print_models(cli_server, sim_pbx, sim_clock):
    sim_clock.advance(600)
    sim_pbx.advance()
    records = json.loads(tringtui_api(cli_server, "INFO", "info=cdrs").stdout)
    assert [r["uniqueid"] for r in records] == [r.uniqueid for r in sim_pbx.cdrs if r.tenant == "DEVEL"]
    assert {"linkedid", "disposition", "billsec"} <= set(records[0])
    logs = json.loads(tringtui_api(cli_server, "INFO", "info=queuelogs").stdout)
    assert logs and {"event", "callid", "queue"} <= set(logs[0])
