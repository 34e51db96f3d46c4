"""A phone's story: registration, BLF state and INFO extstate, its live calls, its calls of the last hour."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import RenderableType

from tringtui.api.models import Peer
from tringtui.live.calls import Call
from tringtui.live.stories import PhoneStory, phone_story
from tringtui.tui.panes.base import format_duration
from tringtui.tui.screens.story import StoryScreen, pairs, section


class PhoneStoryScreen(StoryScreen):
    """Enter on a peer of the Peers pane."""

    def render_story(self, story: PhoneStory) -> list[RenderableType]:
        peer = story.peer
        parts: list[RenderableType] = [pairs("Registration", [
            ("Status", peer.status_text or peer.status.value),
            ("Latency", f"{peer.latency_ms} ms" if peer.latency_ms is not None else ""),
            ("Host", peer.host), ("Port", str(peer.port) if peer.port is not None else ""), ("Node", peer.node),
            ("Dynamic", "yes" if peer.dynamic else "no"),
            ("NAT", ", ".join(f"{name}={value}" for name, value in (("force_rport", peer.forcerport),
                                                                    ("comedia", peer.comedia)) if value)),
            ("ACL", peer.acl), ("Description", peer.description),
        ])]
        state = story.state
        parts.append(pairs("State", [("BLF", story.blf_state or "not listed")] + (
            [] if state is None else [("Registered (extstate)", "yes" if state.registered else "no"),
                                      *((label, value) for label, value in state.fields)])))
        parts.append(section("Live calls", [
            (call.caller, call.callee, call.direction, call.state, format_duration(call.duration))
            for call in story.live_calls], header=("Caller", "Other party", "Dir", "State", "Duration")))
        parts.append(section("Calls of the last hour (simplecdrs)", [
            (r.calldate, r.calleridnum, r.dialednum, r.whoanswered, r.direction, r.disposition, f"{r.billsec}s")
            for r in reversed(story.recent)], header=("Date", "From", "To", "Answered by", "Dir", "Result", "Talk")))
        if story.problems:
            parts.append(section("Not answered", [(problem,) for problem in story.problems]))
        return parts


def for_peer(peer: Peer, live_calls: Sequence[Call], clock: Callable[[], float]) -> PhoneStoryScreen:
    calls = tuple(live_calls)
    return PhoneStoryScreen(f"Phone {peer.name} on {peer.node}",
                            lambda client, progress: phone_story(client, peer, calls, clock(), progress))
