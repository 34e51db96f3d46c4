"""The check shared by sources whose request types a live PBX always fills."""

from __future__ import annotations

from tringtui.api.errors import EmptyAnswer


def empty_answer(reqtype: str) -> EmptyAnswer:
    """The error for an empty answer where a live PBX always has data (the last data stays shown)."""
    return EmptyAnswer(f"{reqtype}: empty answer (no data)", reqtype=reqtype)
