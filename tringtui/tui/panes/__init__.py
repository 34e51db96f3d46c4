"""The monitor's panes, one module each; ``PANE_CLASSES`` lists them in number-key order."""

from tringtui.tui.panes.channels import ChannelsPane
from tringtui.tui.panes.events import EventsPane
from tringtui.tui.panes.flows import FlowsPane
from tringtui.tui.panes.nodes import NodesPane
from tringtui.tui.panes.peers import PeersPane
from tringtui.tui.panes.queues import QueuesPane

PANE_CLASSES = (NodesPane, ChannelsPane, QueuesPane, FlowsPane, PeersPane, EventsPane)

__all__ = ["PANE_CLASSES", "ChannelsPane", "EventsPane", "FlowsPane", "NodesPane", "PeersPane", "QueuesPane"]
