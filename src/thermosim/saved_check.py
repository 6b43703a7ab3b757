"""What a results folder must hold: the checks ``saved.read_results`` makes on the content.

Owns ``check_folder``. Once ``saved_files`` has opened the files: the manifest must be a JSON
object of a format this version reads (a newer one is refused: "written by a newer thermosim"),
with a scenario that validates and fields that agree with it; timeseries.csv must hold every
variant x replication over the whole horizon, with the plant's series as finite numbers;
kpis.json ``{variant: {kpi: {mean, p10, p50, p90}}}`` with the plant's KPIs as finite numbers;
interventions.csv actions of the run's variants, replications and weeks; kpis.csv its header.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from pydantic import ValidationError

from thermosim import __version__
from thermosim.config.scenario import Scenario
from thermosim.metrics import KPIS
from thermosim.plant.registry import plant_spec
from thermosim.results import FORMAT, STATS
from thermosim.saved_files import (
    MISSING,
    DamagedResultsError,
    ResultsFiles,
    describe,
    rerun_hint,
)

SERIES_KEYS = ["variant", "replication", "week"]
INTERVENTION_HEADER = ["variant", "replication", "week", "lever", "intensity", "member"]
KPI_TABLE_HEADER = ["variant", "kpi", *STATS]

Series = dict[str, dict[str, np.ndarray]]  # variant -> name -> (replications, weeks)
Kpis = dict[str, dict[str, dict[str, float]]]  # variant -> KPI -> mean, p10, p50, p90


class Contents(NamedTuple):
    """What a results folder holds, checked."""

    manifest: dict[str, Any]
    scenario: Scenario
    kpis: Kpis
    series: Series
    interventions: list[dict[str, str]]


def check_folder(path: Path) -> Contents:
    """Check every file of the results folder ``path`` and return what it holds.

    Raises
    ------
    DamagedResultsError
        At the first problem found (files in the order of ``results.FILES``).
    """
    folder = ResultsFiles.open(path)
    manifest = _manifest(folder)
    scenario = _scenario(folder, manifest)
    reps = _agree(folder, manifest, scenario)
    series = _timeseries(folder, scenario, reps)
    actions = _interventions(folder, scenario, reps)
    kpis = _kpis(folder, scenario)
    folder.rows("kpis.csv", KPI_TABLE_HEADER)  # for spreadsheets; nothing draws from it
    return Contents(manifest, scenario, kpis, series, actions)


def _count(value: Any, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _number(value: Any) -> bool:
    """A finite JSON number (1e999 reads as infinity, a 400-digit integer overflows a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _whole(text: str) -> int | None:
    # ASCII digits only: int() would also take " 7", "1_0" and other scripts' digits.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _finite(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _release(version: str) -> tuple[int, ...]:
    found = re.match(r"([0-9]+)\.([0-9]+)(?:\.([0-9]+))?", version)
    return () if found is None else tuple(int(p or 0) for p in found.groups())


def _manifest(files: ResultsFiles) -> dict[str, Any]:
    """manifest.json: a JSON object of a format this thermosim reads."""
    name = "manifest.json"
    data = files.json(name)
    if not isinstance(data, dict):
        files.fail(name, f"holds {describe(data)}, not an object of run details ({{...}})")
    version = data.get("thermosim_version", MISSING)
    if not isinstance(version, str) or not _release(version):
        files.fail(name, f"'thermosim_version' is {describe(version)}, not a version number")
    fmt = data.get("format", 1)  # written before the key existed: format 1
    if not _count(fmt, 1):
        files.fail(name, f"'format' is {describe(fmt)}, not a results format (1, 2, ...)")
    # Without the key only the version tells: a newer one may write what this cannot read.
    newer = fmt > FORMAT if "format" in data else _release(version) > _release(__version__)
    if newer:
        again = rerun_hint(files.path, str(data.get("scenario") or files.path.name))
        raise DamagedResultsError(
            files.path / name,
            f"was written by a newer thermosim ({version}, format {fmt}); this one "
            f"({__version__}) reads up to format {FORMAT}",
            f"upgrade thermosim (pip install -U thermosim), or {again}",
        )
    return data


def _scenario(files: ResultsFiles, manifest: dict[str, Any]) -> Scenario:
    """The manifest's resolved scenario as the model; a clear error when it no longer fits."""
    name = "manifest.json"
    resolved = manifest.get("resolved_scenario", MISSING)
    if not isinstance(resolved, dict):
        files.fail(name, f"'resolved_scenario' is {describe(resolved)}, not the run's scenario")
    try:
        return Scenario.model_validate(resolved)
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(part) for part in first["loc"]) or "resolved_scenario"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        files.fail(
            name,
            "the resolved scenario does not fit this version of thermosim "
            f"(resolved_scenario.{at}: {first['msg']}{more}); it was probably written by "
            "another version",
        )


def _agree(files: ResultsFiles, manifest: dict[str, Any], scenario: Scenario) -> int:
    """The manifest's own fields agree with its scenario; returns the replications."""
    name = "manifest.json"
    files.hint = rerun_hint(files.path, scenario.name)
    reps, seed = manifest.get("replications", MISSING), manifest.get("seed", MISSING)
    if not _count(reps, 1):
        files.fail(name, f"'replications' is {describe(reps)}; expected a whole number from 1")
    if not _count(seed, 0):
        files.fail(name, f"'seed' is {describe(seed)}; expected a whole number from 0")
    names = [v.name for v in scenario.variants]
    listed = manifest.get("variants", MISSING)
    if listed != names:
        shown = ", ".join(map(str, listed)) if isinstance(listed, list) else describe(listed)
        files.fail(name, f"'variants' is {shown}, but its scenario has {', '.join(names)}")
    if manifest.get("scenario", scenario.name) != scenario.name:
        files.fail(name, f"'scenario' is not {scenario.name!r}, its resolved scenario's name")
    return int(reps)


def _timeseries(files: ResultsFiles, scenario: Scenario, reps: int) -> Series:
    """timeseries.csv: every variant x replication over the horizon, in whole-week rows.

    The plant's own series must be finite numbers; other columns may be empty (the writer
    leaves a value it cannot write empty) but not infinite.
    """
    name, kind = "timeseries.csv", scenario.plant.kind
    header, rows = files.rows(name)
    names = header[len(SERIES_KEYS) :]
    if header[: len(SERIES_KEYS)] != SERIES_KEYS or not names:
        files.fail(name, f"its header does not start with {','.join(SERIES_KEYS)},<series>")
    if "" in names or len(set(names)) < len(names):
        files.fail(name, "its header has an empty or repeated column name")
    required = plant_spec(kind).required_series
    missing = [s for s in required if s not in names]
    if missing:
        files.fail(name, f"has no column {', '.join(missing)}, which the {kind} plant records")
    if not rows:
        files.fail(name, "has only its header, no rows")
    variants = [v.name for v in scenario.variants]
    blocks: dict[tuple[str, int], list[list[float]]] = {}
    lines: dict[tuple[str, int], list[int]] = {}  # where each week is, for messages
    for line, cells in rows:
        variant, rep, week = cells[0], _whole(cells[1]), _whole(cells[2])
        if variant not in variants:
            files.fail(name, f"line {line}: {variant!r} is not a variant of the scenario")
        if rep is None or rep >= reps:
            files.fail(
                name,
                f"line {line}: replication {cells[1]!r} is not a whole number from 0 to "
                f"{reps - 1} (the manifest says {reps} replications)",
            )
        if week is None:
            files.fail(name, f"line {line}: week {cells[2]!r} is not a whole number")
        block = blocks.setdefault((variant, rep), [])
        if week != len(block):
            files.fail(
                name,
                f"line {line}: week {week} of {variant}, replication {rep} should be week "
                f"{len(block)} (a row is missing, repeated or out of order)",
            )
        lines.setdefault((variant, rep), []).append(line)
        try:
            block.append([float(c) if c else math.nan for c in cells[len(SERIES_KEYS) :]])
        except ValueError:
            at = next(i for i, c in enumerate(cells[3:]) if c and not _is_float(c))
            files.fail(name, f"line {line}, column {names[at]}: {cells[3 + at]!r} is not a number")
    for variant in variants:
        for rep in range(reps):
            weeks = len(blocks.get((variant, rep), []))
            if weeks == 0:
                files.fail(name, f"has no rows of {variant}, replication {rep}")
            if weeks != scenario.horizon_weeks:
                files.fail(
                    name,
                    f"has {weeks} weeks of {variant}, replication {rep}; the scenario runs "
                    f"{scenario.horizon_weeks} (the file was cut short or edited)",
                )
    own = np.isin(names, required)  # the plant's series, by column
    unfinished = f"empty or not a finite number (the {kind} plant's series have one every week)"
    infinite = "infinite (thermosim leaves a value it cannot write empty)"
    series: Series = {}
    for variant in variants:
        cube = np.array([blocks[(variant, r)] for r in range(reps)], dtype=np.float64)
        for bad, problem in ((~np.isfinite(cube) & own, unfinished), (np.isinf(cube), infinite)):
            if bad.any():
                rep, week, at = (int(x) for x in np.argwhere(bad)[0])
                line = lines[(variant, rep)][week]
                files.fail(name, f"line {line}, column {names[at]}: {problem}")
        series[variant] = {n: cube[:, :, i] for i, n in enumerate(names)}
    return series


def _kpis(files: ResultsFiles, scenario: Scenario) -> Kpis:
    """kpis.json: every variant with the plant's KPIs, each four finite numbers."""
    name, kind = "kpis.json", scenario.plant.kind
    data = files.json(name)
    shape = "{variant: {kpi: {mean, p10, p50, p90}}}"
    if not isinstance(data, dict):
        files.fail(name, f"holds {describe(data)}, not an object {shape}")
    variants = [v.name for v in scenario.variants]
    for variant in data:
        if variant not in variants:
            files.fail(name, f"{variant!r} is not a variant of the scenario")
    # Every run of a plant has these; recovery only where a shock has one.
    always = [k for k, spec in KPIS.items() if kind in spec.plants and not spec.censorable]
    kpis: Kpis = {}
    for variant in variants:
        found = data.get(variant, MISSING)
        if found is MISSING:
            files.fail(name, f"has no KPIs of variant {variant}")
        if not isinstance(found, dict):
            files.fail(name, f"the KPIs of {variant} are {describe(found)}, not an object")
        missing = [k for k in always if k not in found]
        if missing:
            files.fail(name, f"{variant} has no {', '.join(missing)}")
        kpis[variant] = {}
        for kpi, stats in found.items():
            if not isinstance(stats, dict):
                files.fail(
                    name, f"{variant}.{kpi} is {describe(stats)}, not {{mean, p10, p50, p90}}"
                )
            for key in STATS:
                value = stats.get(key, MISSING)
                if not _number(value):
                    files.fail(name, f"{variant}.{kpi}.{key} is {describe(value)}, not a number")
            kpis[variant][kpi] = {key: float(stats[key]) for key in STATS}
    return kpis


def _interventions(files: ResultsFiles, scenario: Scenario, reps: int) -> list[dict[str, str]]:
    """interventions.csv: one action a row, of a variant, replication and week of the run."""
    name, horizon = "interventions.csv", scenario.horizon_weeks
    variants = {v.name for v in scenario.variants}
    actions = []
    for line, cells in files.rows(name, INTERVENTION_HEADER)[1]:
        variant, rep, week, lever, intensity, _member = cells
        problem = ""
        if variant not in variants:
            problem = f"{variant!r} is not a variant of the scenario"
        elif (number := _whole(rep)) is None or number >= reps:
            problem = f"replication {rep!r} is not a whole number from 0 to {reps - 1}"
        elif not _finite(week) or not 0 <= float(week) <= horizon:
            problem = f"week {week!r} is not a number from 0 to {horizon}"
        elif not lever:
            problem = "the lever is empty"
        elif intensity and not _finite(intensity):
            problem = f"intensity {intensity!r} is not a finite number"
        if problem:
            files.fail(name, f"line {line}: {problem}")
        actions.append(dict(zip(INTERVENTION_HEADER, cells, strict=True)))
    return actions


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
