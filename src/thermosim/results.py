"""The results folder: what a run leaves behind, written atomically.

Owns the files of ``results/<scenario>/`` (manifest.json, timeseries.csv, interventions.csv,
kpis.json, kpis.csv) and the rule that a folder is replaced as a whole: everything is written
into a hidden sibling first and swapped in only when complete, so an interrupted or failed run
leaves the previous results untouched. Files are UTF-8 with ``\\n`` line ends on every platform.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from thermosim.config.scenario import Scenario, Variant
from thermosim.errors import ThermosimError
from thermosim.experiment import Experiment

FILES = ("manifest.json", "timeseries.csv", "interventions.csv", "kpis.json", "kpis.csv")
STATS = ("mean", "p10", "p50", "p90")
LIBRARIES = ("thermosim", "simpy", "numpy", "pydantic", "ruamel.yaml", "matplotlib", "click")


class ResultsError(ThermosimError, OSError):
    """The results folder could not be written (nothing of the previous results was lost).

    ``bad_input`` is True when the user can fix it with another ``--out`` (a file in the way,
    a folder that cannot exist), False for trouble while writing (a full disk).
    """

    def __init__(self, message: str, bad_input: bool = False) -> None:
        super().__init__(message)
        self.bad_input = bad_input


def _number(x: float) -> str:
    # repr gives the shortest text that reads back to the same float: identical files on any
    # number of workers, and no precision lost for a spreadsheet. NaN and inf are left empty.
    return repr(float(x)) if math.isfinite(x) else ""


def scenario_hash(experiment: Experiment) -> str:
    """SHA-256 of the resolved scenario (canonical JSON): same hash, same scenario."""
    return hash_of(experiment.scenario)


def hash_of(scenario: Scenario) -> str:
    """SHA-256 of a resolved scenario (canonical JSON)."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# What `explain` leaves in a results folder; a rerun of the same scenario keeps it.
EXPLAIN_FILE = "explain.json"
EXPLAIN_FIGURES = "waterfall.*"


def _carry_explanation(target: Path, staging: Path, new_hash: str) -> None:
    """Keep the previous ``explain`` output when it explains this very scenario.

    A run replaces the whole folder; the ladder of ``explain`` is its own, slower experiment
    and stays valid as long as the resolved scenario is the same (same hash). For another
    scenario it would be stale, so it is dropped with the rest.
    """
    old = target / EXPLAIN_FILE
    try:
        data = json.loads(old.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(data, dict) or data.get("scenario_hash") != new_hash:
        return
    shutil.copy2(old, staging / EXPLAIN_FILE)
    figures = staging / "figures"
    for picture in sorted((target / "figures").glob(EXPLAIN_FIGURES)):
        if picture.is_file() and not picture.is_symlink():
            figures.mkdir(exist_ok=True)
            shutil.copy2(picture, figures / picture.name)


def _versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _created() -> str:
    """When the run was made (UTC).

    SOURCE_DATE_EPOCH, the reproducible-builds convention, fixes it, so that a rerun gives a
    byte-identical manifest too.
    """
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(fixed), UTC) if fixed and fixed.isdigit() else None
    return (moment or datetime.now(UTC)).isoformat(timespec="seconds")


def manifest(experiment: Experiment) -> dict[str, Any]:
    """What a reader needs to trust and reproduce the run."""
    return {
        "thermosim_version": _versions()["thermosim"],
        "scenario": experiment.scenario.name,
        "scenario_hash": scenario_hash(experiment),
        "seed": experiment.seed,
        "replications": experiment.replications,
        "variants": list(experiment.runs),
        "created": _created(),
        "libraries": _versions(),
        "resolved_scenario": experiment.scenario.model_dump(mode="json"),
    }


def series_names(experiment: Experiment) -> list[str]:
    """Series in the order the engine recorded them."""
    first = next(iter(experiment.runs.values()))[0]
    return list(first.series)


def _timeseries_rows(experiment: Experiment) -> Iterator[list[str]]:
    names = series_names(experiment)
    yield ["variant", "replication", "week", *names]
    for variant, runs in experiment.runs.items():
        for run in runs:
            # Whole columns to Python floats at once: far faster than indexing numpy per cell.
            columns = [[_number(x) for x in run.series[n].tolist()] for n in names]
            replication = str(run.replication)
            for week, cells in enumerate(zip(*columns, strict=True)):
                yield [variant, replication, str(week), *cells]


def _interventions_rows(experiment: Experiment) -> Iterator[list[str]]:
    yield ["variant", "replication", "week", "lever", "intensity", "member"]
    for variant, runs in experiment.runs.items():
        for run in runs:
            for action in run.interventions:
                yield [
                    variant,
                    str(run.replication),
                    _number(action.week),
                    action.lever,
                    _number(action.intensity),
                    action.who,
                ]


def _kpi_rows(experiment: Experiment) -> Iterator[list[str]]:
    yield ["variant", "kpi", *STATS]
    for variant, kpis in experiment.kpis.items():
        for kpi, stats in kpis.items():
            yield [variant, kpi] + [_number(stats[s]) for s in STATS]


def _write_csv(path: Path, rows: Iterator[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows(rows)


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")


def write_results(
    experiment: Experiment,
    out_dir: Path,
    before_swap: Callable[[Path], object] | None = None,
) -> Path:
    """Write the results folder ``out_dir/<scenario>/`` and return its path.

    ``before_swap`` is called with the complete staging folder before it replaces the old one
    (the figures are drawn there), so what is swapped in is complete, figures included.

    Raises
    ------
    ResultsError
        When the folder cannot be written; the previous results (if any) are left as they were.
    """
    target = out_dir / experiment.scenario.name
    if target.exists() and not target.is_dir():
        raise ResultsError(
            f"{target} exists and is not a folder: move it away or choose another --out",
            bad_input=True,
        )
    staging = out_dir / f".{experiment.scenario.name}.partial-{uuid.uuid4().hex[:8]}"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        _write_json(staging / "manifest.json", manifest(experiment))
        _write_csv(staging / "timeseries.csv", _timeseries_rows(experiment))
        _write_csv(staging / "interventions.csv", _interventions_rows(experiment))
        _write_json(staging / "kpis.json", experiment.kpis)
        _write_csv(staging / "kpis.csv", _kpi_rows(experiment))
        _carry_explanation(target, staging, scenario_hash(experiment))
        if before_swap is not None:
            before_swap(staging)
        swap_in(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        reason = exc.strerror or str(exc)
        # Not being able to create the folder at all is a bad --out; failing midway is not.
        raise ResultsError(
            f"could not write results to {target}: {reason}"
            + ("; the previous results are untouched" if target.exists() else ""),
            bad_input=not staging.parent.is_dir(),
        ) from None
    except BaseException:
        # Ctrl-C while writing: no half-written folder may stay behind.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by the complete ``staging`` folder (two renames, no copying).

    Between the renames the old folder is kept under a hidden name; if the second rename fails,
    it is put back.
    """
    retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    had_old = target.exists()
    if had_old:
        os.replace(target, retired)
    try:
        os.replace(staging, target)
    except OSError:
        if had_old:
            os.replace(retired, target)
        raise
    if had_old:
        shutil.rmtree(retired, ignore_errors=True)


@dataclass(frozen=True)
class SavedResults:
    """A results folder read back: the one typed view figures, deck, animation and notes use.

    ``scenario`` is the resolved scenario of the manifest as the ``Scenario`` model, so every
    reader gets typed fields and the model's own defaults; ``manifest`` keeps the rest (hash,
    versions, created).
    """

    path: Path
    manifest: dict[str, Any]
    scenario: Scenario
    kpis: dict[str, dict[str, dict[str, float]]]  # variant -> KPI -> mean, p10, p50, p90
    series: dict[str, dict[str, np.ndarray]]  # variant -> name -> (replications, weeks)
    interventions: list[dict[str, str]]

    @property
    def name(self) -> str:
        """The scenario's name (also the folder's)."""
        return self.scenario.name

    @property
    def plant(self) -> str:
        """``sales`` or ``thermostat``."""
        return self.scenario.plant.kind

    @property
    def sales(self) -> bool:
        """True for the sales plant, False for the thermostat."""
        return self.plant == "sales"

    @property
    def variants(self) -> tuple[str, ...]:
        """The variants with results, in scenario order."""
        return tuple(v.name for v in self.scenario.variants if v.name in self.series)

    def variant(self, name: str) -> Variant:
        """The resolved settings of variant ``name``."""
        return self.scenario.variant(name)

    @property
    def seed(self) -> int:
        """The seed of the run (``--seed`` may differ from the scenario's)."""
        return int(self.manifest.get("seed", self.scenario.seed))

    @property
    def reps(self) -> int:
        """Replications in the series."""
        return int(next(iter(self.series[self.variants[0]].values())).shape[0])

    @property
    def weeks(self) -> int:
        """Weeks in the series."""
        return int(next(iter(self.series[self.variants[0]].values())).shape[1])

    def title(self, lang: str) -> str:
        """The scenario's title in ``lang`` (English, or its name, when missing)."""
        return getattr(self.scenario.title, lang, "") or self.scenario.title.en or self.name

    def values(self, variant: str, name: str) -> np.ndarray:
        """(replications, weeks) float array of one series."""
        return np.asarray(self.series[variant][name], dtype=np.float64)

    def kpi(self, variant: str, name: str, stat: str = "mean") -> float:
        """One KPI statistic (nan when the KPI is missing)."""
        return float(self.kpis.get(variant, {}).get(name, {}).get(stat, np.nan))


def _scenario_of(path: Path, manifest_data: Any) -> Scenario:
    """The manifest's resolved scenario as the model; a clear error when it no longer fits."""
    where = path / "manifest.json"
    resolved = manifest_data.get("resolved_scenario") if isinstance(manifest_data, dict) else None
    if not isinstance(resolved, dict):
        raise ResultsError(f"{where} has no resolved_scenario: rerun the scenario", bad_input=True)
    try:
        return Scenario.model_validate(resolved)
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(part) for part in first["loc"]) or "resolved_scenario"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ResultsError(
            f"{where}: the resolved scenario does not fit this version of thermosim "
            f"(resolved_scenario.{at}: {first['msg']}{more}); it was probably written by "
            "another version: rerun the scenario",
            bad_input=True,
        ) from None


def read_results(path: Path) -> SavedResults:
    """Read a results folder written by ``write_results``.

    Raises
    ------
    ResultsError
        When the folder or one of its files is missing or unreadable, or its resolved scenario
        no longer validates (written by another version); ``bad_input`` is True.
    """
    missing = [name for name in FILES if not (path / name).is_file()]
    if missing:
        raise ResultsError(
            f"{path} is not a complete results folder: missing {', '.join(missing)}",
            bad_input=True,
        )
    try:
        manifest_data = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        kpis = json.loads((path / "kpis.json").read_text(encoding="utf-8"))
        text = (path / "timeseries.csv").read_text(encoding="utf-8")
        actions = list(
            csv.DictReader(io.StringIO((path / "interventions.csv").read_text(encoding="utf-8")))
        )
    except (OSError, ValueError) as exc:
        raise ResultsError(f"cannot read results in {path}: {exc}", bad_input=True) from None
    scenario = _scenario_of(path, manifest_data)
    return SavedResults(path, manifest_data, scenario, kpis, _series_from_csv(text), actions)


def _series_from_csv(text: str) -> dict[str, dict[str, np.ndarray]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    names = header[3:]
    rows: dict[str, dict[int, list[list[float]]]] = {}
    for row in reader:
        variant, replication = row[0], int(row[1])
        values = [float(v) if v else float("nan") for v in row[3:]]
        rows.setdefault(variant, {}).setdefault(replication, []).append(values)
    series: dict[str, dict[str, np.ndarray]] = {}
    for variant, reps in rows.items():
        cube = np.array([reps[r] for r in sorted(reps)])  # (replications, weeks, series)
        series[variant] = {name: cube[:, :, i] for i, name in enumerate(names)}
    return series
