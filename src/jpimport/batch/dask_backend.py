"""Run batch chunks on a Dask cluster: the same ``assess_chunk``, somewhere else.

The driver reads the input and writes the parts; workers only assess chunks, so they need
jpimport installed but no shared disk. At most two chunks per worker are in flight, which
keeps the driver's memory bounded however large the input is. Needs the ``dask`` extra:
``pip install 'jpimport[dask]'``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import Any

import polars as pl

from jpimport.batch.chunk import Plan, assess_chunk
from jpimport.errors import InputError

#: No dashboard, and the scheduler's HTTP server on a free port. With ``dashboard_address=None``
#: the scheduler still binds its HTTP routes to port 8787, and warns (then moves) when another
#: program holds that port; ``:0`` lets the system pick a free one, so two runs never collide.
_NO_DASHBOARD: dict[str, Any] = {
    "dashboard_address": ":0",
    "scheduler_kwargs": {"dashboard": False},
}


@dataclass(frozen=True)
class DaskSettings:
    """Where to run: a scheduler address, or a local cluster of ``workers`` workers."""

    scheduler: str | None = None
    workers: int | None = None
    processes: bool = True
    threads_per_worker: int = 1


def _distributed() -> Any:
    """The ``distributed`` module, or a clear error saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise InputError(
            "the dask engine needs the dask extra: pip install 'jpimport[dask]'",
            field="--engine",
        ) from None
    return distributed


def _client(settings: DaskSettings, stack: ExitStack) -> Any:
    """A client of the given scheduler, or of a local cluster closed with ``stack``."""
    distributed = _distributed()
    if settings.scheduler:
        try:
            client: AbstractContextManager[Any] = distributed.Client(
                settings.scheduler, timeout="20s"
            )
        except OSError as exc:
            raise InputError(
                f"cannot reach the Dask scheduler: {exc}", field="--scheduler"
            ) from None
        return stack.enter_context(client)
    extra: dict[str, Any] = {}
    if settings.processes:
        # Each worker process gets as many Polars threads as Dask threads, so N workers on N
        # cores do not run N x N threads.
        extra["env"] = {"POLARS_MAX_THREADS": str(settings.threads_per_worker)}
    cluster = distributed.LocalCluster(
        n_workers=settings.workers or 2,
        threads_per_worker=settings.threads_per_worker,
        processes=settings.processes,
        silence_logs=logging.ERROR,
        **_NO_DASHBOARD,
        **extra,
    )
    stack.enter_context(cluster)
    return stack.enter_context(distributed.Client(cluster))


def _worker_count(client: Any, settings: DaskSettings) -> int:
    """How many workers the cluster has now (at least one)."""
    try:
        count = len(client.scheduler_info().get("workers", {}))
    except Exception:  # an unreachable scheduler shows up again on submit
        count = 0
    return max(count, settings.workers or 0, 1)


def assess_chunks_dask(
    chunks: Iterable[tuple[int, pl.DataFrame]], plan: Plan, settings: DaskSettings
) -> Iterator[tuple[int, pl.DataFrame]]:
    """Assess chunks on Dask workers; yields ``(index, output)`` as chunks finish."""
    distributed = _distributed()
    with ExitStack() as stack:
        client = _client(settings, stack)
        window = 2 * _worker_count(client, settings)
        run = uuid.uuid4().hex[:8]
        source = iter(chunks)
        indices: dict[str, int] = {}
        finished = distributed.as_completed()

        def submit() -> bool:
            """Send the next chunk to the cluster; False when the input is exhausted."""
            item = next(source, None)
            if item is None:
                return False
            index, raw = item
            future = client.submit(
                assess_chunk, raw, plan, key=f"jpimport-chunk-{run}-{index}", pure=False
            )
            indices[future.key] = index
            finished.add(future)
            return True

        for _ in range(window):
            if not submit():
                break
        for future in finished:
            result: pl.DataFrame = future.result()
            index = indices.pop(future.key)
            future.release()
            yield index, result
            submit()
