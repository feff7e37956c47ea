"""Verdicts-only mode: list columns of records keep just each record's name and verdict.

The batch output keeps, of the stages' lists of records, only ``name=verdict`` pairs
(``findings`` → ``rule@pathway=outcome``, ``pathways`` → ``id=eligible``; see
``jpimport.batch.flatten``). Building the rest of each record (reasons, documents, costs,
dates) for every row is most of those stages' work, so within ``verdicts_only()`` they leave
it out. Every other column, and every verdict, is computed exactly as without it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_ACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("verdicts_only", default=False)


@contextlib.contextmanager
def verdicts_only() -> Iterator[None]:
    """Within this block (this thread or task), stages build verdicts-only records."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active() -> bool:
    """True inside ``verdicts_only()``."""
    return _ACTIVE.get()
