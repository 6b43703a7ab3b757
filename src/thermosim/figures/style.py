"""The slide look: style scope, sizes, variant colours and line styles, title, legend, footer.

Owns where the shipped ``thermosim.mplstyle`` is applied (only inside a figure's own scope:
``slide_style()``, and ``SlideCanvas`` so a figure drawn or saved later still gets it), the slide
sizes, one colour and line style per variant (Okabe-Ito, by preset so "reacting" looks the same
in every scenario), and the frame of every figure: a finding as the title, a legend row under
it, a small footer, with the axes laid out by constrained layout in the space left (the title
left out while ``TITLE_TAKEN`` collects it, for a slide that states it as its own title).
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import matplotlib.style
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import AutoLocator, MaxNLocator

from thermosim.figures.text import text_width_pt, wrap

SIZES: Mapping[str, tuple[float, float]] = {"full": (12.7, 5.9), "half": (6.2, 5.9)}
DPI = 200
TITLE_PT = 24.0
TITLE_SMALL_PT = 22.0  # for a title that would need three lines at 24 pt
LEGEND_PT = 17.0
TEXT_PT = 17.0  # annotations: shock labels, boxes, notes
TICK_PT = 17.0
AXIS_LABEL_PT = 20.0
FOOTER_PT = 12.0
MARGIN_IN = 0.14
INK = "#1A1A1A"
MUTED = "#555555"
BAND_ALPHA = 0.16

# Okabe-Ito (Okabe & Ito 2008), the colour-blind safe palette.
VERMILLION, BLUE, ORANGE = "#D55E00", "#0072B2", "#E69F00"
PURPLE, GREEN, SKY, BLACK = "#CC79A7", "#009E73", "#56B4E9", "#000000"


@dataclass(frozen=True)
class LineLook:
    """How one variant is drawn in every figure: colour and line style."""

    color: str
    dashes: str | tuple[float, tuple[float, ...]]

    def line(self, **kwargs: Any) -> dict[str, Any]:
        """Keyword arguments for ``ax.plot``."""
        return {"color": self.color, "linestyle": self.dashes, **kwargs}


# Alarm vs calm: the reflex in vermillion and solid, steering in blue with a dash-dot, so the
# two read apart in greyscale too; the target is always a short black dash.
PRESET_LOOKS: Mapping[str, LineLook] = {
    "reactive": LineLook(VERMILLION, "-"),
    "steered": LineLook(BLUE, (0, (5.0, 1.4, 1.2, 1.4))),
    "fragmented": LineLook(ORANGE, (0, (1.0, 1.1))),
    "eroding-goals": LineLook(PURPLE, (0, (5.0, 1.2, 1.0, 1.2, 1.0, 1.2))),
    "open-loop": LineLook(GREEN, (0, (7.0, 2.0))),
}
EXTRA_LOOKS: tuple[LineLook, ...] = (
    LineLook(GREEN, (0, (7.0, 2.0))),
    LineLook(PURPLE, (0, (5.0, 1.2, 1.0, 1.2, 1.0, 1.2))),
    LineLook(SKY, "-"),
    LineLook(ORANGE, (0, (1.0, 1.1))),
    LineLook(BLACK, (0, (2.0, 1.0, 6.0, 1.0))),
)
TARGET_LOOK = LineLook(INK, (0, (2.6, 1.6)))


# While ``render.draw_untitled`` draws, ``finish`` hands its title to this list instead of
# drawing it: the finding is computed once, in the figure's own code, and a slide states it.
TITLE_TAKEN: ContextVar[list[str] | None] = ContextVar("thermosim_title_taken", default=None)


def variant_looks(variants: Sequence[tuple[str, str | None]]) -> dict[str, LineLook]:
    """One look per variant (name and preset), in scenario order.

    A variant gets its preset's look (the reflex is vermillion and solid in every scenario);
    a second variant of the same preset, or one without a known preset, takes the next unused
    look of ``EXTRA_LOOKS``. The same variant list always gives the same looks.
    """
    looks: dict[str, LineLook] = {}
    used: set[LineLook] = set()
    for name, preset in variants:
        look = PRESET_LOOKS.get(preset or "", PRESET_LOOKS.get(name))
        if look is None or look in used:
            look = next((x for x in EXTRA_LOOKS if x not in used), EXTRA_LOOKS[len(looks) % 5])
        looks[name] = look
        used.add(look)
    return looks


def check_size(size: str) -> tuple[float, float]:
    """The slide size in inches for ``size`` ("full" or "half"), else ValueError."""
    if size not in SIZES:
        raise ValueError(f"unknown figure size {size!r}; use one of {', '.join(SIZES)}")
    return SIZES[size]


@contextmanager
def slide_style() -> Iterator[None]:
    """Apply the shipped slide style (on matplotlib's defaults) for the duration of a block."""
    resource = importlib.resources.files("thermosim.figures").joinpath("thermosim.mplstyle")
    with ExitStack() as stack:
        path = stack.enter_context(importlib.resources.as_file(resource))
        stack.enter_context(matplotlib.style.context(["default", str(path)]))
        yield


class SlideCanvas(FigureCanvasAgg):
    """An Agg canvas that draws and saves under the slide style.

    Some settings are read when a figure is drawn or saved, not when it is built (tick labels
    made at draw time, ``pdf.fonttype``, ``svg.fonttype``): this keeps a figure looking the
    same wherever it is drawn or saved, without touching anyone's global settings.
    """

    def draw(self) -> None:
        """Draw under the slide style."""
        with slide_style():
            super().draw()  # type: ignore[no-untyped-call]  # untyped in matplotlib's stubs

    def print_figure(self, *args: Any, **kwargs: Any) -> Any:
        """Save under the slide style (every format)."""
        with slide_style():
            return super().print_figure(*args, **kwargs)


def new_figure(size: str) -> Figure:
    """A slide-sized figure with constrained layout on a ``SlideCanvas`` (call in the style)."""
    fig = Figure(figsize=check_size(size), dpi=DPI, layout="constrained")
    SlideCanvas(fig)
    return fig


def band_handle(look: LineLook) -> tuple[Patch, Line2D]:
    """Legend handle of a median line on its 10-90% band."""
    return (
        Patch(facecolor=look.color, alpha=BAND_ALPHA, linewidth=0),
        Line2D([], [], linewidth=3.2, **look.line()),
    )


def line_handle(look: LineLook, width: float = 3.2) -> Line2D:
    """Legend handle of a plain line."""
    return Line2D([], [], linewidth=width, **look.line())


def _legend_layout(
    labels: Sequence[str], width_pt: float, row_major: bool = False, handle: float = 2.6
) -> tuple[int, int]:
    """Columns and rows of a legend row that fits ``width_pt`` (entries in reading order)."""
    fs = LEGEND_PT
    entries = [text_width_pt(label, fs) + (handle + 0.8) * fs for label in labels]
    for ncols in range(len(entries), 0, -1):
        # matplotlib fills a legend column by column, the first columns one entry longer
        rows, long_columns = divmod(len(entries), ncols)
        per_column = [rows + 1] * long_columns + [rows] * (ncols - long_columns)
        columns, start = [], 0
        for c, count in enumerate(per_column):
            members = entries[c::ncols] if row_major else entries[start : start + count]
            columns.append(max(members, default=0.0))
            start += count
        if sum(columns) + 1.4 * fs * (ncols - 1) <= width_pt:
            return ncols, max(per_column)
    return 1, len(entries)


def finish(
    fig: Figure,
    title: str,
    footer: str,
    handles: Sequence[Artist | tuple[Artist, ...]] = (),
    labels: Sequence[str] = (),
    row_major: bool = False,
    handlelength: float = 2.6,
) -> None:
    """Frame a figure: the finding as title, a legend row under it, the footer at the bottom.

    The title and legend are placed by hand (constrained layout would put an outside figure
    legend on top of the title); the axes get the space in between, laid out by constrained
    layout. ``row_major`` orders the legend to be read row by row (matplotlib fills columns
    first), for legends whose order follows something drawn left to right.
    """
    width, height = (float(v) for v in fig.get_size_inches())
    usable_pt = (width - 2 * MARGIN_IN) * 72
    y = height - MARGIN_IN
    caught = TITLE_TAKEN.get()
    if caught is not None:
        caught.append(title)  # the slide states it; the legend row takes the title's place
    else:
        title_pt = TITLE_PT
        lines = wrap(title, usable_pt, title_pt, bold=True)
        if len(lines) > 2:
            title_pt = TITLE_SMALL_PT
            lines = wrap(title, usable_pt, title_pt, bold=True)
        fig.suptitle(
            "\n".join(lines),
            x=MARGIN_IN / width,
            y=y / height,
            ha="left",
            va="top",
            fontsize=title_pt,
            fontweight="bold",
            linespacing=1.15,
        ).set_in_layout(False)
        y -= len(lines) * title_pt * 1.17 * 1.15 / 72 + 0.1
    if handles:
        ncols, rows = _legend_layout(labels, usable_pt, row_major, handlelength)
        order = list(range(len(labels)))
        if row_major:
            order = [i for c in range(ncols) for i in range(c, len(labels), ncols)]
        chosen: list[Any] = [handles[i] for i in order]  # artists, or tuples drawn together
        legend = fig.legend(
            chosen,
            [labels[i] for i in order],
            loc="upper left",
            bbox_to_anchor=(MARGIN_IN / width, y / height),
            ncols=ncols,
            fontsize=LEGEND_PT,
            frameon=False,
            borderaxespad=0.0,
            borderpad=0.0,
            handlelength=handlelength,
            handler_map=_tuple_handler(),
        )
        legend.set_in_layout(False)
        y -= rows * LEGEND_PT * 1.75 / 72 + 0.02
    foot_lines = wrap(footer, usable_pt, FOOTER_PT)
    fig.text(
        MARGIN_IN / width,
        0.08 / height,
        "\n".join(foot_lines),
        ha="left",
        va="bottom",
        fontsize=FOOTER_PT,
        color=MUTED,
    )
    bottom = 0.08 + len(foot_lines) * FOOTER_PT * 1.2 / 72 + 0.06
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0.0, bottom / height, 1.0, (y - bottom) / height))
    fit_ylabels(fig)
    fit_yticks(fig)


def axes_title(ax: Axes, title: str) -> None:
    """The finding as the title of a caller's axes (when a figure is drawn into an ``ax``)."""
    fig = ax.get_figure()
    width_in = 6.0
    if isinstance(fig, Figure):
        width_in = ax.get_position().width * float(fig.get_size_inches()[0])
    lines = wrap(title, max(width_in, 2.0) * 72, TITLE_SMALL_PT, bold=True)
    ax.set_title("\n".join(lines), fontsize=TITLE_SMALL_PT, fontweight="bold", loc="left")


def blank_panel(title: str, footer: str, size: str, ax: Axes | None) -> tuple[Figure, Axes]:
    """A figure with one axes-free panel (a diagram or a table), laid out; call in the style.

    Without ``ax``: a new slide figure with the title and footer. With ``ax``: draw into it,
    the finding as its title, no footer.
    """
    if ax is None:
        fig = new_figure(size)
        panel = fig.add_subplot()
        finish(fig, title, footer)
    else:
        owner = ax.get_figure()
        assert isinstance(owner, Figure), "the axes must belong to a Figure"
        fig, panel = owner, ax
        axes_title(panel, title)
    panel.set_axis_off()
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    return fig, panel


def slide_text_sizes(axes: Sequence[Axes]) -> None:
    """Fix tick and axis-label sizes on the given axes.

    Tick labels are made when a figure is drawn: in an ``ax`` the caller owns, the slide
    style is no longer in force then, so the sizes are set on the axes themselves.
    """
    for ax in axes:
        ax.tick_params(labelsize=TICK_PT)
        ax.xaxis.label.set_fontsize(AXIS_LABEL_PT)
        ax.yaxis.label.set_fontsize(AXIS_LABEL_PT)


def fit_yticks(fig: Figure) -> None:
    """Thin an automatic y axis whose tick labels would crowd (under 0.38 in apart).

    Call after the layout is known (``finish`` does); fixed tick lists are left alone.
    """
    for ax in fig.axes:
        locator = ax.yaxis.get_major_locator()
        if not isinstance(locator, AutoLocator | MaxNLocator) or not ax.yaxis.get_visible():
            continue
        low, high = sorted(ax.get_ylim())
        ticks = [t for t in ax.get_yticks() if low - 1e-9 <= t <= high + 1e-9]
        height_in = ax.get_window_extent().height / fig.dpi
        if (
            len(ticks) < 3
            or height_in / (len(ticks) - 1) * abs(ticks[-1] - ticks[0]) / (high - low) >= 0.38
        ):
            continue
        whole = all(float(t).is_integer() for t in ticks)
        bins = max(1, int(height_in / 0.45))
        ax.yaxis.set_major_locator(
            MaxNLocator(bins, steps=[1, 2, 2.5, 5, 10], integer=whole, min_n_ticks=2)
        )


def fit_ylabels(fig: Figure) -> None:
    """Re-wrap every y label to its axes' height.

    A rotated label longer than its axes would run into the legend row or the footer.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        return
    engine.execute(fig)
    for ax in fig.axes:
        label = ax.yaxis.label
        words = label.get_text()
        if not words or not label.get_visible():
            continue
        height_pt = ax.get_window_extent().height * 72 / fig.dpi
        size = float(label.get_fontsize())
        if text_width_pt(words, size) <= height_pt:
            continue
        # Keep the catalogue's own line breaks; wrap only a line that is still too long.
        lines = [
            part for line in words.split("\n") for part in wrap(line, max(height_pt, 60.0), size)
        ]
        label.set_text("\n".join(lines))


def _tuple_handler() -> dict[type, Any]:
    from matplotlib.legend_handler import HandlerTuple

    return {tuple: HandlerTuple(ndivide=1)}
