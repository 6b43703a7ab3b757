"""The results folder: what a run leaves behind, written atomically.

Owns the files of ``results/<scenario>/`` (manifest.json, timeseries.csv, interventions.csv,
kpis.json, kpis.csv) and the rule that a folder is replaced as a whole: everything is written
into a hidden sibling first and swapped in only when complete, so an interrupted or failed run
leaves the previous results untouched. Files are UTF-8 with ``\\n`` line ends on every platform.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from thermosim.atomic import discard, same_folder, staging_name, swap_in
from thermosim.config.scenario import Scenario
from thermosim.errors import ResultsError as ResultsError  # readers import it from here too
from thermosim.experiment import Experiment
from thermosim.interrupts import Interrupted

FILES = ("manifest.json", "timeseries.csv", "interventions.csv", "kpis.json", "kpis.csv")
# The results-folder format: the manifest's ``format`` (absent: 1). A reader refuses a newer one
# (``saved.read_results``); raise it when a file changes in a way an older reader cannot read.
FORMAT = 1
STATS = ("mean", "p10", "p50", "p90")
LIBRARIES = ("thermosim", "simpy", "numpy", "pydantic", "ruamel.yaml", "matplotlib", "click")


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
        "format": FORMAT,  # readers refuse a folder of a newer format instead of misreading it
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


def _check_name(name: str, out_dir: Path) -> Path:
    """``out_dir/name``, refusing a name that is not one plain folder inside ``out_dir``.

    The scenario's name is checked where it is read; this is the writer's own guard, so that
    ``.``, ``..``, a separator or a drive can never make it replace ``out_dir`` or its parent.
    """
    target = out_dir / name
    if name in ("", ".", "..") or target.name != name or target.parent != out_dir:
        raise ResultsError(
            f"{name!r} cannot name a results folder inside {out_dir}: use letters, digits, - and _",
            bad_input=True,
        )
    return target


def write_results(
    experiment: Experiment,
    out_dir: Path,
    before_swap: Callable[[Path], object] | None = None,
) -> Path:
    """Write the results folder ``out_dir/<scenario>/`` and return its path.

    Everything is written into a hidden ``.<scenario>.partial-XXXX`` beside it, which
    ``atomic.swap_in`` swaps in (locked, with rollback). ``before_swap`` is called with the
    complete staging folder before it replaces the old one (the figures are drawn there), so
    what is swapped in is complete, figures included.

    Raises
    ------
    ResultsError
        When the folder cannot be written; the previous results (if any) are left as they were.
    thermosim.interrupts.Interrupted
        On Ctrl-C, SIGTERM or SIGHUP: no staging folder is left; ``written`` is the target when
        the new results were complete in place before the stop, else None (the previous
        results are as they were).
    """
    target = _check_name(experiment.scenario.name, out_dir)
    if target.exists() and not target.is_dir():
        raise ResultsError(
            f"{target} exists and is not a folder: move it away or choose another --out",
            bad_input=True,
        )
    staging = staging_name(target, "partial")
    made: os.stat_result | None = None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        made = os.lstat(staging)  # a rename keeps it: how we know the swap has happened
        _write_json(staging / "manifest.json", manifest(experiment))
        _write_csv(staging / "timeseries.csv", _timeseries_rows(experiment))
        _write_csv(staging / "interventions.csv", _interventions_rows(experiment))
        _write_json(staging / "kpis.json", experiment.kpis)
        _write_csv(staging / "kpis.csv", _kpi_rows(experiment))
        _carry_explanation(target, staging, scenario_hash(experiment))
        if before_swap is not None:
            before_swap(staging)
        swap_in(staging, target)
    except ResultsError:
        discard(staging)
        raise
    except OSError as exc:
        discard(staging)
        reason = exc.strerror or str(exc)
        # Not being able to create the folder at all is a bad --out; failing midway is not.
        raise ResultsError(
            f"could not write results to {target}: {reason}"
            + ("; the previous results are untouched" if target.exists() else ""),
            bad_input=not staging.parent.is_dir(),
        ) from None
    except KeyboardInterrupt as stop:
        # Ctrl-C, SIGTERM or SIGHUP while writing: no half-written folder may stay behind, and
        # the caller must learn whether the new results made it (a stop held over the swap
        # lands just after it).
        discard(staging)
        done = made is not None and same_folder(target, made)
        raise Interrupted.of(stop, written=target if done else None) from None
    except BaseException:
        discard(staging)
        raise
    return target
