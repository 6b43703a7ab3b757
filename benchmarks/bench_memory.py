"""Benchmark of memory: peak RSS of `thermosim run` (parent plus workers) as replications grow.

Runs ``thermosim run baseline --reps N --workers 2`` with figures, as a subprocess, for N in
100, 1,000 and 10,000 (``--quick``: 30 and 300), and prints per N the wall time and the peak
resident memory of the whole process tree (the command, its worker processes and the
multiprocessing resource tracker):

- ``peak MB``: the largest sum of VmRSS over the tree, sampled every ``--interval`` seconds
  from /proc (psutil when it is installed);
- ``HWM sum MB``: the sum over the processes of each one's own peak (VmHWM, its last value
  seen), an upper bound of the peak that no sampling can miss;
- ``parent MB``: the command's own peak (VmHWM).

The results folder goes to a temporary folder, removed afterwards. Linux only (/proc), unless
psutil is installed.

Run: ``python benchmarks/bench_memory.py [--quick] [--reps 100 1000] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

try:
    import psutil
except ImportError:  # not a dependency: /proc does the same on Linux
    psutil = None

MB = 2**20


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (bytes) and PPid of one process, from /proc/<pid>/status."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    found[key] = int(value.split()[0]) * 1024
                elif key == "PPid":
                    found[key] = int(value.split()[0])
    except (OSError, ValueError):
        return {}
    return found


def _tree(root: int) -> dict[int, dict[str, int]]:
    """The status of ``root`` and every process below it."""
    if psutil is not None:
        found = {}
        try:
            processes = [psutil.Process(root), *psutil.Process(root).children(recursive=True)]
        except psutil.Error:
            return {}
        for p in processes:
            try:
                info = p.memory_info()
                peak = getattr(info, "peak_wset", 0) or _status(p.pid).get("VmHWM", info.rss)
                found[p.pid] = {"VmRSS": info.rss, "VmHWM": peak}
            except psutil.Error:
                continue
        return found
    statuses = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            status = _status(int(entry))
            if status:
                statuses[int(entry)] = status
    below: dict[int, list[int]] = {}
    for pid, status in statuses.items():
        below.setdefault(status.get("PPid", 0), []).append(pid)
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in statuses:
            tree[pid] = statuses[pid]
            todo.extend(below.get(pid, []))
    return tree


class Sampler(threading.Thread):
    """Samples the memory of a process tree until stopped."""

    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak = 0
        self.hwm: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree = _tree(self.root)
            self.peak = max(self.peak, sum(s.get("VmRSS", 0) for s in tree.values()))
            for pid, status in tree.items():
                self.hwm[pid] = max(self.hwm.get(pid, 0), status.get("VmHWM", 0))
            self.done.wait(self.interval)


def measure(reps: int, workers: int, out: Path, interval: float) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "thermosim",
        "run",
        "baseline",
        "--reps",
        str(reps),
        "--workers",
        str(workers),
        "--quiet",
        "--out",
        str(out),
    ]
    start = time.perf_counter()
    child = subprocess.Popen(command)
    sampler = Sampler(child.pid, interval)
    sampler.start()
    code = child.wait()
    seconds = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"thermosim run exited with {code}")
    folder = out / "baseline"
    summary = folder / "summary.json"
    return {
        "reps": reps,
        "workers": workers,
        "seconds": round(seconds, 1),
        "peak_mb": round(sampler.peak / MB, 1),
        "hwm_sum_mb": round(sum(sampler.hwm.values()) / MB, 1),
        "parent_mb": round(sampler.hwm.get(child.pid, 0) / MB, 1),
        "timeseries_mb": round((folder / "timeseries.csv").stat().st_size / MB, 1),
        # A thermosim from before summary.json (to compare against) writes none.
        "summary_mb": round(summary.stat().st_size / MB, 2) if summary.exists() else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 and 300 replications only")
    parser.add_argument("--reps", type=int, nargs="+", help="replications to measure")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.02, help="sampling period (s)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    if psutil is None and not Path("/proc/self/status").exists():
        raise SystemExit("needs psutil or /proc (Linux)")
    counts = args.reps or ([30, 300] if args.quick else [100, 1_000, 10_000])
    rows = []
    print(
        f"{'reps':>7} {'seconds':>9} {'peak MB':>9} {'HWM sum MB':>11} {'parent MB':>10} "
        f"{'timeseries MB':>14} {'summary MB':>11}"
    )
    for reps in counts:
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as out:
            row = measure(reps, args.workers, Path(out), args.interval)
        rows.append(row)
        print(
            f"{reps:>7} {row['seconds']:>9.1f} {row['peak_mb']:>9.1f} {row['hwm_sum_mb']:>11.1f} "
            f"{row['parent_mb']:>10.1f} {row['timeseries_mb']:>14.1f} {row['summary_mb']:>11.2f}",
            flush=True,
        )
    if args.json:
        meta = {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cores": os.cpu_count(),
            "sampler": "psutil" if psutil else "/proc",
        }
        args.json.write_text(json.dumps({"meta": meta, "runs": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
