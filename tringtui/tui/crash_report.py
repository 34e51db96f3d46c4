"""The monitor's crash report: the plain traceback, with no local variables and the key masked.

Textual's own report of an unhandled exception renders every frame's local
variables. Any of them may hold the revealed API key (a request's URL, a
query dict, a careless ``key = settings.key.reveal()``), and an exception
message may quote a URL. This report keeps what a bug report needs, the
frames and the messages, and passes the text through the same redaction as
the API layer's log lines before it is printed.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable

from rich.text import Text

from tringtui.api.redact import redact_text


def crash_report(error: BaseException | None, secrets: Iterable[str]) -> Text:
    """The traceback of ``error`` (and the exceptions chained to it) as plain text, secrets masked."""
    if error is None:
        return Text("tringtui stopped after an unexpected error (no details were available).")
    text = "".join(traceback.format_exception(error))
    return Text(redact_text(text, secrets).rstrip("\n"))
