"""Worker processes: started out of reach of a stop, fed one task at a time, stopped by the parent.

Owns running independent tasks ``job(0..n-1)`` in ``spawn`` worker processes (the same start
method on Linux, macOS and Windows) and the rules that keep a stop clean. Each worker has a
pipe of its own to the parent, with no lock shared between processes, so a worker that dies at
any moment cannot block the others or the parent's clean-up (``multiprocessing.Pool`` hangs in
``terminate`` when a worker was killed holding its queue lock, which a ``timeout`` signalling
the whole process group does). Workers ignore SIGINT, SIGTERM and SIGHUP: the parent alone
decides, and on any exception (a stop, a failed task) it kills every worker and joins it, so no
process is left running; a worker whose parent is gone ends at its next read.

A task may say how far it is with ``report(fraction)``: a worker sends it to the parent's
``map(partial=...)`` (at most every ``REPORT_EVERY_S``), so progress moves within long tasks;
outside a worker it goes to the function set with ``reporting``.
"""

from __future__ import annotations

import functools
import multiprocessing
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

from thermosim.errors import ThermosimError
from thermosim.interrupts import STOP_SIGNALS, signals_held

T = TypeVar("T")
# Tasks each worker holds at once: one running, one waiting, so it never idles between tasks.
IN_FLIGHT = 2
# How long a worker may take to leave after its last task (it only has to notice the pipe close).
LEAVE_S = 5.0
# How often a task's progress crosses to the parent: often enough for a progress bar to move,
# rarely enough to cost nothing (a replication of the baseline takes ~25 ms: none at all).
REPORT_EVERY_S = 0.2

# Where ``report`` sends a fraction in this process (None: nobody listens).
_reporter: Callable[[float], None] | None = None


def report(fraction: float) -> None:
    """From inside a task: it is ``fraction`` (0..1) done. Cheap when nobody listens."""
    if _reporter is not None:
        _reporter(fraction)


def _throttled(send: Callable[[float], None]) -> Callable[[float], None]:
    """``send``, but at most once every ``REPORT_EVERY_S`` (the first one waits that long)."""
    last = time.monotonic()

    def throttled(fraction: float) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= REPORT_EVERY_S:
            last = now
            send(fraction)

    return throttled


@contextmanager
def reporting(listener: Callable[[float], None]) -> Iterator[None]:
    """In this process: ``report`` goes to ``listener`` (throttled) in the body."""
    global _reporter
    before, _reporter = _reporter, _throttled(listener)
    try:
        yield
    finally:
        _reporter = before


class _Partial:
    """A task's progress on its way to the parent."""

    def __init__(self, fraction: float) -> None:
        self.fraction = fraction


def _send_partial(connection: Connection, index: int, fraction: float) -> None:
    connection.send((index, _Partial(fraction)))


class _Failed:
    """A task's exception, sent back with its traceback as text (a traceback does not pickle)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.remote = "".join(traceback.format_exception(error))


class TaskError(Exception):
    """Where a task failed in a worker: its traceback (the ``__cause__`` of its exception)."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}" if self.args else ""


@contextmanager
def _children_shielded() -> Iterator[None]:
    """Start child processes in the body with the stop signals blocked.

    A spawned child inherits the blocked mask (through fork and exec), so a Ctrl-C, which a
    terminal sends to the whole process group, cannot land while the child is still importing
    (each one printed a traceback); ``_ready`` lets the signals through once the child ignores
    them. Signals reaching this process meanwhile stay pending and are delivered when the body
    ends, never lost; so do those that another thread of it takes (numpy's BLAS threads do not
    block them), which Python would otherwise turn into a KeyboardInterrupt in the middle of a
    start, between spawning a child and sending it its task (the child then printed "Ran out
    of input"). Windows has no signal masks: there a Ctrl-C during a worker's first second can
    still print.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # The resource tracker (started with the first spawned child) unblocks SIGINT and SIGTERM
    # after starting itself: start it before blocking them.
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        with signals_held():  # raised again at its end, to this thread: pending until unblocked
            yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _ready() -> None:
    """In a new worker: ignore the stop signals (the parent decides), then let them through."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # pending ones are dropped


def _serve(connection: Connection, job: Callable[[int], object]) -> None:
    """A worker's loop: read a task index, send back ``(index, result)``, until the pipe closes.

    Between the two, ``report`` sends ``(index, _Partial)`` for the task in hand.
    """
    global _reporter
    _ready()
    while True:
        try:
            index = connection.recv()
        except (EOFError, OSError):  # the parent is done, or gone
            return
        _reporter = _throttled(functools.partial(_send_partial, connection, index))
        try:
            reply: tuple[int, object] = (index, job(index))
            connection.send(reply)
        except OSError:
            return
        except Exception as exc:  # the parent raises it, as a failed task in-process would
            try:
                connection.send((index, _Failed(exc)))
            except Exception:  # an exception that does not pickle: its type and text do
                connection.send((index, _Failed(RuntimeError(f"{type(exc).__name__}: {exc}"))))


class Workers(Generic[T]):
    """``processes`` worker processes running ``job``; use as a context manager, then ``map``.

    ``job`` must pickle (a module-level function, or a ``functools.partial`` of one with
    picklable arguments): each worker receives it once.
    """

    def __init__(self, job: Callable[[int], T], processes: int) -> None:
        self.job = job
        self.processes = processes
        self._workers: list[tuple[BaseProcess, Connection]] = []
        self._tasks: Iterator[int] = iter(())
        self._todo = 0

    def __enter__(self) -> Workers[T]:
        context = multiprocessing.get_context("spawn")
        try:
            with _children_shielded():
                for _ in range(self.processes):
                    here, there = context.Pipe()
                    # daemon: should the parent die without cleaning up, its exit ends them.
                    process = context.Process(target=_serve, args=(there, self.job), daemon=True)
                    process.start()
                    there.close()
                    self._workers.append((process, here))
        except BaseException:
            self._stop(kill=True)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        self._stop(kill=kind is not None)

    def _stop(self, kill: bool) -> None:
        """Close every pipe (an idle worker then leaves); kill first after an exception."""
        for process, connection in self._workers:
            connection.close()
            if kill:
                process.kill()
        for process, _ in self._workers:
            process.join(None if kill else LEAVE_S)
            if process.exitcode is None:
                process.kill()
                process.join()
        self._workers = []

    def map(
        self,
        n: int,
        done: Callable[[int, T], None],
        partial: Callable[[int, float], None] | None = None,
    ) -> None:
        """Run ``job(0)`` .. ``job(n-1)``; call ``done(index, result)`` as each finishes.

        ``partial(index, fraction)`` hears what a running task ``report``s.

        Raises
        ------
        Exception
            A task's exception, as raised in the worker (its traceback as ``__cause__``).
        ThermosimError
            When a worker process ended unexpectedly (killed from outside, out of memory).
        """
        self.start(n)
        self.finish(done, partial)

    def start(self, n: int) -> None:
        """Hand out the first tasks of ``job(0)`` .. ``job(n-1)`` and return at once.

        The caller may work meanwhile (drawing its own share, say), then calls ``finish``.
        """
        self._tasks = iter(range(n))
        self._todo = n
        for _, connection in self._workers:
            for index in _take(self._tasks, IN_FLIGHT):
                connection.send(index)

    def finish(
        self, done: Callable[[int, T], None], partial: Callable[[int, float], None] | None = None
    ) -> None:
        """Wait for the tasks ``start`` handed out (see ``map``), handing out the rest."""
        owner = {connection: process for process, connection in self._workers}
        finished = 0
        while finished < self._todo:
            for ready in wait(list(owner)):
                assert isinstance(ready, Connection)
                try:
                    index, result = ready.recv()
                except (EOFError, OSError):  # a socket pipe says "reset" where a pipe says EOF
                    process = owner[ready]
                    process.join(1.0)
                    raise ThermosimError(
                        f"a worker process ended unexpectedly (exit code {process.exitcode}); "
                        "the run was stopped"
                    ) from None
                if isinstance(result, _Partial):
                    if partial is not None:
                        partial(index, result.fraction)
                    continue
                if isinstance(result, _Failed):
                    raise result.error from TaskError(result.remote)
                finished += 1
                done(index, result)
                for following in _take(self._tasks, 1):
                    ready.send(following)


def _take(tasks: Iterator[int], count: int) -> list[int]:
    return [index for _, index in zip(range(count), tasks, strict=False)]


__all__ = ["IN_FLIGHT", "REPORT_EVERY_S", "TaskError", "Workers", "report", "reporting"]
