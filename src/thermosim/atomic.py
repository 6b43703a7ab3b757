"""Replacing a folder whole: staging names, the swap lock, rollback, and an early write check.

Owns how a folder thermosim wrote is put in place. It is built under a hidden sibling name
(``staging_name``) and swapped in by two renames (``swap_in``) under an OS file lock on the
sibling ``.<name>.lock``, so two runs into the same folder take turns instead of interleaving;
stop signals are held back over the renames, and should a step still fail or be interrupted,
the old folder is put back under its name unless the new one is already complete there: the
name holds the old folder or the complete new one, never neither, and no hidden folder stays
behind. A symbolic link in the way is moved aside like a folder and removed as a link, never
written through. ``check_writable`` tells early whether a folder can take files at all.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from thermosim.errors import ResultsError
from thermosim.interrupts import Interrupted, signals_held

T = TypeVar("T")

# A swap takes milliseconds; a lock held this long belongs to a process that hangs.
LOCK_WAIT_S = 60.0
_POLL_S = 0.01
# Never open a lock file through a planted link (POSIX; Windows has no such flag).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# File systems without locks (some network mounts): the swap goes ahead unlocked, as before.
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # one byte at offset 0, never read or written
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        # flock, not lockf: it belongs to the open file, so two threads exclude each other too.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in _NO_LOCKS:
                return True
            raise
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


def staging_name(target: Path, kind: str) -> Path:
    """A fresh hidden sibling of ``target``: ``.<name>.<kind>-<8 hex digits>``."""
    return target.with_name(f".{target.name}.{kind}-{uuid.uuid4().hex[:8]}")


def lock_path(target: Path) -> Path:
    """The lock file of ``target``: ``.<name>.lock`` beside it (removed when released)."""
    return target.with_name(f".{target.name}.lock")


def _same(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
    except OSError:
        return False


@contextlib.contextmanager
def swap_lock(target: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the OS lock of ``target`` over the body (waiting up to ``wait_s`` for it).

    The lock file is removed on release (while still held, on POSIX), so it does not linger;
    a waiter that then gets the lock of the removed file sees that the name no longer leads to
    it and starts over with the new one.

    Raises
    ------
    ResultsError
        When the lock file is a symbolic link (bad input), or the lock stays taken for
        ``wait_s`` (another process has hung mid-swap).
    """
    path = lock_path(target)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ResultsError(
                    f"{path} is a symbolic link; thermosim does not write through links: remove it",
                    bad_input=True,
                ) from None
            raise
        locked = _try_lock(fd)
        if locked and _same(fd, path):
            break
        if locked:
            _unlock(fd)
        os.close(fd)
        if time.monotonic() > deadline:
            raise ResultsError(
                f"{target} is being replaced by another process that has held {path} for "
                f"{wait_s:.0f} s; nothing was changed: try again, or remove {path} if no "
                "thermosim is running"
            )
        time.sleep(_POLL_S)
    try:
        yield
    finally:
        if sys.platform == "win32":
            # Windows cannot remove a file that is open: release first; if another process
            # has opened it meanwhile, the removal fails and that process removes it later.
            _unlock(fd)
            os.close(fd)
            with contextlib.suppress(OSError):
                path.unlink()
        else:
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)  # releases the lock


def discard(path: Path) -> None:
    """Remove a folder we made or moved aside; a link is removed as a link, never followed."""
    if path.is_symlink() or (os.path.lexists(path) and not path.is_dir()):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def same_folder(path: Path, folder: os.stat_result) -> bool:
    """True when ``path`` is now the folder ``folder`` was taken of (a rename keeps it)."""
    try:
        return os.path.samestat(os.lstat(path), folder)
    except OSError:
        return False


def _put_back(target: Path, retired: Path) -> None:
    """After a fault: the old folder back under its name, unless the name is taken already."""
    failure: BaseException | None = None
    for _ in range(3):
        if os.path.lexists(target) or not os.path.lexists(retired):
            return
        try:
            os.replace(retired, target)
        except BaseException as exc:  # a second fault while putting back: try again
            failure = exc
        else:
            return
    raise ResultsError(
        f"could not put the previous {target.name} back under its name: it is in {retired}"
    ) from failure


def _leftovers(target: Path) -> list[Path]:
    """Old folders of ``target`` moved aside by swaps that were killed (newest first)."""
    prefix = f".{target.name}.old-"
    try:
        found = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    return sorted(found, key=lambda p: os.lstat(p).st_mtime_ns, reverse=True)


def recover_killed_swap(target: Path) -> Path | None:
    """Undo what a swap killed outright (SIGKILL, a power cut) left; call under the lock.

    Such a swap can leave the old folder under its hidden ``.old`` name: with the name empty,
    the newest one is the previous folder and goes back under the name; with the name taken,
    the swap had finished and the old ones are removed. Returns the folder put back, if any.
    """
    leftovers = _leftovers(target)
    restored = None
    if leftovers and not os.path.lexists(target):
        restored = leftovers.pop(0)
        os.replace(restored, target)
    for old in leftovers:
        discard(old)
    return restored


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` (if any) by the complete folder ``staging``.

    Under the lock of ``target``, with stop signals held: what a killed swap left is put right
    first (``recover_killed_swap``); then the old folder (or link) is renamed
    to a hidden ``.<name>.old-XXXX``, ``staging`` to ``target``, and the old one removed. On any
    exception at any step, the old one is renamed back unless ``staging`` is already complete
    under the name, in which case the old one is removed: either way the name holds a
    complete folder and no hidden one is left.

    Raises
    ------
    Interrupted
        When a stop landed after the new folder was in place; ``written`` is ``target``.
    ResultsError
        When the lock cannot be taken (nothing was changed) or the old folder cannot be put
        back (the message says where it is).
    OSError
        When a rename fails; the old folder is back under its name.
    """
    new = os.lstat(staging)
    retired = staging_name(target, "old")
    try:
        with swap_lock(target), signals_held():
            recover_killed_swap(target)
            try:
                if os.path.lexists(target):
                    os.replace(target, retired)
                os.replace(staging, target)
            except BaseException:
                _put_back(target, retired)
                raise
            finally:
                if same_folder(target, new):
                    discard(retired)
    except KeyboardInterrupt as stop:
        if same_folder(target, new):
            raise Interrupted.of(stop, written=target) from None
        raise


def write_staged(target: Path, fill: Callable[[Path], T], what: str = "results") -> T:
    """Build the folder ``target`` with ``fill(staging)`` under a hidden sibling, then swap it in.

    ``fill`` writes every file (and may draw figures); its value is returned. On any failure
    or stop the staging folder is removed and the previous ``target`` is as it was, unless the
    new one was complete in place (a stop held over the swap lands just after it).

    Raises
    ------
    ResultsError
        When ``target`` is a file, or the folder cannot be written (``bad_input`` when its
        parent cannot even be made); ``what`` names the contents in the message.
    thermosim.interrupts.Interrupted
        On a stop; ``written`` says whether the new folder was complete in place.
    """
    if target.exists() and not target.is_dir():
        raise ResultsError(
            f"{target} exists and is not a folder: move it away or choose another --out",
            bad_input=True,
        )
    staging = staging_name(target, "partial")
    made: os.stat_result | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        made = os.lstat(staging)  # a rename keeps it: how we know the swap has happened
        value = fill(staging)
        swap_in(staging, target)
    except ResultsError:
        discard(staging)
        raise
    except OSError as exc:
        discard(staging)
        reason = exc.strerror or str(exc)
        # Not being able to create the folder at all is a bad --out; failing midway is not.
        raise ResultsError(
            f"could not write {what} to {target}: {reason}"
            + (f"; the previous {what} are untouched" if target.exists() else ""),
            bad_input=not staging.parent.is_dir(),
        ) from None
    except KeyboardInterrupt as stop:
        # Ctrl-C, SIGTERM or SIGHUP while filling or swapping: no half-written folder stays
        # behind, and the caller learns whether the new one made it.
        discard(staging)
        done = made is not None and same_folder(target, made)
        raise Interrupted.of(stop, written=target if done else None) from None
    except BaseException:
        discard(staging)
        raise
    return value


def check_writable(folder: Path, option: str = "--out") -> None:
    """Create ``folder`` (with its parents) and check that a file can be made and removed there.

    Run before anything slow, so a read-only, virtual (``/proc``) or dangling-link folder is
    reported at once instead of after the simulation.

    Raises
    ------
    ResultsError
        Naming the folder and why (bad input).
    """
    probe = folder / f".thermosim-check-{uuid.uuid4().hex[:8]}"
    try:
        if folder.is_symlink() and not folder.exists():
            raise ResultsError(
                f"{option} {folder} is a symbolic link to {os.readlink(folder)}, which does "
                "not exist: create that folder or choose another folder",
                bad_input=True,
            )
        if folder.exists() and not folder.is_dir():
            raise ResultsError(
                f"{option} {folder} exists and is not a folder: choose a folder", bad_input=True
            )
        folder.mkdir(parents=True, exist_ok=True)
        # O_EXCL: a fresh file, never an existing one or a link.
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644))
        probe.unlink()
    except ResultsError:
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            probe.unlink()
        raise ResultsError(
            f"{option} {folder}: cannot write files there ({exc.strerror or exc}); "
            "choose another folder",
            bad_input=True,
        ) from None


__all__ = [
    "LOCK_WAIT_S",
    "check_writable",
    "discard",
    "recover_killed_swap",
    "same_folder",
    "staging_name",
    "swap_in",
    "swap_lock",
]
