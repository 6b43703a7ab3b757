"""Marks shared by the time-axis figures: week axis, median lines on bands, target, shocks.

Owns how a Monte Carlo result is drawn (median line over its 10-90% band, bands under all
lines, the target dashed on top), the week axis, and the shocks: shaded periods with a
labelled onset, labels stacked in rows so they never collide, in headroom kept free of data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MultipleLocator
from matplotlib.transforms import blended_transform_factory

from thermosim.figures.data import Band, FloatArray, Shock, Story
from thermosim.figures.labels import NumberFormatter, week_label
from thermosim.figures.style import (
    BAND_ALPHA,
    INK,
    MUTED,
    TARGET_LOOK,
    TEXT_PT,
    LineLook,
)
from thermosim.figures.text import text_width_pt

SHADE = "#000000"
SHADE_ALPHA = 0.05
Label = tuple[float, str]  # (x in data units, text)


def week_axis(ax: Axes, weeks: float, lang: str, narrow: bool, start: float = 0.0) -> None:
    """Week numbers on x, from ``start`` to ``weeks``, at quarters, half years or years."""
    span = weeks - start
    step = 13 if span <= 60 else 26 if span <= (110 if narrow else 170) else 52
    ax.set_xlim(start, weeks)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(NumberFormatter(lang))


def draw_band(
    ax: Axes, x: FloatArray, b: Band, look: LineLook, label: str, band: bool = True
) -> None:
    """A median line over its 10-90% band (bands low in the stack, lines above every band)."""
    if band:
        ax.fill_between(x, b.low, b.high, color=look.color, alpha=BAND_ALPHA, lw=0, zorder=1)
    ax.plot(x, b.mid, linewidth=3.2, zorder=3, label=label, **look.line())


def draw_target(ax: Axes, x: FloatArray, y: FloatArray, label: str) -> None:
    """The target (or set point): a dashed near-black line above the data."""
    # Above the bands, below the variants' lines: the reference must not hide a result.
    ax.plot(x, y, linewidth=3.0, zorder=2.5, label=label, **TARGET_LOOK.line())


def _low_seasons(shock: Shock, weeks: float) -> list[tuple[float, float]]:
    spec = shock.spec
    period = float(spec.period_weeks) if spec.kind == "seasonality" else 52.0
    phase = float(spec.phase_weeks) if spec.kind == "seasonality" else 0.0
    # lead rate x (1 + a sin(2 pi (t - week + phase) / period)): low where the sine is < 0.
    first = shock.week - phase + period / 2
    k = np.floor((0.0 - first) / period)
    spans = []
    start = first + k * period
    while start < weeks:
        lo, hi = max(0.0, start), min(weeks, start + period / 2)
        if hi > lo and hi > shock.week:
            spans.append((max(lo, shock.week), hi))
        start += period
    return spans


class Marked(Protocol):
    """What has shocks to mark: a ``Story``, or a workshop's debrief."""

    @property
    def shocks(self) -> Sequence[Shock]:
        """The shocks, as ``data.shock_marks`` makes them."""
        ...

    @property
    def weeks(self) -> int:
        """Weeks on the time axis."""
        ...


def shade_shocks(
    ax: Axes, story: Marked, lang: str, offset: float = 0.0, label: bool = True
) -> list[Label]:
    """Shade every shock period (x shifted by ``-offset``) and return the labels to place.

    A lasting shock is shaded to the end of the run; its onset gets a thin line.
    """
    labels: list[Label] = []
    end = float(story.weeks)
    for shock in story.shocks:
        if shock.kind == "seasonality":
            spans = _low_seasons(shock, end)
            for lo, hi in spans:
                ax.axvspan(lo - offset, hi - offset, color=SHADE, alpha=SHADE_ALPHA, lw=0, zorder=0)
            if spans and label:
                labels.append((spans[0][0] - offset, shock.label(lang)))
            continue
        stop = shock.end if shock.end is not None else end
        if shock.undoes:
            # The end of an earlier shock (the thaw after a cold snap): shade only its ramp.
            stop = shock.week + (shock.spec.ramp_weeks if shock.spec.shape == "ramp" else 0.0)
        ax.axvspan(
            shock.week - offset, stop - offset, color=SHADE, alpha=SHADE_ALPHA, lw=0, zorder=0
        )
        ax.axvline(shock.week - offset, color=MUTED, linewidth=1.5, zorder=0.5)
        if label:
            labels.append((shock.week - offset, shock.label(lang)))
    return labels


def place_labels(
    fig: Figure, ax: Axes, labels: Sequence[Label], bottom: float | None = None
) -> None:
    """Write shock labels at the top of ``ax`` in rows, and raise the y limit to keep them free.

    Runs the layout once to learn the axes' size in points, so rows and headroom fit the
    labels exactly at this figure's size. ``bottom`` fixes the lower y limit.
    """
    if not labels:
        return
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    box = ax.get_window_extent()
    width_pt = box.width * 72 / fig.dpi
    height_pt = box.height * 72 / fig.dpi
    x0, x1 = ax.get_xlim()
    per_pt = (x1 - x0) / max(width_pt, 1.0)
    pad = 6 * per_pt
    rows: list[list[tuple[float, float]]] = []
    placed: list[tuple[float, str, str, int]] = []
    for x, words in sorted(labels):
        width = (text_width_pt(words, TEXT_PT) + 4) * per_pt
        ha = "left" if x + pad + width <= x1 else "right"
        span = (x + pad, x + pad + width) if ha == "left" else (x - pad - width, x - pad)
        row = next(
            (i for i, r in enumerate(rows) if all(span[0] > b or span[1] < a for a, b in r)),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append(span)
        placed.append((x + pad if ha == "left" else x - pad, words, ha, row))
    row_pt = TEXT_PT * 1.25 + 3
    zone = (len(rows) * row_pt + 6) / max(height_pt, 1.0)
    lo, hi = ax.get_ylim() if bottom is None else (bottom, ax.get_ylim()[1])
    data_top = max(hi, float(ax.dataLim.y1)) if np.isfinite(ax.dataLim.y1) else hi
    ticks = [t for t in ax.get_yticks() if lo - 1e-9 <= t <= data_top + 1e-9]
    top = lo + (data_top - lo) / max(0.3, 1.0 - zone)
    ax.set_ylim(lo, top)
    if len(ticks) >= 2:
        ax.yaxis.set_major_locator(FixedLocator(ticks))
    blend = blended_transform_factory(ax.transData, ax.transAxes)
    for x, words, ha, row in placed:
        y = 1.0 - ((row + 1) * row_pt) / height_pt
        ax.text(
            x,
            y,
            words,
            transform=blend,
            ha=ha,
            va="bottom",
            fontsize=TEXT_PT,
            color=INK,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.9},
            zorder=6,
        )


def shock_legend(story: Story, lang: str) -> tuple[list[Any], list[str]]:
    """Legend entries naming the shaded shock periods ("key account lost (week 26)")."""
    handles: list[Any] = []
    labels: list[str] = []
    for shock in story.shocks:
        if shock.undoes:
            continue
        handles.append(
            Patch(facecolor=SHADE, alpha=2 * SHADE_ALPHA, edgecolor=MUTED, linewidth=1.0)
        )
        labels.append(f"{shock.label(lang)} ({week_label(shock.week, lang)})")
    return handles, labels
