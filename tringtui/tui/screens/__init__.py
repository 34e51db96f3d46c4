"""Modal screens of the monitor, one module each: channel detail, help, tenant choice, and the confirmation
and prompts that precede a write."""
