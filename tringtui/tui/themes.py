"""Theme files (YAML) loaded into Textual themes, each failure reported with file and line.

A theme file maps one-to-one onto ``textual.theme.Theme``: ``name``
(defaults to the file's stem), the colours ``primary`` … ``boost``,
``dark``, ``luminosity_spread``, ``text_alpha``, ``ansi`` and
``variables``. Unknown keys, bad colours and misspelt variable names are
errors; a broken file is skipped and reported while every other file still
loads. Shipped themes live in ``tringtui/themes``; the user's own in
``~/.config/tringtui/themes`` (a user theme may replace a shipped one by name).

The monitor's stylesheet colours its state cells through the variables in
``STATE_VARIABLES``; every shipped theme defines them, and
``theme_variable_defaults`` derives them for any theme that does not (Textual's
built-ins, a user's theme), so switching to any theme never breaks the CSS.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path

import yaml
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import BUILTIN_THEMES, Theme

from tringtui.config.loader import colour_problem
from tringtui.config.paths import user_themes_dir
from tringtui.config.yamlnodes import Problem, Problems, compose, kind_of, mapping_entries, unknown_key, value_of

# What each monitor state is drawn in; the stylesheet refers to them as $state-up etc.
STATE_VARIABLES = ("state-up", "state-ringing", "state-paused", "state-unreachable", "state-stale", "state-idle")

COLOUR_FIELDS = ("primary", "secondary", "warning", "error", "success", "accent",
                 "foreground", "background", "surface", "panel", "boost")
BOOL_FIELDS = ("dark", "ansi")
FRACTION_FIELDS = ("luminosity_spread", "text_alpha")
THEME_FIELDS = tuple(f.name for f in fields(Theme))


def _textual_variable_names() -> frozenset[str]:
    """Every variable Textual's colour system defines, in both its normal and its ANSI mode."""
    sample = Theme(name="sample", primary="#000000")
    names = set(sample.to_color_system().generate())
    sample.ansi = True
    names |= set(sample.to_color_system().generate())
    return frozenset(names)


TEXTUAL_VARIABLES = _textual_variable_names()
KNOWN_VARIABLES = TEXTUAL_VARIABLES | set(STATE_VARIABLES)


class ThemeError(Exception):
    """A theme file cannot be used; ``problems`` lists every reason with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = list(problems)


@dataclass
class ThemeSet:
    """The themes that loaded, where each came from, and the problems of those that did not."""

    themes: dict[str, Theme] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def names(self) -> frozenset[str]:
        """Every theme name usable in the app: the loaded files plus Textual's built-ins."""
        return frozenset(self.themes) | frozenset(BUILTIN_THEMES)


def _colour(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else node
    if value is None:
        problems.add(node, label, 'expected a colour, got nothing (quote hex colours: "#1E90FF"; a bare # starts a comment)')
        return None
    if not isinstance(value, str):
        problems.add(node, label, f"expected a colour, got {kind_of(node)}")
        return None
    problem = colour_value_problem(value)
    if problem:
        problems.add(node, label, problem)
        return None
    return value


def colour_value_problem(value: str) -> str:
    """Why ``value`` is not a colour, optionally with an opacity (``"#81a1c1 35%"``); "" when it is fine."""
    words = value.split()
    if len(words) == 2 and words[1].endswith("%"):
        try:
            float(words[1][:-1])
        except ValueError:
            return f"{words[1]!r} is not a percentage"
        words = words[:1]
    if len(words) != 1:
        return f"{value!r} is not a colour"
    return colour_problem(words[0])


def _style(node: yaml.Node, label: str, problems: Problems) -> str | None:
    value = value_of(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, str) or not all(word in VALID_STYLE_FLAGS for word in value.split()):
        problems.add(node, label, f"expected text style words (bold, italic, underline, reverse, none, …), got {kind_of(node)}")
        return None
    return value


def _variables(node: yaml.Node, problems: Problems) -> dict[str, str]:
    variables = {}
    for name, key_node, value_node in mapping_entries(node, "variables", problems) or []:
        label = f"variables.{name}"
        if name not in KNOWN_VARIABLES:
            problems.add(key_node, label, unknown_key(name, KNOWN_VARIABLES).replace("field", "variable"))
            continue
        is_style = name.endswith("-style") or name.endswith("-style-hover")
        value = (_style if is_style else _colour)(value_node, label, problems)
        if value is not None:
            variables[name] = value
    return variables


def parse_theme(text: str, path: Path) -> Theme:
    """The theme described by ``text`` (read from ``path``); ``ThemeError`` lists every problem."""
    problems = Problems(path)
    root = compose(text, problems)
    if root is None and not problems:
        problems.add(None, "", "is empty; a theme needs at least primary")
    if problems:
        raise ThemeError(problems)
    values: dict[str, object] = {}
    for key, key_node, value_node in mapping_entries(root, "", problems) or []:
        if key not in THEME_FIELDS:
            problems.add(key_node, key, unknown_key(key, THEME_FIELDS))
        elif key == "name":
            name = value_of(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if isinstance(name, str) and name.strip():
                values[key] = name.strip()
            else:
                problems.add(value_node, key, f"expected a theme name, got {kind_of(value_node)}")
        elif key in COLOUR_FIELDS:
            values[key] = _colour(value_node, key, problems)
        elif key in BOOL_FIELDS:
            flag = value_of(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if isinstance(flag, bool):
                values[key] = flag
            else:
                problems.add(value_node, key, f"expected true or false, got {kind_of(value_node)}")
        elif key in FRACTION_FIELDS:
            number = value_of(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if isinstance(number, (int, float)) and not isinstance(number, bool) and 0 <= number <= 1:
                values[key] = float(number)
            else:
                problems.add(value_node, key, f"expected a number from 0 to 1, got {kind_of(value_node)}")
        elif key == "variables":
            values[key] = _variables(value_node, problems)
    if isinstance(root, yaml.MappingNode) and "primary" not in values:
        problems.add(root, "primary", "missing: every theme needs a primary colour")
    if problems:
        raise ThemeError(problems)
    values.setdefault("name", path.stem)
    return Theme(**{key: value for key, value in values.items() if value is not None})


def load_theme_file(path: Path) -> Theme:
    """Read and parse one theme file; ``ThemeError`` when it is unreadable or invalid."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError([Problem(str(path), None, "", f"cannot be read: {exc}")]) from None
    return parse_theme(text, path)


def load_theme_files(paths: Iterable[Path], into: ThemeSet | None = None) -> ThemeSet:
    """Load every file, collecting the good themes and the problems of the bad ones."""
    loaded = into or ThemeSet()
    for path in sorted(paths):
        try:
            theme = load_theme_file(path)
        except ThemeError as error:
            loaded.problems.extend(error.problems)
            continue
        loaded.themes[theme.name] = theme
        loaded.origins[theme.name] = str(path)
    return loaded


def shipped_theme_files() -> list[Path]:
    """The theme files shipped inside the package."""
    package = resources.files("tringtui.themes")
    return [Path(str(entry)) for entry in package.iterdir() if entry.name.endswith(".yaml")]


def load_all_themes(env: Mapping[str, str] | None = None) -> ThemeSet:
    """The shipped themes, then the user's (which may replace a shipped one of the same name)."""
    env = os.environ if env is None else env
    themes = load_theme_files(shipped_theme_files())
    user_dir = user_themes_dir(env)
    if user_dir.is_dir():
        load_theme_files(user_dir.glob("*.yaml"), into=themes)
    return themes


def theme_variable_defaults(theme: Theme) -> dict[str, str]:
    """Variables derived from a theme's own palette, for themes that do not define them: the state
    colours, and for ANSI themes the two variables Textual's widgets expect but do not generate."""
    colours = theme.to_color_system().generate()
    defaults = {
        "state-up": colours["success"],
        "state-ringing": colours["warning"],
        "state-paused": colours["accent"],
        "state-unreachable": colours["error"],
        "state-stale": colours["warning"],
        "state-idle": colours["foreground-muted"],
    }
    if theme.ansi:
        dark, light = "ansi_black", "ansi_white"
        defaults["ansi-background"], defaults["ansi-foreground"] = (dark, light) if theme.dark else (light, dark)
    return defaults
