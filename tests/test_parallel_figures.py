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
    # This process drew every other figure; a worker (unpatched) drew the rest.
    assert drawn_here == names[::2]
    assert multiprocessing.active_children() == []


def test_the_parent_can_work_between_start_and_finish() -> None:
    got: dict[int, int] = {}
    with Workers(square, 2) as pool:
        pool.start(9)
        mine = sum(range(1000))  # the parent's own share, while the workers run
        pool.finish(got.__setitem__)
    assert mine == 499500 and got == {i: i * i for i in range(9)}
