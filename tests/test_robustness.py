"""Nothing lost, nothing escaped: swaps under faults and races, stops by signal, links, --out.

A stop or a fault at any step of replacing a results or figures folder leaves the old folder or
the complete new one under its name, never neither, and no hidden folder; two runs swapping
into one folder take turns; SIGTERM and SIGHUP stop `thermosim run` as Ctrl-C does (message,
exit 128 + signal, previous results kept, no process left); a Ctrl-C while workers import
prints no traceback; no write goes through a symbolic link; a bad --out is refused before the
simulation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure

import thermosim
from conftest import make_scenario
from robustness_helpers import (
    RACE_FILES,
    as_from_a_terminal,
    children,
    command_line,
    dies_at_two,
    fails_at_three,
    handles,
    square,
    wait_until_gone,
)
from thermosim import atomic, cli
from thermosim.cli import run as cli_run
from thermosim.errors import ResultsError, ThermosimError
from thermosim.experiment import Experiment
from thermosim.figures import render
from thermosim.interrupts import Interrupted
from thermosim.results import write_results
from thermosim.workers import TaskError, Workers

pytestmark = [pytest.mark.xdist_group("robustness")]
LINUX = sys.platform.startswith("linux")
TESTS = Path(__file__).parent


@pytest.fixture(scope="module")
def experiment() -> Experiment:
    return thermosim.run_experiment(make_scenario("reactive", "steered"), replications=1, seed=3)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- the swap: a stop at every step -------------------------------------------------------


class Faults:
    """``os.replace`` that raises KeyboardInterrupt at chosen calls, before or after renaming
    (after: as a signal landing just after the system call returned)."""

    def __init__(self, at: set[int], when: str) -> None:
        self.at, self.when, self.calls = at, when, 0
        self.real = os.replace

    def __call__(self, src: object, dst: object) -> None:
        self.calls += 1
        if self.calls in self.at and self.when == "before":
            raise KeyboardInterrupt
        self.real(src, dst)  # type: ignore[arg-type]
        if self.calls in self.at and self.when == "after":
            raise KeyboardInterrupt


def folder_with(path: Path, **files: str) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


OLD = {"kpis.json": "old", "manifest.json": "old"}
NEW = {"kpis.json": "new", "manifest.json": "new", "timeseries.csv": "new"}


@pytest.mark.parametrize("had_old", [True, False], ids=["replacing", "first"])
@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("faults", [{1}, {2}, {3}, {1, 2}, {2, 3}, {1, 2, 3}], ids=str)
def test_a_stop_at_any_step_of_the_swap_leaves_old_or_new_and_nothing_hidden(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    had_old: bool,
    when: str,
    faults: set[int],
) -> None:
    target = tmp_path / "scenario"
    if had_old:
        folder_with(target, **OLD)
    staging = folder_with(atomic.staging_name(target, "partial"), **NEW)
    fault = Faults(faults, when)
    monkeypatch.setattr(os, "replace", fault)
    try:
        atomic.swap_in(staging, target)
        stop: BaseException | None = None
    except KeyboardInterrupt as exc:
        stop = exc
    monkeypatch.undo()
    now = (
        {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()}
        if target.exists()
        else None
    )
    expected_old = OLD if had_old else None
    assert now in (expected_old, NEW), now
    if now == NEW and stop is not None:
        # The new folder made it before the stop: the stop says so.
        assert isinstance(stop, Interrupted) and stop.written == target
    if now != NEW:
        assert stop is not None and not (isinstance(stop, Interrupted) and stop.written)
        atomic.discard(staging)  # the caller's part (write_results does it)
    assert hidden(tmp_path) == [], "a hidden folder or lock file stayed behind"
    assert fault.calls <= 6, "the rollback retried without end"


KILLED_SWAP = """
import os, signal, sys
from pathlib import Path
from thermosim import atomic
def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)  # no handler, no finally: as a power cut
real, calls = os.replace, 0
def replace(src, dst):
    global calls
    calls += 1
    if calls > 1:
        die()
    real(src, dst)
if sys.argv[3] == "1":
    os.replace = replace  # killed after moving the old folder aside
else:
    atomic.discard = die  # killed after both renames, before removing the old folder
atomic.swap_in(Path(sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.mark.skipif(not LINUX, reason="SIGKILL of a child process")
@pytest.mark.parametrize("renames", [1, 2], ids=["after-the-first-rename", "before-the-discard"])
def test_a_swap_killed_outright_is_put_right_by_the_next_one(tmp_path: Path, renames: int) -> None:
    target = folder_with(tmp_path / "scenario", **OLD)
    staging = folder_with(atomic.staging_name(target, "partial"), **NEW)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_SWAP, str(staging), str(target), str(renames)],
        capture_output=True,
        text=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    old = [p for p in tmp_path.iterdir() if p.name.startswith(".scenario.old-")]
    assert len(old) == 1, "the kill did not land between the renames"
    # What the next swap finds first: the previous folder back under its name (the name was
    # empty), or the finished swap's new folder kept and the old one removed.
    assert atomic.recover_killed_swap(target) == (old[0] if renames == 1 else None)
    assert snapshot(target) == (_bytes(OLD) if renames == 1 else _bytes(NEW))
    assert not old[0].exists()
    # And a whole swap afterwards leaves nothing hidden behind.
    again = folder_with(atomic.staging_name(target, "partial"), **NEW)
    atomic.swap_in(again, target)
    assert snapshot(target) == _bytes(NEW)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".scenario.old")] == []


def test_the_next_swap_recovers_a_hidden_old_folder_itself(tmp_path: Path) -> None:
    target = tmp_path / "scenario"
    old = folder_with(atomic.staging_name(target, "old"), **OLD)  # as a killed swap leaves it
    staging = folder_with(atomic.staging_name(target, "partial"), **NEW)
    atomic.swap_in(staging, target)
    assert snapshot(target) == _bytes(NEW) and not old.exists()
    assert hidden(tmp_path) == []


def _bytes(files: dict[str, str]) -> dict[str, bytes]:
    return {name: text.encode() for name, text in files.items()}


def test_write_results_stopped_at_any_rename_says_truthfully_what_is_there(
    experiment: Experiment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same files every time
    out = tmp_path / "out"
    new = snapshot(write_results(experiment, tmp_path / "fresh"))
    folder = write_results(experiment, out)
    outcomes = set()
    for when in ("before", "after"):
        for k in range(1, 5):
            (folder / "kpis.json").write_text('{"old": true}', encoding="utf-8")
            old = snapshot(folder)
            with monkeypatch.context() as patch:
                patch.setattr(os, "replace", Faults({k}, when))
                try:
                    write_results(experiment, out)
                    outcome = "done"
                except Interrupted as stop:
                    outcome = "written" if stop.written == folder else "kept"
            now = snapshot(folder)
            assert now in (old, new), (when, k)
            assert (now == new) == (outcome in ("done", "written")), (when, k, outcome)
            assert sorted(p.name for p in out.iterdir()) == [folder.name], (when, k)
            outcomes.add(outcome)
    assert outcomes == {"done", "written", "kept"}


@pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(), reason="signals: main thread"
)
def test_a_ctrl_c_between_the_renames_waits_until_the_swap_is_done(
    experiment: Experiment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_results(experiment, tmp_path)
    (folder / "kpis.json").write_text('{"old": true}', encoding="utf-8")
    real = os.replace
    calls = []

    def ctrl_c_after_first_rename(src: object, dst: object) -> None:
        real(src, dst)  # type: ignore[arg-type]
        calls.append(dst)
        if len(calls) == 1:
            signal.raise_signal(signal.SIGINT)  # lands between the two renames

    monkeypatch.setattr(os, "replace", ctrl_c_after_first_rename)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        with pytest.raises(Interrupted) as caught:
            write_results(experiment, tmp_path)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored
    finally:
        signal.signal(signal.SIGINT, before)
    assert caught.value.written == folder and len(calls) == 2
    assert json.loads((folder / "kpis.json").read_text(encoding="utf-8")) != {"old": True}
    assert hidden(tmp_path) == []


def test_a_planted_lock_link_is_refused_and_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    target = tmp_path / "scenario"
    atomic.lock_path(target).symlink_to(victim)
    staging = folder_with(atomic.staging_name(target, "partial"), **NEW)
    with pytest.raises(ResultsError, match=r"\.scenario\.lock is a symbolic link") as caught:
        atomic.swap_in(staging, target)
    assert caught.value.bad_input and victim.read_text(encoding="utf-8") == "keep"
    assert not target.exists()


@pytest.mark.parametrize("name", [".", "..", "", "a/b", "../escape"])
def test_the_writer_refuses_a_name_that_is_not_one_folder_inside_out(
    experiment: Experiment, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("keep", encoding="utf-8")
    odd = dataclasses.replace(
        experiment, scenario=experiment.scenario.model_copy(update={"name": name})
    )
    with pytest.raises(ResultsError, match="cannot name a results folder") as caught:
        write_results(odd, out)
    assert caught.value.bad_input
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["keep.txt", "out"]


# --- two runs into one folder -------------------------------------------------------------


@pytest.mark.slow  # two processes, a thousand swaps each
def test_two_processes_swapping_into_one_folder_take_turns(tmp_path: Path) -> None:
    times = 1000
    racers = [
        subprocess.Popen(
            [
                sys.executable,
                str(TESTS / "robustness_helpers.py"),
                str(tmp_path),
                "x",
                who,
                str(times),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("a", "b")
    ]
    reports = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err
        reports.append(json.loads(out))
    for report in reports:
        assert report["failures"] == [], report["failures"][:3]
        assert report["incomplete"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"], "a hidden folder stayed"
    final = {(tmp_path / "x" / f).read_text(encoding="utf-8") for f in RACE_FILES}
    assert len(final) == 1 and final.pop().endswith(f"-{times - 1}")


def test_threads_swapping_into_one_folder_take_turns(tmp_path: Path) -> None:
    from robustness_helpers import race

    reports: list[dict[str, object]] = []
    threads = [
        threading.Thread(target=lambda w=who: reports.append(race(tmp_path, "x", w, 300)))
        for who in ("a", "b", "c")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r["failures"] for r in reports] == [[], [], []]
    assert [r["incomplete"] for r in reports] == [0, 0, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]


# --- figures: all or nothing, never through a link ----------------------------------------


def fake_draw(text: str, fail_at: int | None = None) -> dict[str, Callable[..., Figure]]:
    """Fast stand-ins for every figure family, writing ``text``; figure ``fail_at`` fails."""
    calls = iter(range(100))

    def draw(*_args: object) -> Figure:
        if next(calls) == fail_at:
            raise OSError(28, "No space left on device")
        fig = Figure(figsize=(1, 1))
        fig.text(0.5, 0.5, text)
        return fig

    return dict.fromkeys(render.FIGURES, draw)


@pytest.fixture
def results_folder(experiment: Experiment, tmp_path: Path) -> Path:
    return write_results(experiment, tmp_path / "results")


def test_figures_fail_midway_and_the_old_set_stays_whole(
    results_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "DRAW", fake_draw("old"))
    written = render.write_figures(results_folder, formats=("png", "svg"))
    render.write_figures(results_folder, lang="nl")  # another language, kept by every redraw
    before = snapshot(results_folder / "figures")
    monkeypatch.setattr(render, "DRAW", fake_draw("new", fail_at=2))
    with pytest.raises(ResultsError, match=r"No space left.*previous figures are untouched"):
        render.write_figures(results_folder, formats=("png", "svg"))
    assert snapshot(results_folder / "figures") == before
    assert hidden(results_folder) == [] and hidden(results_folder / "figures") == []
    monkeypatch.setattr(render, "DRAW", fake_draw("new"))
    assert render.write_figures(results_folder, formats=("png", "svg")) == written
    after = snapshot(results_folder / "figures")
    assert set(after) == set(before)
    assert all(after[p.name] != before[p.name] for p in written)
    assert all(after[n] == before[n] for n in before if ".nl." in n)


def test_figures_stopped_at_any_rename_are_the_old_set_or_the_new_set(
    results_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def draw(text: str, faults: Faults | None = None) -> None:
        with monkeypatch.context() as patch:
            patch.setattr(render, "DRAW", fake_draw(text))
            if faults is not None:
                patch.setattr(os, "replace", faults)
            with contextlib.suppress(KeyboardInterrupt):
                render.write_figures(results_folder)

    draw("old")
    old = snapshot(results_folder / "figures")
    renames = Faults(set(), "before")
    draw("new", renames)  # counts the renames of a whole redraw: one per file, two for the swap
    new = snapshot(results_folder / "figures")
    assert new != old and renames.calls == len(new) + 2
    for when in ("before", "after"):
        for k in range(1, renames.calls + 2):
            draw("old")
            draw("new", Faults({k}, when))
            assert snapshot(results_folder / "figures") in (old, new), (when, k)
            assert hidden(results_folder) == [] and hidden(results_folder / "figures") == []


def test_a_figures_folder_that_is_a_link_is_refused_with_exit_2(
    results_folder: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.png").write_bytes(b"precious")
    (results_folder / "figures").symlink_to(elsewhere, target_is_directory=True)
    link = results_folder / "figures"
    with pytest.raises(ResultsError, match="is a symbolic link") as caught:
        render.replace_figures(results_folder, lambda staging: [])  # the writer's own guard
    assert caught.value.bad_input and str(link) in str(caught.value)
    outcome = CliRunner().invoke(cli.main, ["figures", str(results_folder)])
    assert outcome.exit_code == 2, outcome.output
    assert f"{link}" in outcome.output and "Traceback" not in outcome.output
    assert snapshot(elsewhere) == {"precious.png": b"precious"}
    outcome = CliRunner().invoke(
        cli.main, ["deck", str(results_folder), "-o", str(tmp_path / "t.pptx")]
    )
    assert outcome.exit_code == 2, outcome.output
    assert f"{link}" in outcome.output and "Traceback" not in outcome.output
    assert snapshot(elsewhere) == {"precious.png": b"precious"}


def test_a_figure_that_is_a_link_is_replaced_not_written_through(
    results_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim.png"
    victim.write_bytes(b"precious")
    figures = results_folder / "figures"
    figures.mkdir()
    link = render.figure_path(results_folder, "scorecard", "en", "png")
    link.symlink_to(victim)
    (figures / "notes.txt").symlink_to(victim)  # not a figure: carried over as the link it is
    monkeypatch.setattr(render, "DRAW", fake_draw("new"))
    render.write_figures(results_folder)
    assert victim.read_bytes() == b"precious"
    assert not link.is_symlink() and link.read_bytes().startswith(b"\x89PNG")
    assert (figures / "notes.txt").is_symlink()


def test_animate_replaces_a_link_in_the_results_folder(
    results_folder: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.gif"
    victim.write_bytes(b"precious")
    (results_folder / "animation.en.gif").symlink_to(victim)
    outcome = CliRunner().invoke(cli.main, ["animate", str(results_folder), "--stride", "13"])
    assert outcome.exit_code == 0, outcome.output
    assert victim.read_bytes() == b"precious"
    gif = results_folder / "animation.en.gif"
    assert not gif.is_symlink() and gif.read_bytes().startswith(b"GIF8")


def test_a_results_folder_that_is_a_link_is_replaced_and_its_target_kept(
    experiment: Experiment, tmp_path: Path
) -> None:
    elsewhere = folder_with(tmp_path / "elsewhere", **OLD)
    out = tmp_path / "out"
    out.mkdir()
    (out / experiment.scenario.name).symlink_to(elsewhere, target_is_directory=True)
    folder = write_results(experiment, out)
    assert not folder.is_symlink() and (folder / "timeseries.csv").is_file()
    assert {p.name: p.read_text(encoding="utf-8") for p in elsewhere.iterdir()} == OLD
    assert hidden(out) == []


# --- --out is checked before the simulation -----------------------------------------------


def bad_outs(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    yield "dangling link", dangling, "is a symbolic link to"
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    yield "a file", a_file, "exists and is not a folder"
    yield "under a file", a_file / "out", "cannot write files there"
    if LINUX:
        yield "/proc", Path("/proc"), "cannot write files there"
    if os.geteuid() != 0:  # root writes into read-only folders anyway
        read_only = tmp_path / "read-only"
        read_only.mkdir(mode=0o555)
        yield "read-only", read_only, "cannot write files there"


def test_a_bad_out_is_refused_with_exit_2_before_simulating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("simulated before checking --out")

    monkeypatch.setattr(cli_run, "run_and_write", must_not_run)
    for label, out, words in bad_outs(tmp_path):
        outcome = CliRunner().invoke(cli.main, ["run", "baseline", "--out", str(out)])
        assert outcome.exit_code == 2, (label, outcome.output)
        assert f"--out {out}" in outcome.output and words in outcome.output, label
        assert "Traceback" not in outcome.output


# --- worker processes -----------------------------------------------------------------------


def test_workers_return_every_task_and_leave_no_process() -> None:
    import multiprocessing

    got: dict[int, int] = {}
    with Workers(square, 2) as workers:
        workers.map(25, got.__setitem__)
    assert got == {i: i * i for i in range(25)}
    assert multiprocessing.active_children() == []


def test_a_failed_task_raises_in_the_parent_with_the_worker_traceback() -> None:
    import multiprocessing

    with (
        pytest.raises(ValueError, match="task three went wrong") as caught,
        Workers(fails_at_three, 2) as workers,
    ):
        workers.map(8, lambda *_: None)
    assert isinstance(caught.value.__cause__, TaskError)
    assert "fails_at_three" in str(caught.value.__cause__)
    assert multiprocessing.active_children() == []


def test_a_worker_killed_from_outside_stops_the_run_with_a_message() -> None:
    import multiprocessing

    with (
        pytest.raises(ThermosimError, match="worker process ended unexpectedly"),
        Workers(dies_at_two, 2) as workers,
    ):
        workers.map(6, lambda *_: None)
    assert multiprocessing.active_children() == []


# --- the real command line, stopped by a signal ---------------------------------------------


def start_run(out: Path, marker: str, reps: int = 40) -> subprocess.Popen[str]:
    env = {**os.environ, "THERMOSIM_TEST_MARK": marker}
    command = ["-m", "thermosim", "run", "baseline", "--reps", str(reps), "--workers", "2"]
    return subprocess.Popen(
        [sys.executable, *command, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a job in a shell has
        env=env,
        preexec_fn=as_from_a_terminal,  # the signals sent are not ignored by inheritance
    )


def wait_for_workers(process: subprocess.Popen[str], count: int = 2) -> set[int]:
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < count and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = {p for p in children(process.pid) if "spawn_main" in command_line(p)}
    assert len(workers) >= count, "the workers did not start"
    return workers


SIGNALS = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]


@pytest.mark.skipif(not LINUX, reason="reads /proc for processes")
@pytest.mark.parametrize("to", ["parent", "group"])
@pytest.mark.parametrize("name", SIGNALS)
def test_sigterm_and_sighup_stop_a_run_cleanly(tmp_path: Path, name: str, to: str) -> None:
    number = getattr(signal, name)
    previous = folder_with(tmp_path / "baseline", **{"kpis.json": '{"old": true}'})
    marker = uuid.uuid4().hex
    process = start_run(tmp_path, marker)
    wait_for_workers(process)
    time.sleep(1.0)  # let them work
    if to == "parent":  # `kill PID`, a cancelled job
        os.kill(process.pid, number)
    else:  # `timeout`, a closed terminal: the whole process group
        os.killpg(process.pid, number)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + number, err
    assert err.strip().splitlines() == [
        f"error: interrupted by {name}: no results were written; {previous} is as it was"
    ]
    assert snapshot(previous) == {"kpis.json": b'{"old": true}'}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline"], "a partial folder stayed"
    assert wait_until_gone(marker) == [], "a worker or the resource tracker outlived the run"


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="reads /proc for processes")
def test_an_early_ctrl_c_prints_no_traceback_twenty_times_in_a_row(tmp_path: Path) -> None:
    # From the moment the command handles signals (its first lines, before it imports numpy,
    # pydantic and the model) through the workers' start: 0 to 1 s in steps of 50 ms.
    said: list[str] = []
    for attempt in range(20):
        out = tmp_path / str(attempt)
        marker = uuid.uuid4().hex
        process = start_run(out, marker)
        deadline = time.monotonic() + 30
        while not handles(process.pid, signal.SIGTERM) and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.05 * attempt)
        os.killpg(process.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
        _, err = process.communicate(timeout=30)
        assert process.returncode == 130, (attempt, err)
        assert "Traceback" not in err and err.startswith("error: interrupted"), (attempt, err)
        assert wait_until_gone(marker) == [], attempt
        assert not out.exists() or hidden(out) == []
        said.append(err)
    # The first stop lands while the commands are still being imported (a few tenths of a
    # second): the window where a traceback used to escape is covered.
    assert said[0] == "error: interrupted before it started; nothing was written\n", said[0]
