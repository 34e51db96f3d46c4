"""tringtui: a terminal live monitor for TRiNG hosted PBXs.

Layers: ``tringtui.api`` (the shared async API client), ``tringtui.sim`` (a
simulated PBX served over HTTP), ``tringtui.tui`` (the Textual app) and
``tringtui.cli`` (the command line). The API layer and the simulator never
import Textual.
"""

__version__ = "0.1.0"
