"""The kinds of events, by name: light enough for a command's ``--help`` (it imports nothing)."""

KINDS = (
    "peer.unregistered", "peer.registered", "peer.lagged", "peer.lag_cleared",
    "node.peers_dropped", "node.channels_zero", "node.channels_spike",
    "queue.waiting", "queue.longest_wait", "queue.service_level",
    "agent.paused", "agent.unpaused", "agent.logged_in", "agent.logged_out",
    "flow.state", "flow.value",
    "call.long", "call.long_ended",
    "api.slow", "api.failed", "api.recovered",
    "alert.firing", "alert.resolved",
)
FAMILIES = tuple(sorted({kind.partition(".")[0] for kind in KINDS} | {"write"}))
