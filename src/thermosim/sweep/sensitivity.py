"""Global sensitivity of the steered-minus-reactive difference: Sobol or Morris, via SALib.

Owns sampling the varied fields over their ranges, evaluating the model at every sample (any
Python function, or for thermosim a batch of sweep cells run like a grid's), the indices SALib
computes from the outputs, and the folder ``OUT/<scenario>/sensitivity/`` (sensitivity.csv,
sensitivity.json, manifest.json, figures/). ``study`` takes a plain function, so a test can
check the indices of a function whose indices are known (Ishigami).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from thermosim.results import SENSITIVITY_FOLDER
from thermosim.sweep.grid import Cell, cell_key, cell_overrides, cell_seed
from thermosim.sweep.run import (
    Mapper,
    Plan,
    Progress,
    manifest,
    run_cells,
    write_csv,
    write_folder,
    write_json,
)

METHODS = ("sobol", "morris")
MORRIS_LEVELS = 4
Model = Callable[[np.ndarray], float]
BatchModel = Callable[[np.ndarray], np.ndarray]


def _problem(names: Sequence[str], bounds: Sequence[tuple[float, float]]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}


def base_samples(samples: int, method: str) -> int:
    """Sobol needs a power of two (its balance properties); Morris takes any number."""
    return 2 ** math.ceil(math.log2(max(samples, 2))) if method == "sobol" else samples


def study(
    model: Model | BatchModel,
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    samples: int = 64,
    method: str = "sobol",
    seed: int = 0,
    *,
    batch: bool = False,
) -> dict[str, Any]:
    """Sample, evaluate ``model`` and compute the indices of each input.

    Parameters
    ----------
    model
        A function of one input vector returning a number, or with ``batch`` a function of the
        whole sample matrix (rows are points) returning one number per row.
    samples
        Base samples N: Sobol evaluates N x (inputs + 2) points (N rounded up to a power of
        two), Morris N x (inputs + 1).

    Returns
    -------
    dict
        ``method``, ``evaluations`` and ``rows``: one per input, with ``S1``, ``S1_conf``,
        ``ST``, ``ST_conf`` (Sobol) or ``mu_star``, ``mu_star_conf``, ``sigma`` (Morris).
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use {' or '.join(METHODS)}")
    problem = _problem(names, bounds)
    n = base_samples(samples, method)
    salib_seed = seed % 2**32  # SALib seeds numpy's legacy generator: 32 bits
    if method == "sobol":
        points = sobol_sample.sample(problem, n, calc_second_order=False, seed=salib_seed)
    else:
        points = morris_sample.sample(problem, n, num_levels=MORRIS_LEVELS, seed=salib_seed)
    if batch:
        outputs = np.asarray(model(points), dtype=float)
    else:
        outputs = np.array([float(model(point)) for point in points])
    rows: list[dict[str, Any]] = []
    keys: tuple[str, ...]
    if method == "sobol":
        found = sobol_analyze.analyze(
            problem, outputs, calc_second_order=False, print_to_console=False, seed=salib_seed
        )
        keys = ("S1", "S1_conf", "ST", "ST_conf")
    else:
        found = morris_analyze.analyze(
            problem, points, outputs, num_levels=MORRIS_LEVELS, seed=salib_seed
        )
        keys = ("mu_star", "mu_star_conf", "sigma")
    for i, name in enumerate(names):
        rows.append({"field": name, **{k: float(found[k][i]) for k in keys}})
    return {"method": method, "base_samples": n, "evaluations": len(points), "rows": rows}


def _round(plan: Plan, point: np.ndarray) -> tuple[float, ...]:
    # Whole-number fields get whole numbers; 12 digits keep a cell's text (and seed) stable.
    return tuple(
        float(round(v)) if a.field.integer else float(f"{v:.12g}")
        for a, v in zip(plan.axes, point, strict=True)
    )


def _differences(
    plan: Plan, mapper: Mapper, progress: Progress | None, points: np.ndarray
) -> np.ndarray:
    """The alternative-minus-reference mean of the plan's KPI at every sample point."""
    from thermosim.config.loader import load_scenario

    cells = []
    for index, point in enumerate(points):
        values = _round(plan, point)
        sets = cell_overrides(plan.axes, values)
        scenario = load_scenario(plan.source, (*plan.overrides, *sets))
        seed = cell_seed(plan.seed, cell_key(plan.axes, values))
        cells.append(Cell(index, values, seed, sets, scenario))
    results = run_cells(cells, plan.reps, mapper, progress)
    alternative = plan.alternative or plan.reference
    return np.array(
        [r[alternative][plan.kpi]["mean"] - r[plan.reference][plan.kpi]["mean"] for r in results]
    )


def run_sensitivity(
    plan: Plan,
    out: Path,
    samples: int,
    method: str,
    mapper: Mapper,
    progress: Progress | None = None,
    draw: Callable[[Path, dict[str, Any]], object] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Sensitivity of the plan's difference to its fields; writes ``sensitivity/``."""
    from thermosim.sweep.grid import SweepError

    if plan.alternative is None:
        raise SweepError(f"{plan.scenario.name} has one variant: there is no difference to study")
    model = functools.partial(_differences, plan, mapper, progress)
    found = study(
        model,
        [a.path for a in plan.axes],
        [(a.values[0], a.values[-1]) for a in plan.axes],
        samples,
        method,
        plan.seed,
        batch=True,
    )
    data = {
        "format": 1,
        "scenario": plan.scenario.name,
        "title": plan.scenario.title.model_dump(),
        "plant": plan.scenario.plant.kind,
        "seed": plan.seed,
        "replications": plan.reps,
        "kpi": plan.kpi,
        "reference": plan.reference,
        "alternative": plan.alternative,
        "ranges": {a.path: [a.values[0], a.values[-1]] for a in plan.axes},
        **found,
    }
    keys = [k for k in found["rows"][0] if k != "field"]
    rows = [["field", "low", "high", *keys]] + [
        [r["field"], *(repr(v) for v in data["ranges"][r["field"]]), *(repr(r[k]) for k in keys)]
        for r in found["rows"]
    ]

    def fill(staging: Path) -> None:
        write_csv(staging / "sensitivity.csv", rows)
        write_json(staging / "sensitivity.json", data)
        files = ["sensitivity.csv", "sensitivity.json"]
        write_json(
            staging / "manifest.json",
            manifest(plan, SENSITIVITY_FOLDER, files, found["evaluations"]),
        )

    before = None if draw is None else (lambda folder: draw(folder, data))
    return write_folder(out, plan.scenario.name, SENSITIVITY_FOLDER, fill, before), data


__all__ = ["METHODS", "base_samples", "run_sensitivity", "study"]
