"""Benchmark of whole runs: `thermosim run` end to end, workers, and scaling.

Measures, in one run of this script:

1. ``thermosim run lost-key-account --reps 100 --no-figures`` as a subprocess (what a trainer
   types), with 1 and with 2 workers, interleaved, median of ``--repeats``; the speed-up ratio.
2. How time grows with replications (10, 100, 1,000) and with team size (5, 10, 50, 200
   people), through the Python API with 2 workers; time per replication and per
   person-replication show whether growth is linear.

Run: ``python benchmarks/bench_experiment.py [--repeats 3] [--quick] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import thermosim


def time_cli(workers: int, reps: int, out: Path) -> float:
    command = [
        sys.executable,
        "-m",
        "thermosim",
        "run",
        "lost-key-account",
        "--reps",
        str(reps),
        "--workers",
        str(workers),
        "--no-figures",
        "--quiet",
        "--out",
        str(out),
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def time_api(reps: int, team: int, workers: int) -> float:
    scenario = thermosim.load_scenario(
        "lost-key-account",
        (
            f"plant.people.team_size={team}",
            f"plant.market.lead_rate_per_week={2.2 * team!r}",
            f"plant.target_eur_per_week={10_400.0 * team!r}",
        ),
    )
    start = time.perf_counter()
    thermosim.run_experiment(scenario, replications=reps, workers=workers)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the 1,000 and 200 cases")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": __import__("os").cpu_count(),
    }

    with tempfile.TemporaryDirectory() as tmp:
        one, two = [], []
        for i in range(args.repeats):
            # Interleaved (and alternating order) so machine noise hits both alike.
            order = (1, 2) if i % 2 == 0 else (2, 1)
            for workers in order:
                (one if workers == 1 else two).append(time_cli(workers, 100, Path(tmp)))
    cli = {"workers_1_s": statistics.median(one), "workers_2_s": statistics.median(two)}
    cli["speedup"] = cli["workers_1_s"] / cli["workers_2_s"]
    report["cli_lost_key_account_100_reps"] = cli
    print(
        "thermosim run lost-key-account --reps 100 --no-figures (median of "
        f"{args.repeats}): 1 worker {cli['workers_1_s']:.2f} s, 2 workers "
        f"{cli['workers_2_s']:.2f} s, speed-up {cli['speedup']:.2f} (aim >= 1.7)"
    )

    reps_cases = [10, 100] + ([] if args.quick else [1000])
    team_cases = [5, 10, 50] + ([] if args.quick else [200])
    rows = []
    print("\nreplications (10 people, 2 workers): seconds, ms per replication")
    for reps in reps_cases:
        seconds = statistics.median(time_api(reps, 10, 2) for _ in range(args.repeats))
        rows.append({"replications": reps, "team": 10, "s": seconds})
        print(f"  {reps:6d} reps  {seconds:8.2f} s  {1000 * seconds / reps:8.1f} ms/rep")
    print("\nteam size (20 replications, 2 workers): seconds, ms per person-replication")
    for team in team_cases:
        seconds = statistics.median(time_api(20, team, 2) for _ in range(args.repeats))
        rows.append({"replications": 20, "team": team, "s": seconds})
        per = 1000 * seconds / (20 * team)
        print(f"  {team:6d} people {seconds:8.2f} s  {per:8.2f} ms/person-rep")
    report["scaling"] = rows
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
