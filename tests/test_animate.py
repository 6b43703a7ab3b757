"""The animation against the revenue figure: the same axes, ticks, bands and shading, the
finding on the last frame, a hold on it; GIF everywhere, MP4 where ffmpeg is."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from PIL import Image

import thermosim
from thermosim.cli import main
from thermosim.figures.timeline import draw_revenue_vs_target
from thermosim.results import write_results
from thermosim.saved import SavedResults, read_results

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("animate")]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("results")
    made = {}
    for name, change in (("lost-key-account", ["horizon_weeks=52"]), ("thermostat", [])):
        experiment = thermosim.run_experiment(thermosim.load_scenario(name, change), 2)
        made[name] = write_results(experiment, out)
    return made


def _ticks(fig: Figure) -> list[tuple[object, ...]]:
    """Per axes: limits, tick locations and tick labels as drawn."""
    fig.canvas.draw()
    return [
        (
            ax.get_xlim(),
            ax.get_ylim(),
            tuple(ax.get_xticks()),
            tuple(ax.get_yticks()),
            tuple(t.get_text() for t in ax.get_yticklabels()),
            tuple(t.get_text() for t in ax.get_xticklabels()),
        )
        for ax in fig.axes
    ]


@pytest.mark.parametrize("name", ["lost-key-account", "thermostat"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_frames_have_the_revenue_figure_s_limits_and_ticks(
    folders: dict[str, Path], name: str, lang: str
) -> None:
    from thermosim.animate import stage

    results = read_results(folders[name])
    shown = stage(results, lang)
    first = shown.frame(1, lang)
    middle = shown.frame(shown.weeks // 2, lang)
    assert first.shape == middle.shape and not np.array_equal(first, middle)
    assert _ticks(shown.figure) == _ticks(draw_revenue_vs_target(results, lang))
    lowest = shown.figure.axes[0].get_ylim()[0]
    assert lowest == 0 if results.sales else lowest < 20  # from zero, as the figure


def test_the_last_frame_is_the_figure_and_states_its_finding(folders: dict[str, Path]) -> None:
    from thermosim.animate import DPI, stage

    results = read_results(folders["lost-key-account"])
    shown = stage(results, "en")
    before = shown.frame(10, "en")
    assert shown.title is not None and "week 10" in shown.title.get_text()
    last = shown.frame(shown.weeks, "en")
    figure = draw_revenue_vs_target(results, "en")
    assert shown.title.get_text() == figure.get_suptitle() == shown.finding
    assert "%" in shown.finding  # a finding, not the scenario's name
    figure.set_dpi(DPI)
    figure.canvas.draw()
    picture = np.asarray(figure.canvas.buffer_rgba())[:, :, :3]  # type: ignore[attr-defined]
    assert picture.shape == last.shape
    differs = np.abs(picture.astype(int) - last.astype(int)).max(axis=2) > 40
    assert differs.mean() < 0.01  # the figure itself, drawn in one go
    assert (np.abs(before.astype(int) - last.astype(int)).max(axis=2) > 40).mean() > 0.02


def test_bands_and_shock_shading_are_revealed_week_by_week(folders: dict[str, Path]) -> None:
    from thermosim.animate import stage
    from thermosim.figures.data import Story

    results: SavedResults = read_results(folders["lost-key-account"])
    shown = stage(results, "nl")
    bands = [a for a in shown.moving if isinstance(a, PolyCollection)]
    assert len(bands) >= len(results.variants)  # a 10-90% band per approach
    shocks = [float(s.week) for s in Story.of(results).shocks]
    assert [week for week, _ in shown.labels] == shocks
    week = int(shocks[0])
    ax = shown.figure.axes[0]
    x = ax.transData.transform((week + 6, 0))[0]
    column = round(float(x))
    height = shown.figure.bbox.height
    top, bottom = int(height - ax.bbox.y1) + 40, int(height - ax.bbox.y0) - 5

    def ink(frame: np.ndarray) -> float:
        strip = frame[top:bottom, column]
        return float((strip.astype(int).sum(axis=1) < 3 * 245).mean())

    assert ink(shown.frame(week, "nl")) < ink(shown.frame(week + 10, "nl"))


def test_gif_one_frame_per_week_and_a_hold_on_the_last(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    from thermosim.animate import HOLD_LAST_S, animate

    folder = folders["lost-key-account"]
    gif = animate(folder, tmp_path / "a.gif", "gif", "en")
    weeks = read_results(folder).weeks
    with Image.open(gif) as im:
        assert im.size[0] % 2 == 0 and im.size[1] % 2 == 0
        assert im.n_frames == weeks
        im.seek(im.n_frames - 1)
        assert im.info["duration"] == round(1000 * HOLD_LAST_S)
    strided = animate(folder, tmp_path / "b.gif", "gif", "nl", stride=4)
    with Image.open(strided) as im:
        assert im.n_frames == -(-weeks // 4)


def test_mp4_holds_the_last_frame(folders: dict[str, Path], tmp_path: Path) -> None:
    from thermosim.animate import FPS, HOLD_LAST_S, animate, ffmpeg_path

    binary = ffmpeg_path()
    if binary is None:
        pytest.skip("ffmpeg is not installed (install it, or pip install 'thermosim[video]')")
    folder = folders["thermostat"]
    video = animate(folder, tmp_path / "a.mp4", "mp4", "nl")
    probe = subprocess.run(
        [binary, "-i", str(video), "-map", "0:v:0", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    frames = int(re.findall(r"frame=\s*(\d+)", probe.stderr)[-1])
    assert frames == read_results(folder).weeks + round(HOLD_LAST_S * FPS)


def test_mp4_without_ffmpeg_exits_2_with_the_message(
    folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import thermosim.animate as animate_module

    monkeypatch.setattr(animate_module, "ffmpeg_path", lambda: None)
    folder = folders["lost-key-account"]
    result = CliRunner().invoke(main, ["animate", str(folder), "--format", "mp4"])
    assert result.exit_code == 2
    assert "MP4 needs ffmpeg" in result.output and "Traceback" not in result.output
