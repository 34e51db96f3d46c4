"""One module per kind of PBX data, each with its immutable data type and ``fetch(client, ...)``.

``SOURCES`` lists them in the monitor's pane order; a source's name is also
the name of the monitor pane that shows it and of its poll interval setting.
"""

from tringtui.live.sources import channels, flows, nodes, peers, queues

SOURCES = ("nodes", "channels", "queues", "flows", "peers")

TENANT_SCOPED = frozenset({"queues", "flows"})
"""Sources whose request types need a tenant even with an admin key (INFO, FLOWS, BLFS)."""

__all__ = ["SOURCES", "TENANT_SCOPED", "channels", "flows", "nodes", "peers", "queues"]
