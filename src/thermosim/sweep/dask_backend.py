"""Sending sweep cells to Dask: an existing cluster (``tcp://HOST:PORT``) or a ``LocalCluster``.

Owns the optional Dask path of ``thermosim sweep --scheduler``: connecting (an unreachable
scheduler or a missing ``thermosim[dask]`` is bad input, one line), submitting one task per cell
and handing results back as they finish; the files are the same as with the process pool
because each cell's seed and replications do not depend on where it runs. Dask is imported only
here, and only when asked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from thermosim.sweep.grid import SweepError
from thermosim.sweep.run import Mapper

CONNECT_TIMEOUT_S = 10


@contextlib.contextmanager
def dask_mapper(scheduler: str, workers: int) -> Iterator[Mapper]:
    """A mapper running each task on Dask; the client (and a local cluster) closed on exit.

    Parameters
    ----------
    scheduler
        ``local`` for a ``LocalCluster`` of ``workers`` single-threaded worker processes, or the
        address of a running scheduler (``tcp://HOST:PORT``).

    Raises
    ------
    SweepError
        When Dask is not installed or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SweepError(
            "--scheduler needs Dask: pip install 'thermosim[dask]' (or run without --scheduler)"
        ) from None
    cluster: Any = None
    try:
        if scheduler == "local":
            # Processes, not threads: the engine is pure Python and would share one GIL.
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SweepError(
            f"cannot reach the Dask scheduler at {scheduler} ({reason[:120]}); start one "
            "(`dask scheduler` and `dask worker ADDRESS`), check the address, or use "
            "--scheduler local"
        ) from None

    def run(job: Callable[[int], Any], n: int, done: Callable[[int, Any], None]) -> None:
        # pure=False: a rerun computes again instead of reusing a cached result by key.
        futures = {client.submit(job, i, pure=False): i for i in range(n)}
        try:
            for future in as_completed(futures):
                done(futures[future], future.result())
        finally:
            client.cancel(list(futures))

    try:
        yield run
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = ["CONNECT_TIMEOUT_S", "dask_mapper"]
