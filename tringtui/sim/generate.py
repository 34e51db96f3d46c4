"""Seeded generation of the simulated PBX's static world: nodes, tenants, peers, queues, flows.

Everything is drawn from the ``random.Random`` passed in, so a seed gives the
same world every time. Sizes are presets of counts (``SIZES``); explicit counts
override them. Calls are not made here: ``SimulatedPBX`` fills the world with
calls using the same generator, so that they evolve by one set of rules.
"""

from __future__ import annotations

import random
import dataclasses
import zlib
from dataclasses import dataclass, field

from tringtui.sim.model import FLOW_STATES, NOT_INUSE, UNAVAILABLE, Agent, Flow, Peer, Queue, Tenant


@dataclass(frozen=True)
class SizeSpec:
    """How big a simulated PBX is: node, tenant and peer counts and the channel count it hovers around."""

    nodes: int
    tenants: int
    peers: int
    channels: int


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(nodes=4, tenants=3, peers=60, channels=40),
    "medium": SizeSpec(nodes=8, tenants=10, peers=600, channels=300),
    "large": SizeSpec(nodes=16, tenants=40, peers=4000, channels=2000),
    "huge": SizeSpec(nodes=40, tenants=200, peers=20000, channels=10000),
}
"""Size presets. ``small`` has the realistic names used in docs (pbx21, DEVEL, ...)."""


@dataclass(frozen=True)
class Mess:
    """How untidy the world is, as the field's PBXs are.

    ``duplicate_peers``: how many peer names are also registered on a second
    node (as during a migration: ``488-DEVEL`` on pbx21 and on srv02).
    ``unicode_names``: the share of phones whose caller name is not ASCII
    (``Zoë``, ``Łukasz``, ``王芳``). ``counts_as_text``: COUNTPEERS and
    COUNTCHANNELS carry a ``total`` entry and their numbers as strings, and
    some BLF timestamps are epoch seconds (both allowed by the contract).
    PEERS' Description column and outside callers' names carry unicode in
    every world.
    """

    duplicate_peers: int = 0
    unicode_names: float = 0.0
    counts_as_text: bool = False


def default_mess(size: str, spec: SizeSpec) -> Mess:
    """The untidiness a size has by default: ``small`` stays tidy (tests pin it), bigger worlds do not."""
    if size == "small":
        return Mess()
    return Mess(duplicate_peers=max(1, spec.peers // 500), unicode_names=0.15, counts_as_text=True)

FIXED_NODES = ("pbx21", "pbx24", "srv02", "pbx6.example.net")
FIXED_TENANTS = ("DEVEL", "ACME", "Shop42")
_TENANT_PARTS = ("Nord", "Blue", "Zeta", "Dent", "Law", "Bake", "Flex", "Aqua", "Terra", "Volt", "Pixel", "Omni")
_TENANT_TAILS = ("Care", "HQ", "Sales", "Group", "Labs", "Shop", "Net", "Works", "", "Co")
_FIRST_NAMES = (
    "Alice", "Bob", "Carla", "Daan", "Eva", "Femke", "Giulia", "Hugo", "Ines", "Jan", "Kees", "Lotte", "Marco",
    "Noor", "Omar", "Pieter", "Rosa", "Sven", "Tess", "Umut", "Vera", "Wim", "Yara", "Zoe",
)
_UNICODE_FIRST_NAMES = (
    "Zoë", "José", "Søren", "Łukasz", "Ünal", "Chloé", "Nguyễn", "Ağca", "Žofia", "Björn", "Renée", "İlker",
    "Мария", "王芳", "محمد",
)
_DESCRIPTIONS = (
    "", "Reception", "Recepción", "Küche", "Sales", "Support", "Magazijn", "Direction générale", "Büro 2.OG",
    "Kantoor Noord", "Werkplaats", "Accueil – entrée", "",
)
OUTSIDE_CALLER_NAMES = (
    "", "", "", "Müller GmbH", "José Núñez", "Café Zoë", "Björn Ångström", "Agnieszka Wąs", "ACME BV",
    "Dr. Øyvind Ås", "株式会社テスト", "Ελένη Π.",
)
"""Caller names of outside numbers (chosen by a hash of the number; empty: no name sent)."""
_QUEUE_NAMES = ("supportQ", "sales: EN, NL", "billing", "helpdesk", "NOC, 2nd line", "reception")
_FLOW_NAMES = (  # name, variable, value per state in FLOW_STATES order
    ("Night service", "NIGHT", ("night", "day", "closed", "day")),
    ("Holiday closure", "HOLIDAY", ("closed", "open", "closed", "open")),
    ("Lunch break", "LUNCH", ("lunch", "", "", "")),
    ("Emergency route", "EMERGENCY", ("mobile", "office", "voicemail", "office")),
)


@dataclass
class GeneratedWorld:
    """The generated static world, indexed for quick lookups."""

    nodes: list[str]
    tenants: dict[str, Tenant]
    peers: dict[str, Peer]
    queues: dict[int, Queue]
    duplicates: list[Peer] = field(default_factory=list)
    """Second registrations of names in ``peers`` on another node (see ``Mess``)."""


def resolve_size(size: str, *, nodes: int | None, tenants: int | None, peers: int | None,
                 channels: int | None) -> SizeSpec:
    """The preset named ``size`` with any explicit counts applied (and sanity-checked)."""
    try:
        base = SIZES[size]
    except KeyError:
        raise ValueError(f"unknown size {size!r}; choose from {', '.join(SIZES)}") from None
    spec = SizeSpec(
        nodes=base.nodes if nodes is None else nodes,
        tenants=base.tenants if tenants is None else tenants,
        peers=base.peers if peers is None else peers,
        channels=base.channels if channels is None else channels,
    )
    if spec.nodes < 1 or spec.tenants < 1 or spec.peers < spec.tenants or spec.channels < 0:
        raise ValueError(f"impossible size: {spec} "
                         "(need nodes ≥ 1, tenants ≥ 1, peers ≥ tenants, channels ≥ 0)")
    return spec


def generate_world(rng: random.Random, spec: SizeSpec, now: float) -> GeneratedWorld:
    """Draw nodes, tenants, peers, queues and flows for ``spec`` from ``rng``."""
    nodes = _node_names(rng, spec.nodes)
    codes = _tenant_codes(rng, spec.tenants)
    tenants: dict[str, Tenant] = {}
    for index, code in enumerate(codes):
        homes = [nodes[index % len(nodes)]]
        if len(nodes) > 1 and rng.random() < 0.5:
            homes.append(nodes[(index + 1 + rng.randrange(len(nodes) - 1)) % len(nodes)])
        tenants[code] = Tenant(
            code=code, te_id=10 + index * 3 + rng.randrange(3), nodes=homes,
            balance=round(rng.uniform(5, 900), 2),
            max_channels=rng.choice((10, 20, 30, 60)), max_extensions=rng.choice((25, 50, 100, 250)),
            max_dids=rng.choice((2, 5, 10, 20)),
            dids=[f"3120{rng.randrange(1000000, 9999999)}" for _ in range(rng.randint(1, 4))],
        )

    # Every node hosts some tenant, so none shows up empty.
    used = {node for tenant in tenants.values() for node in tenant.nodes}
    for index, node in enumerate(n for n in nodes if n not in used):
        tenant = list(tenants.values())[index % len(tenants)]
        tenant.nodes.append(node)
    peers = _make_peers(rng, spec, list(tenants.values()), now)
    queues = _make_queues(rng, tenants)
    _make_flows(rng, tenants, now)
    return GeneratedWorld(nodes=nodes, tenants=tenants, peers=peers, queues=queues)


def make_messy(world: GeneratedWorld, mess: Mess, seed: int) -> None:
    """Untidy ``world`` as ``mess`` says, from a generator of its own (the tidy world's draws stay the same)."""
    rng = random.Random(f"mess:{seed}")
    for peer in world.peers.values():
        if _share(peer.name, "unicode") < mess.unicode_names:
            first = _UNICODE_FIRST_NAMES[zlib.crc32(peer.name.encode()) % len(_UNICODE_FIRST_NAMES)]
            peer.display = f"{first} {peer.display.split(' ', 1)[-1]}"
        peer.description = _DESCRIPTIONS[zlib.crc32(f"d:{peer.name}".encode()) % len(_DESCRIPTIONS)]
    if len(world.nodes) < 2:
        return
    candidates = [peer for peer in world.peers.values() if peer.registered]
    for peer in rng.sample(candidates, min(mess.duplicate_peers, len(candidates))):
        node = rng.choice([n for n in world.nodes if n != peer.node])
        world.duplicates.append(dataclasses.replace(
            peer, node=node, address=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            port=rng.randrange(1024, 65000), health="OK", duplicate_of=peer, legs=[],
        ))


def outside_caller_name(number: str) -> str:
    """The name an outside number presents (often none), fixed per number."""
    return OUTSIDE_CALLER_NAMES[zlib.crc32(number.encode()) % len(OUTSIDE_CALLER_NAMES)]


def _share(name: str, salt: str) -> float:
    """A fraction in [0, 1) fixed by ``name``: picks a share of peers without drawing random numbers."""
    return (zlib.crc32(f"{salt}:{name}".encode()) & 0xFFFF) / 0x10000


def _node_names(rng: random.Random, count: int) -> list[str]:
    names = list(FIXED_NODES[:count])
    taken = set(names)
    while len(names) < count:
        number = rng.randrange(1, 99)
        style = rng.random()
        name = f"srv{number:02d}" if style < 0.2 else f"pbx{number}.example.net" if style < 0.3 else f"pbx{number}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _tenant_codes(rng: random.Random, count: int) -> list[str]:
    codes = list(FIXED_TENANTS[:count])
    taken = {c.lower() for c in codes}
    while len(codes) < count:
        code = rng.choice(_TENANT_PARTS) + rng.choice(_TENANT_TAILS)
        style = rng.random()
        if style < 0.3:
            code = code.upper()
        elif style < 0.5:
            code = f"{code}{rng.randrange(2, 99)}"
        if code.lower() not in taken:  # codes differing only in case would confuse humans
            taken.add(code.lower())
            codes.append(code)
    return codes


def _make_peers(rng: random.Random, spec: SizeSpec, tenants: list[Tenant], now: float) -> dict[str, Peer]:
    # The first tenant is the biggest; the rest share the remainder unevenly.
    weights = [3.0] + [rng.uniform(0.5, 2.0) for _ in tenants[1:]]
    total_weight = sum(weights)
    counts = [max(1, int(spec.peers * w / total_weight)) for w in weights]
    counts[0] += spec.peers - sum(counts)
    peers: dict[str, Peer] = {}
    ex_id = 50 + rng.randrange(20)
    for tenant, count in zip(tenants, counts):
        first = 100 if count < 800 else 1000
        ext = first
        for _ in range(max(count, 1)):
            ext += 1 if rng.random() < 0.9 else rng.randint(2, 4)
            ex_id += 1
            name = f"{ext}-{tenant.code}"
            registered = rng.random() < 0.88
            qualified = rng.random() < 0.87
            roll = rng.random()
            private = rng.random() < 0.6
            peer = Peer(
                name=name, ext=str(ext), tenant=tenant.code, node=rng.choice(tenant.nodes),
                tech="PJSIP" if rng.random() < 0.2 else "SIP", ex_id=ex_id,
                display=f"{rng.choice(_FIRST_NAMES)} {chr(65 + rng.randrange(26))}.",
                address=(f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" if private
                         else f"185.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"),
                port=5060 if rng.random() < 0.5 else rng.randrange(1024, 65000),
                registered=registered, qualified=qualified,
                health="OK" if roll < 0.9 else "LAGGED" if roll < 0.96 else "UNREACHABLE",
                base_ms=rng.randint(4, 90),
                state_since=now - rng.randrange(60, 86400),
            )
            peer.device_state = NOT_INUSE if registered else UNAVAILABLE
            peers[name] = peer
            tenant.peers.append(peer)
    _ensure_variety(list(peers.values()))
    return peers


def _ensure_variety(peers: list[Peer]) -> None:
    """Make sure even a small world shows every peer status at least once (tests rely on it)."""
    if len(peers) < 12:
        return
    for index, (registered, qualified, health) in zip(
        (3, 5, 7, 9, 11),
        ((False, True, "OK"), (False, False, "OK"), (True, True, "LAGGED"), (True, True, "UNREACHABLE"),
         (True, False, "OK")),
    ):
        peer = peers[index]
        peer.registered, peer.qualified, peer.health = registered, qualified, health
        peer.device_state = NOT_INUSE if registered else UNAVAILABLE


def _make_queues(rng: random.Random, tenants: dict[str, Tenant]) -> dict[int, Queue]:
    queues: dict[int, Queue] = {}
    queue_id = 281
    for index, tenant in enumerate(tenants.values()):
        count = 2 if index == 0 else max(1, min(4, len(tenant.peers) // 30))
        for number in range(count):
            queue = Queue(
                id=queue_id, number=str(600 + number), tenant=tenant.code,
                name=_QUEUE_NAMES[(index + number) % len(_QUEUE_NAMES)],
            )
            queue_id += rng.randint(1, 9)
            size = min(len(tenant.peers), rng.randint(3, 7))
            for peer in rng.sample(tenant.peers, size):
                roll = rng.random()
                agent = Agent(peer=peer, queue=queue, type_code="NF" if roll < 0.75 else "AD" if roll < 0.92 else "EA",
                              penalty=0 if rng.random() < 0.8 else rng.randint(1, 3))
                if rng.random() < 0.15:
                    agent.paused, agent.pause_reason = True, rng.choice(("lunch", "break", "admin work", ""))
                agent.calls_taken = rng.randint(0, 40)
                # The day's answer delays, from a hash so the seed's draws stay the same.
                typical = 2 + zlib.crc32(f"{queue.id}:{peer.name}".encode()) % 9
                agent.rings_answered = agent.calls_taken
                agent.ring_delay_total = float(agent.calls_taken * typical)
                agent.ring_delay_max = float(typical * 3) if agent.calls_taken else 0.0
                agent.rings_missed = agent.calls_taken // (typical + 2)
                queue.members[peer.name] = agent
            # Statistics of "the day so far", kept consistent with each other.
            queue.answered = rng.randint(10, 300)
            queue.answered_in_sl = int(queue.answered * rng.uniform(0.6, 0.98))
            queue.abandoned = rng.randint(0, queue.answered // 8 + 1)
            queue.timed_out = rng.randint(0, 5)
            queue.transferred = rng.randint(0, queue.answered // 10 + 1)
            queue.exit_with_key = rng.randint(0, 3)
            queue.received = queue.answered + queue.abandoned + queue.timed_out + queue.exit_with_key
            queue.talk_time = queue.answered * rng.uniform(60, 240)
            queue.hold_time = queue.answered * rng.uniform(5, 60)
            queue.max_hold = rng.uniform(60, 400)
            queues[queue.id] = queue
            tenant.queues.append(queue)
    return queues


def _make_flows(rng: random.Random, tenants: dict[str, Tenant], now: float) -> None:
    flow_id = 11
    for tenant in tenants.values():
        for number in range(rng.randint(1, 3)):
            name, variable, values = _FLOW_NAMES[(number + tenant.te_id) % len(_FLOW_NAMES)]
            value_for = dict(zip(FLOW_STATES, values))
            state = "NOT_INUSE" if rng.random() < 0.7 else "INUSE"
            tenant.flows.append(Flow(
                id=flow_id, tenant=tenant.code, te_id=tenant.te_id, name=name, comment=f"{name} for {tenant.code}",
                number=str(801 + number), state=state, value=value_for[state], value_for=value_for,
                variable=variable, since=now - rng.randrange(60, 7 * 86400),
            ))
            flow_id += rng.randint(1, 5)
