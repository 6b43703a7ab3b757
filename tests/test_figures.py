"""Slide figures: readable at slide size in en and nl, nothing overlapping, titles true.

The first part checks the checks (tests/figure_checks.py) on small figures built here, so a
passing figure test means something. The second part draws every figure family of every
shipped scenario (3 replications) in both languages at both slide sizes, once per session,
and runs every check on it; each test reports all failing figures at once.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

import thermosim
from figure_checks import (
    ANNOTATION,
    AXIS_LABEL,
    EN_DECIMAL,
    FOOTER,
    LEGEND,
    NL_DECIMAL,
    TICK,
    TITLE,
    check_all,
    data_lines,
    decimal_style_problems,
    draw_and_collect,
    font_size_problems,
    legend_covers_lines,
    line_width_problems,
    outside_canvas,
    overlapping_pairs,
    pdf_font_problems,
    placeholder_fields,
    text_overlap_problems,
    tick_overlap_problems,
)
from thermosim.results import SavedResults, read_results, write_results

FULL = (12.7, 5.9)
HALF = (6.2, 5.9)
LANGS = ("en", "nl")
SIZE_NAMES = ("full", "half")
FAMILIES = (
    "revenue-vs-target",
    "cumulative-gap",
    "firefighting",
    "team-health",
    "time-allocation",
    "scorecard",
    "control-loop",
    "recovery",
)
REPLICATIONS = 3


# --- the checks, on figures built here ----------------------------------------------------


def slide_figure(size: tuple[float, float] = FULL, **changes: Any) -> Figure:
    """A small figure that follows the slide rules; ``changes`` break one rule at a time."""
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    weeks = np.arange(52)
    ax.plot(weeks, 0.5 + 0.3 * np.sin(weeks / 5), lw=changes.get("lw", 3), label="reactive")
    ax.plot(weeks, 0.5 + 0.3 * np.cos(weeks / 5), lw=3, ls="--", label="steered")
    ax.axhline(0.5, lw=1, color="grey")  # a reference line: exempt from the line width
    ax.tick_params(labelsize=changes.get("tick_pt", 16))
    ax.set_xlabel("week", fontsize=20)
    ax.set_ylabel("fatigue", fontsize=20)
    ax.set_title("Steering recovers in 5 weeks", fontsize=changes.get("title_pt", 24))
    legend_at = changes.get("legend", {"loc": "upper left", "bbox_to_anchor": (1, 1)})
    ax.legend(fontsize=16, **legend_at)
    fig.text(0.01, 0.01, "baseline, 3 replications, seed 1", fontsize=changes.get("footer", 12))
    return fig


def test_a_figure_that_follows_the_rules_passes_every_check() -> None:
    drawing = draw_and_collect(slide_figure())
    roles = {t.role for t in drawing.texts}
    assert {TITLE, AXIS_LABEL, TICK, LEGEND, FOOTER} <= roles
    problems = check_all(drawing, FULL)
    assert all(found == [] for found in problems.values()), problems


def test_only_texts_that_are_drawn_are_collected() -> None:
    fig = slide_figure()
    fig.axes[0].set_xlim(0.5, 9.5)  # ticks at 0 and 10 exist but fall outside the view
    hidden = fig.add_axes((0, 0, 0.1, 0.1))
    hidden.set_title("hidden", fontsize=5)
    hidden.set_visible(False)
    drawing = draw_and_collect(fig)
    shown = {t.text for t in drawing.of_role(TICK)}
    assert "2" in shown and "0" not in shown and "10" not in shown
    assert "hidden" not in {t.text for t in drawing.texts}


def test_small_and_oversized_texts_are_reported_by_role() -> None:
    drawing = draw_and_collect(slide_figure(tick_pt=12, title_pt=30, footer=9))
    problems = font_size_problems(drawing.texts)
    assert any(p.startswith("tick label") and "12 pt" in p for p in problems)
    assert any(p.startswith("title") and "wanted 22-26" in p for p in problems)
    assert any(p.startswith("footer") for p in problems)
    assert not any(p.startswith(("axis label", "legend")) for p in problems)


def test_an_annotation_inside_the_axes_is_not_a_footer() -> None:
    fig = slide_figure()
    fig.axes[0].annotate("shock", (10, 0.5), fontsize=14)
    drawing = draw_and_collect(fig)
    (shock,) = [t for t in drawing.texts if t.text == "shock"]
    assert shock.role == ANNOTATION
    assert font_size_problems([shock]) == ["annotation 'shock' (14 pt): wanted >= 16 pt"]


def test_thin_data_lines_are_reported_but_reference_lines_are_not() -> None:
    fig = slide_figure(lw=1.5)
    assert len(data_lines(fig.axes[0])) == 2
    assert line_width_problems(fig) == ["line 'reactive' is 1.5 pt, wanted >= 2.5"]


def test_overlapping_pairs_uses_a_tolerance() -> None:
    a = Bbox.from_extents(0, 0, 10, 10)
    touching = Bbox.from_extents(10, 0, 20, 10)
    slightly = Bbox.from_extents(9.6, 0, 20, 10)
    clearly = Bbox.from_extents(5, 5, 15, 15)
    assert overlapping_pairs([a, touching], tolerance=0.5) == []
    assert overlapping_pairs([a, slightly], tolerance=0.5) == []
    assert overlapping_pairs([a, slightly], tolerance=0.0) == [(0, 1)]
    assert overlapping_pairs([a, touching, clearly], tolerance=0.5) == [(0, 2), (1, 2)]


def test_crowded_tick_labels_are_reported() -> None:
    fig = slide_figure(HALF)
    fig.axes[0].set_xticks(range(0, 52, 2), [f"week {w}" for w in range(0, 52, 2)])
    assert tick_overlap_problems(draw_and_collect(fig))


def test_a_label_on_top_of_tick_labels_is_reported() -> None:
    fig = slide_figure()
    fig.axes[0].text(0, 0.5, "on the ticks", transform=fig.axes[0].transAxes, ha="right")
    fig.axes[0].texts[-1].set_fontsize(20)
    problems = text_overlap_problems(draw_and_collect(fig))
    assert any("on the ticks" in p and "tick label" in p for p in problems)


def test_a_legend_on_a_line_is_reported_and_one_beside_it_is_not() -> None:
    covering = slide_figure(legend={"loc": "center"})
    drawing = draw_and_collect(covering)
    assert legend_covers_lines(covering, drawing.renderer)
    beside = slide_figure()  # legend outside the axes, to the right
    drawing = draw_and_collect(beside)
    assert legend_covers_lines(beside, drawing.renderer) == []


def test_a_long_straight_line_counts_by_its_length_not_its_two_points() -> None:
    fig = slide_figure(legend={"loc": "center left"})
    ax = fig.axes[0]
    ax.set_ylim(-1, 2)
    ax.lines[0].set_data([0, 51], [0.5, 0.5])  # a target line through the legend
    ax.lines[1].set_data([0, 51], [1.8, 1.8])
    drawing = draw_and_collect(fig)
    problems = legend_covers_lines(fig, drawing.renderer)
    assert len(problems) == 1 and "'reactive'" in problems[0]


def test_text_sticking_out_of_the_canvas_is_reported() -> None:
    fig = slide_figure()
    fig.text(0.98, 0.5, "a long note running off the slide", fontsize=16)
    problems = outside_canvas(draw_and_collect(fig))
    assert len(problems) == 1 and "running off" in problems[0]


def test_decimal_marks_are_checked_per_language() -> None:
    assert EN_DECIMAL.search("0.25") and EN_DECIMAL.search("recovers in 5.5 weeks")
    assert not EN_DECIMAL.search("€ 1.250") and not EN_DECIMAL.search("thermosim 0.1.0")
    assert NL_DECIMAL.search("0,25") and not NL_DECIMAL.search("€1,250")
    drawing = draw_and_collect(slide_figure())  # English ticks: 0.2, 0.4, ...
    assert decimal_style_problems(drawing.texts, "en") == []
    assert decimal_style_problems(drawing.of_role(TICK), "nl")


@pytest.mark.parametrize(("fonttype", "good"), [(42, True), (3, False)])
def test_pdf_font_check_tells_embedded_truetype_from_type3(fonttype: int, good: bool) -> None:
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": fonttype}):
        slide_figure().savefig(buffer, format="pdf")
    assert (pdf_font_problems(buffer.getvalue()) == []) is good


def test_placeholder_fields_of_a_template() -> None:
    assert placeholder_fields("{variant} recovers in {weeks} weeks") == {"variant", "weeks"}
    assert placeholder_fields("no fields") == set()


# --- the real figures ---------------------------------------------------------------------


def plant_kind(saved: SavedResults) -> str:
    return str(saved.manifest["resolved_scenario"]["plant"]["kind"])


@dataclass
class Rendered:
    """What the checks found in one drawn figure (the figure itself is not kept)."""

    warnings: list[str]
    problems: dict[str, list[str]]
    texts: list[tuple[str, str, float | None]]  # role, text, tick value
    error: str | None = None

    def titles(self) -> str:
        return "\n".join(text for role, text, _ in self.texts if role == TITLE)

    def all_text(self) -> str:
        return "\n".join(text for _, text, _ in self.texts)


class Gallery:
    """Every figure of every shipped scenario, drawn on first use and checked once."""

    def __init__(self, figures: Any, saved: dict[str, SavedResults]) -> None:
        self.figures = figures
        self.saved = saved
        self._done: dict[tuple[str, str, str, str], Rendered] = {}

    def draw_function(self, family: str) -> Callable[..., Figure]:
        return getattr(self.figures, "draw_" + family.replace("-", "_"))  # type: ignore[no-any-return]

    def scenarios(self, family: str) -> list[str]:
        """Shipped scenarios that have this figure family."""
        return [
            name
            for name, saved in self.saved.items()
            if family in self.figures.families_for(plant_kind(saved))
        ]

    def draw(self, scenario: str, family: str, lang: str, size: str) -> Figure:
        return self.draw_function(family)(self.saved[scenario], lang=lang, size=size)

    def get(self, scenario: str, family: str, lang: str, size: str) -> Rendered:
        key = (scenario, family, lang, size)
        if key not in self._done:
            self._done[key] = self._render(*key)
        return self._done[key]

    def _render(self, scenario: str, family: str, lang: str, size: str) -> Rendered:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fig = self.draw(scenario, family, lang, size)
                drawing = draw_and_collect(fig)
            except Exception as exc:  # reported by every test of this figure
                return Rendered([], {}, [], f"{type(exc).__name__}: {exc}")
            problems = check_all(drawing, self.figures.SIZES[size])
        texts = [(t.role, t.text, t.value) for t in drawing.texts]
        return Rendered([f"{w.category.__name__}: {w.message}" for w in caught], problems, texts)

    def failures(self, family: str, lang: str, size: str, check: str) -> list[str]:
        """Every problem of one check over all scenarios, as 'scenario: problem' lines."""
        found = []
        for scenario in self.scenarios(family):
            rendered = self.get(scenario, family, lang, size)
            if rendered.error is not None:
                found.append(f"{scenario}: {rendered.error}")
            elif check == "warnings":
                found.extend(f"{scenario}: {w}" for w in rendered.warnings)
            else:
                found.extend(f"{scenario}: {p}" for p in rendered.problems[check])
        return found


@pytest.fixture(scope="session")
def figures() -> Any:
    import thermosim.figures

    return thermosim.figures


@pytest.fixture(scope="session")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SavedResults]:
    """Every shipped scenario run with 3 replications, written and read back as a folder."""
    out = tmp_path_factory.mktemp("results")
    found = {}
    for name in thermosim.shipped_names():
        experiment = thermosim.run_experiment(
            thermosim.load_scenario(name), replications=REPLICATIONS, workers=1
        )
        found[name] = read_results(write_results(experiment, out))
    return found


@pytest.fixture(scope="session")
def gallery(figures: Any, saved: dict[str, SavedResults]) -> Gallery:
    return Gallery(figures, saved)


def _report(failures: list[str], what: str) -> str:
    return f"{len(failures)} {what}:\n" + "\n".join(failures)


def test_the_figure_set_matches_the_design(figures: Any) -> None:
    assert tuple(figures.FIGURES) == FAMILIES
    assert figures.SIZES == {"full": FULL, "half": HALF}
    assert set(figures.families_for("sales")) == set(FAMILIES)
    thermostat = figures.families_for("thermostat")
    assert thermostat and set(thermostat) < set(FAMILIES), "no team, so fewer figures"


FIGURE_CASES = [
    pytest.param(family, lang, size, id=f"{family}-{lang}-{size}")
    for family in FAMILIES
    for lang in LANGS
    for size in SIZE_NAMES
]


@pytest.mark.parametrize(("family", "lang", "size"), FIGURE_CASES)
def test_draws_without_warnings(gallery: Gallery, family: str, lang: str, size: str) -> None:
    failures = gallery.failures(family, lang, size, "warnings")
    assert not failures, _report(failures, "warnings or errors while drawing")


@pytest.mark.parametrize(("family", "lang", "size"), FIGURE_CASES)
def test_is_drawn_at_the_declared_slide_size(
    gallery: Gallery, family: str, lang: str, size: str
) -> None:
    failures = gallery.failures(family, lang, size, "size")
    assert not failures, _report(failures, "figures at the wrong size")


@pytest.mark.parametrize(("family", "lang", "size"), FIGURE_CASES)
def test_every_text_is_large_enough_for_a_slide(
    gallery: Gallery, family: str, lang: str, size: str
) -> None:
    failures = gallery.failures(family, lang, size, "fonts")
    assert not failures, _report(failures, "texts below the slide minimum")


@pytest.mark.parametrize(("family", "lang", "size"), FIGURE_CASES)
def test_data_lines_are_thick_enough(gallery: Gallery, family: str, lang: str, size: str) -> None:
    failures = gallery.failures(family, lang, size, "lines")
    assert not failures, _report(failures, "lines thinner than 2.5 pt")


@pytest.mark.parametrize(("family", "lang", "size"), FIGURE_CASES)
def test_tick_labels_do_not_overlap(gallery: Gallery, family: str, lang: str, size: str) -> None:
    failures = gallery.failures(family, lang, size, "tick overlap")
    assert not failures, _report(failures, "overlapping tick labels")


@pytest.mark.parametrize(("family", "lang", "size"), FIGURE_CASES)
def test_titles_labels_and_notes_do_not_overlap(
    gallery: Gallery, family: str, lang: str, size: str
) -> None:
    failures = gallery.failures(family, lang, size, "text overlap")
    assert not failures, _report(failures, "overlapping texts")


@pytest.mark.parametrize(("family", "lang", "size"), FIGURE_CASES)
def test_legend_does_not_cover_data_lines(
    gallery: Gallery, family: str, lang: str, size: str
) -> None:
    failures = gallery.failures(family, lang, size, "legend over lines")
    assert not failures, _report(failures, "legends covering lines")


@pytest.mark.parametrize(("family", "lang", "size"), FIGURE_CASES)
def test_all_text_lies_inside_the_canvas(
    gallery: Gallery, family: str, lang: str, size: str
) -> None:
    failures = gallery.failures(family, lang, size, "outside canvas")
    assert not failures, _report(failures, "texts outside the canvas")
