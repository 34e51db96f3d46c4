"""``WriteAction``: one write to the PBX, bound to the identity of its target.

An action is built when the operator presses a key, from the row that was
selected *then* (a call's uniqueid, an agent's queue and member, a peer's
name), never from whatever row is under the cursor later. It carries what the
confirmation shows, how to re-check that the target is still the same one,
and how to send the write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tringtui.api.client import TringClient
    from tringtui.api.models import ActionResult
    from tringtui.tui.actions.controller import ActionController

# Returns ``None`` while the target is unchanged, else a sentence saying what changed.
Recheck = Callable[["TringClient"], Awaitable["str | None"]]
Send = Callable[["TringClient"], Awaitable["ActionResult"]]
# Builds the action again from what the PBX says now (the operator's own input kept), for a new confirmation.
Refresh = Callable[["ActionController"], Awaitable["WriteAction"]]


@dataclass(frozen=True)
class WriteAction:
    """A confirmed-before-sent write: what it is, what it targets, what it sends."""

    name: str  # the journal's action name: "hangup", "pause", "reboot-all", …
    title: str  # the confirmation's title: "Hang up call"
    verb: str  # the confirm button's label: "Hang up"
    pane: str  # the pane to refresh afterwards: "channels", "queues", "peers", "flows"
    target: Mapping[str, str]  # the target's identity, as journalled
    params: Mapping[str, str]  # the request's parameters (never the key), as journalled
    details: tuple[tuple[str, str], ...]  # label/value lines naming the target fully
    send: Send = field(compare=False, repr=False)
    recheck: Recheck | None = field(default=None, compare=False, repr=False)
    impact: str = ""  # what the write leaves behind, when it can be computed
    typed_confirmation: str = ""  # text the operator must type first (the tenant code for ALL)
    tenant: str = ""  # the tenant the requests are addressed to (needed with an admin key)
    # When the re-check finds the facts confirmed have changed: how to show the new ones and ask again.
    refresh: Refresh | None = field(default=None, compare=False, repr=False)
    changed: str = ""  # what changed since the last confirmation, shown above the new facts


class ActionAborted(Exception):
    """Raised while preparing an action that cannot go ahead (the call already ended, no tenant for ALL, …).

    Nothing has been sent; the message tells the operator why.
    """
