"""What a results folder must hold: the checks ``saved.read_results`` makes on the content.

Owns ``check_folder``. Once ``saved_files`` has opened the files: the manifest must be a JSON
object of a format this version reads (a newer one is refused: "written by a newer thermosim"),
with a scenario that validates and fields that agree with it; summary.json, where the manifest
lists it, must be what ``thermosim.summary`` writes for this run; timeseries.csv must hold
every variant x replication over the whole horizon, with the plant's series as finite numbers;
kpis.json ``{variant: {kpi: {mean, p10, p50, p90}}}`` with the plant's KPIs as finite numbers;
interventions.csv actions of the run's variants, replications and weeks; kpis.csv its header.

The two tables that grow with replications are read row by row (``saved_table``) only when
the summary cannot vouch for them: a folder written before summary.json existed, or a table
that is no longer byte for byte the one the summary was computed from (edited, re-saved by a
spreadsheet, damaged). Then the summary is computed from the table instead, a few series at a
time; otherwise a table is only fingerprinted (its size and SHA-256), never parsed.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path
from typing import Any, NamedTuple

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
from thermosim.saved_table import ACTIONS_FILE, SERIES_FILE, ActionTable, SeriesTable
from thermosim.stream import INTERVENTION_HEADER, SERIES_KEYS
from thermosim.summary import FILE as SUMMARY_FILE
from thermosim.summary import Summary, SummaryError, from_json, summarize_series

KPI_TABLE_HEADER = ["variant", "kpi", *STATS]
# Memory for the series held at once while a summary is computed from timeseries.csv.
SUMMARY_BYTES = 64 * 2**20

Kpis = dict[str, dict[str, dict[str, float]]]  # variant -> KPI -> mean, p10, p50, p90
__all__ = ["INTERVENTION_HEADER", "KPI_TABLE_HEADER", "SERIES_KEYS", "Contents", "check_folder"]


class Contents(NamedTuple):
    """What a results folder holds, checked."""

    manifest: dict[str, Any]
    scenario: Scenario
    kpis: Kpis
    summary: Summary
    table: SeriesTable
    actions: ActionTable


def check_folder(path: Path) -> Contents:
    """Check every file of the results folder ``path`` and return what it holds.

    Raises
    ------
    DamagedResultsError
        At the first problem found (files in the order of ``results.FILES``, summary.json
        after the manifest).
    """
    folder = ResultsFiles.open(path)
    manifest = _manifest(folder)
    scenario = _scenario(folder, manifest)
    reps = _agree(folder, manifest, scenario)
    stored = _summary(folder, manifest, scenario, reps)
    summary = _series(folder, scenario, reps, stored)
    kpis = _kpis(folder, scenario)
    folder.rows("kpis.csv", KPI_TABLE_HEADER)  # for spreadsheets; nothing draws from it
    return Contents(manifest, scenario, kpis, *summary)


def _unchanged(files: ResultsFiles, stored: Summary | None, name: str, limit: int) -> bool:
    """The file is byte for byte the one the summary was computed from."""
    if stored is None:
        return False
    source = stored.sources[name]
    if files.checked(name, limit).stat().st_size != source["bytes"]:
        return False
    return files.digest(name, limit) == (source["bytes"], source["sha256"])


def _series(
    files: ResultsFiles, scenario: Scenario, reps: int, stored: Summary | None
) -> tuple[Summary, SeriesTable, ActionTable]:
    """timeseries.csv and interventions.csv, and the summary of the two.

    From summary.json while it summarises these very files, else computed from them.
    """
    kind, weeks = scenario.plant.kind, scenario.horizon_weeks
    variants = [v.name for v in scenario.variants]
    table = SeriesTable.open(files, scenario, reps)
    if stored is not None and _unchanged(files, stored, SERIES_FILE, table.limit):
        if stored.series != table.names:
            files.fail(SUMMARY_FILE, f"its series are not the columns of {SERIES_FILE}")
        series = stored.variants
    else:
        table.check()
        chunk = max(1, SUMMARY_BYTES // (reps * weeks * 8))
        series = summarize_series(kind, variants, list(table.names), table.columns, chunk)
    actions = ActionTable.open(files, scenario, reps)
    if stored is not None and _unchanged(files, stored, ACTIONS_FILE, actions.limit):
        fixes = {v: stored.variants[v].fixes for v in variants}
    else:
        fixes = actions.check(scenario, reps)
    found = {v: dataclasses.replace(series[v], fixes=fixes[v]) for v in variants}
    sources = stored.sources if stored is not None else {}
    return Summary(reps, weeks, table.names, found, sources), table, actions


def _summary(
    files: ResultsFiles, manifest: dict[str, Any], scenario: Scenario, reps: int
) -> Summary | None:
    """summary.json where the manifest lists it; None for a folder written before it existed."""
    listed = manifest.get("files", MISSING)
    if listed is MISSING:
        return None
    if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
        files.fail("manifest.json", f"'files' is {describe(listed)}, not a list of file names")
    if SUMMARY_FILE not in listed:
        return None
    if not ((files.path / SUMMARY_FILE).exists() or (files.path / SUMMARY_FILE).is_symlink()):
        files.fail(SUMMARY_FILE, "is missing, though manifest.json lists it")
    data = files.json(SUMMARY_FILE)
    kind = scenario.plant.kind
    variants = [v.name for v in scenario.variants]
    required = plant_spec(kind).required_series
    try:
        return from_json(data, kind, variants, reps, scenario.horizon_weeks, required)
    except SummaryError as exc:
        files.fail(SUMMARY_FILE, str(exc))


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
