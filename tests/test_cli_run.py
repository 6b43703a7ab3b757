"""`thermosim run`: options, results folder, exit codes, Ctrl-C, and output for people."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from robustness_helpers import as_from_a_terminal
from thermosim.cli import main


def run(*args: str) -> tuple[int, str]:
    # Figures are drawn by their own tests; here runs write data only unless a test asks.
    extra = [] if "--figures" in args else ["--no-figures"]
    args = tuple(a for a in args if a != "--figures")
    result = CliRunner().invoke(main, ["run", *args, *extra])
    return result.exit_code, result.output


def test_run_writes_the_results_folder_and_prints_the_summary(tmp_path: Path) -> None:
    code, output = run("lost-key-account", "--reps", "2", "--workers", "1", "--out", str(tmp_path))
    assert code == 0, output
    folder = tmp_path / "lost-key-account"
    assert (folder / "kpis.json").is_file() and (folder / "timeseries.csv").is_file()
    assert f"results: {folder}" in output
    lines = output.splitlines()
    assert "steered vs reactive" in lines[1]
    assert any(line.startswith("attainment") and "pts" in line for line in lines)
    # Money leads with operating profit, in euros, before gross profit.
    names = [line.split()[0] for line in lines[1:] if line.strip()]
    assert names.index("operating_profit") < names.index("gross_profit")
    operating = next(line for line in lines if line.startswith("operating_profit"))
    assert operating.count("EUR") == 3  # both variants and their difference
    spread = next(line for line in lines if line.startswith("revenue_sd"))
    assert names.index("revenue_sd") == names.index("revenue_cv") + 1
    assert spread.count("EUR") == 3 and spread.count("/wk") == 3  # euros per week
    assert not (folder / "figures").exists()  # --no-figures: data only


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    code, output = run("baseline", "--reps", "1", "--workers", "1", "--out", str(tmp_path), "-q")
    assert code == 0 and output == ""
    assert (tmp_path / "baseline" / "manifest.json").is_file()


def test_set_changes_the_run_and_is_recorded(tmp_path: Path) -> None:
    code, output = run(
        "baseline",
        "--reps",
        "1",
        "--workers",
        "1",
        "--out",
        str(tmp_path),
        "-q",
        "--set",
        "horizon_weeks=20",
    )
    assert code == 0, output
    rows = (tmp_path / "baseline" / "timeseries.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 2 * 20  # header + 2 variants x 20 weeks


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["no-such-scenario"], "no scenario file or shipped scenario called"),
        (["baseline", "--reps", "0"], "--reps"),
        (["baseline", "--format", "gif"], "not a figure format"),
        (["baseline", "--lang", "fr"], "--lang"),
        (["baseline", "--set", "horizon_weks=3"], "horizon_weks"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(args: list[str], expected: str) -> None:
    code, output = run(*args)
    assert code == 2
    assert expected in output
    assert "Traceback" not in output


def test_a_file_in_place_of_the_results_folder_exits_2_and_is_kept(tmp_path: Path) -> None:
    (tmp_path / "baseline").write_text("notes", encoding="utf-8")
    code, output = run("baseline", "--reps", "1", "--workers", "1", "--out", str(tmp_path))
    assert code == 2
    assert "exists and is not a folder" in output
    assert (tmp_path / "baseline").read_text(encoding="utf-8") == "notes"


def test_an_internal_error_is_one_line_without_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import thermosim.cli.run as cli_run

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli_run, "run_and_write", broken)
    code, output = run("baseline", "--out", str(tmp_path))
    assert code == 1
    assert "internal error: ZeroDivisionError: boom" in output
    assert "Traceback" not in output


def test_every_option_is_documented_in_help() -> None:
    result = CliRunner().invoke(main, ["run", "--help"])
    for option in (
        "--reps",
        "--seed",
        "--workers",
        "--out",
        "--set",
        "--format",
        "--lang",
        "--no-figures",
        "--quiet",
        "--debug",
        "Example",
    ):
        assert option in result.output


def test_python_dash_m_thermosim_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "thermosim", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "thermosim" in done.stdout


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text(encoding="utf-8").split()
        found.extend(int(x) for x in text)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text(encoding="utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for worker pids")
def test_ctrl_c_stops_workers_and_keeps_the_previous_results(tmp_path: Path) -> None:
    previous = tmp_path / "baseline"
    previous.mkdir()
    (previous / "kpis.json").write_text('{"old": true}', encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "thermosim",
            "run",
            "baseline",
            "--reps",
            "5000",
            "--workers",
            "2",
            "--out",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_from_a_terminal,  # Ctrl-C reaches it even when pytest runs in background
    )
    try:
        _stop_it(process, tmp_path, previous)
    finally:
        if process.poll() is None:  # never leave a run eating the machine's cores
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _stop_it(process: subprocess.Popen[str], tmp_path: Path, previous: Path) -> None:
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = [p for p in _children(process.pid) if _alive(p)]
    assert len(workers) >= 2, "the workers did not start"
    time.sleep(1.0)  # let them work
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    time.sleep(0.5)
    assert not [p for p in workers if _alive(p)], "worker processes survived"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline"]  # no partial folder
    assert (previous / "kpis.json").read_text(encoding="utf-8") == '{"old": true}'


def test_a_full_disk_exits_1_and_keeps_the_previous_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from thermosim import results

    assert run("baseline", "--reps", "1", "--workers", "1", "--out", str(tmp_path), "-q")[0] == 0
    before = (tmp_path / "baseline" / "timeseries.csv").read_bytes()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(results, "_write_csv", disk_full)
    code, output = run("baseline", "--reps", "1", "--workers", "1", "--out", str(tmp_path))
    assert code == 1
    assert "No space left on device" in output and "previous results are untouched" in output
    assert (tmp_path / "baseline" / "timeseries.csv").read_bytes() == before


def test_progress_line_counts_replications_and_time_left() -> None:
    import io

    from thermosim.console import Progress

    ticks = iter([0.0, 10.0, 20.0])
    stream = io.StringIO()
    progress = Progress(stream, "baseline", now=lambda: next(ticks))
    progress(1, 4)  # 10 s for one of four: 30 s left
    progress(2, 4)  # 20 s for two: 20 s left
    progress.close()
    lines = stream.getvalue().split("\r")
    assert "1/4 replications, 0.1/s, 0:10 elapsed, 0:30 left" in lines[1]
    assert "2/4 replications, 0.1/s, 0:20 elapsed, 0:20 left" in lines[2]
    assert stream.getvalue().endswith("\n")


def test_every_shipped_scenario_runs_on_a_short_horizon(tmp_path: Path) -> None:
    import thermosim

    for name in thermosim.shipped_names():
        # Short, but long enough for every shock to land: a shock after the run is refused.
        shocks = thermosim.load_scenario(name).shocks
        horizon = max([12, *(int(shock.week) + 2 for shock in shocks)])
        code, output = run(
            name,
            "--reps",
            "1",
            "--workers",
            "1",
            "--out",
            str(tmp_path),
            "-q",
            "--set",
            f"horizon_weeks={horizon}",
        )
        assert code == 0, (name, output)
        kpis = (tmp_path / name / "kpis.json").read_text(encoding="utf-8")
        assert '"mean"' in kpis, name
