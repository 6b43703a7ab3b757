"""Speed-up of the engine against an earlier commit, measured in one run on one machine.

A time per replication says as much about the machine as about the engine: the same code took
26 ms on one of these shared machines and 59 ms on another. The speed-up against an earlier
commit does not: this script exports that commit's ``src/`` and ``benchmarks/`` (``git
archive``) into a temporary folder and runs its own ``bench_engine.py`` and this tree's,
alternating round by round (and swapping which goes first), so that noise on a shared machine
hits both alike. It reports each side's median wall time per replication over all rounds and
their ratio, and the SimPy events per replication of each (a different count means the model
changed, not only its speed).

Issue 12 asks for a replication at least twice as fast as at its start, commit ``02e6cd9``
(the default)::

    .venv/bin/python benchmarks/bench_against.py               # 02e6cd9, 4 rounds x 10 reps
    .venv/bin/python benchmarks/bench_against.py HEAD~3 --rounds 6 --reps 5

Both sides run under this interpreter and its installed packages.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISSUE_START = "02e6cd9"  # the commit before issue 12's first engine change
AIM = 2.0  # issue 12: at least twice as fast


def export(commit: str, into: Path) -> Path:
    """``src/`` and ``benchmarks/`` of ``commit`` under ``into``; returns that tree's root."""
    archive = into / "tree.tar"
    with archive.open("wb") as handle:
        subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "src", "benchmarks"],
            stdout=handle,
            check=True,
        )
    tree = into / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def one_round(tree: Path, reps: int, into: Path) -> dict[str, list[float]]:
    """One ``bench_engine.py`` run of ``tree``: its wall times (ms) and event counts."""
    out = into / "round.json"
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    subprocess.run(
        [
            sys.executable,
            str(tree / "benchmarks" / "bench_engine.py"),
            "--reps",
            str(reps),
            "--bare-events",
            "20000",  # the bare-SimPy part is not compared here: keep it short
            "--json",
            str(out),
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    samples = json.loads(out.read_text(encoding="utf-8"))["samples"]
    walls = [1000 * s for runs in samples["wall_s"].values() for s in runs]
    events = [float(e) for runs in samples["events"].values() for e in runs]
    return {"wall_ms": walls, "events": events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", nargs="?", default=ISSUE_START, help=f"({ISSUE_START})")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of each side (4)")
    parser.add_argument("--reps", type=int, default=10, help="replications per variant (10)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    args = parser.parse_args()

    gathered: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="thermosim-bench-") as folder:
        tmp = Path(folder)
        sides = {args.commit: export(args.commit, tmp), "this tree": ROOT}
        gathered = {name: {"wall_ms": [], "events": []} for name in sides}
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for name in order:
                found = one_round(sides[name], args.reps, tmp)
                for key, values in found.items():
                    gathered[name][key] += values
                print(
                    f"round {r + 1}/{args.rounds} {name}: "
                    f"{statistics.median(found['wall_ms']):.1f} ms",
                    file=sys.stderr,
                )

    before, now = (statistics.median(gathered[n]["wall_ms"]) for n in gathered)
    events = [statistics.median(gathered[n]["events"]) for n in gathered]
    speed_up = before / now
    verdict = "met" if speed_up >= AIM else "MISSED"
    print(f"engine against {args.commit}, {args.rounds} alternating rounds x {args.reps} reps x 2")
    print(f"  {args.commit}: {before:.1f} ms per replication (median), {events[0]:,.0f} events")
    print(f"  this tree: {now:.1f} ms per replication (median), {events[1]:,.0f} events")
    print(f"  speed-up: {speed_up:.2f}x (aim >= {AIM:.1f}x: {verdict})")
    if args.json is not None:
        figures = {
            "commit": args.commit,
            "rounds": args.rounds,
            "reps": args.reps,
            "before_ms_median": before,
            "now_ms_median": now,
            "events_median": {"before": events[0], "now": events[1]},
            "speed_up": speed_up,
            "samples": gathered,
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
