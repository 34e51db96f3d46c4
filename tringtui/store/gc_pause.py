"""A pause of Python's cyclic garbage collector around the store's bulk work.

Rebuilding a moment at huge, or recording a poll of 20,000 phones, makes tens
of thousands of small objects that live on (rows, models) and form no cycle.
Meanwhile the collector would walk the growing heap again and again: a third
of a rebuild's time. Paused, it runs once afterwards, when its counters say so.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection inside the block; a pause already in force (by the caller) is left alone."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
