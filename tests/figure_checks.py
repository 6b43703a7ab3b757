"""Reusable checks for slide figures: text sizes, overlaps, legends, canvas bounds, fonts.

Every check works on a ``matplotlib.figure.Figure`` drawn at its declared size on an Agg canvas
and returns a list of problems as readable strings (empty = fine), so a test can report every
failure of a figure at once. Sizes are in points, so they do not depend on the dpi.

The thresholds come from docs ``presentation.md`` (figures go onto slides unedited): tick labels
>= 16 pt, axis labels >= 20 pt, titles 22-26 pt, lines >= 2.5 pt.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

# Roles a drawn text can have on a slide.
TITLE = "title"
AXIS_LABEL = "axis label"
TICK = "tick label"
LEGEND = "legend"
TABLE = "table"
ANNOTATION = "annotation"
FOOTER = "footer"

# Minimum font size per role, in points, at the declared figure size.
MIN_FONT_PT: Mapping[str, float] = {
    TITLE: 22.0,
    AXIS_LABEL: 20.0,
    TICK: 16.0,
    # Legend entries, table cells and annotations (shock labels, diagram boxes, notes) carry
    # information the audience reads, so they get the tick-label minimum.
    LEGEND: 16.0,
    TABLE: 16.0,
    ANNOTATION: 16.0,
    # The footer (scenario, replications, seed) is provenance for the trainer, not part of the
    # message: presentation.md asks for "a small footer". 12 pt is still legible on a projected
    # 16:9 slide and half the size of a title, so it stays visibly secondary.
    FOOTER: 12.0,
}
MAX_FONT_PT: Mapping[str, float] = {TITLE: 26.0}
MIN_LINE_PT = 2.5
# A figure-level text in this bottom share of the canvas counts as the footer.
FOOTER_ZONE = 0.15
# Two boxes overlap when they share more than this many points in both directions; text
# extents include a little padding, so touching boxes are fine.
OVERLAP_TOLERANCE_PT = 0.5
# A legend may cover at most this share of a data line's drawn length (end points touching
# the frame, antialiasing), not a stretch of the line.
LEGEND_COVER_FRACTION = 0.02

# A decimal number written the English way ("0.25", "12.5"), not a thousands separator
# ("1.250") and not a version ("0.1.0").
EN_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?!\d|[.,]\d)")
# A decimal number written the Dutch way ("0,25", "12,5"), not an English thousands group.
NL_DECIMAL = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?!\d|[.,]\d)")


@dataclass(frozen=True)
class DrawnText:
    """One text as drawn: its artist, role on the slide, extent (display px) and tick value."""

    artist: Text
    role: str
    bbox: Bbox
    value: float | None = None  # the tick location, for tick labels
    group: int = 0  # texts of one legend or table share a group (they are laid out together)

    @property
    def text(self) -> str:
        """The text as shown."""
        return self.artist.get_text()

    @property
    def size(self) -> float:
        """Font size in points."""
        return float(self.artist.get_fontsize())

    def describe(self) -> str:
        """Short description for a failure message."""
        shown = self.text.replace("\n", " ")
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return f"{self.role} {shown!r} ({self.size:g} pt)"


@dataclass
class Drawing:
    """A figure drawn on an Agg canvas: the renderer and every text that was drawn."""

    figure: Figure
    renderer: RendererBase
    texts: list[DrawnText] = field(default_factory=list)

    def of_role(self, *roles: str) -> list[DrawnText]:
        """Drawn texts with one of the given roles."""
        return [t for t in self.texts if t.role in roles]


def attach_agg(fig: Figure) -> FigureCanvasAgg:
    """The figure's Agg canvas, attaching one to a bare ``Figure`` if needed."""
    canvas = fig.canvas
    return canvas if isinstance(canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


@contextmanager
def _recording_text_draws() -> Iterator[list[Text]]:
    drawn: list[Text] = []
    original = Text.draw

    def recording(self: Text, renderer: RendererBase) -> Any:
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    with mock.patch.object(Text, "draw", recording):
        yield drawn


def all_axes(fig: Figure | SubFigure) -> list[Axes]:
    """Every visible Axes of the figure, its subfigures and child axes (secondary axes)."""
    found: list[Axes] = []

    def add(ax: Axes) -> None:
        if ax.get_visible():
            found.append(ax)
            for child in ax.child_axes:
                add(child)

    for ax in fig.axes:
        add(ax)
    for sub in fig.subfigs:
        found.extend(a for a in all_axes(sub) if a not in found)
    return found


def legends(fig: Figure | SubFigure) -> list[Legend]:
    """Every visible legend: the axes' and the figure's."""
    found = [leg for leg in fig.legends if leg.get_visible()]
    for ax in all_axes(fig):
        leg = ax.get_legend()
        if leg is not None and leg.get_visible():
            found.append(leg)
    for sub in fig.subfigs:
        found.extend(legends(sub))
    return found


def _figures(fig: Figure | SubFigure) -> Iterator[Figure | SubFigure]:
    yield fig
    for sub in fig.subfigs:
        yield from _figures(sub)


def _known_roles(fig: Figure) -> dict[int, tuple[str, float | None, int]]:
    """Role, tick value and group of the texts whose role follows from where they belong."""
    roles: dict[int, tuple[str, float | None, int]] = {}

    def put(text: Text | None, role: str, value: float | None = None, group: int = 0) -> None:
        if text is not None:
            roles[id(text)] = (role, value, group)

    for f in _figures(fig):
        put(getattr(f, "_suptitle", None), TITLE)
        put(getattr(f, "_supxlabel", None), AXIS_LABEL)
        put(getattr(f, "_supylabel", None), AXIS_LABEL)
    for ax in all_axes(fig):
        for name in ("title", "_left_title", "_right_title"):
            put(getattr(ax, name, None), TITLE)
        for axis in (ax.xaxis, ax.yaxis):
            put(axis.label, AXIS_LABEL)
            put(axis.offsetText, TICK)
            for tick in [*axis.majorTicks, *axis.minorTicks]:
                loc = float(tick.get_loc()) if tick.get_loc() is not None else None
                put(tick.label1, TICK, loc)
                put(tick.label2, TICK, loc)
        for table in ax.tables:
            for cell in table.get_celld().values():
                put(cell.get_text(), TABLE, group=id(table))
    for leg in legends(fig):
        for text in [*leg.texts, leg.get_title()]:
            put(text, LEGEND, group=id(leg))
    return roles


def draw_and_collect(fig: Figure) -> Drawing:
    """Draw the figure at its own size on an Agg canvas and collect every text actually drawn.

    Recording ``Text.draw`` (instead of walking the artist tree) sees exactly what reaches the
    canvas: tick labels outside the view limits, texts of hidden axes and empty strings are
    left out, and legend, table and annotation texts are all included.
    """
    canvas = attach_agg(fig)
    with _recording_text_draws() as drawn:
        canvas.draw()
    renderer = canvas.get_renderer()
    roles = _known_roles(fig)
    figure_texts = {id(t) for f in _figures(fig) for t in f.texts}
    footer_top = fig.bbox.y0 + FOOTER_ZONE * fig.bbox.height
    drawing = Drawing(fig, renderer)
    seen: set[int] = set()
    for text in drawn:
        if id(text) in seen:
            continue
        seen.add(id(text))
        bbox = text.get_window_extent(renderer)
        if id(text) in roles:
            role, value, group = roles[id(text)]
        elif id(text) in figure_texts and bbox.y1 <= footer_top:
            role, value, group = FOOTER, None, 0
        else:
            role, value, group = ANNOTATION, None, 0
        drawing.texts.append(DrawnText(text, role, bbox, value, group))
    return drawing


def font_size_problems(texts: Iterable[DrawnText]) -> list[str]:
    """Texts smaller than the minimum of their role (or titles above the maximum)."""
    problems = []
    for t in texts:
        low = MIN_FONT_PT[t.role]
        high = MAX_FONT_PT.get(t.role, float("inf"))
        if not low <= t.size <= high:
            wanted = f"{low:g}-{high:g}" if np.isfinite(high) else f">= {low:g}"
            problems.append(f"{t.describe()}: wanted {wanted} pt")
    return problems


def is_reference_line(line: Line2D) -> bool:
    """True for scaffolding: a line placed in axes coordinates, without a legend entry.

    That is ``axhline``/``axvline`` (a shock onset, a zero line) and rules drawn with
    ``transform=ax.transAxes`` (a table's separators). A line in data coordinates is data or
    drawing (a diagram's connectors), and a line with a legend entry is something the legend
    explains: both are held to the line minimum.
    """
    if line.axes is None or not line.get_label().startswith("_"):
        return False
    in_data = line.get_transform().contains_branch_seperately(line.axes.transData)
    return not all(in_data)


def data_lines(ax: Axes) -> list[Line2D]:
    """The visible lines of an Axes that are not scaffolding (`is_reference_line`).

    Marker-only lines (no line style) are left out: they have no line width to check.
    """
    return [
        line
        for line in ax.get_lines()
        if line.get_visible()
        and line.get_linestyle() not in ("None", "", " ", "none")
        and not is_reference_line(line)
    ]


def line_width_problems(fig: Figure, minimum: float = MIN_LINE_PT) -> list[str]:
    """Data lines and arrows (a diagram's) thinner than ``minimum`` points."""
    problems = []
    for ax in all_axes(fig):
        for line in data_lines(ax):
            if line.get_linewidth() < minimum:
                problems.append(
                    f"line {line.get_label()!r} is {line.get_linewidth():g} pt, wanted >= {minimum}"
                )
        for patch in ax.patches:
            if isinstance(patch, FancyArrowPatch) and patch.get_visible():
                width = float(patch.get_linewidth())
                if 0 < width < minimum:
                    problems.append(f"arrow is {width:g} pt, wanted >= {minimum}")
    return problems


def overlap(a: Bbox, b: Bbox, tolerance: float = 0.0) -> bool:
    """True when two boxes share more than ``tolerance`` in both directions."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width > tolerance and height > tolerance


def overlapping_pairs(boxes: Sequence[Bbox], tolerance: float = 0.0) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of boxes that overlap by more than ``tolerance``."""
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if overlap(boxes[i], boxes[j], tolerance)
    ]


def _tolerance_px(fig: Figure) -> float:
    return OVERLAP_TOLERANCE_PT * fig.dpi / 72.0


def tick_overlap_problems(drawing: Drawing) -> list[str]:
    """Tick labels (anywhere in the figure) that overlap each other."""
    ticks = drawing.of_role(TICK)
    pairs = overlapping_pairs([t.bbox for t in ticks], _tolerance_px(drawing.figure))
    return [f"{ticks[i].describe()} overlaps {ticks[j].describe()}" for i, j in pairs]


def legend_parts(legend: Legend, renderer: RendererBase) -> list[tuple[str, Bbox]]:
    """The named boxes a legend occupies: its frame when one is drawn, else its entries' ink.

    A legend without a frame (the slide style's default) only hides what its texts and
    handles cover; its invisible padding may come close to an axis label without harm.
    """
    frame = legend.get_frame()
    if legend.get_frame_on() and frame.get_visible() and frame.get_alpha() != 0:
        return [("legend frame", legend.get_window_extent(renderer))]
    parts = []
    title = legend.get_title()
    for text in [*legend.texts, title]:
        if text.get_visible() and text.get_text().strip():
            parts.append((f"legend text {text.get_text()!r}", text.get_window_extent(renderer)))
    for handle, text in zip(legend.legend_handles, legend.texts, strict=False):
        if handle is None or not handle.get_visible():
            continue
        box = handle.get_window_extent(renderer)
        width = float(np.max(handle.get_linewidth())) if isinstance(handle, Line2D) else 0.0
        pad = width * renderer.points_to_pixels(1.0) / 2
        parts.append((f"legend handle of {text.get_text()!r}", box.padded(pad)))
    return parts


def text_overlap_problems(drawing: Drawing) -> list[str]:
    """Titles, labels, legends, annotations and footer overlapping any other text or legend.

    Tick-versus-tick pairs are `tick_overlap_problems`; texts laid out together (one legend,
    one table) are not compared with each other, but a legend's entries are compared with the
    other texts (a legend on top of a shock label or an axis label).
    """
    items: list[tuple[str, Bbox, bool, int]] = [
        (t.describe(), t.bbox, t.role == TICK, t.group) for t in drawing.texts if t.role != LEGEND
    ]
    for leg in legends(drawing.figure):
        for name, box in legend_parts(leg, drawing.renderer):
            items.append((name, box, False, id(leg)))
    pairs = overlapping_pairs([box for _, box, _, _ in items], _tolerance_px(drawing.figure))
    problems = []
    for i, j in pairs:
        (name_i, _, tick_i, group_i), (name_j, _, tick_j, group_j) = items[i], items[j]
        if (tick_i and tick_j) or (group_i and group_i == group_j):
            continue
        problems.append(f"{name_i} overlaps {name_j}")
    return sorted(set(problems))


def outside_canvas(drawing: Drawing, tolerance_pt: float = 0.5) -> list[str]:
    """Texts (and legends) that stick out of the figure canvas, even partly."""
    fig = drawing.figure
    slack = tolerance_pt * fig.dpi / 72.0
    canvas = fig.bbox
    # Legend texts are covered by their legend's parts (its frame, or each entry).
    boxes = [(t.describe(), t.bbox) for t in drawing.texts if t.role != LEGEND]
    boxes += [part for leg in legends(fig) for part in legend_parts(leg, drawing.renderer)]
    problems = []
    for name, box in boxes:
        out = max(canvas.x0 - box.x0, canvas.y0 - box.y0, box.x1 - canvas.x1, box.y1 - canvas.y1)
        if out > slack:
            problems.append(f"{name} sticks out of the canvas by {out * 72.0 / fig.dpi:.1f} pt")
    return problems


def line_display_points(line: Line2D, spacing_px: float = 2.0) -> np.ndarray:
    """Points along a line's drawn path in display px, about ``spacing_px`` apart.

    Densified, so that a long straight segment (a target line of two points) counts by its
    drawn length and not by its two vertices; points outside the line's Axes (clipped) and
    gaps (NaN) are dropped.
    """
    xy = np.asarray(line.get_xydata(), dtype=float)
    if len(xy) == 0:
        return np.empty((0, 2))
    display = line.get_transform().transform(xy)
    pieces = []
    for start, end in itertools.pairwise(display):
        if not (np.all(np.isfinite(start)) and np.all(np.isfinite(end))):
            continue
        steps = max(1, int(np.hypot(*(end - start)) / spacing_px))
        t = np.linspace(0.0, 1.0, steps, endpoint=False)[:, None]
        pieces.append(start + t * (end - start))
    if np.all(np.isfinite(display[-1])):
        pieces.append(display[-1:])
    points = np.concatenate(pieces) if pieces else np.empty((0, 2))
    if line.axes is not None and line.get_clip_on():
        box = line.axes.bbox
        inside = (
            (points[:, 0] >= box.x0)
            & (points[:, 0] <= box.x1)
            & (points[:, 1] >= box.y0)
            & (points[:, 1] <= box.y1)
        )
        points = points[inside]
    return points


def legend_covers_lines(
    fig: Figure, renderer: RendererBase, max_fraction: float = LEGEND_COVER_FRACTION
) -> list[str]:
    """Legends covering more than ``max_fraction`` of a data line's drawn length.

    Every legend (axes or figure) is checked against every data line of the figure, so a
    legend over a twin axes' line counts too.
    """
    problems = []
    lines = [line for ax in all_axes(fig) for line in data_lines(ax)]
    for leg in legends(fig):
        box = leg.get_window_extent(renderer)
        for line in lines:
            points = line_display_points(line)
            if len(points) == 0:
                continue
            covered = (
                (points[:, 0] >= box.x0)
                & (points[:, 0] <= box.x1)
                & (points[:, 1] >= box.y0)
                & (points[:, 1] <= box.y1)
            )
            share = float(covered.mean())
            if share > max_fraction:
                problems.append(
                    f"legend covers {share:.0%} of line {line.get_label()!r} "
                    f"(allowed {max_fraction:.0%})"
                )
    return problems


def size_problems(fig: Figure, declared: tuple[float, float], tolerance: float = 0.01) -> list[str]:
    """The figure is not drawn at its declared size in inches."""
    width, height = (float(v) for v in fig.get_size_inches())
    if abs(width - declared[0]) > tolerance or abs(height - declared[1]) > tolerance:
        return [f"figure is {width:g} x {height:g} in, declared {declared[0]} x {declared[1]} in"]
    return []


def decimal_style_problems(texts: Iterable[DrawnText], lang: str) -> list[str]:
    """Numbers written with the other language's decimal mark ("0.25" in nl, "0,25" in en)."""
    wrong = EN_DECIMAL if lang == "nl" else NL_DECIMAL
    return [
        f"{t.describe()} has {m.group()!r}: wrong decimal mark for {lang}"
        for t in texts
        for m in [wrong.search(t.text)]
        if m is not None
    ]


def pdf_font_problems(data: bytes) -> list[str]:
    """A PDF whose fonts are not embedded as TrueType/OpenType outlines.

    Matplotlib writes font dictionaries uncompressed, so a bytes search is enough: embedded
    TrueType (``pdf.fonttype: 42``) shows up as ``/FontFile2`` (or ``/FontFile3``); Type 3
    fonts (the default ``pdf.fonttype: 3``, bitmapped-looking in some viewers and not
    editable) as ``/Subtype /Type3``.
    """
    problems = []
    if not data.startswith(b"%PDF"):
        problems.append("not a PDF file")
    if b"/FontFile2" not in data and b"/FontFile3" not in data:
        problems.append("no embedded font program (/FontFile2 or /FontFile3)")
    if re.search(rb"/Subtype\s*/Type3", data):
        problems.append("contains Type 3 fonts (pdf.fonttype 3, not 42)")
    return problems


def placeholder_fields(template: str) -> set[str]:
    """The ``{field}`` names of a format string (to compare catalogue entries)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def check_all(drawing: Drawing, declared: tuple[float, float]) -> dict[str, list[str]]:
    """Every layout check of one drawn figure, by check name (empty lists = all fine)."""
    fig = drawing.figure
    return {
        "size": size_problems(fig, declared),
        "fonts": font_size_problems(drawing.texts),
        "lines": line_width_problems(fig),
        "tick overlap": tick_overlap_problems(drawing),
        "text overlap": text_overlap_problems(drawing),
        "outside canvas": outside_canvas(drawing),
        "legend over lines": legend_covers_lines(fig, drawing.renderer),
    }
