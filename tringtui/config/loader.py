"""Reading and validating the YAML config file of named profiles.

The file is composed into a node tree (see ``yamlnodes``) and checked field by
field; every problem (unknown key, wrong type, bad URL, conflicting key
sources, …) is collected with its file, line and field, and ``load_config``
raises one ``ConfigError`` listing them all, so the user fixes everything in
one pass and the app never starts on a half-valid file.

A literal ``key:`` is never quoted back in a message.
"""

from __future__ import annotations

import re
import shlex
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from tringtui.config.alerts import check_alerts, check_desktop_notification
from tringtui.config.yamlnodes import Problem, Problems, compose, kind_of, line_of, mapping_entries, unknown_key, value_of
from tringtui.settings import PANES, Secret
from tringtui.timeparse import TimeParseError, parse_duration

KEY_SOURCES = ("key", "key_env", "key_command")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` says every reason, each with file, line and field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = list(problems)

    def report(self) -> str:
        """The problems as the command line shows them: a count, then one indented line each."""
        count = len(self.problems)
        lines = [f"tringtui: {count} configuration problem{'s' if count != 1 else ''}:"]
        return "\n".join(lines + [f"  {problem}" for problem in self.problems])


@dataclass(frozen=True)
class Located:
    """A value read from the config file and the line it was written on."""

    value: Any
    line: int


@dataclass(frozen=True)
class Profile:
    """One named profile: its validated fields, each with the line it came from."""

    name: str
    line: int
    fields: Mapping[str, Located] = field(default_factory=dict)

    def get(self, name: str) -> Located | None:
        return self.fields.get(name)


@dataclass(frozen=True)
class ConfigFile:
    """A validated config file (or the absence of one: no profiles, no default)."""

    path: Path
    exists: bool = False
    default_profile: Located | None = None
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    literal_key_readable: bool = False
    groups: Mapping[str, Located] = field(default_factory=dict)
    """Named lists of profiles watched together (``tringtui --group NAME``); each value a tuple of names."""

    def where(self, line: int) -> str:
        return f"{self.path}:{line}"

    @property
    def permission_warning(self) -> str:
        """A warning when the file holds a literal key yet group or others may read it ("" otherwise)."""
        if not self.literal_key_readable:
            return ""
        return (
            f"warning: {self.path} holds a literal key but group or others can read it; "
            f"run: chmod 600 {shlex.quote(str(self.path))}  (or use key_env / key_command)"
        )


# ---- field checkers: each returns the normalised value, or records a problem and returns None ----

Checker = Callable[[yaml.Node, str, Problems], Any]


def _string(node: yaml.Node, label: str, problems: Problems, *, secret: bool = False) -> str | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else node
    if isinstance(value, str):
        return value
    # Never quote a literal key back, even a mistyped one.
    got = "something else" if secret else kind_of(node)
    problems.add(node, label, f"expected a string, got {got}")
    return None


def check_string(node: yaml.Node, label: str, problems: Problems) -> str | None:
    return _string(node, label, problems)


def tenant_problem(code: str) -> str:
    """Why ``code`` is not a tenant code ("" when it is one), by the API layer's own rule."""
    from tringtui.api.errors import InvalidParameter
    from tringtui.api.validate import tenant

    try:
        tenant(code)
    except InvalidParameter as exc:
        return str(exc)
    return ""


def check_tenant(node: yaml.Node, label: str, problems: Problems) -> str | None:
    """A tenant code; numbers are accepted and read as text. Empty means all tenants (an admin key)."""
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif not isinstance(value, str):
        problems.add(node, label, f"expected a tenant code, got {kind_of(node)}")
        return None
    value = value.strip()
    problem = tenant_problem(value) if value else ""
    if problem:
        problems.add(node, label, problem)
        return None
    return value


def check_literal_key(node: yaml.Node, label: str, problems: Problems) -> Secret | None:
    """A key written into the file, wrapped at once so no repr of the loaded config can show it."""
    value = _string(node, label, problems, secret=True)
    if value is None:
        return None
    if not value.strip():
        problems.add(node, label, "is empty")
        return None
    return Secret(value.strip())


def check_bool(node: yaml.Node, label: str, problems: Problems) -> bool | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, bool):
        return value
    problems.add(node, label, f"expected true or false, got {kind_of(node)}")
    return None


def _positive_number(node: yaml.Node, label: str, problems: Problems, unit: str, expected: str) -> float | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value > 0:
            return float(value)
        problems.add(node, label, f"must be more than 0 {unit}, got {value!r}")
        return None
    problems.add(node, label, f"expected {expected}, got {kind_of(node)}")
    return None


def check_seconds(node: yaml.Node, label: str, problems: Problems) -> float | None:
    return _positive_number(node, label, problems, "seconds", "a number of seconds")


def check_megabytes(node: yaml.Node, label: str, problems: Problems) -> float | None:
    return _positive_number(node, label, problems, "MB", "a number of megabytes (MB)")


def check_count(node: yaml.Node, label: str, problems: Problems) -> int | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    problems.add(node, label, f"expected a whole number above 0, got {kind_of(node)}")
    return None


def server_url_problem(url: str) -> str:
    """Why ``url`` is not a usable server base URL ("" when it is fine). Never quotes a query string."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket: 'http://[::1'
        return "is not a valid URL, e.g. https://api.tring.nu"
    if parts.scheme not in ("http", "https"):
        return "must start with https:// (or http://), e.g. https://api.tring.nu"
    if not parts.hostname:
        return "has no host name, e.g. https://api.tring.nu"
    if parts.query or parts.fragment:
        # A pasted request URL would carry the key in its query: say so without echoing it.
        return f"must be a base URL without '?…' or '#…' (e.g. {parts.scheme}://{parts.netloc})"
    if parts.username or parts.password:
        return "must not contain a user name or password"
    if parts.path.rstrip("/").endswith("proxyapi.php"):
        return f"must be the base URL, without /pbx/proxyapi.php (e.g. {parts.scheme}://{parts.netloc})"
    try:
        _ = parts.port  # parsing the port is the check
    except ValueError:
        return "has an invalid port"
    return ""


def normalise_server(url: str) -> str:
    return url.strip().rstrip("/")


def check_server(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = _string(node, label, problems)
    if value is None:
        return None
    problem = server_url_problem(value.strip())
    if problem:
        problems.add(node, label, problem)
        return None
    return normalise_server(value)


def check_env_name(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = _string(node, label, problems)
    if value is not None and not ENV_NAME.match(value):
        # Not quoted: a value that is no variable name may be the key itself, pasted here by mistake.
        problems.add(node, label, "is not an environment variable name (letters, digits, _); give the variable's name, not the key")
        return None
    return value


def check_command(node: yaml.Node, label: str, problems: Problems) -> tuple[str, ...] | None:
    """A command as a list of words, or one string split the way a shell would (no shell is run)."""
    if isinstance(node, yaml.SequenceNode):
        words = [value_of(item) for item in node.value]
        if words and all(isinstance(word, str) and word for word in words):
            return tuple(str(word) for word in words)
        message = "expected a non-empty list of non-empty strings"
        for item, word in zip(node.value, words, strict=True):
            if isinstance(item, yaml.ScalarNode) and isinstance(word, (bool, int, float)):
                # [true], [sleep, 5]: YAML reads a bare true, yes or 5 as a boolean or a number, not a word.
                kind = "a boolean" if isinstance(word, bool) else "a number"
                message += f"; YAML read {item.value} as {kind}: quote it (\"{item.value}\")"
                break
        problems.add(node, label, message)
        return None
    value = _string(node, label, problems)
    if value is None:
        return None
    try:
        split = shlex.split(value)
    except ValueError as exc:
        problems.add(node, label, f"cannot be split into words: {exc}")
        return None
    if not split:
        problems.add(node, label, "is empty")
        return None
    return tuple(split)


def check_path(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = _string(node, label, problems)
    if value is None:
        return None
    path = Path(value).expanduser()
    if not path.is_file():
        problems.add(node, label, f"no such file: {value}")
        return None
    return str(path)


def check_new_file(node: yaml.Node, label: str, problems: Problems) -> str | None:
    """A file tringtui creates when missing (the audit journal): anything but a directory."""
    value = _string(node, label, problems)
    if value is None:
        return None
    path = Path(value).expanduser()
    if path.is_dir():
        problems.add(node, label, f"is a directory, not a file: {value}")
        return None
    return str(path)


def check_duration(node: yaml.Node, label: str, problems: Problems) -> float | None:
    """Seconds, or a duration as people write it (``24h``, ``90m``, ``7d``)."""
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, str):
        return check_seconds(node, label, problems)
    try:
        seconds = parse_duration(value)
    except TimeParseError as error:
        problems.add(node, label, str(error))
        return None
    if seconds <= 0:
        problems.add(node, label, f"must be more than 0 seconds, got {value!r}")
        return None
    return seconds


RETENTION_FIELDS = {"age": check_duration, "size_mb": check_seconds}  # size_mb: any positive number


def check_retention(node: yaml.Node, label: str, problems: Problems) -> dict[str, Located] | None:
    """How much recording a profile keeps: ``{age: 24h, size_mb: 500}``, each part optional."""
    entries = mapping_entries(node, label, problems)
    return None if entries is None else _checked_fields(entries, label, RETENTION_FIELDS, problems)


def _checked_fields(entries: list[tuple[str, yaml.Node, yaml.Node]], label: str, checkers: Mapping[str, Checker],
                    problems: Problems) -> dict[str, Located]:
    """Each entry checked by its field's checker (an unknown field is a problem, with a "did you mean")."""
    checked: dict[str, Located] = {}
    for key, key_node, value_node in entries:
        checker = checkers.get(key)
        if checker is None:
            problems.add(key_node, f"{label}.{key}", unknown_key(key, checkers))
            continue
        value = checker(value_node, f"{label}.{key}", problems)
        if value is not None:
            checked[key] = Located(value, line_of(key_node))
    return checked


def check_pane(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = _string(node, label, problems)
    if value is not None and value not in PANES:
        problems.add(node, label, f"{value!r} is not a pane; choose one of: {', '.join(PANES)}")
        return None
    return value


def colour_problem(value: str) -> str:
    """Why ``value`` is not a colour Textual understands ("" when it is one)."""
    from textual.color import Color, ColorParseError  # lazily: the config layer stays cheap to import

    try:
        Color.parse(value)
    except ColorParseError as exc:
        return str(exc)
    return ""


def check_colour(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = _string(node, label, problems)
    if value is None:
        return None
    problem = colour_problem(value)
    if problem:
        problems.add(node, label, problem)
        return None
    return value


def check_intervals(node: yaml.Node, label: str, problems: Problems) -> dict[str, Located] | None:
    """Seconds per pane, each with its own line (``config show`` points at the exact one)."""
    entries = mapping_entries(node, label, problems)
    if entries is None:
        return None
    intervals = {}
    for pane, key_node, value_node in entries:
        if pane not in PANES:
            problems.add(key_node, f"{label}.{pane}", f"not a pane; choose from: {', '.join(PANES)}")
            continue
        seconds = check_seconds(value_node, f"{label}.{pane}", problems)
        if seconds is not None:
            intervals[pane] = Located(seconds, line_of(key_node))
    return intervals


PROFILE_FIELDS: dict[str, Checker] = {
    "server": check_server,
    "tenant": check_tenant,
    "key": check_literal_key,
    "key_env": check_env_name,
    "key_command": check_command,
    "key_command_timeout": check_seconds,
    "readonly": check_bool,
    "verify_tls": check_bool,
    "ca_bundle": check_path,
    "timeout": check_seconds,
    "max_body_mb": check_megabytes,
    "max_concurrency": check_count,
    "intervals": check_intervals,
    "theme": check_string,
    "label": check_string,
    "label_color": check_colour,
    "start_pane": check_pane,
    "mouse": check_bool,
    "audit_path": check_new_file,
    "alerts": check_alerts,
    "alert_bell": check_bool,
    "alert_desktop": check_desktop_notification,
    "record": check_bool,
    "store": check_new_file,
    "retention": check_retention,
}
TOP_LEVEL_FIELDS = ("default_profile", "profiles", "groups")
# Top-level keys starting so are the user's own: YAML anchors for values profiles share (``<<: *x-noc``).
SHARED_PREFIX = "x-"


def _check_profile(name: str, name_node: yaml.Node, node: yaml.Node, problems: Problems) -> Profile | None:
    label = f"profiles.{name}"
    entries = mapping_entries(node, label, problems)
    if entries is None:
        return None
    fields = _checked_fields(entries, label, PROFILE_FIELDS, problems)
    given = [key for key, _, _ in entries if key in KEY_SOURCES]
    if len(given) > 1:
        problems.add(name_node, label, f"gives the key more than one way ({', '.join(given)}); keep one")
    if fields.get("verify_tls", Located(True, 0)).value is False and "ca_bundle" in fields:
        problems.add(name_node, label, "ca_bundle is set but verify_tls is false; drop one of them")
    if "key_command_timeout" in fields and "key_command" not in fields:
        problems.add(node, f"{label}.key_command_timeout", "only makes sense with key_command")
    return Profile(name, line_of(name_node), fields)


def _check_groups(node: yaml.Node, profile_names: set[str], problems: Problems) -> dict[str, Located]:
    """``groups: {noc: [prod-eu, prod-us]}``: each a non-empty list of existing profiles, none twice."""
    groups: dict[str, Located] = {}
    available = ", ".join(sorted(profile_names)) or "none defined"
    for name, name_node, members_node in mapping_entries(node, "groups", problems) or []:
        label = f"groups.{name}"
        if not isinstance(members_node, yaml.SequenceNode) or not members_node.value:
            got = "an empty list" if isinstance(members_node, yaml.SequenceNode) else kind_of(members_node)
            problems.add(members_node, label, f"expected a non-empty list of profile names, got {got}")
            continue
        members: list[str] = []
        for item in members_node.value:
            member = check_string(item, label, problems)
            if member is None:
                continue
            if member not in profile_names:
                problems.add(item, label, f"no profile named {member!r} (profiles: {available})")
            elif member in members:
                problems.add(item, label, f"lists {member!r} twice")
            else:
                members.append(member)
        groups[name] = Located(tuple(members), line_of(name_node))
    return groups


def _literal_key_readable(path: Path) -> bool:
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def parse_config(text: str, path: Path) -> ConfigFile:
    """Validate config ``text`` (read from ``path``, which messages name); raise ``ConfigError`` on any problem."""
    problems = Problems(path)
    root = compose(text, problems)
    if problems:
        raise ConfigError(problems)
    if root is None:  # an empty file, or only comments
        return ConfigFile(path, exists=True)
    entries = mapping_entries(root, "", problems) or []
    default_profile: Located | None = None
    default_node: yaml.Node | None = None
    profiles: dict[str, Profile] = {}
    names: set[str] = set()  # every profile written, valid or not
    groups_node: yaml.Node | None = None
    for key, key_node, value_node in entries:
        if key == "default_profile":
            name = check_string(value_node, key, problems)
            if name is not None:
                default_profile, default_node = Located(name, line_of(key_node)), value_node
        elif key == "profiles":
            for name, name_node, profile_node in mapping_entries(value_node, "profiles", problems) or []:
                names.add(name)
                profile = _check_profile(name, name_node, profile_node, problems)
                if profile is not None:
                    profiles[name] = profile
        elif key == "groups":
            groups_node = value_node  # checked once every profile name is known
        elif not key.startswith(SHARED_PREFIX):
            problems.add(key_node, key, unknown_key(key, TOP_LEVEL_FIELDS))
    if default_profile is not None and default_profile.value not in names:
        available = ", ".join(sorted(names)) or "none defined"
        problems.add(default_node, "default_profile", f"no profile named {default_profile.value!r} (profiles: {available})")
    groups = _check_groups(groups_node, names, problems) if groups_node is not None else {}
    if problems:
        raise ConfigError(problems)
    has_literal = any("key" in profile.fields for profile in profiles.values())
    return ConfigFile(
        path,
        exists=True,
        default_profile=default_profile,
        profiles=profiles,
        literal_key_readable=has_literal and _literal_key_readable(path),
        groups=groups,
    )


def load_config(path: Path, *, required: bool = False) -> ConfigFile:
    """Read and validate the config file at ``path``.

    A missing file is an empty configuration unless ``required`` (the user
    named the file with ``--config`` or ``TRINGTUI_CONFIG``), when it is an error.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise ConfigError([Problem(str(path), None, "", "no such config file")]) from None
        return ConfigFile(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(str(path), None, "", f"cannot be read: {exc}")]) from None
    return parse_config(text, path)
