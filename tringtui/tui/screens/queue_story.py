"""A queue's story: its latest queue log rows (abandoned and timed-out calls first), the agents' answer
delays (INFO agentsdelay) and who is actually connected (INFO agentsconnected)."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType

from tringtui.live.stories import QueueStory, queue_story
from tringtui.tui.screens.story import StoryScreen, section


class QueueStoryScreen(StoryScreen):
    """Enter on a queue of the Queues pane."""

    def render_story(self, story: QueueStory) -> list[RenderableType]:
        parts: list[RenderableType] = [
            section("Queue log, last hour (abandoned and timed out first)", [
                (("✗ " if row.unanswered else "  ") + row.event, row.time, row.agent, " ".join(row.data), row.callid)
                for row in story.log], header=("Event", "Time", "Agent", "Data", "Call")),
            section("Answer delay per agent (agentsdelay)", [
                (d.member, str(d.answered), str(d.missed), f"{d.average_delay:.1f}s", f"{d.max_delay:.0f}s")
                for d in story.delays], header=("Agent", "Answered", "Missed", "Mean", "Longest")),
            section("Connected agents (agentsconnected)", [
                (a.member, a.status, a.device_state, "paused" if a.paused else "") for a in story.connected],
                header=("Agent", "Status", "Device", "")),
        ]
        if story.problems:
            parts.append(section("Not answered", [(problem,) for problem in story.problems]))
        return parts


def for_queue(queue_id: str, name: str, clock: Callable[[], float], tenant: str) -> QueueStoryScreen:
    return QueueStoryScreen(f"Queue {name} ({queue_id})",
                            lambda client, progress: queue_story(client, queue_id, name, clock(), progress,
                                                                 tenant=tenant))
