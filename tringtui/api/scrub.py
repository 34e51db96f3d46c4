"""Removing the passwords some answers carry (INFO extensions' SIP and web passwords) from a body.

The request table marks the request types whose bodies may carry credentials
(``RequestSpec.carries_secrets``); the client runs every such body through
``scrub_secrets`` as soon as it arrives, so nothing downstream (parsers,
``tringtui api --format raw|plain``, error excerpts, the journal) ever sees
them.

A JSON row as PHP's ``fetch_array`` builds it holds each column twice: under
its name and under its index (``"5": …, "ex_password": …``). A name that
looks like a credential is dropped, and so is its index twin: the index is
the name's position among the row's named keys; where that position does not
line up (an index whose named twin holds another value), an index whose value
is one of the row's passwords is dropped too. A plain table loses its
password columns. Any other body that mentions a credential is withheld
whole: it cannot be scrubbed with confidence.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tringtui.api.errors import MalformedResponse
from tringtui.api.parsing import decode_json

# Field names that carry credentials: never read, shown or kept.
SECRET_FIELD = re.compile(r"(?i)pass|secret|pwd")
WITHHELD = "[body withheld: it mentions a password and is not JSON or a table]"


def scrub_secrets(text: str) -> str:
    """The body with every credential removed (see the module's docstring)."""
    if not SECRET_FIELD.search(text):
        return text  # the usual case for most rows: nothing to do, no copy
    stripped = text.strip()
    first_line = stripped.split("\n", 1)[0]
    if "|" in first_line and not first_line.lstrip().startswith(("{", "[")):
        return _scrub_table(stripped)
    try:
        data = decode_json(text)
    except MalformedResponse:
        return WITHHELD
    return json.dumps(_scrub(data), ensure_ascii=False)


def _scrub_table(text: str) -> str:
    lines = text.splitlines()
    header = lines[0].split("|")
    keep = [i for i, name in enumerate(header) if not SECRET_FIELD.search(name)]
    return "\n".join("|".join(cells[i] for i in keep if i < len(cells)) for cells in (line.split("|") for line in lines))


def _scrub(data: Any) -> Any:
    if isinstance(data, list):
        return [_scrub(item) for item in data]
    if not isinstance(data, dict):
        return data
    named = [key for key in data if not str(key).isdigit()]
    secret_names = [key for key in named if SECRET_FIELD.search(str(key))]
    if not secret_names:
        return {key: _scrub(value) for key, value in data.items()}
    secret_values = {json.dumps(data[key]) for key in secret_names if data[key] not in ("", None)}
    dropped = set(secret_names)
    for key in data:
        if not str(key).isdigit():
            continue
        position = int(key)
        twin = named[position] if position < len(named) else None
        if twin in dropped:
            dropped.add(key)
        elif (twin is None or data[twin] != data[key]) and json.dumps(data[key]) in secret_values:
            dropped.add(key)  # the positions do not line up: the value gives the password away
    return {key: _scrub(value) for key, value in data.items() if key not in dropped}
