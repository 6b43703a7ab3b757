"""Helpers of test_robustness.py: processes, jobs for spawn workers, and a swap racer.

Importable by spawned worker processes (they get the tests folder on sys.path from the parent),
so nothing here does anything at import. Run as a script, it is one racer of the concurrent-swap
test: ``python robustness_helpers.py OUT NAME WHO TIMES`` swaps TIMES complete folders into
OUT/NAME and prints one JSON line of what happened.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

# Every folder the racers swap in holds these files, each naming the swap that wrote it.
RACE_FILES = ("who", "first", "last")


def children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (Linux: /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            text = (task / "children").read_text(encoding="utf-8")
        except OSError:
            continue
        found.update(int(x) for x in text.split())
    return {p for p in found if alive(p)}


def alive(pid: int) -> bool:
    """True for a process that runs (a zombie has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return False
    return "zombie" not in status and "(dead)" not in status


def handles(pid: int, number: int) -> bool:
    """True once process ``pid`` has a handler of its own for signal ``number`` (Linux)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return False
    caught = next(
        (line.split()[1] for line in status.splitlines() if line.startswith("SigCgt")), "0"
    )
    return bool(int(caught, 16) >> (number - 1) & 1)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def marked(marker: str) -> list[int]:
    """Live processes whose environment holds ``marker`` (every child inherits it)."""
    needle = marker.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def wait_until_gone(marker: str, timeout_s: float = 10.0) -> list[int]:
    """Processes still carrying ``marker`` after up to ``timeout_s`` (none, when all ended)."""
    deadline = time.monotonic() + timeout_s
    left = marked(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = marked(marker)
    return [p for p in left if alive(p)]


def square(index: int) -> int:
    """A job for spawn workers."""
    return index * index


def fails_at_three(index: int) -> int:
    """A job whose task 3 fails."""
    if index == 3:
        raise ValueError("task three went wrong")
    return index


def dies_at_two(index: int) -> int:
    """A job whose task 2 kills its own worker, as an out-of-memory killer would."""
    if index == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)
    return index


def race(out: Path, name: str, who: str, times: int) -> dict[str, object]:
    """Swap ``times`` complete folders into ``out/name``; after each, check the folder holds a
    complete swap (under the lock, so the other racer is not halfway)."""
    from thermosim.atomic import staging_name, swap_in, swap_lock

    target = out / name
    failures: list[str] = []
    incomplete = 0
    for i in range(times):
        staging = staging_name(target, "partial")
        staging.mkdir()
        for file in RACE_FILES:
            (staging / file).write_text(f"{who}-{i}", encoding="utf-8")
        try:
            swap_in(staging, target)
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
            continue
        with swap_lock(target):
            texts = {(target / f).read_text(encoding="utf-8") for f in RACE_FILES}
            incomplete += len(texts) != 1
    return {"who": who, "failures": failures, "incomplete": incomplete}


if __name__ == "__main__":
    where, folder, racer, count = sys.argv[1:5]
    print(json.dumps(race(Path(where), folder, racer, int(count))))


def reports_slowly(index: int) -> int:
    """A task that takes ~0.9 s and says how far it is, in tenths (for progress tests)."""
    from thermosim.workers import report

    for tenth in range(1, 10):
        time.sleep(0.1)
        report(tenth / 10)
    return index


def as_from_a_terminal() -> None:
    """In a child before exec: SIGINT, SIGQUIT and SIGHUP at their defaults, as a shell gives.

    A test run started in the background (``cmd &``, ``nohup``) inherits them ignored, and
    thermosim rightly leaves an ignored signal ignored: the tests that send them would hang.
    """
    for name in ("SIGINT", "SIGQUIT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
