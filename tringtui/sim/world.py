"""The simulated PBX's standing world: nodes, tenants, peers, queues, agents and flows, with lookups.

``World`` wraps what ``generate.py`` drew for a seed and size, and indexes it
for the call engine (peers per tenant and node, tenants weighted by size, the
list of every agent). Registrations, device states, pauses and flow states
change on its objects as the PBX lives; the set of objects changes only
through QUEUE add/del/clean. Lookups here follow the API's addressing rules.
"""

from __future__ import annotations

import itertools

from tringtui.sim.generate import GeneratedWorld
from tringtui.sim.model import Agent, Flow, Peer, Queue, Tenant


class World:
    """Nodes, tenants, peers, queues and flows of one simulated PBX, indexed for lookups."""

    def __init__(self, generated: GeneratedWorld, seed: int) -> None:
        self.seed = seed
        self.nodes: list[str] = generated.nodes
        self.tenants: dict[str, Tenant] = generated.tenants
        self.peers: dict[str, Peer] = generated.peers
        """Peers by name, once each; a second registration of a name is in ``duplicates``."""
        self.queues: dict[int, Queue] = generated.queues
        self.flows: list[Flow] = [flow for tenant in self.tenants.values() for flow in tenant.flows]
        self.duplicates: dict[str, list[Peer]] = {}
        """Second registrations by name (a name registered on two nodes)."""
        for duplicate in generated.duplicates:
            self.duplicates.setdefault(duplicate.name, []).append(duplicate)
        self.peer_list: list[Peer] = [registration for tenant in self.tenants.values() for peer in tenant.peers
                                      for registration in (peer, *self.duplicates.get(peer.name, ()))]
        """Every registration, as PEERS lists them: a duplicate right after the peer it duplicates."""
        self.registrations_by_tenant: dict[str, list[Peer]] = {code: [] for code in self.tenants}
        for peer in self.peer_list:
            self.registrations_by_tenant[peer.tenant].append(peer)
        self.peers_by_tenant_node: dict[tuple[str, str], list[Peer]] = {}
        for peer in self.tenants_peers():
            self.peers_by_tenant_node.setdefault((peer.tenant, peer.node), []).append(peer)
        self.tenant_list = list(self.tenants.values())
        self.tenant_weights = list(itertools.accumulate(len(t.peers) for t in self.tenant_list))
        self.agents: list[Agent] = [agent for queue in self.queues.values() for agent in queue.members.values()]

    def tenants_peers(self) -> list[Peer]:
        """Every peer once (its first registration), tenant by tenant."""
        return [peer for tenant in self.tenants.values() for peer in tenant.peers]

    def duplicates_list(self) -> list[Peer]:
        """Every second registration, in PEERS order."""
        return [peer for peer in self.peer_list if peer.duplicate_of is not None]

    def registrations_of(self, peer: Peer) -> list[Peer]:
        """``peer`` and any second registration of its name on another node."""
        return [peer, *self.duplicates.get(peer.name, ())]

    def find_flow(self, number: str, tenant: str | None) -> Flow | None:
        for flow in self.flows:
            if flow.number == number and (tenant is None or flow.tenant == tenant):
                return flow
        return None

    def find_extension(self, text: str, tenant: str | None) -> Peer | None:
        """A peer by name (``103-DEVEL``) or, within ``tenant``, by number (``103``)."""
        peer = self.peers.get(text)
        if peer is not None:
            return peer if tenant is None or peer.tenant == tenant else None
        if tenant is not None:
            return self.peers.get(f"{text}-{tenant}")
        return None

    def find_queue(self, queue_id: str | None, number: str | None, tenant: str | None) -> Queue | None:
        if queue_id:
            queue = self.queues.get(int(queue_id)) if queue_id.isdigit() else None
        elif number:
            queue = next((q for q in self.queues.values()
                          if q.number == number and (tenant is None or q.tenant == tenant)), None)
        else:
            return None
        if queue is not None and tenant is not None and queue.tenant != tenant:
            return None
        return queue
