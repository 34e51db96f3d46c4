"""The configuration inside the running monitor: every shipped theme (snapshots), the header label's
colour, switching profile with P, the theme choice remembered, NO_COLOR, 16 colours and --no-mouse."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color
from textual.widgets import Label

from tests.tui.conftest import DEMO_TENANT, DISPLAY_SERVER, TEST_INTERVAL, first_data, settled, utc, wait_until  # noqa: F401
from tringtui.api.client import TringClient
from tringtui.config import Overrides, remembered_theme
from tringtui.config.paths import state_file
from tringtui.config.switcher import ProfileSwitcher
from tringtui.settings import PANES, Secret, Settings
from tringtui.tui.app import TringApp
from tringtui.tui.screens.profile import ProfilePicker
from tringtui.tui.themes import STATE_VARIABLES, load_all_themes, load_theme_files, shipped_theme_files

SHIPPED = ("tring-dark", "tring-light", "noc-high-contrast", "ansi")


@pytest.fixture
def shipped_themes():
    """Only the shipped themes: a developer's own theme files must not change what tests see."""
    return load_theme_files(shipped_theme_files())


@pytest.fixture
def make_app(sim_server, sim_clock, shipped_themes):
    def make(switcher=None, **settings_overrides) -> TringApp:
        settings = Settings(
            server=DISPLAY_SERVER,
            key=Secret("demo-admin"),
            profile="test",
            demo=True,
            intervals={pane: TEST_INTERVAL for pane in PANES},
            **settings_overrides,
        )
        return TringApp(
            settings,
            pane_tenant=DEMO_TENANT,
            clock=sim_clock,
            client_factory=lambda s: TringClient(sim_server.url, s.key, tenant=s.tenant, readonly=s.readonly),
            tick_interval=0,
            themes=shipped_themes,
            switcher=switcher,
        )

    return make


@pytest.mark.parametrize("theme", SHIPPED)
def test_each_shipped_theme_at_80x24(snap_compare, make_app, utc, theme):  # noqa: F811
    app = make_app(theme=theme, label="PRODUCTION", readonly=True)
    assert snap_compare(app, press=["2"], terminal_size=(80, 24), run_before=first_data)


@pytest.mark.parametrize("theme", [name for name in SHIPPED if name != "ansi"])
def test_state_colours_stay_apart_on_16_colours(shipped_themes, theme):
    """At TEXTUAL_COLOR_SYSTEM=standard colours are reduced to the 16 ANSI ones: states must stay distinct."""
    variables = shipped_themes.themes[theme].variables
    reduced = {name: RichColor.parse(variables[name]).downgrade(ColorSystem.STANDARD).number for name in STATE_VARIABLES}
    assert len(set(reduced.values())) == len(STATE_VARIABLES), reduced
    background = RichColor.parse(shipped_themes.themes[theme].background).downgrade(ColorSystem.STANDARD).number
    assert background not in reduced.values()


def test_ansi_theme_states_are_six_terminal_colours(shipped_themes):
    variables = shipped_themes.themes["ansi"].variables
    assert len({variables[name] for name in STATE_VARIABLES}) == len(STATE_VARIABLES)
    assert all(variables[name].startswith("ansi_") for name in STATE_VARIABLES)


async def test_header_label_in_the_profiles_colour(make_app):
    app = make_app(label="PRODUCTION", label_color="red")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        label = app.query_one("#header-label", Label)
        assert str(label.content).strip() == "PRODUCTION"
        assert label.styles.background == Color.parse("red")


async def test_a_textual_theme_without_state_colours_still_works(make_app):
    app = make_app(theme="nord")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert app.theme == "nord"
        assert app.theme_variables["state-up"] == "#A3BE8C"  # nord's own success colour


async def test_theme_picked_in_the_app_is_remembered_for_the_profile(make_app, env, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", env["XDG_STATE_HOME"])
    app = make_app(theme="tring-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert remembered_theme(state_file(env), "test") == ""  # starting up is not a choice
        app.theme = "noc-high-contrast"
        await pilot.pause()
    assert remembered_theme(state_file(env), "test") == "noc-high-contrast"


async def test_a_pick_over_a_theme_the_profile_sets_says_which_wins(make_app, env, write_config, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", env["XDG_STATE_HOME"])
    write_config("profiles:\n  test: {server: 'https://x.example', key: k, theme: tring-dark}\n")
    app = make_app(theme="tring-dark", switcher=ProfileSwitcher(Overrides(), env))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        app.theme = "ansi"
        await wait_until(lambda: any("sets theme tring-dark" in n.message for n in app._notifications))
    assert remembered_theme(state_file(env), "test") == "ansi"


async def test_switching_profile_with_P(make_app, env, write_config, sim_server):
    write_config(f"""
        default_profile: all
        profiles:
          all: {{server: '{sim_server.url}', key: demo-admin}}
          devel: {{server: '{sim_server.url}', tenant: DEVEL, key_env: DEVEL_KEY, label: DEVEL-ONLY, theme: ansi}}
    """)
    switcher = ProfileSwitcher(Overrides(), {**env, "DEVEL_KEY": "demo-devel"})
    app = make_app(switcher=switcher)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("P")
        await wait_until(lambda: isinstance(app.screen, ProfilePicker))
        await pilot.press("down", "enter")
        await wait_until(lambda: app.settings.profile == "devel" and settled(app))
        assert app.settings.tenant == "DEVEL" and app.settings.key.reveal() == "demo-devel"
        assert app.theme == "ansi"
        assert str(app.query_one("#header-label", Label).content).strip() == "DEVEL-ONLY"
        assert str(app.query_one("#header-tenant", Label).content) == "tenant DEVEL"
        peers = app.panes["peers"].query_one("#peers-table").visible_rows()
        assert peers and all(peer.name.endswith("-DEVEL") for peer in peers)


async def test_the_clock_ticking_while_a_switch_rebuilds_the_screen_is_harmless(make_app, sim_server):
    """The once-a-second tick used to look for header labels not mounted yet, and crash the app."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        other = Settings(server=DISPLAY_SERVER, key=Secret("demo-devel"), tenant="DEVEL", profile="other",
                         intervals={pane: TEST_INTERVAL for pane in PANES})
        switching = asyncio.ensure_future(app.switch_session(other))
        while not switching.done():
            app.tick()
            await asyncio.sleep(0)
        await switching
        await wait_until(lambda: settled(app))
        assert app.settings.profile == "other" and app._exception is None


async def test_a_broken_profile_is_reported_and_the_session_kept(make_app, env, write_config, sim_server):
    write_config(f"""
        profiles:
          good: {{server: '{sim_server.url}', key: demo-admin}}
          broken: {{server: '{sim_server.url}', key_env: UNSET_KEY}}
    """)
    app = make_app(switcher=ProfileSwitcher(Overrides(), env))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        await pilot.press("P")
        await wait_until(lambda: isinstance(app.screen, ProfilePicker))
        await pilot.press("down", "enter")
        await wait_until(lambda: any("UNSET_KEY is not set" in n.message for n in app._notifications))
        assert app.settings.profile == "test"


async def test_no_color_is_honoured_by_textual(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert app.no_color
        assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)


@pytest.fixture
def captured_app(monkeypatch, env):
    """Run ``tringtui …`` through the real CLI up to the point the app would take the terminal."""
    from tringtui.cli import main

    for name in ("TRINGTUI_CONFIG", "TRINGTUI_PROFILE", "TRINGTUI_SERVER", "TRINGTUI_TENANT",
                 "TRINGTUI_KEY_ENV", "TRINGTUI_KEY", "TRINGTUI_THEME", "TRINGTUI_READONLY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    started: list[TringApp] = []

    def fake_run(app: TringApp, **kwargs) -> None:
        app.run_options = kwargs
        started.append(app)

    monkeypatch.setattr(TringApp, "run", fake_run)

    def run(*argv: str) -> tuple[int, list[TringApp]]:
        return main(list(argv)), started

    return run


def test_profile_flag_starts_the_monitor_on_that_profile(captured_app, write_config, secret_key, monkeypatch):
    write_config("""
        default_profile: lab
        profiles:
          lab: {server: 'https://lab.example', key_env: LAB_KEY}
          prod: {server: 'https://api.tring.nu/', tenant: ACME, key_env: PROD_KEY, readonly: true, label: PROD}
    """)
    monkeypatch.setenv("PROD_KEY", secret_key)
    status, started = captured_app("--profile", "prod")
    assert status == 0
    settings = started[0].settings
    assert (settings.server, settings.tenant, settings.readonly, settings.label) == ("https://api.tring.nu", "ACME", True, "PROD")
    assert settings.key.reveal() == secret_key


def test_broken_config_stops_the_monitor_before_it_starts(captured_app, write_config, secret_key, capsys):
    path = write_config(f"profiles:\n  prod:\n    server: https://api.tring.nu\n    key: [{secret_key}]\n    refresh: 5\n")
    status, started = captured_app()
    err = capsys.readouterr().err
    assert status == 2 and not started
    assert f"{path}:4: profiles.prod.key: expected a string" in err
    assert f"{path}:5: profiles.prod.refresh: unknown field" in err
    assert secret_key not in err


async def test_broken_theme_files_are_shown_and_the_others_still_load(env, sim_server, sim_clock):
    user_themes = Path(env["XDG_CONFIG_HOME"]) / "tringtui" / "themes"
    user_themes.mkdir(parents=True)
    (user_themes / "mine.yaml").write_text("primary: '#FF00FF'\n")
    (user_themes / "typo.yaml").write_text("primary: '#FF00FF'\nbackgroud: '#000000'\n")
    themes = load_all_themes(env)
    settings = Settings(server=DISPLAY_SERVER, key=Secret("demo-admin"), theme="mine",
                        intervals={pane: TEST_INTERVAL for pane in PANES})
    app = TringApp(settings, clock=sim_clock, tick_interval=0, themes=themes,
                   client_factory=lambda s: TringClient(sim_server.url, s.key))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert app.theme == "mine"
        [note] = [n for n in app._notifications if n.title == "Theme files not loaded"]
        assert f"{user_themes}/typo.yaml:2: backgroud: unknown field (did you mean 'background'?)" in note.message


def test_no_mouse_and_theme_reach_the_app(captured_app):
    """``tringtui --demo --no-mouse --theme ansi`` runs the app with the mouse left to the terminal."""
    status, [app] = captured_app("--demo", "--size", "small", "--no-mouse", "--theme", "ansi")
    assert status == 0
    assert app.run_options == {"mouse": False} and app.theme == "ansi" and app.settings.demo
    assert app.settings.profile == "demo"
