"""Getting the API key from where the user keeps it, without ever showing it.

A key comes from one of three places: an environment variable (``key_env``),
a command that prints it (``key_command``, e.g. ``pass show tring/prod`` or
``op read op://noc/tring/key``) or, least safely, the config file (``key``).
The command runs without a shell, with a timeout; only the first line of its
output is used (password managers print the secret first, notes after).
When anything fails, the message says which source failed and how, but
never quotes what the command printed: that output may be the key.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from tringtui.settings import Secret

DEFAULT_KEY_ENV = "TRINGTUI_KEY"
DEFAULT_KEY_COMMAND_TIMEOUT = 30.0


# How environment variable names are usually written. A "name" that does not look like this may be
# the key itself pasted into the wrong place (key_env: 3f9a…, --key-env 3f9a…), so it is not echoed.
CONVENTIONAL_VARIABLE = re.compile(r"[A-Z_][A-Z0-9_]{0,63}\Z")


def shown_variable(name: str) -> str:
    """An environment variable's name for messages, unless it might be a pasted key."""
    if CONVENTIONAL_VARIABLE.match(name):
        return name
    return "(a name that is not UPPER_CASE, not shown in case it is the key itself)"


class KeyUnavailable(Exception):
    """The key could not be obtained from its source; the message says why, never what was printed."""


class KeyCommandInterrupted(KeyboardInterrupt):
    """Ctrl+C while waiting for a key command; still a ``KeyboardInterrupt``, with a message saying what stopped."""


@dataclass(frozen=True)
class KeySpec:
    """Where the key is to be taken from, and where that instruction was written (for messages)."""

    kind: str  # "env", "command" or "literal"
    value: str | tuple[str, ...] | Secret  # the variable name, the command's words, or the literal key
    origin: str  # e.g. "key_command of profile prod (/home/me/.config/tringtui/config.yaml:9)"
    timeout: float = DEFAULT_KEY_COMMAND_TIMEOUT

    def describe(self) -> str:
        """How the key is obtained, safe to print: never the key itself."""
        if self.kind == "env":
            return f"environment variable {shown_variable(str(self.value))} ({self.origin})"
        if self.kind == "command":
            return f"output of {self.command[0]} ({self.origin})"
        return f"literal key ({self.origin})"

    @property
    def command(self) -> tuple[str, ...]:
        """The key command's words (``kind == "command"``)."""
        assert isinstance(self.value, tuple), self.kind
        return self.value


def read_key(spec: KeySpec, env: Mapping[str, str] | None = None, *, interactive: bool = True) -> Secret:
    """The key ``spec`` points at; raises ``KeyUnavailable`` with a safe message when it cannot be had.

    ``interactive`` lets a password manager's command prompt on the terminal
    (before the app takes the screen); inside the running app it gets no
    terminal: its input is empty and its error output is discarded.
    """
    env = os.environ if env is None else env
    if spec.kind == "literal":
        assert isinstance(spec.value, Secret)
        return spec.value
    if spec.kind == "env":
        value = env.get(str(spec.value), "").strip()
        if not value:
            raise KeyUnavailable(f"environment variable {shown_variable(str(spec.value))} is not set or empty ({spec.origin})")
        return Secret(value)
    return Secret(_run_key_command(spec, env, interactive))


def _run_key_command(spec: KeySpec, env: Mapping[str, str], interactive: bool) -> str:
    words = list(spec.command)
    name = words[0]
    where = f"key_command {name} ({spec.origin})"
    try:
        if interactive and sys.stderr.isatty():
            # The command may take long or ask for a passphrase: say what the blank terminal waits for.
            print(f"tringtui: waiting for the API key from {where}; Ctrl+C aborts", file=sys.stderr, flush=True)
        completed = subprocess.run(
            words,
            stdin=None if interactive else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=None if interactive else subprocess.DEVNULL,
            timeout=spec.timeout,
            env=dict(env),
            check=False,
        )
    except FileNotFoundError:
        raise KeyUnavailable(f"{where}: command not found") from None
    except PermissionError:
        raise KeyUnavailable(f"{where}: not allowed to run it (is it executable?)") from None
    except KeyboardInterrupt:
        raise KeyCommandInterrupted(f"stopped waiting for the API key from {where} (Ctrl+C)") from None
    except subprocess.TimeoutExpired:
        raise KeyUnavailable(f"{where}: gave no answer within {spec.timeout:g} s") from None
    except OSError as exc:
        raise KeyUnavailable(f"{where}: could not run it ({exc.strerror})") from None
    if completed.returncode != 0:
        # Its output is deliberately not shown: it may be (part of) the key.
        raise KeyUnavailable(f"{where}: failed with exit status {completed.returncode}")
    lines = completed.stdout.decode("utf-8", errors="replace").splitlines()
    key = lines[0].strip() if lines else ""
    if not key:
        raise KeyUnavailable(f"{where}: printed nothing on its first line")
    return key
