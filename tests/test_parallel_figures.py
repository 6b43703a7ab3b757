"""Figures drawn on several processes: the same files, and the parent draws its own share."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import thermosim
from robustness_helpers import square
from thermosim.figures import render
from thermosim.results import run_and_write
from thermosim.workers import Workers


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = thermosim.load_scenario("lost-key-account", ["horizon_weeks=30"])
    return run_and_write(scenario, tmp_path_factory.mktemp("results"), 3, 5, workers=1)[1]


def _contents(files: list[Path]) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in files}


@pytest.mark.slow
def test_the_same_figure_files_on_one_and_two_processes(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _contents(render.write_figures(folder, "nl", ("png", "svg"), workers=1))
    drawn_here: list[str] = []
    real = render._draw_names

    def spy(results, staging, names, *rest):  # type: ignore[no-untyped-def]
        drawn_here.extend(names)
        return real(results, staging, names, *rest)

    monkeypatch.setattr(render, "_draw_names", spy)
    files = render.write_figures(folder, "nl", ("png", "svg"), workers=2)
    assert _contents(files) == one
    assert [f.name for f in files] == list(one), "not in FIGURES order"
    names = [n for n in render.FIGURES if any(f.startswith(f"{n}.") for f in one)]
    # This process drew its part, the first figures; a worker (unpatched) drew the rest.
    parts = render.split_figures(names, 2)
    assert len(parts) == 2, "with 7 figures a second process pays off"
    assert drawn_here == list(parts[0]) == names[: len(parts[0])]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("count", [1, 2, 3, 5, 7, 8, 12, 30])
@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_every_figure_is_drawn_once_and_the_warm_process_draws_most(
    count: int, workers: int
) -> None:
    names = [f"f{i}" for i in range(count)]
    parts = render.split_figures(names, workers)
    drawn = [name for part in parts for name in part]
    assert sorted(drawn) == sorted(names) and len(drawn) == count
    assert 1 <= len(parts) <= workers and all(parts)
    cold = render.COLD_START_FIGURES
    if len(parts) > 1:
        # A worker is only worth starting when its part outweighs its cold start, and the
        # parent, warm, takes about the cold start's worth more than any worker.
        assert all(len(part) <= len(parts[0]) for part in parts[1:])
        assert len(parts[0]) - max(len(p) for p in parts[1:]) <= cold + 1
    else:
        # One process: a second, starting cold, would not end sooner.
        assert workers == 1 or count <= cold + 1


def test_a_worker_is_started_once_it_saves_time() -> None:
    cold = render.COLD_START_FIGURES
    assert len(render.split_figures(["a"] * (cold + 1), 2)) == 1
    assert len(render.split_figures(["a"] * 7, 2)) == 2
    assert len(render.split_figures(["a"] * 30, 8)) == 8


def test_the_parent_can_work_between_start_and_finish() -> None:
    got: dict[int, int] = {}
    with Workers(square, 2) as pool:
        pool.start(9)
        mine = sum(range(1000))  # the parent's own share, while the workers run
        pool.finish(got.__setitem__)
    assert mine == 499500 and got == {i: i * i for i in range(9)}
