"""Memory that grows with weeks x series, not with replications (issue 11, item 16).

A run streams each replication into its results folder as it arrives and keeps only the KPIs
(and the two series recovery needs); the figures draw from summary.json, computed once from
the full series. Checked here: the streamed files are byte for byte what the whole experiment
held in memory gives; the summary is what the full series give; a folder without a summary
(written before it existed) still draws, from the same numbers; a damaged summary is exit 2;
``--workers`` beyond the usable cores is capped with a note.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import thermosim
from conftest import make_scenario
from thermosim import experiment as experiment_module
from thermosim import metrics, stream
from thermosim.cli import main
from thermosim.config.scenario import Scenario
from thermosim.engine import Run
from thermosim.experiment import Experiment, each_replication, usable_workers
from thermosim.plant.registry import plant_spec
from thermosim.results import FILES, WRITTEN, run_and_write, write_results
from thermosim.saved import DamagedResultsError, read_results
from thermosim.saved_table import SeriesTable
from thermosim.summary import FILE as SUMMARY

pytestmark = [pytest.mark.xdist_group("memory")]

REPS, SEED = 5, 11


def _scenario() -> Scenario:
    return make_scenario(
        "reactive", "steered", shocks=[{"kind": "lost_account", "week": 8}], replications=REPS
    )


@pytest.fixture(scope="module")
def kept() -> Experiment:
    """The experiment with every run kept in memory: the reference."""
    return thermosim.run_experiment(_scenario(), REPS, SEED, workers=1)


@pytest.fixture(scope="module")
def streamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Experiment, Path]:
    """The same experiment streamed into its folder, two workers, small batches."""
    out = tmp_path_factory.mktemp("streamed")
    patch = pytest.MonkeyPatch()
    patch.setattr(stream, "BATCH", 2)  # several flushes and a partial last one
    try:
        return run_and_write(_scenario(), out, REPS, SEED, workers=2)
    finally:
        patch.undo()


def _number(x: float) -> str:
    return repr(float(x)) if math.isfinite(x) else ""


def _reference_tables(experiment: Experiment) -> tuple[bytes, bytes]:
    """timeseries.csv and interventions.csv as thermosim wrote them from runs held in memory."""
    series, actions = io.StringIO(), io.StringIO()
    ts, iv = csv.writer(series, lineterminator="\n"), csv.writer(actions, lineterminator="\n")
    first = next(iter(experiment.runs.values()))[0]
    names = list(first.series)
    ts.writerow(["variant", "replication", "week", *names])
    iv.writerow(["variant", "replication", "week", "lever", "intensity", "member"])
    for variant, runs in experiment.runs.items():  # variant-major
        for run in runs:
            for week in range(len(run.series[names[0]])):
                cells = [_number(run.series[n][week]) for n in names]
                ts.writerow([variant, str(run.replication), str(week), *cells])
    for variant, runs in experiment.runs.items():
        for run in runs:
            for a in run.interventions:
                iv.writerow(
                    [
                        variant,
                        run.replication,
                        _number(a.week),
                        a.lever,
                        _number(a.intensity),
                        a.who,
                    ]
                )
    return series.getvalue().encode(), actions.getvalue().encode()


def _full(experiment: Experiment, variant: str, name: str) -> np.ndarray:
    """(replications, weeks) of one series as the files hold it (what they cannot hold: nan)."""
    values = np.array([run.series[name] for run in experiment.runs[variant]], dtype=np.float64)
    return np.where(np.isfinite(values), values, np.nan)


def test_streamed_files_are_byte_identical_to_the_in_memory_reference(
    kept: Experiment, streamed: tuple[Experiment, Path]
) -> None:
    experiment, folder = streamed
    series, actions = _reference_tables(kept)
    assert (folder / "timeseries.csv").read_bytes() == series
    assert (folder / "interventions.csv").read_bytes() == actions
    assert actions.count(b"\n") > 1, "the scenario should take actions for this test to bite"
    assert experiment.kpis == kept.kpis and experiment.per_replication == kept.per_replication
    assert experiment.runs == {}, "a streamed run keeps no runs"


def test_streaming_and_writing_a_kept_experiment_give_the_same_folder(
    kept: Experiment, streamed: tuple[Experiment, Path], tmp_path: Path
) -> None:
    _, folder = streamed
    again = write_results(kept, tmp_path)
    for name in (*FILES, SUMMARY):
        if name != "manifest.json":  # its creation time differs
            assert (again / name).read_bytes() == (folder / name).read_bytes(), name
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(WRITTEN)


def test_one_and_two_workers_stream_identical_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(experiment_module, "default_workers", lambda: 2)  # two, even on one core
    scenario = thermosim.load_scenario("lost-key-account", ["horizon_weeks=30"])
    _, one = run_and_write(scenario, tmp_path / "one", 4, 3, workers=1)
    _, two = run_and_write(scenario, tmp_path / "two", 4, 3, workers=2)
    for name in WRITTEN:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_with_workers_the_parent_formats_no_rows_and_computes_no_kpis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parent receives every replication: the CSV rows and KPIs are made in the workers
    # (spawned, so they do not see these patches), or it would be the bottleneck.
    monkeypatch.setattr(experiment_module, "default_workers", lambda: 2)
    scenario = thermosim.load_scenario("lost-key-account", ["horizon_weeks=30"])
    _, reference = run_and_write(scenario, tmp_path / "one", 4, 3, workers=1)

    def not_here(*_args: object) -> None:
        raise AssertionError("done in the parent")

    monkeypatch.setattr(stream, "_texts", not_here)
    spec = dataclasses.replace(plant_spec(scenario.plant.kind), kpis=not_here)
    monkeypatch.setattr(experiment_module, "plant_spec", lambda kind: spec)
    _, folder = run_and_write(scenario, tmp_path / "two", 4, 3, workers=2)
    for name in ("timeseries.csv", "interventions.csv", "kpis.json"):
        assert (folder / name).read_bytes() == (reference / name).read_bytes(), name
    with pytest.raises(AssertionError, match="done in the parent"):  # the patches do bite
        run_and_write(scenario, tmp_path / "three", 2, 3, workers=1)


def test_replications_are_consumed_in_order_whatever_order_they_finish_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Shuffled:
        """Workers that finish the tasks backwards (the latest first)."""

        def __init__(self, job: Any, processes: int) -> None:
            self.job = job

        def __enter__(self) -> Shuffled:
            return self

        def __exit__(self, *_: object) -> None:
            return None

        def map(self, n: int, done: Any, partial: Any = None) -> None:
            for index in reversed(range(n)):
                done(index, self.job(index))

    monkeypatch.setattr(experiment_module, "Workers", Shuffled)
    seen: list[int] = []
    progress: list[int] = []
    scenario = _scenario()
    each_replication(
        scenario, 1, 4, 2, lambda r, runs: seen.append(r), lambda d, n: progress.append(d)
    )
    assert seen == [0, 1, 2, 3] and progress == [1, 2, 3, 4]


def test_the_writer_refuses_a_replication_out_of_order(tmp_path: Path) -> None:
    scenario = _scenario()
    runs: list[Run] = [thermosim.simulate(scenario, v.name, 1, 1) for v in scenario.variants]
    with stream.StreamWriter(tmp_path, scenario, 3) as writer, pytest.raises(ValueError):
        writer.add(1, runs)


def test_the_summary_is_what_the_full_series_give(
    kept: Experiment, streamed: tuple[Experiment, Path]
) -> None:
    _, folder = streamed
    summary = read_results(folder).summary
    data = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    names = list(next(iter(kept.runs.values()))[0].series)
    assert summary.series == tuple(names) and data["series"] == names
    assert (summary.replications, summary.weeks) == (REPS, kept.scenario.horizon_weeks)
    for variant in kept.runs:
        part = summary.variants[variant]
        for name in names:
            full = _full(kept, variant, name)
            low, mid, high = np.nanpercentile(full, [10, 50, 90], axis=0)
            for stat, expected in (("p10", low), ("p50", mid), ("p90", high)):
                np.testing.assert_array_equal(part.weekly[name][stat], expected, err_msg=name)
            np.testing.assert_array_equal(part.weekly[name]["mean"], np.nanmean(full, axis=0))
            assert part.totals[name]["sum"] == float(np.nansum(full))
            assert part.totals[name]["rep_mean"] == float(np.nanmean(full.sum(axis=1)))
            assert part.totals[name]["rep_p50"] == float(np.nanmedian(full.sum(axis=1)))
        for name in ("revenue", "target", "hours_firefighting"):
            rolled = np.apply_along_axis(metrics.rolling_mean, 1, _full(kept, variant, name), 4)
            expected = np.nanpercentile(rolled, [10, 50, 90], axis=0)
            got = [part.rolling[name][s] for s in ("p10", "p50", "p90")]
            np.testing.assert_array_equal(got, expected, err_msg=name)
        revenue, target = _full(kept, variant, "revenue"), _full(kept, variant, "target")
        gap = np.nanpercentile(np.cumsum(revenue - target, axis=1), [10, 50, 90], axis=0)
        np.testing.assert_array_equal([part.derived["gap"][s] for s in ("p10", "p50", "p90")], gap)
        r4, t4 = (np.apply_along_axis(metrics.rolling_mean, 1, x, 4) for x in (revenue, target))
        ratio = np.nanpercentile(r4 / np.where(t4 == 0, np.nan, t4), [10, 50, 90], axis=0)
        got = [part.derived["recovery"][s] for s in ("p10", "p50", "p90")]
        np.testing.assert_array_equal(got, ratio)
        fixes: dict[str, np.ndarray] = {}
        for run in kept.runs[variant]:
            for action in run.interventions:
                counts = fixes.setdefault(action.lever, np.zeros(summary.weeks + 1, dtype=int))
                counts[int(action.week)] += 1
        assert part.fixes.keys() == fixes.keys()
        for lever, counts in fixes.items():
            np.testing.assert_array_equal(part.fixes[lever], counts, err_msg=lever)


def test_figures_read_the_summary_and_never_parse_the_timeseries(
    streamed: tuple[Experiment, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thermosim.figures import write_figures

    folder = tmp_path / "baseline"
    shutil.copytree(streamed[1], folder)

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("timeseries.csv was parsed")

    monkeypatch.setattr(SeriesTable, "check", refused)
    monkeypatch.setattr(SeriesTable, "columns", refused)
    assert len(write_figures(folder)) >= 5


def _as_old_folder(folder: Path) -> None:
    """What a run wrote before summary.json existed: no summary, no file list."""
    (folder / SUMMARY).unlink()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"]
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def _pictures(paths: list[Path]) -> Iterator[tuple[str, np.ndarray]]:
    from PIL import Image

    for path in paths:
        with Image.open(path) as picture:
            yield path.name, np.asarray(picture.convert("RGBA"))


def test_a_folder_without_a_summary_draws_the_same_figures_from_its_rows(
    streamed: tuple[Experiment, Path], tmp_path: Path
) -> None:
    from thermosim.figures import write_figures

    new, old = tmp_path / "new" / "small", tmp_path / "old" / "small"
    shutil.copytree(streamed[1], new)
    shutil.copytree(streamed[1], old)
    _as_old_folder(old)
    stored, computed = read_results(new).summary, read_results(old).summary
    assert computed.sources == {} and stored.sources
    assert {**computed.to_json(), "sources": {}} == {**stored.to_json(), "sources": {}}
    drawn = dict(_pictures(write_figures(new)))
    again = dict(_pictures(write_figures(old)))
    assert drawn.keys() == again.keys() and len(drawn) >= 5
    for name, picture in drawn.items():
        assert np.array_equal(picture, again[name]), name


def test_an_edited_timeseries_is_summarised_again_not_trusted_to_the_old_summary(
    streamed: tuple[Experiment, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "small"
    shutil.copytree(streamed[1], folder)
    path = folder / "timeseries.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("fatigue")] = "0.75"
    lines[1] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    saved = read_results(folder)
    variant = cells[0]
    week0 = saved.values(variant, "fatigue")[:, 0]
    assert week0[int(cells[1])] == 0.75
    assert saved.stats(variant, "fatigue")["p90"][0] == np.nanpercentile(week0, 90)


def _damage(folder: Path, change: str) -> None:
    path = folder / SUMMARY
    if change == "missing":
        path.unlink()
        return
    if change == "not JSON":
        path.write_text('{"format": 1, "weeks"', encoding="utf-8")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    variant = next(iter(data["variants"]))
    if change == "a week short":
        data["variants"][variant]["weekly"]["revenue"]["p50"].pop()
    elif change == "text for a number":
        data["variants"][variant]["rolling"]["revenue"]["p90"][3] = "high"
    elif change == "null in the plant's own series":
        data["variants"][variant]["weekly"]["target"]["p10"][0] = None
    elif change == "another run":
        data["replications"] += 1
    elif change == "a variant missing":
        del data["variants"][variant]
    elif change == "negative fixes":
        fixes = data["variants"]["reactive"]["fixes"]
        fixes[next(iter(fixes))][0] = -1
    path.write_text(json.dumps(data), encoding="utf-8")


DAMAGES = [
    "missing",
    "not JSON",
    "a week short",
    "text for a number",
    "null in the plant's own series",
    "another run",
    "a variant missing",
    "negative fixes",
]


@pytest.mark.parametrize("change", DAMAGES)
def test_a_damaged_summary_is_exit_2_naming_it(
    streamed: tuple[Experiment, Path], tmp_path: Path, change: str
) -> None:
    folder = tmp_path / "small"
    shutil.copytree(streamed[1], folder)
    _damage(folder, change)
    with pytest.raises(DamagedResultsError) as caught:
        read_results(folder)
    assert caught.value.file == folder / SUMMARY
    result = CliRunner().invoke(main, ["figures", str(folder)])
    assert result.exit_code == 2, result.output
    assert "summary.json" in result.output and "Traceback" not in result.output
    assert not (folder / "figures").exists()


def test_workers_beyond_the_usable_cores_are_capped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import thermosim.cli.app as cli_app

    monkeypatch.setattr(experiment_module, "default_workers", lambda: 1)
    monkeypatch.setattr(cli_app, "default_workers", lambda: 1)
    assert usable_workers(64) == 1 and usable_workers(1) == 1
    args = ["run", "baseline", "--reps", "2", "--set", "horizon_weeks=10", "--no-figures"]
    result = CliRunner().invoke(main, [*args, "--workers", "8", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    note = "note: --workers 8 is more than the 1 usable cores; using 1"
    assert result.output.count(note) == 1
    assert "error" not in result.output
    quiet = CliRunner().invoke(main, [*args, "--workers", "8", "--out", str(tmp_path), "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""
    within = CliRunner().invoke(main, [*args, "--workers", "1", "--out", str(tmp_path)])
    assert "note:" not in within.output


def test_the_library_caps_workers_too(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = experiment_module.each_replication

    def spy(scenario: Any, seed: int, n: int, workers: int, *rest: Any) -> None:
        asked.append(workers)
        real(scenario, seed, n, workers, *rest)

    monkeypatch.setattr(experiment_module, "default_workers", lambda: 1)
    monkeypatch.setattr(experiment_module, "each_replication", spy)
    thermosim.run_experiment(_scenario(), 1, 1, workers=64)
    assert asked == [1]


@pytest.mark.parametrize("gaps", ["none", "some", "a whole week"])
def test_weekly_percentiles_are_nanpercentile_to_the_bit(gaps: str) -> None:
    # The fast path (vectorised where a week has no missing value) must not change a number.
    import warnings

    from thermosim.summary import weekly_stats

    rng = np.random.default_rng(7)
    x = np.round(rng.normal(5e4, 2e4, size=(37, 130)), 1)  # rounded: ties, as in real series
    if gaps != "none":
        x[rng.random(x.shape) < 0.1] = np.nan
    if gaps == "a whole week":
        x[:, 3] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanpercentile(x, [10, 50, 90], axis=0)
    stats = weekly_stats(x)
    found = np.stack([stats["p10"], stats["p50"], stats["p90"]])
    assert found.tobytes() == expected.tobytes()
    assert np.isnan(found[:, 3]).all() == (gaps == "a whole week")
