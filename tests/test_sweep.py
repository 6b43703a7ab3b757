"""thermosim sweep: the grid, its seeds, the folder, sensitivity, Dask, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from thermosim.cli import main
from thermosim.sweep import run as sweep_run
from thermosim.sweep.grid import cell_seed, parse_values
from thermosim.sweep.sensitivity import study

SHORT = ["--set", "horizon_weeks=20", "--reps", "3", "--no-figures"]
GRID = [
    "sweep",
    "baseline",
    "--set",
    "horizon_weeks=20",
    "--reps",
    "3",
    "--vary",
    "variants.*.perception.noise=0,0.2",
    "--vary",
    "variants.1.policy.gain=1,3",
    "-q",
]


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _sweep(tmp: Path, *extra: str) -> Path:
    result = CliRunner().invoke(main, [*GRID, "--out", str(tmp), *extra])
    assert result.exit_code == 0, result.output
    return tmp / "baseline" / "sweep"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_values_lists_and_ranges() -> None:
    assert parse_values("1,2,4,8", "x") == (1.0, 2.0, 4.0, 8.0)
    assert parse_values("0.05..0.4:8", "x") == pytest.approx(np.linspace(0.05, 0.4, 8))
    assert parse_values("0..0.3:4", "x") == (0.0, 0.1, 0.2, 0.3)  # tidied, not 0.30000000000000004


def test_cell_seed_depends_on_seed_and_cell_only() -> None:
    assert cell_seed(42, "a=1") == cell_seed(42, "a=1")
    assert len({cell_seed(42, "a=1"), cell_seed(43, "a=1"), cell_seed(42, "a=2")}) == 3
    assert 0 <= cell_seed(2**63 - 1, "a=1") < 2**63  # fits --seed


def test_two_by_two_equals_four_runs(tmp_path: Path) -> None:
    folder = _sweep(tmp_path / "sweep", "--workers", "1")
    data = json.loads((folder / "sweep.json").read_text())
    assert len(data["cells"]) == 4
    header = (folder / "sweep.csv").read_text().splitlines()[0].split(",")
    assert header[:3] == ["variants.*.perception.noise", "variants.1.policy.gain", "seed"]
    for i, cell in enumerate(data["cells"]):
        sets = [arg for s in cell["set"] for arg in ("--set", s)]
        out = tmp_path / f"run{i}"
        args = ["run", "baseline", *SHORT, *sets, "--seed", str(cell["seed"]), "--out", str(out)]
        result = CliRunner().invoke(main, [*args, "-q", "--workers", "1"])
        assert result.exit_code == 0, result.output
        kpis = json.loads((out / "baseline" / "kpis.json").read_text())
        assert kpis == cell["kpis"]  # the same numbers, to the last bit


@pytest.mark.slow  # two pools of spawned workers
def test_same_files_with_one_and_two_workers(tmp_path: Path) -> None:
    one = _files(_sweep(tmp_path / "one", "--workers", "1"))
    two = _files(_sweep(tmp_path / "two", "--workers", "2"))
    assert one == two
    assert {"sweep.csv", "sweep.json", "manifest.json", "figures/phase-map.en.png"} <= set(one)


@pytest.mark.slow
def test_same_files_on_a_dask_local_cluster(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    pool = _files(_sweep(tmp_path / "pool", "--workers", "2"))
    dask = _files(_sweep(tmp_path / "dask", "--workers", "2", "--scheduler", "local"))
    assert pool == dask


def test_sobol_indices_of_ishigami() -> None:
    def ishigami(x: np.ndarray) -> float:
        return float(np.sin(x[0]) + 7 * np.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * np.sin(x[0]))

    found = study(ishigami, ["x1", "x2", "x3"], [(-np.pi, np.pi)] * 3, 1024, "sobol", 42)
    rows = {r["field"]: r for r in found["rows"]}
    # Known values (Sobol' and Levitan 1999): S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244.
    for name, first, total in (("x1", 0.314, 0.558), ("x2", 0.442, 0.442), ("x3", 0.0, 0.244)):
        assert rows[name]["S1"] == pytest.approx(first, abs=0.05)
        assert rows[name]["ST"] == pytest.approx(total, abs=0.05)


def test_interrupted_sweep_keeps_the_previous_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _sweep(tmp_path, "--workers", "1")
    before = _files(folder)

    def stop(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep_run, "write_json", stop)
    result = CliRunner().invoke(main, [*GRID, "--out", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 130
    assert _files(folder) == before
    assert [p.name for p in folder.parent.iterdir()] == ["sweep"]  # no staging folder left


def test_a_run_of_the_scenario_keeps_its_sweep(tmp_path: Path) -> None:
    # The sweep is its own, long experiment: `run` replacing the results folder must not lose it.
    folder = _sweep(tmp_path, "--workers", "1")
    before = _files(folder)
    (folder / "elsewhere").symlink_to(tmp_path)  # a planted link: neither followed nor copied
    run = ["run", "baseline", "--set", "horizon_weeks=20", "--reps", "2", "--no-figures"]
    result = CliRunner().invoke(main, [*run, "--out", str(tmp_path), "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "baseline" / "kpis.json").is_file()
    assert _files(folder) == before
    assert not (folder / "elsewhere").exists()


def test_no_figures_writes_the_data_only(tmp_path: Path) -> None:
    args = [*GRID[:-1], "--out", str(tmp_path), "--workers", "1", "--no-figures"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "baseline" / "sweep"
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "sweep.csv", "sweep.json"]
    assert "figures:" not in result.output


def test_the_studies_a_run_keeps_are_the_folders_sweep_writes() -> None:
    from thermosim.results import STUDIES
    from thermosim.sweep import run as run_module
    from thermosim.sweep import sensitivity

    written = {run_module.SWEEP_FOLDER, sensitivity.SENSITIVITY_FOLDER}
    assert written == set(STUDIES)


def test_sensitivity_writes_indices(tmp_path: Path) -> None:
    args = ["sweep", "baseline", "--set", "horizon_weeks=20", "--reps", "2", "--sensitivity"]
    args += ["--vary", "variants.1.policy.gain=0.5..4", "--vary", "variants.*.perception.noise"]
    args += ["--samples", "2", "--method", "morris", "--workers", "1", "--out", str(tmp_path)]
    result = CliRunner().invoke(main, [*args, "-q"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "baseline" / "sensitivity"
    lines = (folder / "sensitivity.csv").read_text().splitlines()
    assert lines[0] == "field,low,high,mu_star,mu_star_conf,sigma"
    assert lines[2].startswith("variants.*.perception.noise,0.0,2.0,")  # the schema's bounds
    assert (folder / "figures" / "sensitivity.en.png").is_file()


@pytest.mark.parametrize(
    ("vary", "words"),
    [
        ("policy.gain=1,2", "has no field policy.gain; did you mean variants.1.policy.gain"),
        ("variants.0.name=1,2", "is not a number"),
        ("variants.0.policy.gain=2..1:3", "is reversed"),
        ("variants.0.policy.gain=1..1:3", "is empty"),
        ("variants.0.policy.gain=1", "a single value is no sweep"),
        ("variants.0.policy.gain=1,x", "'x' is not a number"),
        ("variants.0.perception.noise=0,5", "outside 0..2"),
        ("variants.0.policy.gain=0..100:101", "more than 10,000"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, vary: str, words: str) -> None:
    extra = ["--vary", "variants.1.policy.gain=0..100:101"] if "10,000" in words else []
    args = ["sweep", "baseline", "--vary", vary, *extra, "--out", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert words in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_unreachable_scheduler_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    # Dask retries until its connect timeout; a short one keeps the test quick.
    monkeypatch.setattr("thermosim.sweep.dask_backend.CONNECT_TIMEOUT_S", 1)
    args = [*GRID, "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output
    assert len(result.output.strip().splitlines()) == 1
