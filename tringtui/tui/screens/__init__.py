"""Modal screens of the monitor: channel detail and help."""
