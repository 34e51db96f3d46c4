"""The drill-down commands: a call's story, a number's trace, a phone's and a queue's story.

Registered like the other pane commands (help, palette; Enter is in the footer) by
``pane_commands.build_commands``; reads only, so read-only sessions keep them.
Enter opens the story on the Channels pane's calls, the Peers pane and the
Queues pane's queues; ``v`` does it too (on a channel, its call's story), and
``n`` traces a number (the Channels filter's, when it is one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tringtui.api.models import Peer
from tringtui.live.calls import Call
from tringtui.live.sources.channels import ChannelsData, calls_of
from tringtui.live.sources.queues import QueueRow
from tringtui.tui.monitor import monitor_of
from tringtui.tui.registry import PaneCommand
from tringtui.tui.screens import call_story, phone_story, queue_story
from tringtui.tui.screens.number_prompt import NumberPrompt, looks_like_number

if TYPE_CHECKING:
    from tringtui.tui.panes.base import Pane


def live_calls(pane: Pane) -> tuple[Call, ...]:
    """The calls of the session's last CHANNELS snapshot (whichever pane asks)."""
    data = pane.live.snapshots["channels"].data if "channels" in pane.live.snapshots else None
    return calls_of(data) if isinstance(data, ChannelsData) else ()


def selected_call(pane: Pane) -> Call | None:
    """The call under the cursor: a grouped row's call, or the call a channel row's leg belongs to."""
    row = pane.selected_row
    call = getattr(row, "call", None) or getattr(row, "parent", None)
    if isinstance(call, Call):
        return call
    channel = getattr(row, "channel", None)
    uniqueid = getattr(channel, "uniqueid", None)
    return next((c for c in live_calls(pane) if any(leg.uniqueid == uniqueid for leg in c.legs)), None)


def _call_story(pane: Pane) -> None:
    call = selected_call(pane)
    if call is None:
        pane.app.notify("Select a call first.", title="Nothing selected", severity="warning")
        return
    pane.app.push_screen(call_story.for_call(call, pane.clock))


def _trace(pane: Pane) -> None:
    monitor = monitor_of(pane)
    tenant = monitor.settings.tenant or monitor.pane_tenant
    typed = pane.active_table.filter_text.strip()
    if looks_like_number(typed):
        pane.app.push_screen(call_story.for_number(typed.replace(" ", ""), live_calls(pane), pane.clock, tenant))
        return

    def traced(number: str | None) -> None:
        if number:
            pane.app.push_screen(call_story.for_number(number, live_calls(pane), pane.clock, tenant))

    pane.app.push_screen(NumberPrompt(typed), traced)


def _phone_story(pane: Pane) -> None:
    peer = pane.selected_row
    if not isinstance(peer, Peer):
        pane.app.notify("Select a phone first.", title="Nothing selected", severity="warning")
        return
    pane.app.push_screen(phone_story.for_peer(peer, live_calls(pane), pane.clock))


def _queue_story(pane: Pane) -> None:
    row = pane.selected_row
    if not isinstance(row, QueueRow):
        pane.app.notify("Select a queue first (the queues table).", title="Nothing selected", severity="warning")
        return
    monitor = monitor_of(pane)
    tenant = monitor.settings.tenant or monitor.pane_tenant
    pane.app.push_screen(queue_story.for_queue(row.queue.id, row.queue.name, pane.clock, tenant))


STORY_COMMANDS = (
    PaneCommand("channels", "story", "v", "Call story", _call_story,
                "The call's legs (CHANNEL), records (INFO cdrs), queue log and recording (also Enter on a call)",
                show_in_footer=False),
    PaneCommand("channels", "trace", "n", "Trace a number…", _trace,
                "A number's live calls and its call records of the last hour (the filter's number, if any)",
                show_in_footer=False),
    PaneCommand("peers", "story", "v", "Phone story", _phone_story,
                "Registration, BLF and extension state, live calls and the last hour's calls (also Enter)",
                show_in_footer=False),
    PaneCommand("queues", "story", "v", "Queue story", _queue_story,
                "The queue log (abandoned and timed out first), agents' answer delays, connected agents "
                "(also Enter on a queue)", show_in_footer=False),
)
