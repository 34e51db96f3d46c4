"""Operator actions: writes to the PBX started from the keyboard, confirmed, re-checked and journalled.

- ``write_action`` — ``WriteAction``: one write bound to its target's identity.
- ``runner`` — ``ActionRunner``: re-checks the target, sends once, classifies, journals.
- ``controller`` — ``ActionController``: the Textual side (busy guard, prompts,
  confirmation, notifications, pane refresh, read-only state).
- ``calls``, ``agents``, ``phones``, ``flows`` — one module per action family,
  each turning a selected row (and what a prompt asked) into a ``WriteAction``.
- ``catalog`` — every action's name, key and pane: the footer, the help
  screen and the command palette all read it.
"""
