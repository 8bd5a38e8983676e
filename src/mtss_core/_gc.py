"""The one place the library pauses Python's cyclic garbage collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are made.

    Building a state-scale graph makes millions of small objects, none of them cyclic
    garbage; each automatic collection then scans them all, which more than doubles the
    build time.  The collector's previous state is restored, and a pause inside a pause
    leaves it to the outer one.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
