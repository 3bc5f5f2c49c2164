"""The cycle collector paused while archcite builds many small objects at once.

Reading a record (models, dates, names) and rendering citations (citeproc-py's elements, marked
text) make many short-lived objects and almost no reference cycles, so the collector's passes
mostly scan objects that are still alive: the caller's documents among them, which makes each
pass slower the more a program holds.  Measured: 15-30% of render time, and about a third of
import time with 1,000-2,000 documents held.  The collector resumes, as it was, afterwards;
the little cyclic garbage made meanwhile is collected then.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
