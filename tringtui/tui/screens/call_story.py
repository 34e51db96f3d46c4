"""A call's story, or a number's last hour: live legs, call records, queue log, recording (metadata only)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import RenderableType

from tringtui.live.calls import Call, party
from tringtui.live.stories import CallStory, call_story, number_story
from tringtui.tui.screens.story import StoryScreen, pairs, section

# The CHANNEL lines worth reading first, in this order (the rest are one key away: i on the leg).
LEG_LABELS = ("State", "Caller ID", "Caller ID Name", "Connected Line ID", "Connected Line ID Name",
              "Elapsed Time", "Application", "Data", "Context", "Extension")


def legs_table(story: CallStory) -> RenderableType:
    """The legs side by side: one column per leg, one line per CHANNEL label."""
    rows = [["Channel", *(leg.channel.channel for leg in story.legs)],
            ["Party", *(party(leg.channel) for leg in story.legs)],
            ["Node", *(leg.channel.node for leg in story.legs)]]
    if any(leg.detail is None for leg in story.legs):
        rows.append(["Live", *("ended" if leg.detail is None else "yes" for leg in story.legs)])
    for label in LEG_LABELS:
        values = ["" if leg.detail is None else leg.detail.get(label) for leg in story.legs]
        if any(values):
            rows.append([label, *values])
    return section("Legs (CHANNEL, live)", rows, header=("Leg", *(f"{n}" for n in range(1, len(story.legs) + 1))))


class CallStoryScreen(StoryScreen):
    """Enter on a call of the Channels pane (grouped), or a traced number."""

    def render_story(self, story: CallStory) -> list[RenderableType]:
        parts: list[RenderableType] = []
        if story.linkedid:
            parts.append(pairs("Call", [("LinkedID", story.linkedid)]))
        if story.legs:
            parts.append(legs_table(story))
        else:
            parts.append(pairs("Live", [], empty="no live call"))
        if story.simple_records:
            parts.append(section("Call records (simple call history)", [
                (r.calldate, r.calleridnum, r.dialednum, r.whoanswered, r.direction, r.disposition, f"{r.billsec}s")
                for r in story.simple_records], header=("Date", "From", "To", "Answered by", "Dir", "Result", "Talk")))
        else:
            parts.append(section("Call records (INFO cdrs)", [
                (r.start, r.src, r.firstdst, r.wherelanded or r.dst, r.disposition, f"{r.billsec}/{r.duration}s",
                 r.uniqueid) for r in story.records],
                header=("Start", "From", "Dialled", "Landed", "Result", "Talk/total", "Uniqueid"),
                empty="none yet (a call's record is written when it ends: r asks again)"))
        if story.queue_log:
            parts.append(section("Queue log", [(row.time, row.event, row.agent, " ".join(row.data))
                                               for row in story.queue_log], header=("Time", "Event", "Agent", "Data")))
        if story.legs or story.records:
            recording = story.recording
            parts.append(pairs("Recording", [] if recording is None else
                               [(name, value) for name, value in recording.fields], empty="not recorded"))
        if story.problems:
            parts.append(section("Not answered", [(problem,) for problem in story.problems]))
        return parts


def for_call(call: Call, clock: Callable[[], float]) -> CallStoryScreen:
    return CallStoryScreen(f"Call: {call.caller} → {call.callee} ({call.direction}, {call.tenant or 'no tenant'})",
                           lambda client, progress: call_story(client, call, clock(), progress))


def for_number(number: str, live_calls: Sequence[Call], clock: Callable[[], float], tenant: str) -> CallStoryScreen:
    """``tenant``: whose records an admin key searches (the tenant chosen for queues and flows)."""
    calls = tuple(live_calls)
    return CallStoryScreen(f"Trace of {number} (live calls and the last hour{', ' + tenant if tenant else ''})",
                           lambda client, progress: number_story(client, number, calls, clock(), progress, tenant))
