"""``tringtui api``: one request through the API layer, printed as JSON (or as the raw body).

For scripts and for checking what a server answers::

    TRING_KEY=… tringtui api PEERS --server https://api.tring.nu --tenant DEVEL --key-env TRING_KEY
    tringtui api INFO info=agents queue=281 --profile production
    tringtui api CDRS --format raw …

Server, tenant, key, read-only, timeout and TLS settings are resolved like
the monitor's (``tringtui.config.resolve_settings``: flags > ``TRINGTUI_*``
environment > the profile of ``--profile``/``--config`` > defaults), so a
profile's ``key_command`` works here too and a read-only profile stays
read-only.

Every request type of the seed is in the API layer's request table
(``tringtui.api.requests``): its parameters are checked against it (a
missing required parameter or a disallowed ``action`` exits 2 before
anything is sent; so do parameters the type does not take), it is parsed
into models where the table has a parser and printed as JSON (``--format
json``, the default), else printed as decoded JSON when the body is JSON,
else as text. Writes are refused in ``--readonly`` mode and journalled by the
API layer (``tringtui audit`` shows them); an empty answer to a write is an
unknown outcome (exit 1). An empty answer is noted on stderr. The key is
never taken from the command line (it would show in ``ps``) and is never
printed; nor are passwords in answers (INFO extensions): the API layer
removes them from the body of every type the request table marks, so raw and
plain output never hold them either. Failures print one line on stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import json
import sys
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tringtui.settings import Settings

DEFAULT_KEY_ENV = "TRINGTUI_KEY"

EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A command line the command cannot run: the message is shown as is."""


EXAMPLES = """\
examples:
  export TRINGTUI_KEY=…
  tringtui api COUNTPEERS --server https://api.tring.nu
  tringtui api PEERS --server https://api.tring.nu --tenant DEVEL
  tringtui api INFO info=agents queue=281 --profile production
  tringtui api AGENT action=pause extension=103 queue=281 pausereason=lunch --profile staging
  tringtui api CHANNELS --format raw --profile production

The settings come from flags, then TRINGTUI_SERVER, TRINGTUI_TENANT,
TRINGTUI_KEY_ENV, TRINGTUI_READONLY, TRINGTUI_PROFILE, TRINGTUI_CONFIG, then the
profile (its key_env, key_command or key), else the key in TRINGTUI_KEY.
Exit status: 0 done, 1 the request failed (or a write's outcome is unknown),
2 bad command line or configuration (e.g. a write missing a required parameter).
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "api",
        help="send one API request and print the result",
        description="Send one request through tringtui's API layer and print the result as JSON "
        "(or the body as received). Server, tenant and key come from flags, the environment "
        "or a config profile, like the monitor's.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("reqtype", metavar="REQTYPE", help="request type, e.g. PEERS, CHANNELS, INFO, HANGUP")
    parser.add_argument("params", metavar="NAME=VALUE", nargs="*", help="request parameters, e.g. info=agents queue=281")
    # Defaults suppressed: a value given before the sub-command (``tringtui --profile x api …``) survives.
    quiet = argparse.SUPPRESS
    parser.add_argument("--profile", metavar="NAME", default=quiet, help="profile of the config file (default: its default_profile)")
    parser.add_argument("--config", metavar="PATH", default=quiet, help="config file (default: ~/.config/tringtui/config.yaml)")
    parser.add_argument("--server", metavar="URL", default=quiet, help="base URL, e.g. https://api.tring.nu")
    parser.add_argument("--tenant", metavar="CODE", default=quiet, help="tenant code (leave out for an admin key)")
    parser.add_argument("--key-env", metavar="VAR", default=quiet,
                        help=f"environment variable holding the API key (default: the profile's key, else {DEFAULT_KEY_ENV})")
    parser.add_argument("--format", choices=("json", "plain", "raw"), default="json", help="json: parsed result; raw: the JSON body as received (passwords removed); plain: the server's plain format")
    parser.add_argument("--readonly", action="store_true", default=quiet, help="refuse any request that may write")
    parser.add_argument("--timeout", type=float, metavar="S", help="total time limit in seconds (default: the profile's, else 30)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from tringtui.api.errors import TringError
    from tringtui.config import ConfigError

    try:
        params = _parse_params(args.params)
        if args.timeout is not None and args.timeout <= 0:
            raise UsageError("--timeout must be positive")
        settings = _settings(args)
        output = asyncio.run(_with_waiting_note(_call(args, settings, params), args.reqtype.strip().upper(), settings))
    except UsageError as exc:
        print(f"tringtui api: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as error:
        for problem in error.problems:
            # The resolver's advice ends with the monitor's --demo, which one request cannot use.
            print(f"tringtui api: {str(problem).removesuffix('; or try --demo')}", file=sys.stderr)
        return EXIT_USAGE
    except TringError as exc:
        print(f"tringtui api: {type(exc).__name__}: {exc}{_advice(exc, args)}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("tringtui api: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    if sys.stdout.isatty():
        # Escape sequences in a hostile body must not drive the terminal; a pipe gets the body as sent.
        from tringtui.api.terminal_safe import safe_text

        output = safe_text(output)
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def _advice(exc: Exception, args: argparse.Namespace) -> str:
    """What to do next, for the failures whose text alone does not say."""
    from tringtui.api.errors import EmptyAnswer, KeyRejected, OutcomeUnknown
    from tringtui.api.requests import spec_for

    if isinstance(exc, EmptyAnswer):
        return " (a live PBX always fills this: the server is likely failing)"
    if isinstance(exc, OutcomeUnknown):
        return "; check the PBX before trying again (see tringtui audit)"
    spec = spec_for(args.reqtype, _parse_params(args.params))
    if isinstance(exc, KeyRejected) and spec is not None and spec.tenant_scoped and not getattr(args, "tenant", None):
        return f"; {spec.reqtype} may need --tenant CODE with an admin key"
    return ""


def _settings(args: argparse.Namespace) -> Settings:
    """Server, tenant, key and the rest, resolved like the monitor's (flags > environment > profile)."""
    from dataclasses import replace

    from tringtui.config import Overrides, resolve_settings

    # The root's --demo means the monitor's embedded PBX; one request still needs a real server.
    resolution = resolve_settings(replace(Overrides.from_args(args), demo=False))
    # E.g. a config holding a literal key that others can read: said on stderr, stdout stays the result.
    for warning in resolution.warnings:
        print(f"tringtui api: {warning}", file=sys.stderr)
    settings = resolution.settings
    if args.timeout is not None:
        settings = replace(settings, timeout=args.timeout)
    return settings


def _parse_params(items: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for position, item in enumerate(items, start=1):
        name, sep, value = item.partition("=")
        if not sep or not name:
            # Not quoted back: a stray word may be a pasted key.
            raise UsageError(f"parameter {position} after the request type is not NAME=VALUE (e.g. queue=281)")
        if name.lower() == "key":
            raise UsageError(
                "the key cannot be given as a parameter: a command line is visible in ps and kept in shell "
                "history (treat a key typed there as exposed); export it and name its variable with --key-env"
            )
        if name.lower() == "reqtype":
            raise UsageError(f"{name} cannot be given as a parameter: it is the first argument")
        params[name] = value
    return params


# No note for an answer quicker than this: most requests need none.
WAITING_NOTE_AFTER = 1.0


async def _with_waiting_note(call: Awaitable[str], reqtype: str, settings: Settings) -> str:
    """Await ``call``; meanwhile, on a terminal, say on stderr what is awaited and for how long.

    The real API can take tens of seconds (COUNTPEERS over many nodes), and a
    silent prompt looks hung. The note is rewritten in place and erased before
    anything else is printed; scripts (stderr not a terminal) never see it.
    """
    import asyncio
    import time

    if not sys.stderr.isatty():
        return await call
    started = time.monotonic()
    shown = False

    async def note() -> None:
        nonlocal shown
        await asyncio.sleep(WAITING_NOTE_AFTER)
        while True:
            waited = time.monotonic() - started
            sys.stderr.write(f"\rwaiting for {reqtype} from {settings.server_host}… {waited:.0f} s (Ctrl+C stops)")
            sys.stderr.flush()
            shown = True
            await asyncio.sleep(1.0)

    ticker = asyncio.ensure_future(note())
    try:
        return await call
    finally:
        ticker.cancel()
        if shown:
            sys.stderr.write("\r\x1b[K")  # erase the note: the answer (or error) follows on a clean line
            sys.stderr.flush()


async def _call(args: argparse.Namespace, settings: Settings, params: dict[str, str]) -> str:
    """Send the request: through the request table when it knows the type (checked, parsed into
    models, journalled), else as received. Notes an empty answer on stderr."""
    from tringtui.api.client import TringClient
    from tringtui.api.errors import InvalidParameter
    from tringtui.api.requests import require_spec

    reqtype = args.reqtype.strip().upper()
    try:
        spec = require_spec(reqtype, params)
    except InvalidParameter as exc:
        raise UsageError(str(exc)) from None
    if spec is not None:
        unexpected = sorted(set(params) - spec.accepted)
        if unexpected:
            accepted = sorted(spec.accepted - {"tenant", "format", "callback"})
            raise UsageError(f"{spec.name} does not take {', '.join(unexpected)} (accepted: {', '.join(accepted) or 'none'})")
    async with TringClient.from_settings(settings) as client:
        # Writes always go through the table; reads too unless the body is wanted in another format.
        if spec is not None and (args.format == "json" or spec.writes):
            try:
                answer = await client.call(reqtype, params)
            except InvalidParameter as exc:  # checked against the table: nothing was sent
                raise UsageError(str(exc)) from None
            _note_if_empty(answer.raw.text if answer.raw is not None else "x")
            if args.format != "json" and answer.raw is not None:
                return answer.raw.text
            return to_json(answer.value)
        if args.format == "plain":
            params.setdefault("format", "plain")
        try:
            response = await client.request(reqtype, **params)
        except InvalidParameter as exc:
            raise UsageError(str(exc)) from None
        _note_if_empty(response.text)
        if args.format == "json" and response.data is not None:
            return to_json(response.data)
        return response.text


def _note_if_empty(body: str) -> None:
    """An empty body is legitimate for some types (no calls at night) but worth saying: stdout alone
    cannot tell "no data" from "nothing matched"."""
    if not body.strip():
        print("tringtui api: empty answer (no data)", file=sys.stderr)


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
