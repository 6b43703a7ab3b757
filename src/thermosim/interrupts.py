"""Stopping a command: the signals that stop it, the exception they become, and when they land.

Owns ``Interrupted`` (a ``KeyboardInterrupt`` that carries its signal, so every ``except
KeyboardInterrupt`` clean-up also runs for SIGTERM and SIGHUP), the handlers a command runs
under (``stop_on_signals``) and holding signals back over the few renames that must not be split
(``signals_held``). SIGHUP does not exist on Windows and is simply left out there.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

# Ctrl-C, `kill`/`timeout`/a cancelled job, a closed terminal.
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

Handler = Callable[[int, FrameType | None], object] | int | None


class Interrupted(KeyboardInterrupt):
    """A stop asked for by a signal.

    Attributes
    ----------
    signum
        The signal (SIGINT for Ctrl-C).
    written
        A folder that was complete in place before the stop landed (the swap had finished);
        None when nothing was replaced.
    """

    def __init__(self, signum: int = signal.SIGINT, written: Path | None = None) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = int(signum)
        self.written = written

    @property
    def name(self) -> str:
        """``SIGINT``, ``SIGTERM``, ``SIGHUP``."""
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """128 + the signal, as shells report a command stopped by it (130, 143, 129)."""
        return 128 + self.signum

    @classmethod
    def of(cls, stop: BaseException, written: Path | None = None) -> Interrupted:
        """The same stop as an ``Interrupted`` (a plain ``KeyboardInterrupt`` is SIGINT)."""
        return cls(stop.signum if isinstance(stop, Interrupted) else signal.SIGINT, written)


def _in_main_thread() -> bool:
    # Python runs signal handlers in, and lets them be set from, the main thread only.
    return threading.current_thread() is threading.main_thread()


def _replace_handlers(handler: Handler) -> dict[signal.Signals, Handler]:
    """Install ``handler`` for every stop signal that is not ignored; return the previous ones.

    An ignored signal stays ignored (``nohup``, a background job's SIGINT): the user asked for
    that. A handler set outside Python (``None``) is left alone too, as it cannot be restored.
    """
    previous: dict[signal.Signals, Handler] = {}
    for number in STOP_SIGNALS:
        current = signal.getsignal(number)
        if current is None or current == signal.SIG_IGN:
            continue
        previous[number] = signal.signal(number, handler)
    return previous


def _restore(previous: dict[signal.Signals, Handler]) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Run the body with SIGINT, SIGTERM and SIGHUP raising ``Interrupted``; later ones wait.

    The first signal raises in the main thread, so every clean-up on the way out runs (staging
    folders removed, worker processes stopped and joined). Signals after the first are dropped
    until the body is left: a second Ctrl-C, or a ``timeout`` that signals the whole process
    group, must not cut the clean-up short. Outside the main thread nothing changes.
    """
    if not _in_main_thread():
        yield
        return
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise Interrupted(signum)

    previous = _replace_handlers(stop)
    try:
        yield
    finally:
        _restore(previous)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back over the body and deliver them when it ends.

    For a few file-system steps that must not be split (the renames of a swap): a signal that
    arrives meanwhile reaches its own handler right after, as if it had come a moment later.
    Only in the main thread, where Python delivers signals.
    """
    if not _in_main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        pending.append(signum)

    previous = _replace_handlers(hold)
    try:
        yield
    finally:
        _restore(previous)
        for number in dict.fromkeys(pending):
            signal.raise_signal(number)


__all__ = ["STOP_SIGNALS", "Interrupted", "signals_held", "stop_on_signals"]
