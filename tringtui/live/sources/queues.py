"""The queues source: INFO queues, INFO queue for each, and INFO agents of one chosen queue.

One poll asks one request after the other (a source never has two in
flight). Which queue's agents are fetched is a parameter: the caller (a
cursor in the monitor, an option elsewhere) chooses, the first queue when it
does not or its choice is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from tringtui.api.client import TringClient
from tringtui.api.models import Agent, Queue, QueueStats
from tringtui.live.sources.suspect import empty_answer

NAME = "queues"


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A queue and its statistics (None when INFO queue returned nothing for it)."""

    queue: Queue
    stats: QueueStats | None


@dataclass(frozen=True, slots=True)
class QueuesData:
    """One poll: every queue with its statistics, and the agents of one queue."""

    queues: tuple[QueueRow, ...]
    agents_queue_id: str | None
    agents: tuple[Agent, ...]


async def fetch(client: TringClient, agents_queue: str | None, *, queues_seen: bool = False) -> QueuesData:
    """Poll the queues; ``agents_queue`` picks whose agents come along (None: the first queue's).

    ``queues_seen``: this tenant had queues before, so an answer with none is suspect (``EmptyAnswer``).
    """
    queues = await client.queues()
    if not queues and queues_seen:
        raise empty_answer("INFO queues")
    rows = [QueueRow(queue, await client.queue_stats(queue.id)) for queue in queues]
    ids = [queue.id for queue in queues]
    selected = agents_queue if agents_queue in ids else (ids[0] if ids else None)
    agents = await client.agents(selected) if selected is not None else []
    return QueuesData(queues=tuple(rows), agents_queue_id=selected, agents=tuple(agents))
