"""Running a sweep and writing its folder: cells to workers, KPIs back, ``sweep/`` swapped in.

Owns the plan of a sweep (the base scenario, the axes from ``--vary`` or the scenario's
``sweep:`` section, replications, the KPI and the two variants compared), running every cell
(every variant on common random numbers, through ``experiment.run_experiment``) in this process,
in spawn worker processes or on a Dask cluster, and the folder ``OUT/<scenario>/<kind>/``
(``sweep`` or ``sensitivity``): built in a hidden sibling and put in place by
``atomic.swap_in``, so an interrupted sweep leaves the previous folder as it was.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TypeVar

from thermosim.atomic import write_staged
from thermosim.config.loader import load_scenario
from thermosim.config.scenario import Scenario
from thermosim.experiment import run_experiment
from thermosim.metrics import KPIS
from thermosim.results import SWEEP_FOLDER
from thermosim.sweep.grid import (
    MAX_CELLS,
    Axis,
    Cell,
    SweepError,
    count_cells,
    make_axis,
    make_cells,
    make_range,
    parse_vary,
)
from thermosim.workers import Workers

T = TypeVar("T")
KpiTable = dict[str, dict[str, dict[str, float]]]  # {variant: {kpi: {mean, p10, p50, p90}}}


class Progress(Protocol):
    """Told (replications done, in all, and the cells done as a note) as cells finish."""

    def __call__(self, done: float, total: int, note: str = ..., /) -> None: ...


# Runs job(0..n-1) and calls done(i, result) as each finishes: a process pool or Dask.
Mapper = Callable[[Callable[[int], Any], int, Callable[[int, Any], None]], None]
STATS = ("mean", "p10", "p50", "p90")
FORMAT = 1
# What the phase map and sensitivity show unless told otherwise.
DEFAULT_KPI = {"sales": "operating_profit", "thermostat": "mean_abs_error_c"}
HEADLINE = {
    "sales": ("operating_profit", "attainment", "revenue_sd", "fatigue_mean"),
    "thermostat": ("mean_abs_error_c", "gap_iae", "overshoot_c", "swing_c"),
}


@dataclass(frozen=True)
class Plan:
    """What a sweep runs: the scenario as given, its axes, replications, seed and KPI."""

    source: str
    overrides: tuple[str, ...]
    scenario: Scenario
    axes: tuple[Axis, ...]
    reps: int
    seed: int
    kpi: str
    reference: str  # the difference shown is alternative minus reference
    alternative: str | None


def compared(scenario: Scenario) -> tuple[str, str | None]:
    """The variants of the difference: steered minus reactive, else the second minus the first."""
    names = [v.name for v in scenario.variants]
    reference = "reactive" if "reactive" in names else names[0]
    others = [n for n in names if n != reference]
    return reference, "steered" if "steered" in others else (others[0] if others else None)


def plan_sweep(
    source: str,
    overrides: Sequence[str],
    vary: Sequence[str],
    reps: int | None,
    seed: int | None,
    kpi: str | None,
    yes: bool = False,
    sensitivity: bool = False,
) -> Plan:
    """Check everything a sweep needs before anything runs.

    With ``sensitivity`` each axis is a range (LOW..HIGH, a list's ends, or the schema's
    bounds for a bare PATH) and the cell count is not checked (the samples decide it).

    Raises
    ------
    SweepError
        A bad ``--vary``, KPI or too many cells without ``yes`` (one line each).
    thermosim.errors.ScenarioError
        A scenario that does not load.
    """
    scenario = load_scenario(source, overrides)
    section = scenario.sweep
    pairs = [parse_vary(text, bare=sensitivity) for text in vary]
    if not pairs and section is not None:
        pairs = list(section.vary.items())
    if not pairs:
        raise SweepError(
            f"nothing to vary: give --vary PATH=VALUES (e.g. --vary variants.*.perception.noise="
            f"0..0.4:5), or a sweep: section in {scenario.name}"
        )
    paths = [p for p, _ in pairs]
    if len(set(paths)) != len(paths):
        raise SweepError("the same path is varied twice; give each --vary path once")
    axis = make_range if sensitivity else make_axis
    axes = tuple(axis(scenario, path, values) for path, values in pairs)
    cells = count_cells(axes)
    if cells > MAX_CELLS and not yes and not sensitivity:
        raise SweepError(
            f"{cells:,} cells is more than {MAX_CELLS:,}; add --yes to run them anyway, or "
            "give fewer values"
        )
    chosen = kpi or (section.kpi if section else None) or DEFAULT_KPI[scenario.plant.kind]
    if chosen not in KPIS or scenario.plant.kind not in KPIS[chosen].plants:
        known = [k for k, s in KPIS.items() if scenario.plant.kind in s.plants]
        raise SweepError(
            f"--kpi {chosen} is not a KPI of this plant; use one of {', '.join(known)}"
        )
    n = reps or (section.reps if section and section.reps else None) or scenario.replications
    reference, alternative = compared(scenario)
    return Plan(
        source,
        tuple(overrides),
        scenario,
        axes,
        n,
        scenario.seed if seed is None else seed,
        chosen,
        reference,
        alternative,
    )


def run_cell(scenario: Scenario, reps: int, seed: int) -> KpiTable:
    """Every variant of one cell on common random numbers: the KPI summary only."""
    return run_experiment(scenario, reps, seed, 1).kpis


def _job(cells: tuple[tuple[Scenario, int], ...], reps: int, index: int) -> KpiTable:
    # Module level and picklable: spawn workers import it and get the cells once.
    scenario, seed = cells[index]
    return run_cell(scenario, reps, seed)


def local_mapper(workers: int) -> Mapper:
    """Cells in this process (1 worker) or in ``workers`` spawn processes (``workers.Workers``)."""

    def run(job: Callable[[int], Any], n: int, done: Callable[[int, Any], None]) -> None:
        if workers <= 1 or n == 1:
            for i in range(n):
                done(i, job(i))
            return
        with Workers(job, min(workers, n)) as pool:
            pool.map(n, done)

    return run


def run_cells(
    cells: Sequence[Cell], reps: int, mapper: Mapper, progress: Progress | None = None
) -> list[KpiTable]:
    """The KPIs of every cell, in cell order whatever order they finish in."""
    job = functools.partial(_job, tuple((c.scenario, c.seed) for c in cells), reps)
    found: dict[int, KpiTable] = {}

    def done(index: int, kpis: KpiTable) -> None:
        found[index] = kpis
        if progress is not None:
            note = f" ({len(found)}/{len(cells)} cells)"
            progress(len(found) * reps, len(cells) * reps, note)

    mapper(job, len(cells), done)
    return [found[i] for i in range(len(cells))]


def run_sweep(
    plan: Plan,
    out: Path,
    mapper: Mapper,
    progress: Progress | None = None,
    draw: Callable[[Path, dict[str, Any]], object] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Run every cell of ``plan`` and write ``out/<scenario>/sweep/``; ``draw`` adds figures.

    ``draw`` is called with the complete staging folder and the sweep data before the swap, so
    the folder swapped in has its figures.
    """
    cells = make_cells(plan.source, plan.overrides, plan.axes, plan.seed)
    results = run_cells(cells, plan.reps, mapper, progress)
    data = sweep_data(plan, cells, results)
    before = None if draw is None else functools.partial(_draw_into, draw, data)
    return write_sweep(out, plan, data, before), data


def _draw_into(draw: Callable[[Path, dict[str, Any]], object], data: Any, folder: Path) -> None:
    draw(folder, data)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _table(kpis: KpiTable) -> dict[str, dict[str, dict[str, float | None]]]:
    return {
        v: {k: {s: _finite(stats[s]) for s in STATS} for k, stats in table.items()}
        for v, table in kpis.items()
    }


def sweep_data(plan: Plan, cells: Sequence[Cell], results: Sequence[KpiTable]) -> dict[str, Any]:
    """The content of ``sweep.json``: what the figures draw and a reader reproduces cells from."""
    scenario = plan.scenario
    return {
        "format": FORMAT,
        "scenario": scenario.name,
        "title": scenario.title.model_dump(),
        "plant": scenario.plant.kind,
        "seed": plan.seed,
        "replications": plan.reps,
        "variants": [{"name": v.name, "preset": v.preset} for v in scenario.variants],
        "kpi": plan.kpi,
        "headline": list(HEADLINE[scenario.plant.kind]),
        "reference": plan.reference,
        "alternative": plan.alternative,
        "axes": [
            {
                "path": a.path,
                "paths": list(a.paths),
                "values": list(a.values),
                "integer": a.field.integer,
                "shipped": a.shipped,
            }
            for a in plan.axes
        ],
        "cells": [
            {
                "values": list(cell.values),
                "seed": cell.seed,
                "set": [*plan.overrides, *cell.overrides],
                "kpis": _table(kpis),
            }
            for cell, kpis in zip(cells, results, strict=True)
        ],
    }


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def sweep_rows(data: dict[str, Any]) -> list[list[str]]:
    """``sweep.csv``: one row per cell x variant x KPI."""
    rows = [[a["path"] for a in data["axes"]] + ["seed", "variant", "kpi", *STATS]]
    for cell in data["cells"]:
        for variant, table in cell["kpis"].items():
            for kpi, stats in table.items():
                rows.append(
                    [_number(v) for v in cell["values"]]
                    + [str(cell["seed"]), variant, kpi]
                    + [_number(stats[s]) for s in STATS]
                )
    return rows


def _created() -> str:
    # SOURCE_DATE_EPOCH (reproducible builds) fixes it: a rerun gives the same manifest.
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(fixed), UTC) if fixed and fixed.isdigit() else None
    return (moment or datetime.now(UTC)).isoformat(timespec="seconds")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def manifest(plan: Plan, kind: str, files: Sequence[str], cells: int) -> dict[str, Any]:
    """What a reader needs to trust and repeat the sweep."""
    resolved = plan.scenario.model_dump(mode="json")
    text = json.dumps(resolved, sort_keys=True)
    return {
        "format": FORMAT,
        "kind": kind,
        "thermosim_version": _version("thermosim"),
        "scenario": plan.scenario.name,
        "scenario_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "seed": plan.seed,
        "replications_per_cell": plan.reps,
        "cells": cells,
        "set": list(plan.overrides),
        "files": [*files, "manifest.json"],
        "created": _created(),
        "libraries": {n: _version(n) for n in ("thermosim", "simpy", "numpy", "SALib")},
        "resolved_scenario": resolved,
    }


def write_json(path: Path, data: Any) -> None:
    """UTF-8 JSON with ``\\n`` line ends, the same bytes on every platform."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    """A CSV with ``\\n`` line ends."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def write_folder(
    out: Path,
    scenario: str,
    kind: str,
    fill: Callable[[Path], object],
    before_swap: Callable[[Path], object] | None = None,
) -> Path:
    """Build ``out/<scenario>/<kind>/`` in a hidden sibling with ``fill``, then swap it in.

    Raises
    ------
    ResultsError
        When the folder cannot be written; the previous one stays as it was.
    thermosim.interrupts.Interrupted
        On a stop; ``written`` says whether the new folder was complete in place.
    """
    target = out / scenario / kind

    def finish(staging: Path) -> None:
        fill(staging)
        if before_swap is not None:
            before_swap(staging)

    write_staged(target, finish, f"{kind} files")
    return target


def write_sweep(
    out: Path,
    plan: Plan,
    data: dict[str, Any],
    before_swap: Callable[[Path], object] | None = None,
) -> Path:
    """Write ``out/<scenario>/sweep/``: sweep.csv, sweep.json, manifest.json (+ figures)."""

    def fill(staging: Path) -> None:
        write_csv(staging / "sweep.csv", sweep_rows(data))
        write_json(staging / "sweep.json", data)
        write_json(
            staging / "manifest.json",
            manifest(plan, SWEEP_FOLDER, ["sweep.csv", "sweep.json"], len(data["cells"])),
        )

    return write_folder(out, plan.scenario.name, SWEEP_FOLDER, fill, before_swap)


__all__ = [
    "DEFAULT_KPI",
    "HEADLINE",
    "STATS",
    "KpiTable",
    "Mapper",
    "Plan",
    "compared",
    "local_mapper",
    "manifest",
    "plan_sweep",
    "run_cell",
    "run_cells",
    "run_sweep",
    "sweep_data",
    "sweep_rows",
    "write_folder",
    "write_sweep",
]
