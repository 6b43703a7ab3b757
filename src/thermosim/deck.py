"""The PowerPoint deck: a talk built from results folders, one command away.

Owns the slides (title, control loop, key figures per scenario, scorecard table, one native and
editable chart of revenue against target) and the speaker notes, which narrate what the numbers
show in the chosen language, computed from each folder's KPIs. python-pptx's default template is
4:3; the deck is 16:9 and every placeholder is moved to fit it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from thermosim.deck_notes import (
    chart_notes,
    figure_notes,
    loop_notes,
    say,
    scorecard_notes,
    title_notes,
    waterfall_notes,
)
from thermosim.explain import FILE as EXPLAIN_FILE
from thermosim.explain import read_explanation
from thermosim.figures import write_figures
from thermosim.figures.labels import text, variant_label
from thermosim.figures.numbers import check_lang
from thermosim.figures.render import families_for, figure_path
from thermosim.figures.style import text_width_pt, variant_looks
from thermosim.figures.waterfall import NAME as WATERFALL
from thermosim.figures.waterfall import write_waterfall
from thermosim.kpi_text import format_kpi
from thermosim.metrics import is_censored
from thermosim.outputs import output_file, write_whole
from thermosim.saved import DamagedResultsError, SavedResults, read_results

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
OLD_WIDTH = Inches(10)  # the default template's 4:3 width its placeholders were laid out for
BODY_TOP, MARGIN = Inches(1.45), Inches(0.4)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5
DEFAULT_NAME = "talk.pptx"  # the file -o gets in a folder (and without -o)
SUFFIXES = (".pptx",)
KEY_FIGURES = {
    "sales": ("revenue-vs-target", "recovery", "firefighting", "team-health"),
    "thermostat": ("revenue-vs-target", "recovery"),
}


def _fit_placeholders(slide: Slide) -> None:
    """Stretch the 4:3 template's placeholders across the 16:9 slide, keeping their margins."""
    scale = SLIDE_WIDTH / OLD_WIDTH
    for shape in slide.placeholders:
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        if None in (left, top, width, height):
            continue
        # A placeholder inherits its box from the layout; writing only left and width would
        # give it a zero top and height, so all four are written.
        shape.left, shape.width = Emu(int(left * scale)), Emu(int(width * scale))
        shape.top, shape.height = Emu(int(top)), Emu(int(height))


def _new_slide(prs: PresentationType, layout: int, title: str) -> Slide:
    slide: Slide = prs.slides.add_slide(prs.slide_layouts[layout])
    _fit_placeholders(slide)
    if slide.shapes.title is not None:
        slide.shapes.title.text = title
        if layout == LAYOUT_TITLE_ONLY:
            title_shape = slide.shapes.title
            title_shape.top, title_shape.height = Inches(0.3), Inches(1.0)
            for paragraph in title_shape.text_frame.paragraphs:
                paragraph.font.size = Pt(32)
    return slide


def _add_picture(slide: Slide, image: Path) -> None:
    """Place an image in the body area as large as fits, centred, without distortion."""
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(image) as picture:
        width_px, height_px = picture.size
    box_w, box_h = SLIDE_WIDTH - 2 * MARGIN, SLIDE_HEIGHT - BODY_TOP - MARGIN
    scale = min(box_w / width_px, box_h / height_px)
    width, height = int(width_px * scale), int(height_px * scale)
    left = int((SLIDE_WIDTH - width) / 2)
    top = int(BODY_TOP + (box_h - height) / 2)
    slide.shapes.add_picture(str(image), Emu(left), Emu(top), Emu(width), Emu(height))


def _notes(slide: Slide, words: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    if frame is not None:
        frame.text = words


def _readable_png(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            picture.verify()
            return picture.format == "PNG"
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        # Pillow reports a broken file through any of these.
        return False


def _ensure_figures(talk: SavedResults, lang: str) -> None:
    """Draw the figures when any is missing or not a readable PNG (a cut-short file)."""
    # With the shocks: a run without any has no recovery figure, and must not redraw for it.
    names = families_for(talk.plant, talk.scenario.shocks)
    if not all(_readable_png(figure_path(talk.path, n, lang, "png")) for n in names):
        write_figures(talk.path, lang=lang, formats=("png",))


def _column_widths(columns: Sequence[Sequence[str]], total: int, size: float) -> list[int]:
    """Column widths (EMU) that keep every word whole, filling ``total``.

    Each column gets its longest word (headers bold), then what is left goes to the columns
    whose cells would still wrap. Measured in DejaVu Sans, wider than the deck's Calibri, so
    the estimate errs roomy.
    """
    pad = 0.25 * 72  # the cell's margins (0.1 in a side) and a little air, in points

    def widest(cells: Sequence[str], words: bool) -> float:
        parts = [(p, i == 0) for i, c in enumerate(cells) for p in (c.split() if words else [c])]
        return max(text_width_pt(p, size, bold) for p, bold in parts) + pad

    need = [widest(c, words=True) for c in columns]
    want = [widest(c, words=False) for c in columns]
    room = total / 914400 * 72  # EMU to points
    if sum(want) <= room:
        points = [w + (room - sum(want)) / len(columns) for w in want]
    elif sum(need) <= room:
        extra = [w - n for w, n in zip(want, need, strict=True)]
        points = [n + (room - sum(need)) * e / sum(extra) for n, e in zip(need, extra, strict=True)]
    else:
        points = [n * room / sum(need) for n in need]
    widths = [int(p / 72 * 914400) for p in points]
    widths[-1] += total - sum(widths)
    return widths


def _scorecard_table(slide: Slide, talks: Sequence[SavedResults], lang: str) -> None:
    """A native table (editable in PowerPoint): one row per scenario and variant."""
    columns = [
        "attainment",
        "recovery_weeks",
        "fatigue_mean",
        "firefighting_hours",
        "operating_profit",  # money leads with what is left after salaries, hires, fees
        "gross_profit",
    ]
    rows = [(t, v) for t in talks if t.plant == "sales" for v in t.kpis]
    if not rows:
        return
    width, top = SLIDE_WIDTH - 2 * MARGIN, BODY_TOP
    height = min(SLIDE_HEIGHT - top - MARGIN, Inches(0.5) * (len(rows) + 1))
    frame = slide.shapes.add_table(
        len(rows) + 1, len(columns) + 2, MARGIN, top, Emu(int(width)), Emu(int(height))
    )
    table = frame.table
    headers = [say("deck.scenario", lang), say("deck.approach", lang)]
    headers += [text(f"kpi.{c}", lang) for c in columns]
    for j, header in enumerate(headers):
        table.cell(0, j).text = header
    for i, (talk, variant) in enumerate(rows, start=1):
        kpis = talk.kpis[variant]
        cells = [talk.title(lang), variant_label(variant, lang)]
        for kpi in columns:
            mean = kpis.get(kpi, {}).get("mean")
            censored = is_censored(kpis, kpi)
            cells.append("-" if mean is None else format_kpi(kpi, mean, lang, censored=censored))
        for j, value in enumerate(cells):
            table.cell(i, j).text = value
    texts = [[table.cell(i, j).text for i in range(len(rows) + 1)] for j in range(len(headers))]
    for j, emu in enumerate(_column_widths(texts, int(width), 14)):
        table.columns[j].width = Emu(emu)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(14)


def revenue_chart_data(talk: SavedResults, lang: str) -> Any:
    """Weekly median revenue per variant and the target, as an editable chart's data."""
    data: Any = CategoryChartData()  # type: ignore[no-untyped-call]  # untyped in python-pptx
    data.categories = [str(week + 1) for week in range(talk.weeks)]
    for variant in talk.variants:
        median = talk.stats(variant, "revenue")["p50"]
        data.add_series(variant_label(variant, lang), [round(float(x)) for x in median])
    target = talk.stats(talk.variants[0], "target")["p50"]
    data.add_series(say("target", lang), [round(float(x)) for x in target])
    return data


def _chart_slide(prs: PresentationType, talk: SavedResults, lang: str) -> None:
    slide = _new_slide(
        prs, LAYOUT_TITLE_ONLY, say("deck.chart.title", lang, title=talk.title(lang))
    )
    width, height = SLIDE_WIDTH - 2 * MARGIN, SLIDE_HEIGHT - BODY_TOP - MARGIN
    frame: Any = slide.shapes.add_chart(
        XL_CHART_TYPE.LINE,
        MARGIN,
        BODY_TOP,
        Emu(int(width)),
        Emu(int(height)),
        revenue_chart_data(talk, lang),
    )
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    # The figures' colours: each variant's look, and the target black and dashed.
    by_name = variant_looks([(v.name, v.preset) for v in talk.scenario.variants])
    looks = [by_name.get(v) for v in talk.variants]
    for i, plot_series in enumerate(chart.plots[0].series):
        plot_series.smooth = False
        line = plot_series.format.line
        line.width = Pt(2.5)
        look = looks[i] if i < len(looks) else None
        colour = (look.color if look else "#1A1A1A").lstrip("#")
        rgb = (int(colour[k : k + 2], 16) for k in (0, 2, 4))
        line.color.rgb = RGBColor(*rgb)  # type: ignore[no-untyped-call]
        if look is None:
            line.dash_style = MSO_LINE_DASH_STYLE.DASH
    _notes(slide, chart_notes(talk, lang))


def _waterfall_slide(prs: PresentationType, talk: SavedResults, lang: str) -> None:
    """The waterfall of ``thermosim explain``, when the folder has one (drawn if missing)."""
    if not (talk.path / EXPLAIN_FILE).is_file():
        return
    data = read_explanation(talk.path)
    path = figure_path(talk.path, WATERFALL, lang, "png")
    try:
        if not path.is_file():
            write_waterfall(talk.path, lang, ("png",), data=data)
        words = waterfall_notes(data, lang)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        # read_explanation checks only that the file is a JSON object; what the waterfall needs
        # from it shows here, so a hand-edited or foreign file is bad input, not a crash.
        out = "" if talk.path.parent == Path("results") else f" --out {talk.path.parent}"
        raise DamagedResultsError(
            talk.path / EXPLAIN_FILE,
            f"does not hold what `thermosim explain` writes ({type(exc).__name__}: {exc})",
            f"re-run it: thermosim explain {talk.name}{out}",
        ) from None
    slide = _new_slide(prs, LAYOUT_TITLE_ONLY, say("deck.waterfall", lang, title=talk.title(lang)))
    _add_picture(slide, path)
    _notes(slide, words)


def build_deck(folders: Sequence[Path], out: str | Path, lang: str = "en") -> Path:
    """Write a 16:9 deck for the results folders (figures are drawn where missing).

    ``out`` is the ``.pptx`` file, or a folder (existing, or ending in ``/``) to write
    ``talk.pptx`` into (``outputs.output_file``). Returns the file written.

    Raises
    ------
    thermosim.outputs.OutputError
        When ``out`` is not a ``.pptx`` file or a folder, or cannot be written (checked first).
    thermosim.saved.DamagedResultsError
        When a folder is not a complete, readable results folder.
    """
    check_lang(lang)
    target = output_file(out, DEFAULT_NAME, SUFFIXES)
    talks = [read_results(Path(f)) for f in folders]
    for talk in talks:
        _ensure_figures(talk, lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT

    slide = _new_slide(prs, LAYOUT_TITLE, say("deck.title", lang))
    slide.placeholders[1].text = "  ·  ".join(t.title(lang) for t in talks)
    _notes(slide, title_notes([t for t in talks], lang))

    first = talks[0]
    slide = _new_slide(prs, LAYOUT_TITLE_ONLY, say("deck.loop", lang))
    _add_picture(slide, figure_path(first.path, "control-loop", lang, "png"))
    _notes(slide, loop_notes(first, lang))

    for talk in talks:
        available = families_for(talk.plant)
        for name in KEY_FIGURES[talk.plant]:
            path = figure_path(talk.path, name, lang, "png")
            if name not in available or not path.is_file():
                continue
            slide = _new_slide(prs, LAYOUT_TITLE_ONLY, talk.title(lang))
            _add_picture(slide, path)
            _notes(slide, figure_notes(talk, name, lang))
        _waterfall_slide(prs, talk, lang)

    slide = _new_slide(prs, LAYOUT_TITLE_ONLY, say("deck.scorecard", lang))
    _scorecard_table(slide, talks, lang)
    _notes(slide, scorecard_notes([t for t in talks], lang))

    charted = next((t for t in talks if t.plant == "sales"), None)
    if charted is not None:
        _chart_slide(prs, charted, lang)

    return write_whole(target, lambda temporary: prs.save(str(temporary)))
