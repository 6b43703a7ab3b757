"""Figures over time: revenue against target, the cumulative gap, recovery after each shock.

Owns the three time-axis families: ``revenue-vs-target`` (for the thermostat: temperature
against the set point, with heater power), ``cumulative-gap`` (sales only) and ``recovery``
(responses aligned at each shock, with the KPI's recovery week marked).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from thermosim.figures import findings
from thermosim.figures.data import Band, Story
from thermosim.figures.labels import (
    DegreeFormatter,
    EuroFormatter,
    PercentFormatter,
    check_lang,
    percent,
    text,
    weeks_text,
)
from thermosim.figures.marks import (
    draw_band,
    draw_target,
    place_labels,
    shade_shocks,
    week_axis,
)
from thermosim.figures.style import (
    GREEN,
    TARGET_LOOK,
    LineLook,
    axes_title,
    band_handle,
    check_size,
    finish,
    line_handle,
    new_figure,
    slide_style,
    slide_text_sizes,
)
from thermosim.metrics import RECOVERY_BAND, is_censored
from thermosim.saved import SavedResults

Handles = list[Artist | tuple[Artist, ...]]
START = 3  # first week with a full 4-week window


def _figure_or(ax: Axes | None, size: str, rows: int = 1, **grid: Any) -> tuple[Figure, list[Axes]]:
    if ax is not None:
        fig = ax.get_figure()
        assert isinstance(fig, Figure)
        return fig, [ax]
    fig = new_figure(size)
    axes = fig.subplots(rows, 1, sharex=True, squeeze=False, gridspec_kw=grid or None)
    return fig, list(axes[:, 0])


def _variant_handles(story: Story, lang: str) -> tuple[Handles, list[str]]:
    handles: Handles = [band_handle(story.looks[v]) for v in story.variants]
    return handles, [story.label(v, lang) for v in story.variants]


def _own_frame(
    fig: Figure,
    ax: Axes,
    mine: bool,
    title: str,
    footer: str,
    handles: Handles,
    labels: list[str],
) -> None:
    if mine:
        finish(fig, title, footer, handles, labels)
    else:
        axes_title(ax, title)
        slide_text_sizes([ax])
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=17)


def draw_revenue_vs_target(
    results: SavedResults, lang: str = "en", size: str = "full", ax: Axes | None = None
) -> Figure:
    """4-week revenue per variant against the target, shocks marked.

    For the thermostat: the weekly room temperature against the set point, with heater power
    below it (with ``ax`` given: the temperature only).
    """
    check_lang(lang)
    check_size(size)
    story = Story.of(results)
    with slide_style():
        if story.sales:
            fig, axes = _figure_or(ax, size)
            _revenue(axes[0], story, lang, size)
            target_label = text("legend.target", lang)
        else:
            fig, axes = _figure_or(ax, size, 2, height_ratios=[3.0, 1.0])
            _temperature(axes, story, lang, size)
            target_label = text("legend.setpoint", lang, value=story.setpoint_text(lang))
        handles, labels = _variant_handles(story, lang)
        handles.append(line_handle(TARGET_LOOK, 3.0))
        labels.append(target_label)
        if story.sales:
            goals = own_goals(story)
            for v in goals:
                handles.append(line_handle(_own_goal_look(story, v), 2.6))
                # Half a slide: the colour says whose goal it is.
                short = size == "half" and len(goals) == 1
                labels.append(
                    text("legend.own_goal.short", lang)
                    if short
                    else _own_goal_label(story, v, lang)
                )
        _own_frame(
            fig,
            axes[0],
            ax is None,
            findings.revenue(story, lang),
            story.footer(lang),
            handles,
            labels,
        )
        marks = shade_shocks(axes[0], story, lang)
        for extra in axes[1:]:
            shade_shocks(extra, story, lang, label=False)
        place_labels(fig, axes[0], marks, bottom=0.0 if story.sales else None)
    return fig


def _revenue(ax: Axes, story: Story, lang: str, size: str) -> None:
    x = np.arange(story.weeks, dtype=float)[START:]
    for v in story.variants:
        b = story.band(v, "revenue", "rolling")
        draw_band(ax, x, _cut(b), story.looks[v], story.label(v, lang))
    target = story.median(story.variants[0], "target", "rolling")[START:]
    draw_target(ax, x, target, text("legend.target", lang))
    for v, goal in own_goals(story).items():
        ax.plot(
            x,
            goal[START:],
            linewidth=2.6,
            zorder=2.6,
            label=_own_goal_label(story, v, lang),
            **_own_goal_look(story, v).line(),
        )
    week_axis(ax, story.weeks, lang, size == "half")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(EuroFormatter(lang))
    ax.set_ylabel(text("axis.revenue", lang))
    ax.set_xlabel(text("axis.week", lang))


def own_goals(story: Story) -> dict[str, np.ndarray]:
    """Each variant's own goal where it is not the imposed target, as a weekly median.

    An eroding goal, or a fragmented team's volume target; kept when it differs by over 1%.
    """
    target = story.median(story.variants[0], "target")
    goals: dict[str, np.ndarray] = {}
    if not story.has("reference"):
        return goals
    for v in story.variants:
        goal = story.median(v, "reference")
        # The first reviews have no reference yet (0): they are not a goal.
        later = slice(2, None)
        if np.nanmax(np.abs(goal[later] - target[later]) / np.abs(target[later])) > 0.01:
            goals[v] = np.where(goal > 0, goal, np.nan)
    return goals


def _own_goal_look(story: Story, variant: str) -> LineLook:
    # Long dashes in the variant's colour: apart from its own line and from the target's.
    return LineLook(story.looks[variant].color, (0, (6.0, 2.5)))


def _own_goal_label(story: Story, variant: str, lang: str) -> str:
    return text("legend.own_goal", lang, variant=story.label(variant, lang))


def _cut(b: Band) -> Band:
    return Band(b.low[START:], b.mid[START:], b.high[START:])


def _temperature(axes: list[Axes], story: Story, lang: str, size: str) -> None:
    x = np.arange(story.weeks, dtype=float)
    top = axes[0]
    for v in story.variants:
        draw_band(top, x, story.band(v, "temperature"), story.looks[v], story.label(v, lang))
    setpoint = story.median(story.variants[0], "target")
    draw_target(top, x, setpoint, text("legend.setpoint", lang, value=story.setpoint_text(lang)))
    top.yaxis.set_major_formatter(DegreeFormatter(lang))
    top.set_ylabel(text("axis.temperature", lang))
    if len(axes) > 1:
        heat = axes[1]
        for v in story.variants:
            draw_band(heat, x, story.band(v, "heater"), story.looks[v], story.label(v, lang))
        heat.set_ylim(0, 1.05)
        heat.yaxis.set_major_formatter(PercentFormatter(lang))
        heat.set_yticks([0, 0.5, 1.0])
        # A rotated label does not fit this short panel: a heading above it instead.
        heat.text(
            0.0,
            1.04,
            text("axis.heater", lang),
            transform=heat.transAxes,
            fontsize=18,
            fontweight="bold",
            va="bottom",
        )
    week_axis(axes[-1], story.weeks, lang, size == "half")
    axes[-1].set_xlabel(text("axis.week", lang))


def draw_cumulative_gap(
    results: SavedResults, lang: str = "en", size: str = "full", ax: Axes | None = None
) -> Figure:
    """Cumulative revenue minus cumulative target (€), per variant; sales only."""
    check_lang(lang)
    check_size(size)
    story = Story.of(results)
    if not story.sales:
        raise ValueError("cumulative-gap is a sales figure; the thermostat has no revenue")
    with slide_style():
        fig, axes = _figure_or(ax, size)
        plot = axes[0]
        x = np.arange(1, story.weeks + 1, dtype=float)
        ends: dict[str, float] = {}
        totals = []
        for v in story.variants:
            b = story.band(v, "gap", "derived")  # cumulative revenue minus cumulative target
            draw_band(plot, x, b, story.looks[v], story.label(v, lang))
            ends[v] = float(b.mid[-1])
            totals.append(story.total(v, "target", "rep_p50"))
        on_target = text("legend.on_target", lang)
        draw_target(plot, np.array([0.0, story.weeks]), np.zeros(2), on_target)
        week_axis(plot, story.weeks, lang, size == "half")
        plot.yaxis.set_major_formatter(EuroFormatter(lang))
        plot.set_ylabel(text("axis.cumulative_gap", lang))
        plot.set_xlabel(text("axis.week", lang))
        handles, labels = _variant_handles(story, lang)
        handles.append(line_handle(TARGET_LOOK, 3.0))
        labels.append(on_target)
        title = findings.gap(story, lang, ends, max(totals))
        _own_frame(fig, plot, ax is None, title, story.footer(lang), handles, labels)
        place_labels(fig, plot, shade_shocks(plot, story, lang))
    return fig


def draw_recovery(
    results: SavedResults, lang: str = "en", size: str = "full", ax: Axes | None = None
) -> Figure:
    """Responses aligned at each shock, with the KPI's recovery week marked.

    Sales: the 4-week revenue as % of the 4-week target; thermostat: the 4-week temperature
    minus the set point. The line is the KPI's own measure (the median over runs of the
    4-week mean), the band the 10-90% of runs. One panel per shock (up to three) on a full
    slide, the first shock only on half a slide or in a given ``ax``. Without a shock that has
    a recovery time the figure says so (``write_figures`` then leaves it out).
    """
    check_lang(lang)
    check_size(size)
    story = Story.of(results)
    shocks = story.shocks_recoverable()
    with slide_style():
        if not shocks:
            fig, axes = _figure_or(ax, size)
            axes[0].set_axis_off()
            _own_frame(
                fig, axes[0], ax is None, text("no_shock", lang), story.footer(lang, False), [], []
            )
            return fig
        # Half a slide has room for one panel: the first shock, the one the title is about.
        shown = shocks[:3] if ax is None and size == "full" else shocks[:1]
        if ax is None:
            fig = new_figure(size)
            grid = fig.subplots(1, len(shown), sharey=True, squeeze=False)
            axes = list(grid[0])
        else:
            fig, axes = _figure_or(ax, size)
        for i, (panel, shock) in enumerate(zip(axes, shown, strict=True)):
            _recovery_panel(panel, story, lang, i, shock.week, size, len(shown) > 1)
            if len(shocks) > 1 and ax is None:
                panel.text(
                    0.0,
                    1.03,
                    shock.label(lang),
                    transform=panel.transAxes,
                    fontsize=18,
                    fontweight="bold",
                    va="bottom",
                )
        # On half a slide the recovery weeks stay in the title: legend entries that long
        # would take the room the data needs.
        handles, labels = _recovery_legend(story, lang, single=len(shown) == 1 and size == "full")
        index = 0
        label = shown[0].label(lang) if len(shocks) > 1 else None
        title = findings.recovery(story, lang, index, label)
        _own_frame(fig, axes[0], ax is None, title, story.footer(lang), handles, labels)
    return fig


def _recovery_series(story: Story, v: str, week: float) -> tuple[np.ndarray, Band]:
    # The band: each run's 4-week revenue / 4-week target (thermostat: temperature minus set
    # point). The line is the KPI's own measure (metrics.ensemble_recovery): the median over
    # runs of the 4-week mean, against the median 4-week target.
    target = story.median(v, "target", "rolling")
    if story.sales:
        mid = story.median(v, "revenue", "rolling") / target
    else:
        mid = story.median(v, "temperature", "rolling") - target
    b = story.band(v, "recovery", "derived")
    return np.arange(story.weeks, dtype=float) - week, Band(b.low, mid, b.high)


def _recovery_panel(
    ax: Axes, story: Story, lang: str, index: int, week: float, size: str, several: bool
) -> None:
    suffix = "" if index == 0 else f"_{index + 1}"
    start = max(-8.0, -week)
    for v in story.variants:
        x, b = _recovery_series(story, v, week)
        keep = x >= start
        draw_band(
            ax,
            x[keep],
            Band(b.low[keep], b.mid[keep], b.high[keep]),
            story.looks[v],
            story.label(v, lang),
        )
        weeks = story.kpi(v, "recovery_weeks" + suffix)
        censored = is_censored(story.results.kpis.get(v, {}), "recovery_weeks" + suffix)
        if np.isfinite(weeks) and not censored:
            at = int(np.clip(round(week + weeks), 0, story.weeks - 1))
            ax.plot(
                [weeks],
                [b.mid[at]],
                marker="o",
                markersize=13,
                linestyle="none",
                color=story.looks[v].color,
                markeredgecolor="white",
                markeredgewidth=2,
                zorder=5,
            )
    level = 1.0 if story.sales else 0.0
    zone = story.recovery_zone()
    x = np.arange(story.weeks, dtype=float) - week
    shown = x >= start
    ax.fill_between(
        x[shown], level - zone[shown], level + zone[shown], color=GREEN, alpha=0.12, lw=0, zorder=0
    )
    draw_target(ax, np.array([start, story.weeks - week]), np.full(2, level), "_target")
    ax.axvline(0.0, color="#555555", linewidth=1.5, zorder=0.5)
    week_axis(ax, story.weeks - week, lang, size == "half" or several, start=start)
    ax.yaxis.set_major_formatter(PercentFormatter(lang) if story.sales else DegreeFormatter(lang))
    if index == 0 or not several:
        key = "axis.vs_target" if story.sales else "axis.vs_setpoint"
        ax.set_ylabel(text(key if size == "full" else key + ".short", lang))
    ax.set_xlabel(text("axis.weeks_since", lang))


def _recovery_legend(story: Story, lang: str, single: bool) -> tuple[Handles, list[str]]:
    handles: Handles = []
    labels: list[str] = []
    for v in story.variants:
        handles.append(band_handle(story.looks[v]))
        name = story.label(v, lang)
        weeks = story.kpi(v, "recovery_weeks")
        if not single or not np.isfinite(weeks):
            labels.append(name)
        elif is_censored(story.results.kpis.get(v, {}), "recovery_weeks"):
            labels.append(
                text("recovered.never", lang, variant=name, weeks=weeks_text(weeks, lang))
            )
        elif weeks <= 0:
            labels.append(text("recovered.zero", lang, variant=name))
        else:
            labels.append(text("recovered", lang, variant=name, weeks=weeks_text(weeks, lang)))
    handles.append(line_handle(TARGET_LOOK, 3.0))
    labels.append(
        text("legend.target", lang)
        if story.sales
        else text("legend.setpoint", lang, value=story.setpoint_text(lang))
    )
    handles.append(Patch(facecolor=GREEN, alpha=0.12))
    if story.sales:
        labels.append(text("band.on_target", lang, value=percent(RECOVERY_BAND, lang)))
    else:
        labels.append(text("band.on_setpoint", lang, value=percent(RECOVERY_BAND, lang)))
    return handles, labels
