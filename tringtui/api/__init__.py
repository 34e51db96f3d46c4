"""The shared TRiNG API layer: async client, models, body parsing, errors, redaction, validation.

``from tringtui.api import TringClient`` is the usual entry point. The
client (and with it httpx) is imported on first use, so that importing the
models or errors stays cheap.
"""

from __future__ import annotations

from typing import Any

_LAZY = {"TringClient": "client", "Timeouts": "client", "RawResponse": "client", "is_write": "client"}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"tringtui.api.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'tringtui.api' has no attribute {name!r}")
