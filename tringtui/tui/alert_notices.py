"""Telling the person at the terminal that an alert fired: the bell and a desktop notification.

Both are per profile (``alert_bell: true``, ``alert_desktop: osc9`` or
``osc777``). The desktop notification is an escape sequence the terminal
turns into a system notification (OSC 9: iTerm2, Windows Terminal, kitty,
foot, WezTerm…; OSC 777: urxvt, VTE terminals such as GNOME Terminal), so it
works over SSH; a terminal that does not know it ignores it. Under tmux it
passes only with ``set -g allow-passthrough on``, so it is wrapped for tmux
when ``$TMUX`` is set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from tringtui.api.terminal_safe import safe_text
from tringtui.live.alerts import FIRE, Transition

ESC, BEL = "\x1b", "\x07"


def _plain(text: str) -> str:
    # No control character may end the sequence early (safe_text replaces them, split() drops line
    # breaks); ';' separates OSC 777's fields.
    return " ".join(safe_text(text).split()).replace(";", ",")


def desktop_sequence(kind: str, title: str, body: str, environ: Mapping[str, str] | None = None) -> str:
    """The escape sequence of a desktop notification (``kind`` osc9 or osc777), "" for off."""
    if kind == "osc9":
        sequence = f"{ESC}]9;{_plain(title)}: {_plain(body)}{BEL}"
    elif kind == "osc777":
        sequence = f"{ESC}]777;notify;{_plain(title)};{_plain(body)}{BEL}"
    else:
        return ""
    env = os.environ if environ is None else environ
    if env.get("TMUX"):
        # tmux passes a sequence on to the outer terminal inside a DCS, every ESC doubled.
        sequence = f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ESC}\\"
    return sequence


def fired(transitions: Sequence[Transition]) -> list[Transition]:
    return [transition for transition in transitions if transition.kind == FIRE]


def notice_text(transitions: Sequence[Transition]) -> tuple[str, str]:
    """Title and body for the alerts that just fired: the worst first, the others counted."""
    ordered = sorted(transitions, key=lambda t: -t.alert.severity.rank)
    first = ordered[0].alert
    title = f"tringtui {first.severity.value.upper()}: {first.rule.name}"
    body = f"{first.where}: {first.describe_value()}"
    if len(ordered) > 1:
        body += f" (+{len(ordered) - 1} more)"
    return title, body
