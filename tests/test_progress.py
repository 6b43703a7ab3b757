"""Progress a trainer sees: it moves within long replications, in workers and in-process."""

from __future__ import annotations

import io
import multiprocessing

import pytest

import thermosim
from robustness_helpers import reports_slowly
from thermosim import workers as workers_module
from thermosim.console import Progress
from thermosim.experiment import each_replication
from thermosim.workers import REPORT_EVERY_S, Workers


def test_a_running_task_reports_its_share_to_the_parent() -> None:
    partials: list[tuple[int, float]] = []
    done: list[int] = []
    with Workers(reports_slowly, 2) as pool:
        pool.map(2, lambda i, _: done.append(i), lambda i, f: partials.append((i, f)))
    assert sorted(done) == [0, 1]
    # ~0.9 s each, reported at most every REPORT_EVERY_S: a few reports per task, not nine.
    for task in (0, 1):
        shares = [f for i, f in partials if i == task]
        assert 1 <= len(shares) <= 0.9 / REPORT_EVERY_S + 1, shares
        assert shares == sorted(shares) and all(0 < f < 1 for f in shares)
    assert multiprocessing.active_children() == []


def test_report_outside_a_task_and_without_a_listener_does_nothing() -> None:
    workers_module.report(0.5)  # must not raise, and nobody hears it
    heard: list[float] = []
    with workers_module.reporting(heard.append):
        pass
    workers_module.report(0.5)
    assert heard == []


@pytest.mark.parametrize("count", [1, 2])
def test_replications_under_way_move_the_progress(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A team of 400 takes long enough per replication for reports to cross (every 0.2 s).
    scenario = thermosim.load_scenario(
        "baseline", ["plant.people.team_size=400", "horizon_weeks=20"]
    )
    seen: list[float] = []
    each_replication(scenario, 1, 2, count, lambda r, runs: None, lambda d, n: seen.append(d))
    fractions = [d for d in seen if d != int(d)]
    assert fractions, f"no progress within a replication: {seen}"
    assert seen[-1] == 2
    if count == 1:  # in order in-process; in workers two replications run side by side
        assert seen == sorted(seen)
    assert all(0 < d < 2 for d in fractions)


def test_switching_the_reports_off_leaves_whole_replications_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The mechanism: without `report`, only finished replications move the bar.
    monkeypatch.setattr(workers_module, "report", lambda fraction: None)
    monkeypatch.setattr("thermosim.experiment.report", lambda fraction: None)
    scenario = thermosim.load_scenario(
        "baseline", ["plant.people.team_size=400", "horizon_weeks=20"]
    )
    seen: list[float] = []
    each_replication(scenario, 1, 2, 1, lambda r, runs: None, lambda d, n: seen.append(d))
    assert seen == [1, 2]


def test_the_progress_line_shows_shares_rate_and_time_left() -> None:
    ticks = iter([0.0, 10.0, 20.0, 30.0])
    stream = io.StringIO()
    progress = Progress(stream, "baseline", now=lambda: next(ticks))
    progress(0.5, 4)  # half a replication in 10 s: 70 s left
    progress(2, 4, " (1/2 cells)")
    progress(3, 4)
    progress.close()
    lines = stream.getvalue().split("\r")[1:]
    assert "0/4 replications, 0.1/s, 0:10 elapsed, 1:10 left" in lines[0]
    assert "2/4 replications (1/2 cells), 0.1/s, 0:20 elapsed, 0:20 left" in lines[1]
    # A shorter line blanks what the longer one before it left behind.
    assert len(lines[2].rstrip("\n")) >= len(lines[1])
    assert stream.getvalue().endswith("\n")
