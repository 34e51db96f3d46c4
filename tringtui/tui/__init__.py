"""The Textual monitor: ``app.TringApp`` with its panes, pollers, screens and widgets.

Entry point: ``tringtui.commands.monitor.run`` (``tringtui`` with no
sub-command). Module map: ``app`` (layout, global keys, header/summary),
``poller`` (one per pane), ``api_thread`` (the API client off the UI loop),
``registry`` (views and pane commands for keys, help and palette),
``palette``, ``themes`` (YAML theme files into Textual themes), ``session``
(profile and theme switching), ``session_end`` (SIGHUP/SIGTERM, a vanished
terminal), ``crash_report`` (a report without local variables or the key),
``actions/`` (operator writes and their runner), ``panes/`` (one module per
pane), ``screens/`` (one module per screen), ``widgets/`` (header, summary
line, tables).
"""
