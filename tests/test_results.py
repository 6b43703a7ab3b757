"""The results folder: complete files, identical across workers, never half-written."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import thermosim
from thermosim import results
from thermosim.cli import main
from thermosim.config.scenario import Scenario
from thermosim.experiment import Experiment
from thermosim.results import ResultsError, write_results
from thermosim.saved import read_results

# One xdist worker runs this module, so its shared fixtures/caches are computed once.
pytestmark = [pytest.mark.xdist_group("results")]


@pytest.fixture(scope="module")
def experiment() -> Experiment:
    scenario = thermosim.load_scenario("lost-key-account")
    return thermosim.run_experiment(scenario, replications=3, seed=5)


def test_writes_every_file_and_reads_back_the_same_numbers(
    experiment: Experiment, tmp_path: Path
) -> None:
    folder = write_results(experiment, tmp_path)
    assert folder == tmp_path / "lost-key-account"
    assert sorted(p.name for p in folder.iterdir()) == sorted(results.WRITTEN)
    saved = read_results(folder)
    for variant, runs in experiment.runs.items():
        for name in ("revenue", "fatigue", "reference"):
            expected = np.array([r.series[name] for r in runs])
            assert np.array_equal(saved.series[variant][name], expected)
    assert saved.kpis == json.loads(json.dumps(experiment.kpis))
    assert saved.manifest["seed"] == 5 and saved.manifest["replications"] == 3
    assert saved.manifest["scenario_hash"] == results.scenario_hash(experiment)
    assert len(saved.interventions) == sum(
        len(r.interventions) for runs in experiment.runs.values() for r in runs
    )


def test_the_scenario_reads_back_as_the_model_that_was_run(
    experiment: Experiment, tmp_path: Path
) -> None:
    saved = read_results(write_results(experiment, tmp_path))
    assert isinstance(saved.scenario, Scenario)
    assert saved.scenario == experiment.scenario
    assert results.hash_of(saved.scenario) == saved.manifest["scenario_hash"]
    assert saved.variants == tuple(v.name for v in experiment.scenario.variants)
    assert (saved.seed, saved.reps, saved.weeks) == (5, 3, experiment.scenario.horizon_weeks)
    assert saved.title("nl") == experiment.scenario.title.nl


@pytest.mark.parametrize("damage", ["unknown field", "wrong type"])
def test_a_scenario_that_no_longer_validates_exits_2_naming_the_manifest(
    experiment: Experiment, tmp_path: Path, damage: str
) -> None:
    folder = write_results(experiment, tmp_path)
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    if damage == "unknown field":
        data["resolved_scenario"]["variants"][0]["policy"]["gain_of_old"] = 2.0
    else:
        data["resolved_scenario"]["horizon_weeks"] = "long"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultsError) as caught:
        read_results(folder)
    assert caught.value.bad_input and str(manifest) in str(caught.value)
    outcome = CliRunner().invoke(main, ["figures", str(folder)])
    assert outcome.exit_code == 2, outcome.output
    assert "manifest.json" in outcome.output and "Traceback" not in outcome.output
    assert not (folder / "figures").exists()


def test_csv_files_are_identical_for_one_and_two_workers(tmp_path: Path) -> None:
    scenario = thermosim.load_scenario("baseline")
    one = write_results(thermosim.run_experiment(scenario, 4, 9, workers=1), tmp_path / "a")
    two = write_results(thermosim.run_experiment(scenario, 4, 9, workers=2), tmp_path / "b")
    for name in ("timeseries.csv", "interventions.csv", "kpis.csv", "kpis.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_files_are_utf8_with_unix_line_ends(experiment: Experiment, tmp_path: Path) -> None:
    folder = write_results(experiment, tmp_path)
    for name in results.FILES:
        data = (folder / name).read_bytes()
        data.decode("utf-8")
        assert b"\r\n" not in data


def test_a_failed_write_leaves_the_previous_results_untouched(
    experiment: Experiment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_results(experiment, tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(results, "_write_csv", disk_full)
    with pytest.raises(
        ResultsError, match=r"No space left on device.*previous results are untouched"
    ):
        write_results(experiment, tmp_path)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["lost-key-account"]  # no staging left


def test_a_file_where_the_folder_should_be_is_refused(
    experiment: Experiment, tmp_path: Path
) -> None:
    (tmp_path / "lost-key-account").write_text("keep me", encoding="utf-8")
    with pytest.raises(ResultsError, match="exists and is not a folder"):
        write_results(experiment, tmp_path)
    assert (tmp_path / "lost-key-account").read_text(encoding="utf-8") == "keep me"


def test_an_output_folder_that_cannot_exist_is_refused(
    experiment: Experiment, tmp_path: Path
) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ResultsError, match="could not write results"):
        write_results(experiment, blocker / "out")


def test_reading_an_incomplete_folder_names_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ResultsError, match=r"missing timeseries\.csv"):
        read_results(tmp_path)


def test_every_file_is_identical_across_workers_with_a_fixed_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    scenario = thermosim.load_scenario("people-leave")
    one = write_results(thermosim.run_experiment(scenario, 3, 4, workers=1), tmp_path / "a")
    two = write_results(thermosim.run_experiment(scenario, 3, 4, workers=2), tmp_path / "b")
    for name in results.FILES:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert json.loads((one / "manifest.json").read_text(encoding="utf-8"))["created"].startswith(
        "2027-01-15"
    )
