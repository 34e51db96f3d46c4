"""Bodies before encoding, shared by the request handlers: data, action results and the API's refusal texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tringtui.sim import wire

KEY_REJECTED = "Too bad... you mistaken the security api key."
WRONG_TENANT = "Wrong or missing tenant"
PLAIN_TYPE = "text/html; charset=UTF-8"
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Reply:
    """A body before encoding: ``is_data`` marks JSON data (the only thing JSONP wraps).

    ``content_type`` overrides the one the format implies (``format=csv``).
    """

    text: str
    is_data: bool = False
    content_type: str | None = None


EMPTY = Reply("")


def data(fmt: str, value: object, plain: Callable[[object], str]) -> Reply:
    """``value`` as JSON data, or its plain rendering."""
    if fmt == "json":
        return Reply(wire.php_json(value), is_data=True)
    return Reply(plain(value))


def success(message: str) -> Reply:
    return Reply(f"Success|{message}|")


def error(message: str) -> Reply:
    return Reply(f"Error|{message}|")


def outcome(result: tuple[bool, str]) -> Reply:
    ok, message = result
    return success(message) if ok else error(message)
