"""The deck read back with python-pptx: titles, pictures, scorecard, chart, talk, template.

The decks are built once per worker (``made``) and shared with ``test_deck_render.py``, which
renders the same files through LibreOffice.
"""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.util import Inches, Pt

import thermosim
from thermosim.cli import main
from thermosim.figures.numbers import euros, hours, percent
from thermosim.kpi_text import format_kpi
from thermosim.results import write_results
from thermosim.saved import SavedResults, read_results

# One xdist worker runs the deck modules, so the decks below are built once for both.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("deck")]

SCENARIOS = ("lost-key-account", "baseline", "thermostat")
WEEKS = 52  # a year: quick to run, and the week axis steps by quarters (13 weeks)
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_MADE: dict[str, Path] = {}


def made(tmp_path_factory: pytest.TempPathFactory, key: str, build: Callable[[], Path]) -> Path:
    """``build()`` once per worker (a module-level cache both deck modules share)."""
    if key not in _MADE:
        _MADE[key] = build()
    return _MADE[key]


def made_folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Results of three scenarios over a year; lost-key-account also explained."""

    def build() -> Path:
        from thermosim.explain import explain, write_explanation
        from thermosim.figures.render import families_for, figure_path

        out = tmp_path_factory.mktemp("results")
        for name in SCENARIOS:
            weeks = [] if name == "thermostat" else [f"horizon_weeks={WEEKS}"]
            scenario = thermosim.load_scenario(name, weeks)
            folder = write_results(thermosim.run_experiment(scenario, replications=3), out)
            if name == "lost-key-account":
                write_explanation(explain(scenario, replications=2, workers=1), out)
            # The deck draws its own pictures; the folder's stand-alone figures (which it draws
            # where missing, tested elsewhere) are not looked at here: a readable stand-in each.
            (folder / "figures").mkdir(exist_ok=True)
            for family in families_for(scenario.plant.kind, scenario.shocks):
                for lang in ("en", "nl"):
                    Image.new("RGB", (2, 2), "white").save(figure_path(folder, family, lang, "png"))
        return out

    out = made(tmp_path_factory, "folders", build)
    return [out / name for name in SCENARIOS]


def made_deck(tmp_path_factory: pytest.TempPathFactory, lang: str, template: str = "") -> Path:
    """The three-scenario deck in ``lang``, or on a template built here ("4:3": the three
    scenarios; "16:9": the thermostat alone)."""
    from thermosim.deck import build_deck

    folders = made_folders(tmp_path_factory)

    def build() -> Path:
        out = tmp_path_factory.mktemp(f"deck-{lang}")
        chosen = make_template(out / "company.pptx", template == "16:9") if template else None
        given = folders[-1:] if template == "16:9" else folders
        return build_deck(given, out / "talk.pptx", lang, chosen)

    return made(tmp_path_factory, f"deck-{lang}-{template}", build)


MARK = "ACME-MASTER"


def make_template(path: Path, wide: bool) -> Path:
    """A company template: a mark and a bar on the master, layouts renamed, a sample slide."""
    prs = Presentation()
    if wide:
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    width, height = prs.slide_width, prs.slide_height
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    mark = scratch.shapes.add_textbox(
        width - Inches(2.2), height - Inches(0.45), Inches(2), Inches(0.4)
    )
    mark.text_frame.text = MARK
    bar = scratch.shapes.add_shape(1, 0, 0, width, Inches(0.12))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor(0x2E, 0x7D, 0x32)
    tree = prs.slide_master.shapes._spTree
    for shape in (mark, bar):
        tree.append(copy.deepcopy(shape._element))
    layouts = prs.slide_layouts._sldLayoutIdLst
    # Names and order mean nothing: the deck must find its layouts by placeholder types.
    for i, layout in enumerate(prs.slide_layouts):
        layout.name = f"Huisstijl {i}"
    entries = list(layouts)
    for entry in entries:
        layouts.remove(entry)
    for entry in reversed(entries):
        layouts.append(entry)
    sample = prs.slides.add_slide(prs.slide_layouts[0])
    sample.shapes.title.text = "SAMPLE SLIDE"
    prs.save(str(path))
    return path


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return made_folders(tmp_path_factory)


@pytest.fixture(scope="module")
def saved(folders: list[Path]) -> list[SavedResults]:
    return [read_results(f) for f in folders]


@pytest.fixture(scope="module", params=["en", "nl"])
def deck(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return Presentation(str(made_deck(tmp_path_factory, request.param))), request.param


def _titles(slide: Any) -> list[Any]:
    return [p for p in slide.placeholders if p.placeholder_format.type in TITLES]


def _text(words: str) -> str:
    """A slide's text as the catalogue writes it (line breaks and no-break spaces undone)."""
    return words.replace("\v", " ").replace("\u00a0", " ").replace("\n", " ")


def _kind(slide: Any) -> str:
    shapes = list(slide.shapes)
    if any(s.has_chart for s in shapes):
        return "chart"
    if any(s.has_table for s in shapes):
        return "table"
    if any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in shapes):
        return "picture"
    return "text"


# -- one title per slide, and it is the finding -----------------------------------------------


def test_every_slide_has_one_title_that_is_not_a_scenario_name(
    deck: Any, saved: list[SavedResults]
) -> None:
    prs, lang = deck
    names = {r.name for r in saved} | {r.title(lang) for r in saved}
    for i, slide in enumerate(prs.slides):
        titles = _titles(slide)
        assert len(titles) == 1, f"slide {i + 1} has {len(titles)} titles"
        words = _text(titles[0].text)
        assert words.strip() and words not in names, f"slide {i + 1}: {words!r}"


def test_figure_slides_are_titled_with_the_figures_finding_and_the_picture_has_none(
    saved: list[SavedResults], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from thermosim.deck_choice import TALK_ORDER, key_figures
    from thermosim.figures.data import Story
    from thermosim.figures.render import draw_untitled, families_for

    prs = Presentation(str(made_deck(tmp_path_factory, "nl")))
    titles = [_text(_titles(s)[0].text) for s in prs.slides if _kind(s) == "picture"]
    for results in saved:
        story = Story.of(results)
        offered = [n for n in families_for(results.plant, results.scenario.shocks)]
        for name in key_figures(story, [n for n in offered if n in TALK_ORDER]):
            drawn = draw_untitled(results, name, "nl")
            assert drawn.figure.get_suptitle() == ""  # the picture carries no title of its own
            assert drawn.title in titles, (results.name, name)


def test_the_stand_alone_figures_keep_their_title(saved: list[SavedResults]) -> None:
    from thermosim.figures.render import DRAW, draw_untitled

    for name in ("revenue-vs-target", "scorecard", "control-loop"):
        stand_alone = DRAW[name](saved[0], "en", "full")
        untitled = draw_untitled(saved[0], name, "en")
        assert stand_alone.get_suptitle().replace("\n", " ") == untitled.title


def test_pictures_fit_the_body_without_distortion(deck: Any) -> None:
    prs, _ = deck
    pictures = 0
    for slide in prs.slides:
        title = _titles(slide)[0]
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width
            assert shape.top >= 0 and shape.top + shape.height <= prs.slide_height
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                pictures += 1
                assert shape.top >= title.top + title.height  # below the title, not on it
                with Image.open(io.BytesIO(shape.image.blob)) as im:
                    ratio = im.width / im.height
                assert abs(shape.width / shape.height - ratio) / ratio < 0.01
    assert pictures >= 1 + 2 * 3 + 1  # the loop, two figures or more per scenario, the waterfall


# -- the talk -----------------------------------------------------------------------------------


def test_the_talk_opens_with_its_headline_and_an_agenda_and_ends_with_the_questions(
    deck: Any, saved: list[SavedResults]
) -> None:
    from thermosim.deck_words import say

    prs, lang = deck
    slides = list(prs.slides)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    kinds = [_kind(s) for s in slides]
    assert kinds[0] == kinds[1] == kinds[-1] == "text"
    agenda = _text(" ".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame))
    for results in saved:
        assert results.title(lang) in agenda
    assert kinds.count("table") == len(saved)  # a scorecard per scenario
    assert kinds.count("chart") == 1
    closing = slides[-1]
    assert _text(_titles(closing)[0].text) == say("deck.closing.title", lang)
    body = _text(" ".join(s.text_frame.text for s in closing.shapes if s.has_text_frame))
    for key in ("deck.closing.q1", "deck.closing.q2", "deck.closing.q3"):
        assert say(key, lang) in body
    reactive = saved[0].kpis["reactive"]
    assert percent(reactive["attainment"]["mean"], lang) in body  # the talk's own numbers
    notes = closing.notes_slide.notes_text_frame.text
    assert len(notes) > 400 and percent(reactive["attainment"]["mean"], lang) in notes


@pytest.mark.parametrize(
    ("lang", "questions"),
    [
        ("en", ["Where are we really?", "Where do we want to go?", "What keeps us stuck"]),
        ("nl", ["Waar staan we nu echt?", "Waar willen we heen?", "waan van de dag"]),
    ],
)
def test_the_closing_slide_asks_the_three_questions_in_both_languages(
    tmp_path_factory: pytest.TempPathFactory, lang: str, questions: list[str]
) -> None:
    prs = Presentation(str(made_deck(tmp_path_factory, lang)))
    closing = list(prs.slides)[-1]
    body = _text(" ".join(s.text_frame.text for s in closing.shapes if s.has_text_frame))
    assert all(q in body for q in questions)
    assert "inzicht" in body.lower() if lang == "nl" else "insight" in body.lower()


def test_each_scenario_shows_the_figures_that_differ_most(
    saved: list[SavedResults], monkeypatch: pytest.MonkeyPatch
) -> None:
    import thermosim.deck_choice as choice
    from thermosim.figures.data import Story

    story = Story.of(saved[0])
    every = list(choice.TALK_ORDER)
    scores = {"revenue-vs-target": 0.4, "recovery": 5.0, "firefighting": 9.0, "team-health": 0.8}
    monkeypatch.setattr(choice, "differences", lambda s: {**scores, "time-allocation": 0.1})
    # The two largest, in the order of a story; a third only when its difference matters.
    assert choice.key_figures(story, every) == ["recovery", "firefighting"]
    scores["team-health"] = 1.5
    assert choice.key_figures(story, every) == ["recovery", "firefighting", "team-health"]
    assert choice.key_figures(story, ["revenue-vs-target", "team-health"]) == [
        "revenue-vs-target",
        "team-health",
    ]


def test_the_waterfall_slide_comes_with_explain_json_only(
    tmp_path_factory: pytest.TempPathFactory, saved: list[SavedResults]
) -> None:
    from thermosim.deck_pictures import waterfall_picture
    from thermosim.explain import read_explanation

    prs = Presentation(str(made_deck(tmp_path_factory, "en")))
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
    assert sum("The waterfall goes from" in n for n in notes) == 1  # one scenario has it
    finding = waterfall_picture(read_explanation(saved[0].path), "en").finding
    titles = [_text(_titles(s)[0].text) for s in prs.slides]
    assert finding in titles


def test_a_single_scenario_has_no_agenda(folders: list[Path], tmp_path: Path) -> None:
    from thermosim.deck import build_deck

    prs = Presentation(str(build_deck([folders[2]], tmp_path / "t.pptx", "en")))
    second = _text(_titles(list(prs.slides)[1]).pop().text)
    assert second.startswith("One loop")  # straight to the control loop
    assert not any(s.has_chart for slide in prs.slides for s in slide.shapes)  # no sales


# -- the scorecard ------------------------------------------------------------------------------


def _scorecards(prs: Any) -> list[Any]:
    return [s for slide in prs.slides for s in slide.shapes if s.has_table]


def test_the_scorecard_is_at_least_20_pt_and_writes_values_as_the_figures(
    deck: Any, saved: list[SavedResults]
) -> None:
    from matplotlib.text import Text

    from thermosim.figures.data import Story
    from thermosim.figures.scorecard import draw_scorecard, score_rows

    prs, lang = deck
    for frame, results in zip(_scorecards(prs), saved, strict=True):
        table = frame.table
        sizes = [
            run.font.size
            for row in table.rows
            for cell in row.cells
            for p in cell.text_frame.paragraphs
            for run in p.runs
        ]
        assert sizes and all(s is not None and s >= Pt(20) for s in sizes)
        figure = {t.get_text() for t in draw_scorecard(results, lang).findobj(Text)}
        story = Story.of(results)
        for i, row in enumerate(score_rows(story, lang), start=1):
            for j, variant in enumerate(story.variants, start=1):
                cell = _text(table.cell(i, j).text)
                assert cell == row.value_text(variant, lang) and cell in figure


def test_the_scorecard_marks_the_better_value_in_the_approach_s_colours(
    deck: Any, saved: list[SavedResults]
) -> None:
    from thermosim.deck_table import tint
    from thermosim.figures.data import Story
    from thermosim.figures.scorecard import score_rows

    prs, lang = deck
    marked = 0
    for frame, results in zip(_scorecards(prs), saved, strict=True):
        table, story = frame.table, Story.of(results)
        for j, variant in enumerate(story.variants, start=1):
            colour = story.looks[variant].color.lstrip("#").upper()
            assert str(table.cell(0, j).fill.fore_color.rgb) == colour  # headed in its colour
        for i, row in enumerate(score_rows(story, lang), start=1):
            for j, variant in enumerate(story.variants, start=1):
                cell = table.cell(i, j)
                bold = cell.text_frame.paragraphs[0].runs[0].font.bold
                better = row.better == variant
                assert bool(bold) == better
                fill = str(cell.fill.fore_color.rgb)
                assert (fill == tint(story.looks[variant].color)) == better
                marked += better
    assert marked >= 3


def test_the_scorecard_fills_the_body(deck: Any) -> None:
    prs, _ = deck
    for slide in prs.slides:
        frames = [s for s in slide.shapes if s.has_table]
        if not frames:
            continue
        frame, title = frames[0], _titles(slide)[0]
        rows = sum(r.height for r in frame.table.rows)
        columns = sum(c.width for c in frame.table.columns)
        body = prs.slide_height - (title.top + title.height)
        assert rows > 0.85 * body and columns > 0.9 * prs.slide_width  # filling, not a third
        assert frame.top + rows <= prs.slide_height


# -- the native chart ---------------------------------------------------------------------------


def _chart(prs: Any) -> Any:
    charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    return charts[0]


def test_the_chart_plots_the_4_week_averages_of_the_results(
    deck: Any, saved: list[SavedResults]
) -> None:
    from thermosim.figures.timeline import START

    prs, lang = deck
    chart = _chart(prs)
    assert chart.chart_type == XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS
    results = saved[0]  # the first sales scenario is charted
    series = list(chart.plots[0].series)
    names = [s.name for s in series]
    target = "Target"
    assert names[:3] == [
        {"en": "Reacting", "nl": "Reageren"}[lang],
        {"en": "Steering", "nl": "Sturen"}[lang],
        target,
    ]
    for s, variant in zip(series[:2], results.variants, strict=True):
        expected = results.stats(variant, "revenue", "rolling")["p50"][START:]
        assert list(s.values) == [round(float(x)) for x in expected]
        xs = [float(v) for v in s._element.xpath("./c:xVal//c:v/text()")]
        assert xs == [float(w) for w in range(START, results.weeks)]
    rolling_target = results.stats("reactive", "target", "rolling")["p50"][START:]
    assert list(series[2].values) == [round(float(x)) for x in rolling_target]
    assert series[2].format.line.dash_style == MSO_LINE_DASH_STYLE.DASH
    assert series[0].format.line.dash_style == MSO_LINE_DASH_STYLE.SOLID


def test_the_chart_has_the_figure_s_axes_the_shock_and_the_deck_s_numbers(
    deck: Any, saved: list[SavedResults]
) -> None:
    from thermosim.deck_pictures import figure_picture
    from thermosim.figures.data import Story

    prs, lang = deck
    chart = _chart(prs)
    ax = figure_picture(saved[0], "revenue-vs-target", lang).figure.axes[0]
    weeks, values = chart.category_axis, chart.value_axis
    assert (weeks.minimum_scale, weeks.maximum_scale) == pytest.approx(ax.get_xlim())
    assert weeks.major_unit == 13  # quarters, as the figure's week axis over a year
    low, high = ax.get_xlim()
    assert [t for t in ax.get_xticks() if low <= t <= high][:2] == [0, 13]
    assert (values.minimum_scale, values.maximum_scale) == pytest.approx(ax.get_ylim())
    ticks = list(ax.get_yticks())
    assert values.major_unit == pytest.approx(ticks[1] - ticks[0])
    code = values.tick_labels.number_format
    assert not values.tick_labels.number_format_is_linked
    assert ('"€"#,##0,"k"' in code) if lang == "en" else ('"€ "#"."000' in code)
    shock = Story.of(saved[0]).shocks[0]
    marks = [s for s in chart.plots[0].series if shock.label(lang) in s.name]
    assert len(marks) == 1
    xs = {float(v) for v in marks[0]._element.xpath("./c:xVal//c:v/text()")}
    assert xs == {float(shock.week)}
    assert shock.label(lang) in marks[0]._element.xml  # labelled on the plot
    assert chart.part.chart_workbook.xlsx_part is not None  # editable: the data travel along


def test_the_chart_s_number_format_writes_the_figure_s_tick_labels() -> None:
    from thermosim.deck_chart import euro_format

    # Conditions and literals only: the same in any viewer's locale.
    assert euro_format("en", 2e5) == '[=0]"€0";"€"#,##0,"k"'
    assert euro_format("nl", 2e5) == '[<1000]"€ "0;[<1000000]"€ "#"."000;"€ "#"."000"."000'
    assert "mln" in euro_format("nl", 2e6) and "M" in euro_format("en", 2e6)


# -- notes and formatting -----------------------------------------------------------------------


def test_every_slide_has_notes_with_the_kpis_in_dutch_number_format(
    tmp_path_factory: pytest.TempPathFactory, folders: list[Path]
) -> None:
    prs = Presentation(str(made_deck(tmp_path_factory, "nl")))
    notes = [slide.notes_slide.notes_text_frame.text for slide in prs.slides]
    assert all(n.strip() for n in notes)
    everything = "\n".join(notes)
    kpis = json.loads((folders[0] / "kpis.json").read_text(encoding="utf-8"))
    for variant in ("reactive", "steered"):
        assert percent(kpis[variant]["attainment"]["mean"], "nl") in everything
        assert format_kpi("fatigue_mean", kpis[variant]["fatigue_mean"]["mean"], "nl") in everything
        assert hours(kpis[variant]["firefighting_hours"]["mean"], "nl") in everything
        assert euros(kpis[variant]["operating_profit"]["mean"], "nl") in everything
    assert re.search(r"\d,\d", everything)  # decimal commas, not points
    assert "brandjes blussen" in everything
    assert "bedrijfsresultaat (na salarissen, werving, overwerk en fees)" in everything


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "operating profit (after salaries, hires, overtime and fees)"),
        ("nl", "bedrijfsresultaat (na salarissen, werving, overwerk en fees)"),
    ],
)
def test_scorecard_and_chart_notes_say_what_operating_profit_is(
    saved: list[SavedResults], lang: str, words: str
) -> None:
    from thermosim.deck_notes import chart_notes, scorecard_notes

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
    tmp_path_factory: pytest.TempPathFactory, saved: list[SavedResults]
) -> None:
    """One rule: fatigue (a 0-1 index) is a percentage everywhere, censored recovery ``> N wk``."""
    from matplotlib.text import Text

    from thermosim.console import summary_table
    from thermosim.figures.scorecard import draw_scorecard
    from thermosim.metrics import is_censored

    results = saved[0]
    prs = Presentation(str(made_deck(tmp_path_factory, "nl")))
    table = _scorecards(prs)[0].table
    cells = {_text(cell.text) for row in table.rows for cell in row.cells}
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in prs.slides)
    console = "\n".join(summary_table(results.kpis, "sales"))
    scorecard = {t.get_text() for t in draw_scorecard(results, "nl").findobj(Text)}
    for variant, stats in results.kpis.items():
        fatigue = format_kpi("fatigue_mean", stats["fatigue_mean"]["mean"], "nl")
        assert fatigue.endswith("%")
        assert fatigue in console and fatigue in scorecard, variant
        assert fatigue in cells and fatigue in notes, variant
        censored = is_censored(stats, "recovery_weeks")
        weeks = format_kpi(
            "recovery_weeks", stats["recovery_weeks"]["mean"], "nl", censored=censored
        )
        assert weeks in console and weeks in scorecard and weeks in cells, variant


# -- the trainer's template ---------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["4:3", "16:9"])
def test_a_deck_on_a_template_keeps_its_master_and_size(
    tmp_path_factory: pytest.TempPathFactory, shape: str
) -> None:
    prs = Presentation(str(made_deck(tmp_path_factory, "en", shape)))
    wanted = 16 / 9 if shape == "16:9" else 4 / 3
    assert abs(prs.slide_width / prs.slide_height - wanted) < 0.01
    masters = list(prs.slide_masters)
    assert len(masters) == 1
    assert any(s.has_text_frame and s.text_frame.text == MARK for s in masters[0].shapes)
    assert all(layout.name.startswith("Huisstijl") for layout in prs.slide_layouts)
    slides = list(prs.slides)
    assert all(s.slide_layout.slide_master == masters[0] for s in slides)
    titles = [_text(_titles(s)[0].text) for s in slides]
    assert "SAMPLE SLIDE" not in titles  # the template's own slides are left out
    scenarios = 1 if shape == "16:9" else 3
    assert sum(_kind(s) == "table" for s in slides) == scenarios
    assert titles[-1].startswith("Begin")
    for slide in slides:
        for shape_ in slide.shapes:
            assert shape_.left + shape_.width <= prs.slide_width
            assert shape_.top + shape_.height <= prs.slide_height


def test_layouts_are_found_by_placeholder_types(tmp_path: Path) -> None:
    from thermosim.deck_master import find_layouts, open_template

    prs = open_template(make_template(tmp_path / "t.pptx", wide=False))
    layouts = find_layouts(prs)

    def kinds(layout: Any) -> set[Any]:
        skip = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}
        return {p.placeholder_format.type for p in layout.placeholders} - skip

    assert kinds(layouts.opening) == {PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE}
    assert kinds(layouts.titled) == {PP_PLACEHOLDER.TITLE}
    assert layouts.text is not None and len(kinds(layouts.text)) == 2
    assert len(prs.slides) == 0


def test_a_template_that_is_not_a_pptx_exits_2_before_anything_runs(
    tmp_path: Path, folders: list[Path]
) -> None:
    bad = tmp_path / "company.pptx"
    bad.write_text("not a presentation", encoding="utf-8")
    args = ["deck", str(folders[2]), "-o", str(tmp_path / "t.pptx"), "--template", str(bad)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "template" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "t.pptx").exists()


def test_the_deck_command_takes_a_template(tmp_path: Path, folders: list[Path]) -> None:
    template = make_template(tmp_path / "company.pptx", wide=True)
    args = ["deck", str(folders[2]), "-o", str(tmp_path / "t.pptx"), "--template", str(template)]
    result = CliRunner().invoke(main, [*args, "--lang", "nl"])
    assert result.exit_code == 0, result.output
    prs = Presentation(str(tmp_path / "t.pptx"))
    assert any(s.has_text_frame and s.text_frame.text == MARK for s in prs.slide_master.shapes)


def test_deck_command_runs_missing_scenarios_first(tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = CliRunner().invoke(
        main,
        ["deck", "thermostat", "-o", str(tmp_path / "t.pptx"), "--out", str(out), "--reps", "2"],
    )
    assert result.exit_code == 0, result.output
    assert (out / "thermostat" / "kpis.json").is_file()
    assert Presentation(str(tmp_path / "t.pptx")).slides


def test_title_placeholders_keep_their_box_on_the_wider_slide(deck: Any) -> None:
    prs, _ = deck
    title_slide = prs.slides[0]
    title, subtitle = title_slide.placeholders[0], title_slide.placeholders[1]
    assert title.height > 0 and subtitle.height > 0
    assert title.top > 0 and subtitle.top >= title.top + title.height
    assert title.width > prs.slide_width * 0.8  # across the 16:9 width


def test_agenda_titles_say_where_attainment_differs_most(saved: list[SavedResults]) -> None:
    from thermosim.deck_choice import agenda_title
    from thermosim.figures.data import Story

    stories = [Story.of(r) for r in saved]
    spreads = [np.ptp([round(100 * r.kpi(v, "attainment")) for v in r.variants]) for r in saved[:2]]
    largest = saved[int(np.argmax(spreads))]
    title = agenda_title(stories, "en")
    assert f"“{largest.title('en')}”" in title and title.endswith(f"{max(spreads)} pts")


def test_the_deck_s_words_have_the_same_keys_and_fields_in_both_languages() -> None:
    import string

    from thermosim.deck_words import WORDS

    def fields(template: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f}

    assert WORDS["en"].keys() == WORDS["nl"].keys()
    for key, english in WORDS["en"].items():
        assert fields(english) == fields(WORDS["nl"][key]), key
