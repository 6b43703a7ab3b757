"""Variants x replications: seeds, common random numbers, workers, KPI summaries.

Owns how an experiment is split into tasks (one per replication, all variants inside it, so each
replication's variants share their random streams), how the tasks are handed to worker
processes (``thermosim.workers``; ``spawn`` safe: only picklable, module-level functions cross the
boundary; never more than the usable cores), and what is kept of each replication as it
arrives (``Tally``): its KPIs and the primary and target series recovery is measured on. The
full runs are kept only when asked (``keep_runs``); a caller that streams them elsewhere (the
results folder) gets each replication in order through ``each``, so memory need not grow with
replications by more than that.
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
from thermosim.workers import Workers, report, reporting

# Called with (replications done, total); done counts the running ones' share, so it may be
# a fraction and moves within long replications.
ProgressCallback = Callable[[float, int], None]
# Made of one replication's runs in the process that ran them (picklable, module level).
Prepare = Callable[[list[Run]], object]


@dataclass(frozen=True)
class Replication:
    """One replication as it arrives from the process that ran it.

    Attributes
    ----------
    runs
        Every variant's run, in scenario order (the same random numbers for each).
    kpis
        Each run's KPIs, worked out beside it (in the worker, so the parent, which receives
        every replication, does not become the bottleneck).
    prepared
        What the caller's ``prepare`` made of the runs there (the results folder's rows as
        text), or None.
    """

    runs: list[Run]
    kpis: list[dict[str, float]]
    prepared: object = None


# Called with each replication's index and the replication, in replication order.
ReplicationCallback = Callable[[int, Replication], None]


@dataclass(frozen=True)
class Experiment:
    """All runs of a scenario and their KPIs.

    Attributes
    ----------
    runs
        ``{variant: [Run for replication 0..n-1]}``; empty when the runs were not kept
        (``run_experiment(keep_runs=False)``).
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


def _replication(
    scenario: Scenario, seed: int, prepare: Prepare | None, replication: int
) -> Replication:
    """Every variant of one replication (module level, so spawn workers can import it).

    Reports how far it is (``workers.report``) as each week is booked.
    """
    runs = []
    count = len(scenario.variants)
    for i, variant in enumerate(scenario.variants):

        def on_week(weeks: int, of: int, i: int = i) -> None:
            report((i + weeks / of) / count)

        runs.append(simulate(scenario, variant.name, seed, replication, on_week))
    kpis = plant_spec(scenario.plant.kind).kpis
    return Replication(
        runs, [kpis(run.series) for run in runs], None if prepare is None else prepare(runs)
    )


def _within(progress: ProgressCallback, done: int, total: int, fraction: float) -> None:
    progress(done + fraction, total)


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def usable_workers(asked: int) -> int:
    """``asked`` worker processes, but no more than the usable cores (more only slow it down).

    Each worker is a whole Python process holding the scenario: beyond the cores they only
    take turns, costing memory and start-up time (64 workers on 2 cores: 25 times slower).
    """
    return max(1, min(asked, default_workers()))


def each_replication(
    scenario: Scenario,
    seed: int,
    replications: int,
    workers: int,
    consume: ReplicationCallback,
    progress: ProgressCallback | None = None,
    prepare: Prepare | None = None,
) -> None:
    """Run replications ``0..replications-1``; hand each to ``consume`` in replication order.

    ``prepare`` (picklable) runs beside the simulation, in the worker, on each replication's
    runs; ``consume`` finds its result in ``Replication.prepared``.

    With workers, a replication that finishes before an earlier one waits until that one is
    consumed: at most the tasks in flight (``workers x workers.IN_FLIGHT``) are held at once.
    ``progress`` hears of every finished replication as it finishes, and of the running
    ones' share every ``workers.REPORT_EVERY_S`` or so (a long replication moves it).
    """
    if workers == 1 or replications == 1:
        for r in range(replications):
            if progress is None:
                made = _replication(scenario, seed, prepare, r)
            else:
                with reporting(functools.partial(_within, progress, r, replications)):
                    made = _replication(scenario, seed, prepare, r)
            consume(r, made)
            if progress is not None:
                progress(r + 1, replications)
        return
    waiting: dict[int, Replication] = {}
    running: dict[int, float] = {}  # the share done of each replication still running
    following = finished = 0

    def done(r: int, made: Replication) -> None:
        nonlocal following, finished
        waiting[r] = made
        running.pop(r, None)
        while following in waiting:
            consume(following, waiting.pop(following))
            following += 1
        finished += 1
        if progress is not None:
            progress(finished + sum(running.values()), replications)

    def partial(r: int, fraction: float) -> None:
        running[r] = fraction
        if progress is not None:
            progress(finished + sum(running.values()), replications)

    # Each worker gets the scenario once; the parent alone reacts to Ctrl-C, SIGTERM and
    # SIGHUP, and leaves no worker running (see thermosim.workers).
    job = functools.partial(_replication, scenario, seed, prepare)
    with Workers(job, min(workers, replications)) as pool:
        pool.map(replications, done, partial)


class Tally:
    """What an experiment keeps of its replications, fed one at a time in order.

    Per variant: each replication's KPIs (a few dozen floats) and its primary and target
    series (what recovery is measured on: replications x weeks floats each); the runs
    themselves only with ``keep_runs``.
    """

    def __init__(self, scenario: Scenario, seed: int, replications: int, keep_runs: bool) -> None:
        self.scenario, self.seed, self.replications = scenario, seed, replications
        self.spec = plant_spec(scenario.plant.kind)
        names = [v.name for v in scenario.variants]
        self.runs: dict[str, list[Run]] = {n: [] for n in names} if keep_runs else {}
        self.per_rep: dict[str, list[dict[str, float]]] = {n: [] for n in names}
        # primary, target and (for a plant with one) the resting series, per variant
        self.responses: dict[str, tuple[np.ndarray, ...]] = {}
        self.count = 0

    def add(self, made: Replication) -> None:
        """The next replication (every variant's run and KPIs)."""
        names = [self.spec.primary_series, "target"]
        if self.spec.resting_series is not None:
            names.append(self.spec.resting_series)
        for run, kpis in zip(made.runs, made.kpis, strict=True):
            self.per_rep[run.variant].append(kpis)
            if run.variant not in self.responses:
                shape = (self.replications, len(run.series[names[0]]))
                self.responses[run.variant] = tuple(np.empty(shape) for _ in names)
            for kept, name in zip(self.responses[run.variant], names, strict=True):
                kept[self.count] = run.series[name]
            if self.runs:
                self.runs[run.variant].append(run)
        self.count += 1

    def experiment(self) -> Experiment:
        """The KPI summary of what was added, with recovery on the median response."""
        kpis = {name: metrics.summarize(values) for name, values in self.per_rep.items()}
        for name, (values, targets, *resting) in self.responses.items():
            for i, week in enumerate(recovery_shock_weeks(self.scenario), start=1):
                found = metrics.ensemble_recovery(
                    values[: self.count],
                    targets[: self.count],
                    week,
                    one_sided=self.spec.one_sided_recovery,
                    seed=self.seed + i,
                    resting=resting[0][: self.count] if resting else None,
                )
                suffix = "" if i == 1 else f"_{i}"
                for kpi, stats in found.items():
                    kpis[name][f"{kpi}{suffix}"] = stats
        return Experiment(self.scenario, self.count, self.seed, self.runs, self.per_rep, kpis)


def run_experiment(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    *,
    each: ReplicationCallback | None = None,
    keep_runs: bool = True,
    prepare: Prepare | None = None,
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
        Worker processes (1 = in this process), at most the usable cores (``usable_workers``).
        Results are identical for any number.
    progress
        Called with (replications done, total) as they finish.
    each
        Called with each replication's index and ``Replication``, in replication order, as
        they arrive (the results folder streams them to its files).
    keep_runs
        Keep every run in ``Experiment.runs`` (memory grows with replications x weeks x
        series); False keeps only what the KPIs need.
    prepare
        Made of each replication's runs where they ran (see ``each_replication``).

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
    tally = Tally(scenario, seed, n, keep_runs)

    def consume(r: int, made: Replication) -> None:
        tally.add(made)
        if each is not None:
            each(r, made)

    each_replication(scenario, seed, n, usable_workers(workers), consume, progress, prepare)
    return tally.experiment()


def summarize(scenario: Scenario, seed: int, replications: list[list[Run]]) -> Experiment:
    """Compute per-replication KPIs, their summary, and recovery on the median response."""
    tally = Tally(scenario, seed, len(replications), keep_runs=True)
    kpis = plant_spec(scenario.plant.kind).kpis
    for runs in replications:
        tally.add(Replication(runs, [kpis(run.series) for run in runs]))
    return tally.experiment()
