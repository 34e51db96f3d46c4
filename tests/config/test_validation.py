"""Each config problem gets one clear message naming the file, the line and the field; all are shown at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tringtui.config import ConfigError, load_config, resolve_settings
from tringtui.config.loader import parse_config
from tringtui.config.template import EXAMPLE_CONFIG


def problems_of(text: str, path: Path = Path("/cfg/config.yaml")) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, path)
    return [str(problem) for problem in caught.value.problems]


def test_unknown_field_names_file_line_field_and_suggests():
    text = "profiles:\n  prod:\n    server: https://api.tring.nu\n    timout: 10\n"
    assert problems_of(text) == [
        "/cfg/config.yaml:4: profiles.prod.timout: unknown field (did you mean 'timeout'?)"
    ]


def test_unknown_top_level_key():
    assert problems_of("profile:\n  a: {}\n") == [
        "/cfg/config.yaml:1: profile: unknown field (did you mean 'profiles'?)"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("timeout: soon", "profiles.p.timeout: expected a number of seconds, got str 'soon'"),
        ("timeout: -1", "profiles.p.timeout: must be more than 0 seconds, got -1"),
        ("readonly: maybe", "profiles.p.readonly: expected true or false, got str 'maybe'"),
        ("tenant: [A, B]", "profiles.p.tenant: expected a tenant code, got a list"),
        ("tenant: 'DE VEL'", "profiles.p.tenant: invalid tenant code 'DE VEL': expected letters, digits, _ . -"),
        ("start_pane: calls", "profiles.p.start_pane: 'calls' is not a pane; choose one of: nodes, channels, queues, flows, peers"),
        ("key_env: 'MY-KEY'", "profiles.p.key_env: is not an environment variable name (letters, digits, _); "
                              "give the variable's name, not the key"),
        ("key_command: []", "profiles.p.key_command: expected a non-empty list of non-empty strings"),
        ("key_command: [true]", "profiles.p.key_command: expected a non-empty list of non-empty strings; "
                                "YAML read true as a boolean: quote it (\"true\")"),
        ("key_command: [sleep, 5]", "profiles.p.key_command: expected a non-empty list of non-empty strings; "
                                    "YAML read 5 as a number: quote it (\"5\")"),
        ("max_body_mb: -1", "profiles.p.max_body_mb: must be more than 0 MB, got -1"),
        ("max_body_mb: lots", "profiles.p.max_body_mb: expected a number of megabytes (MB), got str 'lots'"),
        ("ca_bundle: /nonexistent/ca.pem", "profiles.p.ca_bundle: no such file: /nonexistent/ca.pem"),
        ("label_color: redd", "profiles.p.label_color: failed to parse 'redd' as a color; did you mean 'red'?"),
        ("intervals: {nodes: 0}", "profiles.p.intervals.nodes: must be more than 0 seconds, got 0"),
        ("intervals: {calls: 5}", "profiles.p.intervals.calls: not a pane; choose from: nodes, channels, queues, flows, peers"),
        ("intervals: 5", "profiles.p.intervals: expected a mapping, got int 5"),
    ],
)
def test_wrong_types_and_values(line: str, expected: str):
    text = f"profiles:\n  p:\n    server: https://api.tring.nu\n    {line}\n"
    assert problems_of(text) == [f"/cfg/config.yaml:4: {expected}"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://api.tring.nu", "must start with https:// (or http://)"),
        ("api.tring.nu", "must start with https:// (or http://)"),
        ("https://", "has no host name"),
        ("https://api.tring.nu/pbx/proxyapi.php", "must be the base URL, without /pbx/proxyapi.php"),
        ("https://user:pw@api.tring.nu", "must not contain a user name or password"),
        ("https://api.tring.nu:99999", "has an invalid port"),
        ("http://[::1", "is not a valid URL"),  # urlsplit raises on an unclosed bracket
    ],
)
def test_bad_server_urls(url: str, message: str):
    [problem] = problems_of(f"profiles:\n  p:\n    server: '{url}'\n")
    assert problem.startswith("/cfg/config.yaml:3: profiles.p.server: ")
    assert message in problem


def test_server_url_with_query_is_refused_without_echoing_the_key(secret_key):
    [problem] = problems_of(f"profiles:\n  p:\n    server: 'https://api.tring.nu/?key={secret_key}&tenant=X'\n")
    assert "without '?…'" in problem and "https://api.tring.nu" in problem
    assert secret_key not in problem


def test_literal_key_of_the_wrong_type_is_not_quoted(secret_key):
    [problem] = problems_of("profiles:\n  p:\n    key: [" + secret_key + "]\n")
    assert problem == "/cfg/config.yaml:3: profiles.p.key: expected a string, got something else"


def test_all_problems_are_collected_in_file_order():
    text = (
        "default_profile: prod\n"
        "profiles:\n"
        "  prod:\n"
        "    server: ftp://x\n"
        "    timeout: slow\n"
        "    colour: red\n"
        "  lab:\n"
        "    readonly: 1\n"
    )
    problems = problems_of(text)
    assert [p.split(": ")[0] for p in problems] == [
        "/cfg/config.yaml:4", "/cfg/config.yaml:5", "/cfg/config.yaml:6", "/cfg/config.yaml:8",
    ]


def test_more_than_one_key_source_in_a_profile():
    [problem] = problems_of("profiles:\n  p:\n    key_env: A\n    key_command: pass show x\n")
    assert problem == "/cfg/config.yaml:2: profiles.p: gives the key more than one way (key_env, key_command); keep one"


def test_repeated_key_is_reported_not_silently_replaced():
    [problem] = problems_of("profiles:\n  p:\n    server: https://a.example\n    server: https://b.example\n")
    assert problem == "/cfg/config.yaml:4: profiles.p.server: given twice (first on line 3)"


def test_yaml_syntax_error_names_the_line():
    [problem] = problems_of("profiles:\n  p:\n    server: [unclosed\n    tenant: X\n")
    assert problem.startswith("/cfg/config.yaml:")
    assert "not valid YAML" in problem


def test_default_profile_must_exist():
    [problem] = problems_of("default_profile: prdo\nprofiles:\n  prod: {server: 'https://a.example'}\n")
    assert problem == "/cfg/config.yaml:1: default_profile: no profile named 'prdo' (profiles: prod)"


def test_unquoted_hash_colour_reads_as_nothing_and_says_so():
    [problem] = problems_of("profiles:\n  p:\n    label_color: #ff0000\n")
    assert problem == "/cfg/config.yaml:3: profiles.p.label_color: expected a string, got nothing"


def test_missing_key_names_the_profile_file_and_line(env, write_config):
    path = write_config("profiles:\n  lab:\n    server: https://lab.example\n")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env=env)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{path}:2: profiles.lab: no key: add key_env, key_command or key")


def test_missing_server_names_the_profile(env, write_config):
    path = write_config("profiles:\n  lab:\n    key_env: LAB_KEY\n")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env={**env, "LAB_KEY": "x"})
    assert str(caught.value).startswith(f"{path}:2: profiles.lab: no server:")


def test_explicit_config_file_that_does_not_exist(env, tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env={**env, "TRINGTUI_CONFIG": str(missing)})
    assert str(caught.value) == f"{missing}: no such config file"


def test_the_example_config_is_valid(tmp_path):
    config = parse_config(EXAMPLE_CONFIG, tmp_path / "config.yaml")
    assert set(config.profiles) == {"staging", "production"}
    assert config.default_profile.value == "staging"


def test_empty_file_is_an_empty_config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("# nothing yet\n")
    config = load_config(path)
    assert config.exists and not config.profiles


def test_profiles_can_share_values_through_yaml_merge_keys(tmp_path):
    text = (
        "x-noc: &noc\n"
        "  server: https://api.tring.nu\n"
        "  readonly: true\n"
        "  timeout: 20\n"
        "profiles:\n"
        "  acme:\n"
        "    <<: *noc\n"
        "    tenant: ACME\n"
        "    timeout: 10\n"
    )
    acme = parse_config(text, tmp_path / "config.yaml").profiles["acme"]
    assert acme.get("server").value == "https://api.tring.nu" and acme.get("server").line == 2
    assert acme.get("timeout").value == 10 and acme.get("timeout").line == 9  # the profile's own value wins
    assert acme.get("readonly").value is True


def test_a_mistake_in_shared_values_names_the_line_it_was_written_on():
    [problem] = problems_of("x-noc: &noc\n  timout: 20\nprofiles:\n  acme:\n    <<: *noc\n")
    assert problem == "/cfg/config.yaml:2: profiles.acme.timout: unknown field (did you mean 'timeout'?)"


def test_the_readme_lists_every_profile_field():
    import re

    from tringtui.config.loader import PROFILE_FIELDS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = readme.split("Profile fields:", 1)[1].split("\n\n", 1)[0]
    assert set(PROFILE_FIELDS) - set(re.findall(r"`([a-z_]+)`", listed)) == set()
