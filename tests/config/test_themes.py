"""Theme files: every shipped theme loads and defines the state colours; broken files are reported
with file and line while the others still load."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from textual.theme import Theme

from tringtui.tui.themes import (
    STATE_VARIABLES,
    ThemeError,
    load_all_themes,
    load_theme_files,
    parse_theme,
    shipped_theme_files,
    theme_variable_defaults,
)

SHIPPED = ("tring-dark", "tring-light", "noc-high-contrast", "ansi")


def problems_of(text: str, path: Path = Path("/t/mine.yaml")) -> list[str]:
    with pytest.raises(ThemeError) as caught:
        parse_theme(text, path)
    return [str(problem) for problem in caught.value.problems]


def test_shipped_themes_load_cleanly(env):
    themes = load_all_themes(env)
    assert themes.problems == []
    assert set(SHIPPED) <= set(themes.themes)


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_theme_defines_every_state_colour(env, name):
    theme = load_all_themes(env).themes[name]
    assert set(STATE_VARIABLES) <= set(theme.variables)


def test_ansi_theme_uses_the_terminal_palette(env):
    theme = load_all_themes(env).themes["ansi"]
    assert theme.ansi is True
    assert theme.primary.startswith("ansi_") and theme.variables["state-up"] == "ansi_bright_green"


def test_every_theme_field_can_be_given():
    text = """
name: full
primary: "#112233"
secondary: "#223344"
warning: yellow
error: "rgb(200,0,0)"
success: "hsl(120,50%,40%)"
accent: ansi_magenta
foreground: "#eeeeee"
background: "#000000"
surface: "#111111"
panel: "#222222"
boost: "#FFFFFF10"
dark: true
luminosity_spread: 0.2
text_alpha: 0.9
ansi: false
variables:
  state-up: "#00ff00 80%"
  link-style: underline
"""
    theme = parse_theme(text, Path("full.yaml"))
    given = {f.name for f in fields(Theme)}
    assert all(getattr(theme, name) is not None for name in given)
    assert theme.variables == {"state-up": "#00ff00 80%", "link-style": "underline"}


def test_name_defaults_to_the_file_stem():
    assert parse_theme('primary: "#123456"\n', Path("/x/my-noc.yaml")).name == "my-noc"


def test_every_problem_in_a_theme_is_reported_with_its_line():
    text = (
        "name: broken\n"
        "primary: bleu\n"
        "secundary: '#ffffff'\n"
        "background: #000000\n"
        "dark: sometimes\n"
        "text_alpha: 2\n"
        "variables:\n"
        "  state-rining: red\n"
        "  state-up: '#zzzzzz'\n"
        "  block-cursor-text-style: shiny\n"
    )
    assert problems_of(text) == [
        "/t/mine.yaml:2: primary: failed to parse 'bleu' as a color; did you mean 'blue'?",
        "/t/mine.yaml:3: secundary: unknown field (did you mean 'secondary'?)",
        '/t/mine.yaml:4: background: expected a colour, got nothing (quote hex colours: "#1E90FF"; a bare # starts a comment)',
        "/t/mine.yaml:5: dark: expected true or false, got str 'sometimes'",
        "/t/mine.yaml:6: text_alpha: expected a number from 0 to 1, got int 2",
        "/t/mine.yaml:8: variables.state-rining: unknown variable (did you mean 'state-ringing'?)",
        "/t/mine.yaml:9: variables.state-up: failed to parse '#zzzzzz' as a color",
        "/t/mine.yaml:10: variables.block-cursor-text-style: expected text style words "
        "(bold, italic, underline, reverse, none, …), got str 'shiny'",
    ]


def test_primary_is_required():
    assert problems_of("name: x\ndark: true\n") == ["/t/mine.yaml:1: primary: missing: every theme needs a primary colour"]


def test_yaml_syntax_error_in_a_theme():
    [problem] = problems_of('primary: "#123456\nsecondary: x\n')
    assert problem.startswith("/t/mine.yaml:") and "not valid YAML" in problem


def test_broken_files_are_reported_and_the_others_still_load(tmp_path):
    (tmp_path / "good.yaml").write_text('primary: "#336699"\n')
    (tmp_path / "bad.yaml").write_text("primary: nocolour\n")
    (tmp_path / "worse.yaml").write_text("- just\n- a list\n")
    themes = load_theme_files(tmp_path.glob("*.yaml"))
    assert list(themes.themes) == ["good"]
    assert [str(p) for p in themes.problems] == [
        f"{tmp_path}/bad.yaml:1: primary: failed to parse 'nocolour' as a color",
        f"{tmp_path}/worse.yaml:1: expected a mapping, got a list",
    ]


def test_user_themes_come_from_the_config_dir_and_may_replace_shipped_ones(env):
    user_dir = Path(env["XDG_CONFIG_HOME"]) / "tringtui" / "themes"
    user_dir.mkdir(parents=True)
    (user_dir / "tring-dark.yaml").write_text('name: tring-dark\nprimary: "#FF00FF"\n')
    (user_dir / "mine.yaml").write_text('primary: "#00FF00"\n')
    themes = load_all_themes(env)
    assert themes.themes["tring-dark"].primary == "#FF00FF"
    assert themes.origins["mine"] == str(user_dir / "mine.yaml")
    assert {"mine", "tring-dark", "textual-dark"} <= themes.names


def test_shipped_files_are_in_the_package():
    assert {path.stem for path in shipped_theme_files()} >= set(SHIPPED)


def test_state_defaults_for_themes_without_them():
    from textual.theme import BUILTIN_THEMES

    defaults = theme_variable_defaults(BUILTIN_THEMES["nord"])
    assert set(defaults) == set(STATE_VARIABLES)
    assert defaults["state-up"] == "#A3BE8C"  # nord's success colour


def test_every_variable_the_stylesheets_use_is_defined_by_every_shipped_theme(env):
    """Textual's own variables come from any theme; the monitor's own ones must be in each theme file."""
    import re

    from tringtui.tui.themes import KNOWN_VARIABLES, TEXTUAL_VARIABLES

    stylesheets = Path(__file__).parents[2] / "tringtui" / "tui"
    rules = [re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S) for sheet in stylesheets.rglob("*.tcss")]
    used = {name for text in rules for name in re.findall(r"\$([a-z][a-z0-9-]*)", text)}
    own = used - TEXTUAL_VARIABLES
    assert own <= KNOWN_VARIABLES, f"the stylesheets use variables no theme may define: {own - KNOWN_VARIABLES}"
    themes = load_all_themes(env).themes
    for name in SHIPPED:
        assert own <= set(themes[name].variables), (name, own - set(themes[name].variables))
