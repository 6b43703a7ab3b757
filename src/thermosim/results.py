"""The results folder: what a run leaves behind, written atomically.

Owns the files of ``results/<scenario>/`` (manifest.json, timeseries.csv, interventions.csv,
kpis.json, kpis.csv, and summary.json: what the figures draw, see ``thermosim.summary``) and the
rule that a folder is replaced as a whole: everything is written into a hidden sibling first and
swapped in only when complete, so an interrupted or failed run leaves the previous results
untouched. ``run_and_write`` streams each replication into that sibling as it arrives
(``thermosim.stream``), so a run of any length needs memory for weeks x series, not for every
replication; ``write_results`` writes an experiment whose runs were kept, through the same
writer. Files are UTF-8 with ``\\n`` line ends on every platform.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, cast

from thermosim.atomic import write_staged
from thermosim.config.scenario import Scenario
from thermosim.errors import ResultsError as ResultsError  # readers import it from here too
from thermosim.experiment import Experiment, ProgressCallback, Replication, run_experiment
from thermosim.stream import Rows, StreamWriter, number_text, rows_text
from thermosim.summary import FILE as SUMMARY_FILE

# Every results folder has these; a folder written before summary.json existed lacks it, so
# the manifest lists what a folder has (``"files"``) and readers go by that.
FILES = ("manifest.json", "timeseries.csv", "interventions.csv", "kpis.json", "kpis.csv")
WRITTEN = (*FILES, SUMMARY_FILE)
# The results-folder format: the manifest's ``format`` (absent: 1). A reader refuses a newer one
# (``saved.read_results``); raise it when a file changes in a way an older reader cannot read.
FORMAT = 1
STATS = ("mean", "p10", "p50", "p90")
LIBRARIES = ("thermosim", "simpy", "numpy", "pydantic", "ruamel.yaml", "matplotlib", "click")


_number = number_text


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


# What `thermosim sweep` writes into a results folder (sweep/run.py writes these names).
SWEEP_FOLDER, SENSITIVITY_FOLDER = "sweep", "sensitivity"
STUDIES = (SWEEP_FOLDER, SENSITIVITY_FOLDER)


def _carry_studies(target: Path, staging: Path) -> None:
    """Keep the sweeps and sensitivity studies made of this scenario.

    Each is its own experiment, minutes long, and says in its own manifest what it ran (the
    scenario, the overrides, the seeds), so a new run of the scenario does not make it wrong:
    a run replacing the folder copies them over instead of losing them. Links are not
    followed or copied.
    """
    for study in STUDIES:
        found = target / study
        if found.is_dir() and not found.is_symlink():
            shutil.copytree(found, staging / study, ignore=_links)


def _links(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if os.path.islink(os.path.join(folder, name))]


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
    return _manifest(experiment.scenario, experiment.seed, experiment.replications)


def _manifest(scenario: Scenario, seed: int, replications: int) -> dict[str, Any]:
    return {
        "format": FORMAT,  # readers refuse a folder of a newer format instead of misreading it
        "thermosim_version": _versions()["thermosim"],
        "scenario": scenario.name,
        "scenario_hash": hash_of(scenario),
        "seed": seed,
        "replications": replications,
        "variants": [v.name for v in scenario.variants],
        "files": list(WRITTEN),
        "created": _created(),
        "libraries": _versions(),
        "resolved_scenario": scenario.model_dump(mode="json"),
    }


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
    """Write the results folder ``out_dir/<scenario>/`` of an experiment whose runs were kept.

    The same files, byte for byte, as ``run_and_write`` streams (they go through the same
    writer). Everything is written into a hidden ``.<scenario>.partial-XXXX`` beside it, which
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
    scenario, n = experiment.scenario, experiment.replications
    if n and not experiment.runs:
        raise ValueError("write_results needs the runs: use run_and_write to stream them")

    def fill(staging: Path) -> Experiment:
        _write_json(staging / "manifest.json", manifest(experiment))
        with StreamWriter(staging, scenario, n) as writer:
            for r in range(n):
                writer.add(r, [experiment.runs[v.name][r] for v in scenario.variants])
            writer.finish()
        return experiment

    _staged(scenario, out_dir, fill, before_swap)
    return out_dir / scenario.name


def run_and_write(
    scenario: Scenario,
    out_dir: Path,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    before_swap: Callable[[Path], object] | None = None,
) -> tuple[Experiment, Path]:
    """Run ``scenario`` (as ``experiment.run_experiment``) straight into its results folder.

    Each replication is written to the staging folder as it arrives and then forgotten: the
    experiment returned has the KPIs but no runs. Folder, swap, ``before_swap`` and errors as
    for ``write_results``; a stop or failure during the run leaves no staging folder either.

    Returns
    -------
    tuple of Experiment and Path
        The experiment (KPIs, no runs) and the results folder.
    """
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed

    def fill(staging: Path) -> Experiment:
        _write_json(staging / "manifest.json", _manifest(scenario, seed, n))
        with StreamWriter(staging, scenario, n) as writer:
            experiment = run_experiment(
                scenario,
                n,
                seed,
                workers,
                progress,
                each=functools.partial(_stream_into, writer),
                keep_runs=False,
                prepare=rows_text,  # the CSV rows are made in the workers, beside the runs
            )
            writer.finish()
        return experiment

    experiment = _staged(scenario, out_dir, fill, before_swap)
    return experiment, out_dir / scenario.name


def _stream_into(writer: StreamWriter, replication: int, made: Replication) -> None:
    writer.add(replication, made.runs, cast(Rows, made.prepared))


def _staged(
    scenario: Scenario,
    out_dir: Path,
    fill: Callable[[Path], Experiment],
    before_swap: Callable[[Path], object] | None,
) -> Experiment:
    """Make the staging folder, ``fill`` it, finish it, swap it in; on any failure remove it."""
    target = _check_name(scenario.name, out_dir)

    def finish(staging: Path) -> Experiment:
        experiment = fill(staging)
        _write_json(staging / "kpis.json", experiment.kpis)
        _write_csv(staging / "kpis.csv", _kpi_rows(experiment))
        _carry_explanation(target, staging, hash_of(scenario))
        _carry_studies(target, staging)
        if before_swap is not None:
            before_swap(staging)
        return experiment

    return write_staged(target, finish)
