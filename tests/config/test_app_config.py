"""The configuration inside the running monitor: every shipped theme (snapshots), the header label's
colour, switching profile with P, the theme choice remembered, NO_COLOR, 16 colours and --no-mouse."""

from __future__ import annotations

import argparse

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
from tringtui.tui.themes import STATE_VARIABLES, load_theme_files, shipped_theme_files

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
        await wait_until(lambda: app.settings.profile == "devel" and settled(app), timeout=10)
        assert app.settings.tenant == "DEVEL" and app.settings.key.reveal() == "demo-devel"
        assert app.theme == "ansi"
        assert str(app.query_one("#header-label", Label).content).strip() == "DEVEL-ONLY"
        assert str(app.query_one("#header-tenant", Label).content) == "tenant DEVEL"
        peers = app.panes["peers"].query_one("#peers-table").visible_rows()
        assert peers and all(peer.name.endswith("-DEVEL") for peer in peers)


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


def test_no_mouse_reaches_the_app(monkeypatch, env):
    """``tringtui --demo --no-mouse`` runs the app with the mouse left to the terminal."""
    from tringtui.cli import build_parser
    from tringtui.commands import monitor

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    seen = {}

    def fake_run(self, **kwargs):
        seen.update(kwargs, theme=self.theme, settings=self.settings)

    monkeypatch.setattr(TringApp, "run", fake_run)
    args = build_parser().parse_args(["--demo", "--size", "small", "--no-mouse", "--theme", "ansi"])
    assert monitor.run(args) == 0
    assert seen["mouse"] is False and seen["theme"] == "ansi" and seen["settings"].demo


async def test_no_color_is_honoured_by_textual(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await first_data(pilot)
        assert app.no_color
        assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)
