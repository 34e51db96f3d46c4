"""The monitor's default theme and the state colours every theme must provide.

Panes colour rows by state (a call up, a phone ringing, an agent paused, a
peer unreachable, data gone stale) through theme variables, so a theme file
can recolour them and the ``.tcss`` never names a literal colour.
"""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME_NAME = "tring-dark"

# Fallbacks for themes that do not define the state colours (Textual's
# built-in themes, a user's YAML theme that only sets the basics).
STATE_VARIABLE_DEFAULTS: dict[str, str] = {
    "state-up": "#4ebf71",
    "state-ringing": "#f0c040",
    "state-paused": "#6fa8dc",
    "state-unreachable": "#e0546c",
    "state-stale": "#d08030",
    "state-idle": "#8a8f98",
}

TRING_DARK = Theme(
    name=DEFAULT_THEME_NAME,
    primary="#3d8fd1",
    secondary="#2a5d8a",
    accent="#f0a030",
    warning="#f0a030",
    error="#e0546c",
    success="#4ebf71",
    foreground="#d8dde4",
    background="#12161c",
    surface="#1a2028",
    panel="#222a35",
    dark=True,
    variables={
        **STATE_VARIABLE_DEFAULTS,
        "footer-key-foreground": "#6fb6f0",
        "block-cursor-text-style": "bold",
    },
)
