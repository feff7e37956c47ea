"""One writer per output: an exclusive lock beside the output for the whole run.

Two runs writing the same output at once would share its work directory (the same run key
means the same part names) and replace each other's parts and output. ``output_lock`` takes an
``flock`` on ``.OUTPUT.lock`` beside the output; a second run fails at once with one line
naming the output. The kernel releases the lock when the process ends, however it ends, so a
killed run never blocks the run that resumes it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jpimport.errors import InputError


def lock_path(output: Path) -> Path:
    """The lock file of an output: hidden, beside it (the work directory is replaced)."""
    return output.with_name(f".{output.name}.lock")


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output's exclusive lock, or raise InputError if another run holds it."""
    path = lock_path(output)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                "another jpimport batch is writing this output; wait for it to finish "
                "or choose another output path",
                source=output,
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            # Unlinked while still held: a run that opened it meanwhile fails as it should;
            # one started after the unlink finds this run finished.
            path.unlink(missing_ok=True)
    finally:
        os.close(fd)
