"""The deck's one native chart: revenue against target as the figure shows it, still editable.

Owns the editable PowerPoint chart of a sales scenario: per approach the median over
replications of the 4-week revenue (the figure's line, from the first full window on), the
target's 4-week mean dashed, each approach's own goal where it has one, and every shock a grey
line labelled at the top. Its axes are the revenue figure's: the same week range and tick step
(quarters, half years or years), the same value range and tick step, the numbers written as the
figure's tick labels are in the deck's language (``€100k``, ``€ 100.000``) through a number
format that does not depend on the viewer's settings. An XY chart, so weeks are numbers on an
axis, not a category per week.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from pptx.chart.data import XyChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.chart import XL_MARKER_STYLE as MARKER
from pptx.enum.dml import MSO_LINE_DASH_STYLE as DASH
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Emu, Pt

from thermosim.deck_layout import rgb
from thermosim.deck_master import Box
from thermosim.deck_words import listing, say
from thermosim.figures.data import Story
from thermosim.figures.labels import euros, period_text, text, week_label
from thermosim.figures.style import INK, MUTED, TARGET_LOOK, LineLook
from thermosim.figures.timeline import START, own_goals

TICK_PT, AXIS_PT, LEGEND_PT = 16.0, 18.0, 16.0
GRID = "D9D9D9"


@dataclass(frozen=True)
class Scale:
    """One axis of the figure: its limits and the step between ticks."""

    low: float
    high: float
    step: float

    @classmethod
    def of_ticks(cls, limits: tuple[float, float], ticks: Any) -> Scale:
        """From an axis' limits and its tick locations (the step between the first two)."""
        inside = [float(t) for t in ticks if limits[0] - 1e-9 <= t <= limits[1] + 1e-9]
        step = inside[1] - inside[0] if len(inside) > 1 else limits[1] - limits[0]
        return cls(float(limits[0]), float(limits[1]), step)


def scales(ax: Axes) -> tuple[Scale, Scale]:
    """The week and value scales of a drawn revenue figure's axes."""
    x = Scale.of_ticks(ax.get_xlim(), ax.get_xticks())
    y = Scale.of_ticks(ax.get_ylim(), ax.get_yticks())
    return x, y


def euro_format(lang: str, top: float) -> str:
    """A number format writing euros as the figure's axis does, whatever the viewer's locale.

    English in thousands (``€100k``, the thousands scaled away by the format's trailing comma),
    Dutch in full with a literal thousands point (``€ 100.000``); zero as ``€0`` / ``€ 0``. An
    axis reaching a million is written in millions with one decimal (``€1.5M`` / ``€ 1,5 mln``),
    where the decimal mark is the viewer's: number formats have no literal one.
    """
    if top >= 1e6:
        return '"€"0.0,,"M"' if lang == "en" else '"€ "0.0,," mln"'
    if lang == "en":
        return '[=0]"€0";"€"#,##0,"k"'
    return '[<1000]"€ "0;[<1000000]"€ "#"."000;"€ "#"."000"."000'


def dash_of(look: LineLook) -> Any:
    """The chart's dash style nearest to a figure line's dashes."""
    dashes = look.dashes
    if isinstance(dashes, str):
        return DASH.SOLID
    pattern = dashes[1]
    if len(pattern) == 2:
        on = pattern[0]
        return DASH.ROUND_DOT if on <= 1.5 else DASH.LONG_DASH if on >= 6 else DASH.DASH
    return DASH.DASH_DOT if len(pattern) == 4 else DASH.DASH_DOT_DOT


@dataclass(frozen=True)
class Line:
    """One series of the chart: its name, points and look."""

    name: str
    x: list[float]
    y: list[float]
    colour: str
    dash: Any
    width_pt: float
    label: str = ""  # written at its last point (a shock's name)


def chart_lines(story: Story, lang: str, values: Scale) -> list[Line]:
    """The series the revenue figure draws, as chart lines (medians of the 4-week means)."""
    x = [float(w) for w in range(START, story.weeks)]
    lines = []
    for v in story.variants:
        mid = story.median(v, "revenue", "rolling")[START:]
        look = story.looks[v]
        lines.append(
            Line(
                story.label(v, lang),
                x,
                [round(float(y)) for y in mid],
                look.color,
                dash_of(look),
                3.0,
            )
        )
    target = story.median(story.variants[0], "target", "rolling")[START:]
    lines.append(
        Line(
            text("legend.target", lang),
            x,
            [round(float(y)) for y in target],
            TARGET_LOOK.color,
            DASH.DASH,
            3.0,
        )
    )
    for v, goal in own_goals(story).items():
        keep = [(w, float(g)) for w, g in zip(x, goal[START:], strict=True) if np.isfinite(g)]
        lines.append(
            Line(
                text("legend.own_goal", lang, variant=story.label(v, lang)),
                [w for w, _ in keep],
                [round(g) for _, g in keep],
                story.looks[v].color,
                DASH.LONG_DASH,
                2.5,
            )
        )
    for shock in story.shocks:
        if shock.kind == "seasonality" or shock.undoes:
            continue
        week = float(shock.week)
        lines.append(
            Line(
                f"{shock.label(lang)} ({week_label(week, lang)})",
                [week, week],
                [values.low, values.low + 0.97 * (values.high - values.low)],
                MUTED,
                DASH.SOLID,
                1.5,
                label=shock.label(lang),
            )
        )
    return lines


def chart_title(story: Story, lang: str) -> str:
    """The chart's finding, from the lines it draws.

    With a shock: each approach's lowest 4-week revenue from the first shock on, the best
    first, against the target's mean over the same weeks. Without: each approach's mean 4-week
    revenue over the run against the target's. Of more than three approaches, the best and the
    worst.
    """
    shocks = story.shocks_recoverable()
    start = int(shocks[0].week) if shocks else START
    found = {}
    for v in story.variants:
        mid = story.median(v, "revenue", "rolling")[start:]
        found[v] = float(np.nanmin(mid) if shocks else np.nanmean(mid))
    target = float(np.nanmean(story.median(story.variants[0], "target", "rolling")[start:]))
    order = sorted(found, key=lambda v: -found[v])
    if len(order) > 3:  # the best and the worst: a title, not a table
        order = [order[0], order[-1]]
    parts = [f"{story.label(v, lang, inline=True)} {euros(found[v], lang)}" for v in order]
    if shocks:
        week = week_label(shocks[0].week, lang)
        return say(
            "deck.chart.shock",
            lang,
            week=week,
            list=listing(parts, lang),
            target=euros(target, lang),
        )
    period = period_text(story.weeks, lang)
    return say(
        "deck.chart.plain",
        lang,
        period=period,
        list=listing(parts, lang),
        target=euros(target, lang),
    )


def _axis(axis: Any, scale: Scale, number_format: str, title: str) -> None:
    axis.minimum_scale, axis.maximum_scale = scale.low, scale.high
    axis.major_unit = scale.step
    axis.has_minor_gridlines = False
    labels = axis.tick_labels
    labels.number_format, labels.number_format_is_linked = number_format, False
    labels.font.size = Pt(TICK_PT)
    labels.font.color.rgb = rgb(INK)
    axis.format.line.color.rgb = rgb("333333")
    axis.has_title = True
    axis.axis_title.text_frame.text = title
    for paragraph in axis.axis_title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold = Pt(AXIS_PT), False
            run.font.color.rgb = rgb(INK)


def _hide_from_legend(chart: Any, index: int) -> None:
    """Leave series ``index`` out of the legend (its label on the plot names it)."""
    legend = chart._chartSpace.chart.find(qn("c:legend"))
    entry, idx, delete = (OxmlElement(f"c:{tag}") for tag in ("legendEntry", "idx", "delete"))
    idx.set("val", str(index))
    delete.set("val", "1")
    entry.append(idx)
    entry.append(delete)
    # The schema puts legend entries right after the legend's position.
    position = legend.find(qn("c:legendPos"))
    legend.insert(list(legend).index(position) + 1 if position is not None else 0, entry)


def revenue_chart(slide: Slide, story: Story, lang: str, box: Box, ax: Axes) -> Any:
    """Add the editable revenue chart of ``story`` to ``slide``, on the axes of figure ``ax``.

    Returns the graphic frame holding the chart.
    """
    weeks, values = scales(ax)
    lines = chart_lines(story, lang, values)
    data: Any = XyChartData()  # type: ignore[no-untyped-call]  # untyped in python-pptx
    for line in lines:
        series = data.add_series(line.name)
        for x, y in zip(line.x, line.y, strict=True):
            series.add_data_point(x, y)
    frame: Any = slide.shapes.add_chart(
        XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS,
        Emu(box.left),
        Emu(box.top),
        Emu(box.width),
        Emu(box.height),
        data,
    )
    chart = frame.chart
    chart.has_title = False
    chart.font.size = Pt(TICK_PT)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(LEGEND_PT)
    _axis(chart.category_axis, weeks, "0", text("axis.week", lang))
    chart.category_axis.has_major_gridlines = False
    value_title = text("axis.revenue", lang).replace("\n", " ")
    _axis(chart.value_axis, values, euro_format(lang, values.high), value_title)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = rgb(GRID)
    for i, (series, line) in enumerate(zip(chart.plots[0].series, lines, strict=True)):
        series.smooth = False
        series.marker.style = MARKER.NONE
        stroke = series.format.line
        stroke.width = Pt(line.width_pt)
        stroke.color.rgb = rgb(line.colour)
        stroke.dash_style = line.dash
        if line.label:
            point = series.points[len(line.x) - 1]
            label = point.data_label
            label.has_text_frame = True
            label.text_frame.text = line.label
            label.position = XL_LABEL_POSITION.RIGHT
            label.font.size = Pt(TICK_PT)
            _hide_from_legend(chart, i)
    return frame
