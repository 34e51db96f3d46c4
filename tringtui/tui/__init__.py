"""The Textual monitor: ``app.TringApp`` with its panes, pollers, screens and widgets.

Entry point: ``tringtui.commands.monitor.run`` (``tringtui`` with no
sub-command). Module map: ``app`` (layout, global keys, header/summary),
``poller`` (one per pane), ``api_thread`` (the API client off the UI loop),
``registry`` (views and pane commands for keys, help and palette),
``palette``, ``theme``, ``panes/`` (one module per pane), ``screens/`` (one
module per screen), ``widgets/`` (header, summary line, tables).
"""
