"""The deck and the animation, read back: sizes, pictures, the native chart, notes, frames."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation

import thermosim
from thermosim.cli import main
from thermosim.figures.numbers import euros, hours, percent
from thermosim.figures.style import text_width_pt
from thermosim.kpi_text import format_kpi
from thermosim.results import write_results
from thermosim.saved import read_results

# One xdist worker runs this module, so its shared fixtures/caches are computed once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("deck")]

SCENARIOS = ("lost-key-account", "baseline", "thermostat")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("results")
    made = []
    for name in SCENARIOS:
        experiment = thermosim.run_experiment(thermosim.load_scenario(name), replications=3)
        made.append(write_results(experiment, out))
    return made


@pytest.fixture(scope="module")
def deck_nl(folders: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from thermosim.deck import build_deck

    return build_deck(folders, tmp_path_factory.mktemp("deck") / "talk.pptx", "nl")


def test_the_deck_is_16_by_9(deck_nl: Path) -> None:
    prs = Presentation(str(deck_nl))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01


def test_every_picture_fits_inside_its_slide_without_distortion(deck_nl: Path) -> None:
    prs = Presentation(str(deck_nl))
    pictures = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height
            if shape.shape_type == 13:  # a picture
                pictures += 1
                with Image.open(io.BytesIO(shape.image.blob)) as im:
                    ratio = im.width / im.height
                assert abs(shape.width / shape.height - ratio) / ratio < 0.01
    assert pictures >= 1 + 4 + 3  # loop, lost-key-account's four, baseline's three at least


def test_the_native_chart_holds_the_series_and_points_of_the_data(
    deck_nl: Path, folders: list[Path]
) -> None:
    prs = Presentation(str(deck_nl))
    charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0]
    saved = read_results(folders[0])  # the first sales scenario is charted
    plot = chart.plots[0]
    names = [s.name for s in plot.series]
    assert names == ["Reageren", "Sturen", "Target"]
    weeks = saved.series["reactive"]["revenue"].shape[1]
    assert len(list(plot.categories)) == weeks
    expected = np.median(saved.series["reactive"]["revenue"], axis=0)
    assert list(plot.series[0].values) == [round(float(x)) for x in expected]


def test_every_slide_has_notes_with_the_kpis_in_dutch_number_format(
    deck_nl: Path, folders: list[Path]
) -> None:
    prs = Presentation(str(deck_nl))
    notes = [slide.notes_slide.notes_text_frame.text for slide in prs.slides]
    assert all(n.strip() for n in notes)
    everything = "\n".join(notes)
    kpis = json.loads((folders[0] / "kpis.json").read_text(encoding="utf-8"))
    for variant in ("reactive", "steered"):
        assert percent(kpis[variant]["attainment"]["mean"], "nl") in everything
        assert format_kpi("fatigue_mean", kpis[variant]["fatigue_mean"]["mean"], "nl") in everything
        assert hours(kpis[variant]["firefighting_hours"]["mean"], "nl") in everything
    assert re.search(r"\d,\d", everything)  # decimal commas, not points
    assert "brandjes blussen" in everything
    for variant in ("reactive", "steered"):
        assert euros(kpis[variant]["operating_profit"]["mean"], "nl") in everything
    assert "bedrijfsresultaat (na salarissen, werving, overwerk en fees)" in everything


def test_the_scorecard_table_leads_money_with_operating_profit(
    deck_nl: Path, folders: list[Path]
) -> None:
    prs = Presentation(str(deck_nl))
    tables = [s.table for slide in prs.slides for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    table = tables[0]
    headers = [cell.text for cell in table.rows[0].cells]
    assert headers.index("Bedrijfsresultaat") < headers.index("Brutowinst")
    column = headers.index("Bedrijfsresultaat")
    kpis = json.loads((folders[0] / "kpis.json").read_text(encoding="utf-8"))
    shown = [row.cells[column].text for row in list(table.rows)[1:3]]
    assert shown == [euros(kpis[v]["operating_profit"]["mean"], "nl") for v in kpis]
    # Columns are sized to their words: the table keeps its width and no word is split
    # (measured in DejaVu Sans, wider than the deck's font; 0.2 in of cell margins).
    frame = next(s for slide in prs.slides for s in slide.shapes if s.has_table)
    assert sum(c.width for c in table.columns) == frame.width
    for j, col in enumerate(table.columns):
        cells = [row.cells[j].text for row in table.rows]
        words = [(w, i == 0) for i, c in enumerate(cells) for w in c.split()]
        widest = max(text_width_pt(w, 14, bold) for w, bold in words) / 72
        assert col.width / 914400 >= widest + 0.2, cells[0]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "operating profit (after salaries, hires, overtime and fees)"),
        ("nl", "bedrijfsresultaat (na salarissen, werving, overwerk en fees)"),
    ],
)
def test_scorecard_and_chart_notes_say_what_operating_profit_is(
    folders: list[Path], lang: str, words: str
) -> None:
    from thermosim.deck_notes import chart_notes, scorecard_notes

    saved = [read_results(f) for f in folders]
    scorecard = scorecard_notes(saved, lang)
    chart = chart_notes(saved[0], lang)
    assert words in scorecard.splitlines()[0]  # said first, once
    assert scorecard.count(words) == 1
    assert words in chart.lower()
    segments = scorecard.splitlines()[1].split("; ")  # the first scenario, one per variant
    for segment, stats in zip(segments, saved[0].kpis.values(), strict=True):
        profit = euros(stats["operating_profit"]["mean"], lang)
        assert profit in chart
        assert segment.index(profit) < segment.index(percent(stats["attainment"]["mean"], lang))


def test_console_scorecard_deck_and_notes_write_a_kpi_the_same_way(
    deck_nl: Path, folders: list[Path]
) -> None:
    """One rule: fatigue (a 0-1 index) is a percentage everywhere, censored recovery ``> N wk``."""
    from matplotlib.text import Text

    from thermosim.console import summary_table
    from thermosim.figures.scorecard import draw_scorecard
    from thermosim.metrics import is_censored

    saved = read_results(folders[0])
    prs = Presentation(str(deck_nl))
    table = next(s.table for slide in prs.slides for s in slide.shapes if s.has_table)
    cells = {cell.text for row in table.rows for cell in row.cells}
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in prs.slides)
    console = "\n".join(summary_table(saved.kpis, "sales"))
    scorecard = {t.get_text() for t in draw_scorecard(saved, "nl").findobj(Text)}
    for variant, stats in saved.kpis.items():
        fatigue = format_kpi("fatigue_mean", stats["fatigue_mean"]["mean"], "nl")
        assert fatigue.endswith("%") and fatigue == format_kpi(
            "fatigue_mean", stats["fatigue_mean"]["mean"], "en"
        )
        assert fatigue in console and fatigue in scorecard, variant
        assert fatigue in cells and fatigue in notes, variant
        censored = is_censored(stats, "recovery_weeks")
        weeks = format_kpi(
            "recovery_weeks", stats["recovery_weeks"]["mean"], "nl", censored=censored
        )
        assert weeks.startswith("> ") == censored
        assert weeks in console and weeks in scorecard and weeks in cells, variant


def test_gif_has_one_frame_per_week_at_an_even_size(folders: list[Path], tmp_path: Path) -> None:
    from thermosim.animate import animate

    gif = animate(folders[0], tmp_path / "a.gif", "gif", "en")
    with Image.open(gif) as im:
        assert im.size == (1280, 720) and im.size[0] % 2 == 0 and im.size[1] % 2 == 0
        weeks = read_results(folders[0]).series["reactive"]["revenue"].shape[1]
        assert im.n_frames == weeks
    strided = animate(folders[0], tmp_path / "b.gif", "gif", "nl", stride=4)
    with Image.open(strided) as im:
        assert im.n_frames == -(-weeks // 4)


def test_mp4_without_ffmpeg_exits_2_with_the_message(
    folders: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import thermosim.animate as animate_module

    monkeypatch.setattr(animate_module, "ffmpeg_path", lambda: None)
    result = CliRunner().invoke(main, ["animate", str(folders[0]), "--format", "mp4"])
    assert result.exit_code == 2
    assert "MP4 needs ffmpeg" in result.output and "Traceback" not in result.output


def test_deck_command_runs_missing_scenarios_first(tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = CliRunner().invoke(
        main,
        ["deck", "thermostat", "-o", str(tmp_path / "t.pptx"), "--out", str(out), "--reps", "2"],
    )
    assert result.exit_code == 0, result.output
    assert (out / "thermostat" / "kpis.json").is_file()
    assert Presentation(str(tmp_path / "t.pptx")).slides


def test_title_placeholders_keep_their_box_on_the_wider_slide(deck_nl: Path) -> None:
    # Widening a layout placeholder must not collapse it to the top edge (zero top and height).
    prs = Presentation(str(deck_nl))
    title_slide = prs.slides[0]
    title, subtitle = title_slide.placeholders[0], title_slide.placeholders[1]
    assert title.height > 0 and subtitle.height > 0
    assert title.top > 0 and subtitle.top >= title.top + title.height
    assert title.width > prs.slide_width * 0.8  # stretched across the 16:9 width
