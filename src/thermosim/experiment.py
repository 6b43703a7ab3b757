"""Variants x replications: seeds, common random numbers, workers, KPI summaries.

Owns how an experiment is split into tasks (one per replication, all variants inside it, so each
replication's variants share their random streams), how the tasks are handed to worker
processes (``thermosim.workers``; ``spawn`` safe: only picklable, module-level functions cross the
boundary), and the KPI summary.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from thermosim import metrics
from thermosim.config.scenario import Scenario
from thermosim.engine import Run, simulate
from thermosim.errors import ThermosimError
from thermosim.plant.registry import plant_spec
from thermosim.workers import Workers

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Experiment:
    """All runs of a scenario and their KPIs.

    Attributes
    ----------
    runs
        ``{variant: [Run for replication 0..n-1]}``.
    per_replication
        ``{variant: [KPIs of replication 0..n-1]}``.
    kpis
        ``{variant: {kpi: {"mean", "p10", "p50", "p90"}}}``.
    """

    scenario: Scenario
    replications: int
    seed: int
    runs: dict[str, list[Run]]
    per_replication: dict[str, list[dict[str, float]]]
    kpis: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)


def recovery_shock_weeks(scenario: Scenario) -> list[float]:
    """Weeks of the shocks recovery is measured from (a seasonal wave has no recovery)."""
    return [s.week for s in scenario.shocks if s.kind != "seasonality"]


def _replication(scenario: Scenario, seed: int, replication: int) -> list[Run]:
    """Every variant of one replication (module level, so spawn workers can import it)."""
    return [simulate(scenario, v.name, seed, replication) for v in scenario.variants]


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def run_experiment(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> Experiment:
    """Run every variant of ``scenario`` for ``replications`` replications.

    Parameters
    ----------
    scenario
        A validated scenario.
    replications
        Number of replications (default: the scenario's).
    seed
        Seed (default: the scenario's). Replication r of every variant uses the same streams.
    workers
        Worker processes (1 = in this process). Results are identical for any number.
    progress
        Called with (replications done, total) as they finish.

    Returns
    -------
    Experiment
    """
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    if n < 1:
        raise ThermosimError(f"replications must be at least 1, got {n}")
    if workers < 1:
        raise ThermosimError(f"workers must be at least 1, got {workers}")
    results: list[list[Run] | None] = [None] * n
    if workers == 1 or n == 1:
        for r in range(n):
            results[r] = _replication(scenario, seed, r)
            if progress is not None:
                progress(r + 1, n)
    else:
        finished = 0

        def done(r: int, runs: list[Run]) -> None:
            nonlocal finished
            results[r] = runs
            finished += 1
            if progress is not None:
                progress(finished, n)

        # Each worker gets the scenario once; the parent alone reacts to Ctrl-C, SIGTERM and
        # SIGHUP, and leaves no worker running (see thermosim.workers).
        job = functools.partial(_replication, scenario, seed)
        with Workers(job, min(workers, n)) as pool:
            pool.map(n, done)
    return summarize(scenario, seed, [r for r in results if r is not None])


def summarize(scenario: Scenario, seed: int, replications: list[list[Run]]) -> Experiment:
    """Compute per-replication KPIs, their summary, and recovery on the median response."""
    spec = plant_spec(scenario.plant.kind)
    runs: dict[str, list[Run]] = {v.name: [] for v in scenario.variants}
    per_rep: dict[str, list[dict[str, float]]] = {v.name: [] for v in scenario.variants}
    for rep in replications:
        for run in rep:
            runs[run.variant].append(run)
            per_rep[run.variant].append(spec.kpis(run.series))
    kpis = {name: metrics.summarize(values) for name, values in per_rep.items()}
    primary = spec.primary_series
    for name, variant_runs in runs.items():
        values = np.array([r.series[primary] for r in variant_runs])
        targets = np.array([r.series["target"] for r in variant_runs])
        for i, week in enumerate(recovery_shock_weeks(scenario), start=1):
            found = metrics.ensemble_recovery(
                values, targets, week, one_sided=spec.one_sided_recovery, seed=seed + i
            )
            suffix = "" if i == 1 else f"_{i}"
            for kpi, stats in found.items():
                kpis[name][f"{kpi}{suffix}"] = stats
    return Experiment(scenario, len(replications), seed, runs, per_rep, kpis)
