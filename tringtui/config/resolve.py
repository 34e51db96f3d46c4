"""Turning flags, environment, the chosen profile and defaults into one ``Settings``.

Precedence, highest first: command-line flags, environment variables, the
profile, then built-in defaults (for the theme, the choice last made in the
app sits between the profile and the default). Two safety rules bend it:
read-only is sticky (any source saying read-only wins, so a production
profile cannot be made writable by a stray variable), and the key is never
revealed anywhere but in ``Settings.key``.

Which profile applies is decided once, by ``_Resolver.choose_profile``, for
every command (the monitor, ``tringtui api``, ``config show|check``, and any
command built on ``resolve_settings``). A profile's key goes only to that
profile's server:

- ``--server`` (or ``TRINGTUI_SERVER``) without ``--profile`` (or
  ``TRINGTUI_PROFILE``) starts an *ad-hoc* session: nothing comes from the
  config file's profiles (not the key source, the tenant, read-only, theme…);
  the key comes from ``--key-env``, ``TRINGTUI_KEY_ENV`` or ``TRINGTUI_KEY``;
- ``--profile X`` with a server other than X's is refused unless the key's
  source is given explicitly too (``--key-env`` / ``TRINGTUI_KEY_ENV``).

Every value's origin is recorded (``flag --server``, ``env TRINGTUI_TENANT``,
``/home/me/.config/tringtui/config.yaml:12``, ``default``) for
``tringtui config show``.
"""

from __future__ import annotations

import argparse
import os
from urllib.parse import urlsplit
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from tringtui.config.loader import (
    ENV_NAME,
    ConfigError,
    ConfigFile,
    Profile,
    load_config,
    normalise_server,
    server_url_problem,
    tenant_problem,
)
from tringtui.config.paths import CONFIG_ENV, chosen_config_file, state_file
from tringtui.config.secrets import DEFAULT_KEY_COMMAND_TIMEOUT, DEFAULT_KEY_ENV, KeySpec, KeyUnavailable, read_key
from tringtui.config.state import remembered_theme
from tringtui.config.yamlnodes import Problem
from tringtui.alert_rules import DEFAULT_RULES
from tringtui.settings import (
    DEFAULT_INTERVALS, DEFAULT_RETENTION_AGE, DEFAULT_RETENTION_MB, MIN_INTERVAL, PANES, Secret, Settings,
)

ENV_PROFILE = "TRINGTUI_PROFILE"
ENV_SERVER = "TRINGTUI_SERVER"
ENV_TENANT = "TRINGTUI_TENANT"
ENV_KEY_ENV = "TRINGTUI_KEY_ENV"
ENV_THEME = "TRINGTUI_THEME"
ENV_READONLY = "TRINGTUI_READONLY"

# Every environment variable tringtui reads, with what it does (README and ``config show`` list them).
ENVIRONMENT = {
    CONFIG_ENV: "config file to read instead of the default",
    ENV_PROFILE: "profile to use instead of default_profile",
    ENV_SERVER: "server base URL; without a profile named, a session taking nothing from the profiles",
    ENV_TENANT: "tenant code, overriding the profile's",
    ENV_KEY_ENV: "name of the environment variable holding the key, overriding the profile's key source",
    DEFAULT_KEY_ENV: "the key itself, used when neither flags nor the profile say where the key is",
    ENV_THEME: "theme name, overriding the profile's",
    ENV_READONLY: "1/true/yes: read-only (can only switch read-only on)",
}

DEFAULT_THEME = "tring-dark"
AD_HOC = "ad-hoc"  # the profile name of a session given by --server alone
# Not quoting the value: what is not a variable name may be the key itself, given in the wrong place.
NOT_A_VARIABLE = "is not an environment variable name; give the name of the variable holding the key, not the key"
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Overrides:
    """What the command line asked for; ``None`` (or ``False``) means "not given"."""

    config: str | None = None
    profile: str | None = None
    server: str | None = None
    tenant: str | None = None
    key_env: str | None = None
    theme: str | None = None
    readonly: bool = False
    no_mouse: bool = False
    demo: bool = False
    no_record: bool = False
    store: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Overrides:
        """The overrides in parsed arguments; flags a parser does not define count as not given."""
        def text(name: str) -> str | None:
            value = getattr(args, name, None)
            return str(value) if value else None

        def flag(name: str) -> bool:
            return bool(getattr(args, name, False))

        return cls(config=text("config"), profile=text("profile"), server=text("server"), tenant=text("tenant"),
                   key_env=text("key_env"), theme=text("theme"), readonly=flag("readonly"), no_mouse=flag("no_mouse"),
                   demo=flag("demo"), no_record=flag("no_record"), store=text("store"))

    def switching_to(self, profile: str) -> Overrides:
        """The overrides for switching to ``profile`` in the app: the profile's own values now count,
        so the connection flags are dropped; the config file, read-only and mouse choices stay."""
        return replace(self, profile=profile, server=None, tenant=None, key_env=None, theme=None, demo=False,
                       store=None)



@dataclass(frozen=True)
class Resolution:
    """The effective settings and how they came to be."""

    settings: Settings
    sources: Mapping[str, str]  # setting name (``intervals.nodes`` for panes) -> where its value came from
    config: ConfigFile
    config_source: str
    key_spec: KeySpec | None  # None in demo mode when nothing names a key
    warnings: tuple[str, ...] = ()


@dataclass
class _Resolver:
    """One resolution in progress: the sources consulted, the problems found, where each value came from."""

    overrides: Overrides
    env: Mapping[str, str]
    config: ConfigFile
    use_env: bool
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    from_file: set[str] = field(default_factory=set)  # settings whose value the profile gave
    profile: Profile | None = None
    profile_name: str = ""

    def env_value(self, variable: str) -> str:
        return self.env.get(variable, "").strip() if self.use_env else ""

    def explicit_profile(self) -> tuple[str, str] | None:
        """The profile named by ``--profile`` or ``TRINGTUI_PROFILE``, with that source; ``None`` if neither."""
        if self.overrides.profile:
            return self.overrides.profile, "flag --profile"
        if self.env_value(ENV_PROFILE):
            return self.env_value(ENV_PROFILE), f"env {ENV_PROFILE}"
        return None

    def server_override(self) -> str:
        """Where a server given outside the profile comes from (``--server``, ``TRINGTUI_SERVER``), or ""."""
        if self.overrides.server:
            return "--server"
        if self.env_value(ENV_SERVER):
            return ENV_SERVER
        return ""

    def key_source_given(self) -> bool:
        """Whether the key's source is named outside the profile (``--key-env``, ``TRINGTUI_KEY_ENV``)."""
        return bool(self.overrides.key_env or self.env_value(ENV_KEY_ENV))

    def choose_profile(self) -> None:
        """Pick the profile whose values apply, or none (an ad-hoc ``--server`` session, the demo)."""
        config = self.config
        explicit = self.explicit_profile()
        if explicit is not None:
            name, source = explicit
        elif self.server_override():
            # A server given by hand is not the default profile's server: its key must not go there.
            self.profile_name = AD_HOC
            self.sources["profile"] = f"none: {self.server_override()} without --profile takes nothing from the profiles"
            return
        elif self.overrides.demo:
            # The demo watches the simulator: a profile applies only when asked for by name.
            self.profile_name, self.sources["profile"] = "demo", "demo"
            return
        elif config.default_profile is not None:
            name, source = config.default_profile.value, config.where(config.default_profile.line)
        elif len(config.profiles) == 1:
            name, source = next(iter(config.profiles)), f"{config.path} (its only profile)"
        else:
            self.profile_name, self.sources["profile"] = "default", "default"
            return
        self.profile_name, self.sources["profile"] = name, source
        self.profile = config.profiles.get(name)
        if self.profile is None:
            known = ", ".join(config.profiles) or "none"
            where = f"{config.path}" if config.exists else f"{config.path} (which does not exist)"
            self.problems.append(Problem(source, None, "", f"no profile named {name!r} in {where}; profiles: {known}"))

    def guard_profile_key(self, server: str) -> None:
        """Refuse to send the profile's key to a server other than the profile's own."""
        if self.profile is None or not server or self.key_source_given() or self.overrides.demo:
            return
        own = self.profile.get("server")
        if own is not None and normalise_server(str(own.value)) == server:
            return
        self.problems.append(Problem(
            self.sources["server"].replace("env ", "environment "), None, "server",
            f"is not the server of profile {self.profile_name}, whose key goes only to its own server: "
            f"name the key for {urlsplit(server).netloc or server} with --key-env VAR (or {ENV_KEY_ENV}), "
            f"or {'leave out --profile' if self.overrides.profile else 'unset ' + ENV_PROFILE} for an ad-hoc "
            f"session (key from {DEFAULT_KEY_ENV})",
        ))

    def pick(self, name: str, default: object, *, flag: object = None, flag_name: str = "", variable: str = "") -> Any:
        """The value of setting ``name`` by precedence, recording its source (a profile's value is already validated)."""
        if flag is not None:
            self.sources[name] = f"flag {flag_name}"
            return flag
        if variable and self.env_value(variable):
            self.sources[name] = f"env {variable}"
            return self.env_value(variable)
        located = self.profile.get(name) if self.profile else None
        if located is not None:
            self.sources[name] = self.config.where(located.line)
            self.from_file.add(name)
            return located.value
        self.sources[name] = "default"
        return default

    def missing(self, what: str, in_profile: str, by_hand: str) -> None:
        """Record that nothing gives ``what``, with advice fitting whether a profile is in use."""
        if self.profile is not None:
            self.problems.append(Problem(str(self.config.path), self.profile.line, f"profiles.{self.profile.name}",
                                         f"no {what}: add {in_profile} to the profile (or {by_hand})"))
        elif self.profile_name == AD_HOC:
            self.problems.append(Problem("", None, "", f"no {what}: {by_hand} (a session given by "
                                         f"{self.server_override()} alone takes nothing from the profiles)"))
        elif self.config.profiles:
            self.problems.append(Problem("", None, "", f"no {what}: pick a profile with --profile "
                                         f"({', '.join(self.config.profiles)}), or {by_hand}"))
        else:
            self.problems.append(Problem("", None, "", f"no {what}: {by_hand}, or write a config file "
                                         "(tringtui config init); or try --demo"))

    def problem_at_source(self, name: str, message: str) -> None:
        """Record a problem with setting ``name``, located where its value came from."""
        source = self.sources[name]
        located = self.profile.get(name) if self.profile is not None and name in self.from_file else None
        if located is not None:
            self.problems.append(Problem(str(self.config.path), located.line, f"profiles.{self.profile_name}.{name}", message))
        else:
            self.problems.append(Problem(source.replace("env ", "environment "), None, name, message))

    def server(self) -> str:
        value = str(self.pick("server", "", flag=self.overrides.server, flag_name="--server", variable=ENV_SERVER))
        if value and "server" not in self.from_file:  # profile values were checked when the file was read
            problem = server_url_problem(value.strip())
            if problem:
                self.problem_at_source("server", problem)
                return ""
            value = normalise_server(value)
            self.guard_profile_key(value)
        if not value and not self.overrides.demo:
            self.missing("server", "server: https://…", f"pass --server URL or set {ENV_SERVER}")
        return value

    def tenant(self) -> str:
        value = str(self.pick("tenant", "", flag=self.overrides.tenant, flag_name="--tenant", variable=ENV_TENANT)).strip()
        problem = tenant_problem(value) if value and "tenant" not in self.from_file else ""
        if problem:
            self.problem_at_source("tenant", problem)
        return value

    def readonly(self) -> bool:
        if self.overrides.readonly:
            self.sources["readonly"] = "flag --readonly"
            return True
        word = self.env_value(ENV_READONLY).lower()
        if word in TRUE_WORDS:
            self.sources["readonly"] = f"env {ENV_READONLY}"
            return True
        if word and word not in FALSE_WORDS:
            # A safety switch misspelt ("ture") must not leave the session silently writable.
            self.problems.append(Problem(f"environment {ENV_READONLY}", None, "readonly",
                                         f"expected {'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)}, got {word!r}"))
        readonly = bool(self.pick("readonly", False))
        if not readonly and word in FALSE_WORDS:
            self.sources["readonly"] = f"env {ENV_READONLY}"  # it said "not read-only", and nothing overruled it
        return readonly

    def verify_tls(self) -> bool | str:
        bundle = self.profile.get("ca_bundle") if self.profile else None
        if bundle is not None:
            self.sources["verify_tls"] = self.config.where(bundle.line)
            return str(bundle.value)
        return bool(self.pick("verify_tls", True))

    def theme(self, known_themes: Collection[str] | None, warnings: list[str]) -> str:
        theme = str(self.pick("theme", "", flag=self.overrides.theme, flag_name="--theme", variable=ENV_THEME))
        if not theme:
            remembered = remembered_theme(state_file(self.env), self.profile_name)
            if remembered and (known_themes is None or remembered in known_themes):
                self.sources["theme"] = f"remembered in {state_file(self.env)}"
                return remembered
            if remembered:
                warnings.append(f"warning: the remembered theme {remembered!r} no longer exists; using {DEFAULT_THEME}")
            self.sources["theme"] = "default"
            return DEFAULT_THEME
        if known_themes is not None and theme not in known_themes:
            self.problem_at_source("theme", f"{theme!r} is not a known theme; available: {', '.join(sorted(known_themes))}")
        return theme

    def retention(self) -> dict[str, float | int]:
        """How much the recording keeps (``retention.age``, ``retention.size_mb``), defaults for what is not set."""
        configured = self.profile.get("retention") if self.profile else None
        parts = configured.value if configured is not None else {}
        for part in ("age", "size_mb"):
            self.sources[f"retention.{part}"] = self.config.where(parts[part].line) if part in parts else "default"
        age = parts["age"].value if "age" in parts else DEFAULT_RETENTION_AGE
        size_mb = parts["size_mb"].value if "size_mb" in parts else DEFAULT_RETENTION_MB
        return {"retention_age": float(age), "retention_bytes": int(size_mb * 1024 * 1024)}

    def intervals(self, warnings: list[str]) -> dict[str, float]:
        configured = self.profile.get("intervals") if self.profile else None
        intervals = dict(DEFAULT_INTERVALS)
        for pane in PANES:
            if configured is not None and pane in configured.value:
                located = configured.value[pane]
                intervals[pane] = located.value
                self.sources[f"intervals.{pane}"] = self.config.where(located.line)
                if intervals[pane] < MIN_INTERVAL:
                    warnings.append(f"warning: {self.config.where(located.line)}: profiles.{self.profile_name}.intervals.{pane} "
                                    f"{intervals[pane]:g} s is below the {MIN_INTERVAL:g} s floor and is raised to it")
            else:
                self.sources[f"intervals.{pane}"] = "default"
        return intervals

    def key_spec(self) -> KeySpec | None:
        if self.overrides.key_env:
            if not ENV_NAME.match(self.overrides.key_env):
                self.problems.append(Problem("flag --key-env", None, "", NOT_A_VARIABLE))
                return None
            self.sources["key"] = "flag --key-env"
            return KeySpec("env", self.overrides.key_env, "flag --key-env")
        if self.env_value(ENV_KEY_ENV):
            name = self.env_value(ENV_KEY_ENV)
            if not ENV_NAME.match(name):
                self.problems.append(Problem(f"environment {ENV_KEY_ENV}", None, "", NOT_A_VARIABLE))
                return None
            self.sources["key"] = f"env {ENV_KEY_ENV}"
            return KeySpec("env", name, f"env {ENV_KEY_ENV}")
        profile = self.profile
        for kind, field_name in (("env", "key_env"), ("command", "key_command"), ("literal", "key")):
            located = profile.get(field_name) if profile is not None else None
            if profile is None or located is None:
                continue
            where = self.config.where(located.line)
            self.sources["key"] = where
            timeout = profile.get("key_command_timeout")
            return KeySpec(kind, located.value, f"{field_name} of profile {profile.name}, {where}",
                           float(timeout.value) if timeout else DEFAULT_KEY_COMMAND_TIMEOUT)
        if self.overrides.demo and not self.env.get(DEFAULT_KEY_ENV):
            self.sources["key"] = "demo"
            return None
        self.sources["key"] = f"default (env {DEFAULT_KEY_ENV})"
        if not self.env.get(DEFAULT_KEY_ENV, "").strip():
            self.missing("key", "key_env, key_command or key", f"pass --key-env VAR or set {DEFAULT_KEY_ENV}")
        return KeySpec("env", DEFAULT_KEY_ENV, f"default, env {DEFAULT_KEY_ENV}")


def resolve_settings(
    overrides: Overrides | None = None,
    env: Mapping[str, str] | None = None,
    *,
    reveal_key: bool = True,
    interactive: bool = True,
    known_themes: Collection[str] | None = None,
    use_env_overrides: bool = True,
) -> Resolution:
    """The effective ``Settings`` for these overrides and environment, or ``ConfigError`` listing every problem.

    ``reveal_key=False`` leaves ``Settings.key`` empty and runs no key command
    (``config show``); ``interactive=False`` keeps a key command off the
    terminal (switching profile inside the app). ``known_themes`` (when
    given) makes an unknown theme name a problem. ``use_env_overrides=False``
    ignores the ``TRINGTUI_*`` overrides of profile values (an explicit switch
    of profile in the app means that profile's values).
    """
    overrides = overrides or Overrides()
    env = os.environ if env is None else env
    path, config_source = chosen_config_file(overrides.config, env)
    config = load_config(path, required=config_source != "default")
    resolver = _Resolver(overrides, env, config, use_env_overrides)
    warnings: list[str] = [config.permission_warning] if config.permission_warning else []
    resolver.choose_profile()
    if resolver.problems:
        raise ConfigError(resolver.problems)
    server = resolver.server()
    tenant = resolver.tenant()
    spec = resolver.key_spec()
    settings_values = dict(
        server=server,
        tenant=tenant,
        profile=resolver.profile_name,
        readonly=resolver.readonly(),
        demo=overrides.demo,
        verify_tls=resolver.verify_tls(),
        timeout=float(resolver.pick("timeout", 30.0)),
        max_body_bytes=int(float(resolver.pick("max_body_mb", 32)) * 1024 * 1024),
        max_concurrency=int(resolver.pick("max_concurrency", 4)),
        intervals=resolver.intervals(warnings),
        theme=resolver.theme(known_themes, warnings),
        label=resolver.pick("label", ""),
        label_color=resolver.pick("label_color", ""),
        start_pane=resolver.pick("start_pane", "nodes"),
        mouse=False if overrides.no_mouse else bool(resolver.pick("mouse", True)),
        audit_path=str(resolver.pick("audit_path", "")),
        alert_rules=resolver.pick("alerts", DEFAULT_RULES),
        alert_bell=bool(resolver.pick("alert_bell", False)),
        alert_desktop=str(resolver.pick("alert_desktop", "off")),
        record=bool(resolver.pick("record", True)) and not overrides.no_record,
        store_path=str(resolver.pick("store", "", flag=overrides.store, flag_name="--store")),
        **resolver.retention(),
    )
    if overrides.no_mouse:
        resolver.sources["mouse"] = "flag --no-mouse"
    if resolver.problems:
        raise ConfigError(resolver.problems)
    key = Secret("")
    if reveal_key and spec is not None:
        try:
            key = read_key(spec, env, interactive=interactive)
        except KeyUnavailable as exc:
            raise ConfigError([Problem("", None, "key", str(exc))]) from None
    return Resolution(
        settings=Settings(key=key, **settings_values),
        sources=resolver.sources,
        config=config,
        config_source=config_source,
        key_spec=spec,
        warnings=tuple(warnings),
    )
