"""Slide figures: readable at slide size in en and nl, nothing overlapping, titles true.

The first part checks the checks (tests/figure_checks.py) on small figures built here, so a
passing figure test means something. The second part draws every figure family of every
shipped scenario (3 replications) in both languages at both slide sizes, once per session,
and runs every check on it; each test reports all failing figures at once.
"""

from __future__ import annotations

import io
import re
import shutil
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
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
from thermosim.figures import labels
from thermosim.results import write_results
from thermosim.saved import SavedResults, read_results

# One xdist worker runs this module, so its shared fixtures/caches are computed once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("figures")]

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
    ax = fig.axes[0]
    ax.axvline(26, lw=1)  # a shock onset: scaffolding, exempt
    assert len(data_lines(ax)) == 2
    assert line_width_problems(fig) == ["line 'reactive' is 1.5 pt, wanted >= 2.5"]


def test_named_reference_lines_connectors_and_arrows_are_held_to_the_minimum() -> None:
    fig = slide_figure()
    ax = fig.axes[0]
    ax.plot([0, 51], [0.5, 0.5], lw=1, label="_target")  # a target, in data coordinates
    ax.axhline(0.6, lw=2, label="Target")  # in the legend: the audience reads it
    ax.add_patch(FancyArrowPatch((0, 0), (10, 0.5), arrowstyle="-|>", linewidth=2.2))
    assert line_width_problems(fig) == [
        "line '_target' is 1 pt, wanted >= 2.5",
        "line 'Target' is 2 pt, wanted >= 2.5",
        "arrow is 2.2 pt, wanted >= 2.5",
    ]


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
    return saved.plant


@dataclass
class Rendered:
    """What the checks found in one drawn figure (the figure itself is not kept)."""

    warnings: list[str]
    problems: dict[str, list[str]]
    texts: list[tuple[str, str, float | None]]  # role, text, tick value
    error: str | None = None

    def titles(self) -> str:
        return "\n".join(text for role, text, _ in self.texts if role == TITLE)


class Gallery:
    """Every figure of every shipped scenario, drawn on first use and checked once."""

    def __init__(self, figures: Any, saved: dict[str, SavedResults]) -> None:
        self.figures = figures
        self.saved = saved
        self._done: dict[tuple[str, str, str, str], Rendered] = {}

    def draw_function(self, family: str) -> Callable[..., Figure]:
        function: Callable[..., Figure] = getattr(self.figures, "draw_" + family.replace("-", "_"))
        return function

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
                counts = Counter(rendered.problems[check])
                found.extend(
                    f"{scenario}: {p}" + (f" (x{n})" if n > 1 else "") for p, n in counts.items()
                )
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


# --- languages and numbers ----------------------------------------------------------------


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, nl = labels.LABELS["en"], labels.LABELS["nl"]
    assert set(en) == set(nl), {"only en": set(en) - set(nl), "only nl": set(nl) - set(en)}
    differing = {k for k in en if placeholder_fields(en[k]) != placeholder_fields(nl[k])}
    assert not differing, f"placeholders differ between en and nl: {sorted(differing)}"
    assert not [k for k in en if not en[k].strip() or not nl[k].strip()], "empty entries"


def test_dutch_is_really_translated() -> None:
    en, nl = labels.LABELS["en"], labels.LABELS["nl"]
    same = [k for k in en if en[k] == nl[k] and any(c.isalpha() for c in en[k])]
    # A few words are the same in both (target, seed, week): never most of the catalogue.
    assert len(same) < 0.1 * len(en), same


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0.25, "nl", "0,25"),
        (0.25, "en", "0.25"),
        (1234567.891, "nl", "1.234.567,89"),
        (1234567.891, "en", "1,234,567.89"),
        (-2.5, "nl", "\u22122,50"),
    ],
)
def test_numbers_use_the_languages_separators(value: float, lang: str, expected: str) -> None:
    assert labels.number(value, lang, 2) == expected


@pytest.mark.parametrize(
    ("value", "en", "nl"),
    [
        (85_000, "€85k", "€ 85.000"),
        (1_234_567, "€1.2M", "€ 1,2 mln"),
        (12_400_000, "€12M", "€ 12 mln"),
        (-400_000, "\u2212€400k", "€ \u2212400.000"),
    ],
)
def test_euro_amounts_follow_each_languages_convention(value: float, en: str, nl: str) -> None:
    assert labels.euros(value, "en") == en
    assert labels.euros(value, "nl") == nl


@pytest.mark.parametrize(
    ("formatter", "locs", "en", "nl"),
    [
        ("NumberFormatter", [0.0, 0.2, 0.4], ["0.0", "0.2", "0.4"], ["0,0", "0,2", "0,4"]),
        ("DegreeFormatter", [17.5, 20.0], ["17.5 °C", "20.0 °C"], ["17,5 °C", "20,0 °C"]),
        ("PercentFormatter", [0.125, 0.25], ["12.5%", "25.0%"], ["12,5%", "25,0%"]),
        ("EuroFormatter", [1.5e6, 2e6], ["€1.5M", "€2.0M"], ["€ 1,5 mln", "€ 2,0 mln"]),
    ],
)
def test_tick_formatters_write_fractional_ticks_with_the_languages_decimal_mark(
    formatter: str, locs: list[float], en: list[str], nl: list[str]
) -> None:
    for lang, expected in (("en", en), ("nl", nl)):
        ticks = getattr(labels, formatter)(lang)
        assert ticks.format_ticks(locs) == expected


# A euro amount as each language writes it on a slide: en "€1.2M", "−€85k", "€3,627";
# nl "€ 1,2 mln", "€ −85.000" (sign after the euro sign, a space, thousands point).
EURO = {
    "en": re.compile(r"\u2212?€\d{1,3}(,\d{3})*(\.\d+)?[kM]?(?![\d.,])"),
    "nl": re.compile(r"€ \u2212?\d{1,3}(\.\d{3})*(,\d+)?( mln)?(?![\d.,])"),
}


def _gallery_texts(gallery: Gallery, lang: str, size: str = "full") -> Iterator[tuple[str, Any]]:
    for family in FAMILIES:
        for scenario in gallery.scenarios(family):
            rendered = gallery.get(scenario, family, lang, size)
            yield f"{scenario} {family}", rendered


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_on_a_figure_uses_the_languages_decimal_mark(
    gallery: Gallery, lang: str
) -> None:
    failures = []
    decimals = []
    own = NL_DECIMAL if lang == "nl" else EN_DECIMAL
    for where, rendered in _gallery_texts(gallery, lang):
        wrong = EN_DECIMAL if lang == "nl" else NL_DECIMAL
        for role, shown, _ in rendered.texts:
            if wrong.search(shown):
                failures.append(f"{where}: {role} {shown!r}")
            if role == TICK and own.search(shown):
                decimals.append(shown)
    assert not failures, _report(failures, f"texts with the wrong decimal mark for {lang}")
    # Not vacuous: some axis has fractional ticks (the thermostat's 17.5 °C, small shares).
    assert decimals, f"no tick label with a decimal in {lang}: the check above proved nothing"


def test_dutch_tick_labels_of_fractional_ticks_have_a_decimal_comma(gallery: Gallery) -> None:
    checked = 0
    failures = []
    for where, rendered in _gallery_texts(gallery, "nl"):
        for role, shown, value in rendered.texts:
            if role != TICK or value is None or float(value).is_integer():
                continue
            if not re.search(r"\d[.,]\d", shown):
                continue  # a fraction shown without decimals ("20%")
            checked += 1
            if not NL_DECIMAL.search(shown) or EN_DECIMAL.search(shown):
                failures.append(f"{where}: tick at {value:g} reads {shown!r}")
    assert checked > 0, "no fractional tick with decimals found in any Dutch figure"
    assert not failures, _report(failures, "Dutch ticks without a decimal comma")


@pytest.mark.parametrize("lang", LANGS)
def test_euro_amounts_on_figures_follow_the_language(gallery: Gallery, lang: str) -> None:
    failures = []
    amounts = 0
    for where, rendered in _gallery_texts(gallery, lang):
        for role, shown, _ in rendered.texts:
            for at in [i for i, c in enumerate(shown) if c == "€"]:
                start = at - 1 if at > 0 and shown[at - 1] == "\u2212" else at
                amounts += 1
                if not EURO[lang].match(shown, start):
                    failures.append(f"{where}: {role} {shown!r}")
    assert amounts > 0, "no euro amounts found: the revenue axes should show some"
    assert not failures, _report(failures, f"euro amounts not written the {lang} way")


# --- files -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def written(
    figures: Any, saved: dict[str, SavedResults], tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    """The figures of one shipped scenario written as PNG and PDF, in Dutch."""
    folder = tmp_path_factory.mktemp("written") / "lost-key-account"
    shutil.copytree(saved["lost-key-account"].path, folder)
    paths: list[Path] = figures.write_figures(folder, lang="nl", formats=("png", "pdf"))
    return paths


def test_write_figures_writes_every_family_in_every_format(
    figures: Any, written: list[Path]
) -> None:
    expected = [
        f"{name}.nl.{fmt}" for name in figures.families_for("sales") for fmt in ("png", "pdf")
    ]
    assert [p.name for p in written] == expected
    assert all(p.parent.name == "figures" and p.stat().st_size > 1000 for p in written)
    assert not [p for p in written[0].parent.iterdir() if p.name.startswith(".")], "temp files"


def test_pngs_are_slide_sized_at_200_dpi(written: list[Path]) -> None:
    for path in [p for p in written if p.suffix == ".png"]:
        header = path.read_bytes()[:24]
        width, height = int.from_bytes(header[16:20]), int.from_bytes(header[20:24])
        assert (width, height) == (round(12.7 * 200), round(5.9 * 200)), path.name


def test_pdfs_embed_their_fonts(written: list[Path]) -> None:
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert pdfs
    failures = [
        f"{p.name}: {problem}" for p in pdfs for problem in pdf_font_problems(p.read_bytes())
    ]
    assert not failures, _report(failures, "PDF font problems")


def test_a_drawn_figure_saved_later_still_embeds_its_fonts(gallery: Gallery) -> None:
    # The deck saves figures itself, outside the style's scope: pdf.fonttype must still be 42.
    buffer = io.BytesIO()
    gallery.draw("thermostat", "recovery", "nl", "half").savefig(buffer, format="pdf")
    assert pdf_font_problems(buffer.getvalue()) == []


# --- titles state the finding with the KPI values -----------------------------------------


def _kpi(saved: SavedResults, variant: str, name: str) -> float:
    return float(saved.kpis[variant][name]["mean"])


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", LANGS)
def test_recovery_title_states_the_weeks_to_recover(
    gallery: Gallery, figures: Any, lang: str
) -> None:
    checked = 0
    failures = []
    for name, saved in gallery.saved.items():
        if "recovery" not in figures.families_for(plant_kind(saved), saved.scenario.shocks):
            continue
        weeks = {v: _kpi(saved, v, "recovery_weeks") for v in saved.kpis}
        title = _one_line(gallery.get(name, "recovery", lang, "full").titles())
        stated = set(re.findall(r"(\d[\d.,]*) (?:weeks?|weken)\b", title))
        each = {labels.number(round(w), lang) for w in weeks.values() if w > 0}
        average = {labels.number(round(float(np.mean(list(weeks.values())))), lang)}
        checked += bool(each)
        if stated != each and not (each and stated == average):
            failures.append(f"{name}: {title!r} states {stated}, kpis.json says {each}")
    assert checked >= 3, "too few scenarios with a recovery to check"
    assert not failures, _report(failures, "recovery titles not matching kpis.json")


@pytest.mark.parametrize("lang", LANGS)
def test_revenue_title_states_attainment_or_swing(gallery: Gallery, lang: str) -> None:
    failures = []
    for name, saved in gallery.saved.items():
        title = _one_line(gallery.get(name, "revenue-vs-target", lang, "full").titles())
        if plant_kind(saved) == "sales":
            values = {v: _kpi(saved, v, "attainment") for v in saved.kpis}
            each = {labels.percent(x, lang) for x in values.values()}
            average = labels.percent(float(np.mean(list(values.values()))), lang)
        else:
            values = {v: _kpi(saved, v, "swing_c") for v in saved.kpis}
            each = {labels.degrees(x, lang) for x in values.values()}
            average = labels.degrees(float(np.mean(list(values.values()))), lang)
        if not all(v in title for v in each) and average not in title:
            failures.append(f"{name}: {title!r} lacks {sorted(each)} (or about {average})")
    assert not failures, _report(failures, "revenue titles not matching kpis.json")


@pytest.mark.parametrize("lang", LANGS)
def test_scorecard_shows_each_variants_kpi_values(gallery: Gallery, lang: str) -> None:
    failures = []
    for name, saved in gallery.saved.items():
        shown = {text for _, text, _ in gallery.get(name, "scorecard", lang, "full").texts}
        if plant_kind(saved) == "sales":
            wanted = [labels.percent(_kpi(saved, v, "attainment"), lang) for v in saved.kpis]
            # Money is operating profit (after salaries, hires, overtime and fees), not gross.
            wanted += [labels.euros(_kpi(saved, v, "operating_profit"), lang) for v in saved.kpis]
            wanted.append(labels.text("kpi.operating_profit", lang))
            if labels.text("kpi.gross_profit", lang) in shown:
                failures.append(f"{name}: gross profit shown as the money row")
        else:
            wanted = [labels.degrees(_kpi(saved, v, "swing_c"), lang) for v in saved.kpis]
        missing = [w for w in wanted if w not in shown]
        if missing:
            failures.append(f"{name}: {missing} not shown")
    assert not failures, _report(failures, "scorecards missing KPI values")


def _with_kpis(saved: SavedResults, change: Callable[[str, dict[str, Any]], None]) -> SavedResults:
    """A copy of a results folder's KPIs, changed per variant by ``change``."""
    kpis = {v: {k: dict(stats) for k, stats in each.items()} for v, each in saved.kpis.items()}
    for variant, each in kpis.items():
        change(variant, each)
    return replace(saved, kpis=kpis)


def test_scorecard_money_row_is_operating_profit_higher_is_better(
    saved: dict[str, SavedResults],
) -> None:
    from thermosim.figures.data import Story
    from thermosim.figures.scorecard import score_rows

    rows = score_rows(Story.of(saved["lost-key-account"]), "en")
    kpis = [r.kpi for r in rows]
    assert "operating_profit" in kpis and "gross_profit" not in kpis
    money = rows[kpis.index("operating_profit")]
    values = money.values
    if money.better is not None:  # the one with more operating profit does better
        assert values[money.better] == max(values.values())


def test_scorecard_judges_operating_profit_against_the_gross_profit_at_stake(
    saved: dict[str, SavedResults],
) -> None:
    from thermosim.figures.data import Story
    from thermosim.figures.scorecard import score_rows

    def set_profits(variant: str, kpis: dict[str, Any]) -> None:
        # 20k apart on 3M of gross profit: small money, though 20% of operating profit.
        kpis["gross_profit"]["mean"] = 3.0e6
        kpis["operating_profit"]["mean"] = 100e3 if variant == "reactive" else 120e3

    changed = _with_kpis(saved["lost-key-account"], set_profits)
    money = next(r for r in score_rows(Story.of(changed), "en") if r.kpi == "operating_profit")
    assert money.better is None and money.difference == labels.text("score.same", "en")


def test_scorecard_of_a_folder_without_operating_profit_shows_gross_profit(
    saved: dict[str, SavedResults],
) -> None:
    from thermosim.figures.data import Story
    from thermosim.figures.scorecard import score_rows

    def drop(variant: str, kpis: dict[str, Any]) -> None:
        kpis.pop("operating_profit")

    older = _with_kpis(saved["lost-key-account"], drop)  # written before costs were modelled
    kpis = [r.kpi for r in score_rows(Story.of(older), "nl")]
    assert kpis[-1] == "gross_profit" and "operating_profit" not in kpis
