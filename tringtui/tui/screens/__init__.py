"""Screens pushed over the monitor: confirmations and the prompts that precede a write (one module each)."""
