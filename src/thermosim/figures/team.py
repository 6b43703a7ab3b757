"""Figures about the people (sales only): firefighting, team health, where the hours go.

Owns ``firefighting`` (which quick fixes start when, as a heat strip per lever, and the team
hours they cost), ``team-health`` (fatigue, motivation and skill as small multiples on one
time axis) and ``time-allocation`` (each variant's paid hours split by use, as one 100% bar).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator, MultipleLocator

from thermosim.figures import findings
from thermosim.figures.data import Band, Story
from thermosim.figures.labels import (
    NumberFormatter,
    PercentFormatter,
    check_lang,
    number,
    percent,
    text,
)
from thermosim.figures.marks import draw_band, place_labels, shade_shocks, shock_legend, week_axis
from thermosim.figures.style import (
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    SKY,
    TEXT_PT,
    VERMILLION,
    band_handle,
    check_size,
    finish,
    new_figure,
    slide_style,
)
from thermosim.figures.text import text_width_pt, wrap
from thermosim.saved import SavedResults

HEADING_PT = 18.0
START = 3  # first week with a full 4-week window
# Where the hours go, in the order the bars show them, with the series and a colour each:
# vermillion for firefighting (the alarm colour of the reflex), blue for coaching (steering's).
USES: tuple[tuple[str, str, str], ...] = (
    ("selling", "hours_selling", GREEN),
    ("firefighting", "hours_firefighting", VERMILLION),
    ("admin", "hours_admin", ORANGE),
    ("internal", "hours_internal", "#BBBBBB"),
    ("account_care", "hours_account_care", PURPLE),
    ("coaching", "hours_coaching", BLUE),
    ("improvement", "hours_improvement", SKY),
    ("idle", "hours_idle", "#EEEEEE"),
)
FIXES_MAP = LinearSegmentedColormap.from_list(
    "fixes", ["#FFFFFF", "#F4B183", VERMILLION, "#7A2E00"]
)


def _sales_story(results: SavedResults, lang: str, size: str, family: str) -> Story:
    check_lang(lang)
    check_size(size)
    story = Story.of(results)
    if not story.sales:
        raise ValueError(f"{family} is a sales figure; the thermostat has no team")
    return story


def _heading(ax: Axes, words: str, width_in: float, size: float = HEADING_PT) -> None:
    """A panel heading above the axes (bold, wrapped to ``width_in``)."""
    lines = wrap(words, width_in * 72, size, bold=True)
    ax.text(
        0.0,
        1.04,
        "\n".join(lines),
        transform=ax.transAxes,
        fontsize=size,
        fontweight="bold",
        va="bottom",
        linespacing=1.1,
    )


def _fix_counts(story: Story, variant: str, block: int = 4) -> tuple[list[str], np.ndarray]:
    """Quick fixes started per lever and 4-week block, averaged over replications."""
    levers = [str(x) for x in story.spec(variant).levers.repertoire]
    blocks = -(-story.weeks // block)
    counts = np.zeros((len(levers), blocks))
    for lever, per_week in story.results.fixes(variant).items():
        if lever in levers:
            for week in np.flatnonzero(per_week):
                counts[levers.index(lever), min(int(week) // block, blocks - 1)] += per_week[week]
    return levers, counts / max(story.reps, 1)


def draw_firefighting(results: SavedResults, lang: str = "en", size: str = "full") -> Figure:
    """Quick fixes started over time, and the team hours each variant spends firefighting.

    Fixes are those of the first variant that starts any: per lever and 4 weeks as a heat
    strip on a full slide, all levers together as bars on half a slide (where the two panels
    share the time axis). Firefighting hours count quick fixes and, for fragmented steering,
    the hours lost pulling the levers apart; with no quick fixes at all only they are drawn.
    """
    story = _sales_story(results, lang, size, "firefighting")
    fixers = [
        v
        for v in story.variants
        if story.kpi(v, "interventions") > 0 and story.spec(v).levers.mode == "episodic"
    ]
    with slide_style():
        fig = new_figure(size)
        if fixers:
            if size == "full":
                heat_ax, hours_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.0]})
            else:
                heat_ax, hours_ax = fig.subplots(
                    2, 1, sharex=True, gridspec_kw={"height_ratios": [0.75, 1.4]}
                )
            if size == "full":
                _fix_strip(heat_ax, story, fixers[0], lang)
            else:
                _fix_bars(heat_ax, story, fixers[0], lang)
        else:
            hours_ax = fig.subplots()
        x = np.arange(story.weeks, dtype=float)[START:]
        for v in story.variants:
            b = story.band(v, "hours_firefighting", "rolling")
            b = Band(b.low[START:], b.mid[START:], b.high[START:])
            draw_band(hours_ax, x, b, story.looks[v], story.label(v, lang))
        week_axis(hours_ax, story.weeks, lang, narrow=size == "half" or bool(fixers))
        hours_ax.set_ylim(bottom=0)
        if hours_ax.dataLim.y1 < 1.0:
            hours_ax.set_ylim(0, 10)  # no firefighting at all: a flat line on a whole-hour axis
        hours_ax.yaxis.set_major_locator(MaxNLocator(3, integer=True))
        hours_ax.yaxis.set_major_formatter(NumberFormatter(lang))
        hours_ax.set_xlabel(text("axis.week", lang))
        # A heading, not a rotated label: a two-line label does not fit a short panel.
        if size == "full":
            _heading(hours_ax, text("panel.fire_hours", lang), 4.6 if fixers else 11.0)
        else:
            _heading(hours_ax, text("panel.fire_hours.short", lang), 5.3, HEADING_PT - 1)
        handles = [band_handle(story.looks[v]) for v in story.variants]
        labels = [story.label(v, lang) for v in story.variants]
        finish(fig, findings.firefighting(story, lang), story.footer(lang), handles, labels)
        place_labels(fig, hours_ax, shade_shocks(hours_ax, story, lang), bottom=0.0)
    return fig


def _fix_strip(ax: Axes, story: Story, variant: str, lang: str) -> AxesImage:
    """Quick fixes started, one row per lever, 4-week columns; how often per run at the right."""
    levers, counts = _fix_counts(story, variant)
    image = ax.imshow(
        counts,
        aspect="auto",
        cmap=FIXES_MAP,
        vmin=0.0,
        vmax=max(float(counts.max()), 1e-9),
        extent=(0.0, counts.shape[1] * 4.0, len(levers) - 0.5, -0.5),
        interpolation="nearest",
    )
    ax.set_yticks(range(len(levers)), [text(f"lever.{lever}", lang) for lever in levers])
    ax.tick_params(axis="y", length=0, labelsize=16)
    totals = ax.secondary_yaxis("right")
    totals.set_yticks(
        range(len(levers)),
        [text("fixes.per_run", lang, n=number(float(c), lang)) for c in counts.sum(axis=1)],
    )
    totals.tick_params(length=0, labelsize=16)
    totals.spines["right"].set_visible(False)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for shock in story.shocks:
        if shock.kind != "seasonality":
            ax.axvline(shock.week, color="#333333", linewidth=2.0)
    ax.tick_params(axis="x", length=0)
    _heading(ax, text("panel.fixes", lang, variant=story.label(variant, lang)), 4.6)
    week_axis(ax, story.weeks, lang, narrow=True)
    ax.set_xlabel(text("axis.week", lang))
    return image


def _fix_bars(ax: Axes, story: Story, variant: str, lang: str) -> None:
    """Quick fixes started per 4 weeks, all levers together (the half-slide version)."""
    _, counts = _fix_counts(story, variant)
    total = counts.sum(axis=0)
    x = np.arange(total.size) * 4.0 + 2.0
    ax.bar(x, total, width=3.3, color=story.looks[variant].color, linewidth=0)
    ax.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    ax.yaxis.set_major_formatter(NumberFormatter(lang))
    for shock in story.shocks:
        if shock.kind != "seasonality":
            ax.axvline(shock.week, color="#333333", linewidth=1.5)
    _heading(
        ax, text("panel.fixes_bars", lang, variant=story.label(variant, lang)), 5.3, HEADING_PT - 1
    )


def draw_team_health(results: SavedResults, lang: str = "en", size: str = "full") -> Figure:
    """Fatigue, motivation and skill per variant: small multiples sharing the time axis.

    Shocks are shaded in every panel and named in the legend row: a label inside each small
    panel would cost the data a third of its height.
    """
    story = _sales_story(results, lang, size, "team-health")
    panels = (
        ("fatigue", "panel.fatigue"),
        ("motivation", "panel.motivation"),
        ("skill", "panel.skill"),
    )
    full = size == "full"
    with slide_style():
        fig = new_figure(size)
        # Side by side at both sizes: three panels in a row stay tall enough to show a trend.
        grid = fig.subplots(1, 3, sharex=True)
        x = np.arange(story.weeks, dtype=float)
        for ax, (series, heading) in zip(grid, panels, strict=True):
            for v in story.variants:
                draw_band(ax, x, story.band(v, series), story.looks[v], story.label(v, lang))
            words = text(heading if full else heading + ".short", lang)
            _heading(ax, words, 3.6 if full else 1.6, HEADING_PT if full else HEADING_PT - 1)
            ax.yaxis.set_major_formatter(PercentFormatter(lang))
            ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))  # no 107.5%
            if series == "motivation":
                ax.set_ylim(0, 1)
            elif series == "fatigue":
                ax.set_ylim(bottom=0)
            if not full:
                # A short panel has room for two tick labels: its lowest and highest.
                low, high = ax.get_ylim()
                ticks = [t for t in ax.get_yticks() if low - 1e-9 <= t <= high + 1e-9]
                ax.yaxis.set_major_locator(FixedLocator([ticks[0], ticks[-1]]))
            week_axis(ax, story.weeks, lang, narrow=True)
            if not full:
                # Three week numbers at most fit under a third of half a slide.
                ax.xaxis.set_major_locator(MultipleLocator(26 * -(-story.weeks // 52)))
            ax.set_xlabel(text("axis.week", lang))
            shade_shocks(ax, story, lang, label=False)
        handles: list[Any] = [band_handle(story.looks[v]) for v in story.variants]
        labels = [story.label(v, lang) for v in story.variants]
        extra_handles, extra_labels = shock_legend(story, lang)
        finish(
            fig,
            findings.health(story, lang),
            story.footer(lang),
            handles + extra_handles,
            labels + extra_labels,
        )
    return fig


def hour_shares(story: Story) -> dict[str, dict[str, float]]:
    """Each variant's share of paid hours per use, over the whole run and all replications."""
    shares: dict[str, dict[str, float]] = {}
    for v in story.variants:
        paid = story.total(v, "hours_paid")
        shares[v] = {
            use: story.total(v, series) / paid if paid > 0 else 0.0 for use, series, _ in USES
        }
    return shares


def _ink_on(color: str) -> str:
    r, g, b = to_rgb(color)
    return "#1A1A1A" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def draw_time_allocation(results: SavedResults, lang: str = "en", size: str = "full") -> Figure:
    """Paid hours by use per variant (selling, firefighting, admin, ...), as 100% bars."""
    story = _sales_story(results, lang, size, "time-allocation")
    shares = hour_shares(story)
    with slide_style():
        fig = new_figure(size)
        ax = fig.subplots()
        names = list(story.variants)
        ys = np.arange(len(names), dtype=float)
        left = np.zeros(len(names))
        segments: list[tuple[float, float, float, str]] = []
        for use, _, color in USES:
            widths = np.array([shares[v][use] for v in names])
            ax.barh(
                ys,
                widths,
                left=left,
                height=0.62,
                color=color,
                edgecolor="white",
                linewidth=1.0,
                label=text(f"use.{use}", lang),
            )
            for y, x0, w in zip(ys, left, widths, strict=True):
                segments.append((y, x0, w, color))
            left = left + widths
        width_in = 2.6 if size == "full" else 1.7
        ticks = ["\n".join(wrap(story.label(v, lang), width_in * 72, 17, True)) for v in names]
        ax.set_yticks(ys, ticks)
        for tick, v in zip(ax.get_yticklabels(), names, strict=True):
            tick.set_color(story.looks[v].color)
            tick.set_fontweight("bold")
        ax.tick_params(axis="y", length=0)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(lang))
        ax.set_xlabel(text("axis.hours_share", lang))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.spines["left"].set_visible(False)
        patches = [
            Patch(facecolor=c, edgecolor="#999999" if c == "#EEEEEE" else c) for _, _, c in USES
        ]
        names_of_uses = [text(f"use.{u}", lang) for u, _, _ in USES]
        if size == "half":
            # The shares written in the bars stand in for an x axis on half a slide.
            ax.xaxis.set_visible(False)
            ax.grid(False)
            ax.spines["bottom"].set_visible(False)
        finish(
            fig,
            findings.time_use(story, lang, shares),
            story.footer(lang, bands=False),
            patches,
            names_of_uses,
            row_major=True,  # read like the bars: left to right
            handlelength=1.2,
        )
        _label_segments(fig, ax, segments, lang)
    return fig


def _label_segments(
    fig: Figure, ax: Axes, segments: list[tuple[float, float, float, str]], lang: str
) -> None:
    """Write each segment's share inside it, where it fits."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    width_pt = ax.get_window_extent().width * 72 / fig.dpi
    for y, x0, w, color in segments:
        words = percent(w, lang)
        if w * width_pt >= text_width_pt(words, TEXT_PT) + 8:
            ax.text(
                x0 + w / 2,
                y,
                words,
                ha="center",
                va="center",
                fontsize=TEXT_PT,
                color=_ink_on(color),
            )
