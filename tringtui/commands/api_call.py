"""``tringtui api``: one request through the API layer, printed as JSON (or as the raw body).

For scripts and for checking what a server answers::

    TRING_KEY=… tringtui api PEERS --server https://api.tring.nu --tenant DEVEL --key-env TRING_KEY
    tringtui api INFO info=agents queue=281 --key-env TRING_KEY --server …
    tringtui api CDRS --format raw …

Request types the API layer has a typed method for are parsed into models
and printed as JSON (``--format json``, the default); writes always go
through their typed method, so they are validated (an AGENT pause must
name its queue) and refused in ``--readonly`` mode. Other request types are
printed as decoded JSON when the body is JSON, else as text. The key is
read from an environment variable only (a key on the command line would
show in ``ps``) and is never printed. Failures print one line on stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tringtui.api.client import TringClient

DEFAULT_KEY_ENV = "TRINGTUI_KEY"

EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A command line the command cannot run: the message is shown as is."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "api",
        help="send one API request and print the result",
        description="Send one request through tringtui's API layer and print the result as JSON "
        "(or the raw body). The key is read from the environment variable named by --key-env.",
    )
    parser.add_argument("reqtype", metavar="REQTYPE", help="request type, e.g. PEERS, CHANNELS, INFO, HANGUP")
    parser.add_argument("params", metavar="NAME=VALUE", nargs="*", help="request parameters, e.g. info=agents queue=281")
    parser.add_argument("--server", default=os.environ.get("TRINGTUI_SERVER"), help="base URL, e.g. https://api.tring.nu (env TRINGTUI_SERVER)")
    parser.add_argument("--tenant", default=os.environ.get("TRINGTUI_TENANT", ""), help="tenant code (env TRINGTUI_TENANT; leave out for an admin key)")
    parser.add_argument("--key-env", default=DEFAULT_KEY_ENV, metavar="VAR", help=f"environment variable holding the API key (default {DEFAULT_KEY_ENV})")
    parser.add_argument("--format", choices=("json", "plain", "raw"), default="json", help="json: parsed result; raw: the JSON body as received; plain: the server's plain format")
    parser.add_argument("--readonly", action="store_true", help="refuse any request that may write")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S", help="total time limit in seconds (default 30)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from tringtui.api.errors import TringError

    try:
        params = _parse_params(args.params)
        key = _key_from_env(args.key_env)
        if not args.server:
            raise UsageError("no server: pass --server URL (or set TRINGTUI_SERVER)")
        if args.timeout <= 0:
            raise UsageError("--timeout must be positive")
        output = asyncio.run(_call(args, key, params))
    except UsageError as exc:
        print(f"tringtui api: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TringError as exc:
        print(f"tringtui api: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("tringtui api: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def _parse_params(items: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"parameter {item!r} is not NAME=VALUE")
        if name.lower() in {"key", "reqtype"}:
            raise UsageError(f"{name} cannot be given as a parameter")
        params[name] = value
    return params


def _key_from_env(variable: str) -> str:
    key = os.environ.get(variable, "").strip()
    if not key:
        raise UsageError(f"no API key: environment variable {variable} is not set or empty")
    return key


async def _call(args: argparse.Namespace, key: str, params: dict[str, str]) -> str:
    from tringtui.api.client import TringClient

    reqtype = args.reqtype.strip().upper()
    async with TringClient(args.server, key, args.tenant, readonly=args.readonly, timeout=args.timeout) as client:
        typed = _typed_call(reqtype, params)
        if typed is not None and (args.format == "json" or _writes(reqtype, params)):
            call, accepted = typed
            unexpected = sorted(set(params) - accepted)
            if unexpected:
                raise UsageError(
                    f"{reqtype} does not take {', '.join(unexpected)} (accepted: {', '.join(sorted(accepted)) or 'none'})"
                )
            result = await call(client, params)
            if args.format != "json" and hasattr(result, "raw"):
                return result.raw
            return to_json(result)
        if args.format == "plain":
            params.setdefault("format", "plain")
        response = await client.request(reqtype, **params)
        if args.format == "json" and response.data is not None:
            return to_json(response.data)
        return response.text


def _writes(reqtype: str, params: dict[str, str]) -> bool:
    from tringtui.api.client import is_write

    return is_write(reqtype, params)


Call = Callable[["TringClient", dict[str, str]], Awaitable[Any]]

# Typed calls by request type (and by ``info``/``action`` where it selects the call):
# the call, and the parameter names it accepts besides that selector.
_TYPED: dict[str, tuple[Call, set[str]]] = {
    "COUNTPEERS": (lambda c, p: c.count_peers(), set()),
    "COUNTCHANNELS": (lambda c, p: c.count_channels(p.get("nodename")), {"nodename"}),
    "PEERS": (lambda c, p: c.peers(), set()),
    "CHANNELS": (lambda c, p: c.channels(p.get("nodename")), {"nodename"}),
    "CHANNEL": (lambda c, p: c.channel(p.get("channel", "")), {"channel"}),
    "BLFS": (lambda c, p: c.blfs(), set()),
    "FLOWS": (lambda c, p: c.flows(), set()),
    "COUNTCALLS": (lambda c, p: c.count_calls(), set()),
    "INFO:queues": (lambda c, p: c.queues(), set()),
    "INFO:queue": (lambda c, p: c.queue_stats(p.get("id", "")), {"id"}),
    "INFO:agents": (lambda c, p: c.agents(p.get("queue")), {"queue"}),
    "INFO:extstate": (lambda c, p: c.extension_state(p.get("id", "")), {"id"}),
    "INFO:extensions": (lambda c, p: c.extensions(), set()),
    "INFO:config": (lambda c, p: c.tenant_config(), set()),
    "INFO:balance": (lambda c, p: c.balance(), set()),
    "QUEUE:list": (lambda c, p: c.queue_members(p.get("id"), p.get("number")), {"id", "number"}),
    "QUEUE:add": (
        lambda c, p: c.queue_add(p.get("extension", ""), p.get("id"), number=p.get("number"), agent_type=p.get("type")),
        {"id", "number", "extension", "type"},
    ),
    "QUEUE:del": (
        lambda c, p: c.queue_remove(p.get("extension", ""), p.get("id"), number=p.get("number")),
        {"id", "number", "extension"},
    ),
    "AGENT:pause": (
        lambda c, p: c.pause_agent(
            p.get("extension", ""), p.get("queue"), queuenumber=p.get("queuenumber"), reason=p.get("pausereason", "")
        ),
        {"extension", "queue", "queuenumber", "pausereason"},
    ),
    "AGENT:unpause": (
        lambda c, p: c.unpause_agent(p.get("extension", ""), p.get("queue"), queuenumber=p.get("queuenumber")),
        {"extension", "queue", "queuenumber"},
    ),
    "HANGUP": (
        lambda c, p: c.hangup(p.get("channel"), extension=p.get("extension"), fast=p.get("fast", "").lower() == "yes"),
        {"channel", "extension", "fast"},
    ),
    "TRANSFER": (
        lambda c, p: c.transfer(p.get("channel", ""), p.get("dest", ""), p.get("extrachannel")),
        {"channel", "dest", "extrachannel"},
    ),
    "ATXTRANSFER": (lambda c, p: c.attended_transfer(p.get("channel", ""), p.get("dest", "")), {"channel", "dest"}),
    "REBOOT": (lambda c, p: c.reboot(p.get("peer", "")), {"peer"}),
    "UNREGISTER": (lambda c, p: c.unregister(p.get("peer", "")), {"peer"}),
    "SETFLOW": (lambda c, p: c.set_flow(p.get("number", ""), p.get("state"), p.get("value")), {"number", "state", "value"}),
    "DIAL": (
        lambda c, p: c.dial(p.get("source", ""), p.get("dest", ""), account=p.get("account")),
        {"source", "dest", "account"},
    ),
}

# The parameter that selects the typed call of these request types.
_SELECTORS = {"INFO": "info", "QUEUE": "action", "AGENT": "action"}


def _typed_call(reqtype: str, params: dict[str, str]) -> tuple[Call, set[str]] | None:
    """The typed call for this request and the parameters it accepts (the selector included)."""
    selector = _SELECTORS.get(reqtype)
    if selector is None:
        return _TYPED.get(reqtype)
    entry = _TYPED.get(f"{reqtype}:{params.get(selector, '').lower()}")
    if entry is None:
        return None
    call, accepted = entry
    return call, accepted | {selector}


def to_jsonable(value: Any) -> Any:
    """Models → dicts (dataclasses.asdict), enums → values, datetimes → ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def to_json(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, ensure_ascii=False)
