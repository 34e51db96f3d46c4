"""Giving memory back to the system after a big answer.

Parsing a body of tens of megabytes builds (and frees) the body's bytes, its
text and a JSON tree several times its size. CPython frees those objects,
but glibc's allocator keeps the freed pages for reuse, so a process that
once read a 27 MB answer stayed 100+ MB larger. ``malloc_trim`` hands the
free pages back. It exists on glibc only; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable

# Answers at least this large are followed by a trim (smaller ones leave too little behind to matter).
BIG_ANSWER_BYTES = 4 * 1024 * 1024


def _load_malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim with
        return None
    return trim


_MALLOC_TRIM = _load_malloc_trim()


def release_freed_memory() -> None:
    """Collect cycles, then return the allocator's free pages to the system (glibc only)."""
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
