"""The fit report of ``thermosim calibrate``: four slides, in English or Dutch.

Owns the calibration's figures: ``calibration-fit`` (the team's weekly revenue against the
simulated band of the fitted team), ``calibration-noise`` (the spread of weekly revenue and its
autocorrelation, data against simulation), ``calibration-values`` (the fitted values with their
intervals) and ``where-are-we`` (the diagnosis: revenue against its expected level and natural
limits, every action marked as an answer to noise or to a signal). Titles state the finding:
how well the fit holds, how much of the reacting answered noise. Slide style, Okabe-Ito colours
with distinct markers and line styles (colour-blind safe), words from ``calibrate.texts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from thermosim.atomic import discard, staging_name, swap_in
from thermosim.calibrate.calibration import Calibration
from thermosim.calibrate.diagnose import ANSWER_WEEKS, LIMIT_SIGMA
from thermosim.calibrate.moments import autocorrelations
from thermosim.calibrate.summary import fitted_rows, rule_text
from thermosim.calibrate.texts import say
from thermosim.figures.labels import EuroFormatter, NumberFormatter, PercentFormatter, check_lang
from thermosim.figures.marks import week_axis
from thermosim.figures.render import save
from thermosim.figures.style import (
    BAND_ALPHA,
    BLUE,
    INK,
    MUTED,
    TARGET_LOOK,
    TEXT_PT,
    VERMILLION,
    blank_panel,
    check_size,
    finish,
    line_handle,
    new_figure,
    slide_style,
)
from thermosim.figures.text import text_width_pt, wrap
from thermosim.numbers import euros, number, percent

NAMES: tuple[str, ...] = (
    "calibration-fit",
    "calibration-noise",
    "calibration-values",
    "where-are-we",
)
GOOD_COVERAGE = 0.7  # of weeks inside the simulated 80% band: a fit that holds (80% expected)
LAGS = 8
SIM = BLUE
SIM_DASHES = (0, (5.0, 1.4, 1.2, 1.4))


def _footer(result: Calibration, lang: str) -> str:
    return say(
        "footer",
        lang,
        source=Path(result.data.source).name,
        weeks=result.data.weeks,
        reps=len(result.fit.revenue_runs),
        seed=result.fit.seed,
    )


def coverage(result: Calibration) -> tuple[int, int]:
    """Weeks inside the simulated 10-90% band, and weeks in all (the band figure's title)."""
    runs = result.fit.revenue_runs
    low, high = np.percentile(runs, [10, 90], axis=0)
    present = result.data.present
    revenue = result.data.revenue
    inside = present & (revenue >= low) & (revenue <= high)
    return int(inside.sum()), int(present.sum())


def draw_fit_band(result: Calibration, lang: str = "en", size: str = "full") -> Figure:
    """Observed weekly revenue against the simulated band of the fitted team."""
    check_lang(lang)
    check_size(size)
    inside, weeks = coverage(result)
    key = "band.title.good" if inside >= GOOD_COVERAGE * weeks else "band.title.poor"
    title = say(key, lang, inside=inside, weeks=weeks)
    runs = result.fit.revenue_runs
    low, mid, high = np.percentile(runs, [10, 50, 90], axis=0)
    x = np.arange(result.data.weeks, dtype=float)
    with slide_style():
        fig = new_figure(size)
        ax = fig.add_subplot()
        ax.fill_between(x, low, high, color=SIM, alpha=BAND_ALPHA, lw=0, zorder=1)
        ax.plot(x, mid, color=SIM, linestyle=SIM_DASHES, linewidth=3.0, zorder=2)
        ax.plot(x, result.targets, linewidth=2.6, zorder=2.5, **TARGET_LOOK.line())
        observed = np.where(result.data.present, result.data.revenue, np.nan)
        ax.plot(x, observed, color=INK, linewidth=2.5, marker="o", markersize=4.5, zorder=3)
        week_axis(ax, result.data.weeks, lang, size == "half")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(EuroFormatter(lang))
        ax.set_ylabel(say("axis.revenue", lang))
        ax.set_xlabel(say("axis.week", lang))
        handles: list[Artist | tuple[Artist, ...]] = [
            Line2D([], [], color=INK, linewidth=2.5, marker="o", markersize=6),
            (
                Patch(facecolor=SIM, alpha=BAND_ALPHA, lw=0),
                Line2D([], [], color=SIM, linestyle=SIM_DASHES, linewidth=3.0),
            ),
            line_handle(TARGET_LOOK, 2.6),
        ]
        labels = [say("band.observed", lang), say("band.simulated", lang), say("band.target", lang)]
        finish(fig, title, _footer(result, lang), handles, labels)
    return fig


def draw_fit_noise(result: Calibration, lang: str = "en", size: str = "full") -> Figure:
    """The spread of weekly revenue and its autocorrelation: data against the fitted team."""
    check_lang(lang)
    check_size(size)
    checks = result.fit.checks
    cv_obs, cv_sim = checks["revenue_cv"][0], checks["revenue_cv"][1]
    ac_obs, ac_sim = checks["revenue_ac1"][0], checks["revenue_ac1"][1]
    title = say(
        "shape.title",
        lang,
        cv_obs=percent(cv_obs, lang),
        cv_sim=percent(cv_sim, lang),
        ac_obs=number(ac_obs, lang, 2),
        ac_sim=number(ac_sim, lang, 2),
    )
    data = result.data
    observed = data.revenue[data.present]
    runs = result.fit.revenue_runs
    with slide_style():
        fig = new_figure(size)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1.0]})
        top = float(max(np.max(observed), np.percentile(runs, 99)))
        bins = np.linspace(0.0, top * 1.02, 13)
        shares = np.array(
            [np.histogram(r[data.present], bins)[0] / data.present.sum() for r in runs]
        )
        centres = (bins[:-1] + bins[1:]) / 2
        width = bins[1] - bins[0]
        obs_share = np.histogram(observed, bins)[0] / len(observed)
        left.bar(centres, obs_share, width=width * 0.9, color=INK, alpha=0.35, zorder=1)
        lo, mid, hi = np.percentile(shares, [10, 50, 90], axis=0)
        left.fill_between(centres, lo, hi, color=SIM, alpha=BAND_ALPHA, lw=0, zorder=2)
        left.plot(centres, mid, color=SIM, linestyle=SIM_DASHES, linewidth=3.0, zorder=3)
        _panel_title(left, say("shape.hist", lang))
        left.xaxis.set_major_formatter(EuroFormatter(lang))
        left.xaxis.set_major_locator(MaxNLocator(4))
        left.yaxis.set_major_formatter(PercentFormatter(lang))
        left.set_ylabel(say("axis.share", lang))
        left.set_xlabel(say("axis.revenue", lang))
        lags = np.arange(1, LAGS + 1)
        sims = np.array([autocorrelations(r, data.present, LAGS) for r in runs])
        lo, mid, hi = np.percentile(sims, [10, 50, 90], axis=0)
        right.axhline(0.0, color=MUTED, linewidth=1.0, zorder=0)
        right.fill_between(lags, lo, hi, color=SIM, alpha=BAND_ALPHA, lw=0, zorder=1)
        right.plot(lags, mid, color=SIM, linestyle=SIM_DASHES, linewidth=3.0, zorder=2)
        acf = autocorrelations(data.revenue, data.present, LAGS)
        right.plot(lags, acf, color=INK, linewidth=2.6, marker="o", markersize=7, zorder=3)
        _panel_title(right, say("shape.acf", lang))
        right.set_xlabel(say("axis.lag", lang))
        right.set_ylabel(say("axis.correlation", lang))
        right.xaxis.set_major_formatter(NumberFormatter(lang))
        right.yaxis.set_major_formatter(NumberFormatter(lang))
        right.set_xlim(0.5, LAGS + 0.5)
        right.set_ylim(-0.6, 0.6)
        handles = [
            (
                Patch(facecolor=INK, alpha=0.35, lw=0),
                Line2D([], [], color=INK, linewidth=2.6, marker="o", markersize=7),
            ),
            (
                Patch(facecolor=SIM, alpha=BAND_ALPHA, lw=0),
                Line2D([], [], color=SIM, linestyle=SIM_DASHES, linewidth=3.0),
            ),
        ]
        labels = [say("shape.observed", lang), say("shape.simulated", lang)]
        finish(fig, title, _footer(result, lang), handles, labels)
    return fig


def _panel_title(ax: Axes, words: str) -> None:
    """A panel's name above it, as an annotation (the slide has one title: the finding)."""
    ax.text(
        0.0,
        1.03,
        words,
        fontsize=TEXT_PT,
        fontweight="bold",
        color=INK,
        transform=ax.transAxes,
        va="bottom",
        ha="left",
    )


def draw_fit_values(result: Calibration, lang: str = "en", size: str = "full") -> Figure:
    """The fitted values with their 95% intervals, and what was given."""
    check_lang(lang)
    check_size(size)
    rows = fitted_rows(result, lang)
    key = "table.title.exact" if result.fit.exact else "table.title"
    title = say(key, lang, n=len(rows), weeks=result.data.weeks)
    with slide_style():
        fig, panel = blank_panel(title, _footer(result, lang), size, None)
        _table(fig, panel, rows, lang, result)
    return fig


def _table(fig: Figure, ax: Axes, rows: Sequence[object], lang: str, result: Calibration) -> None:
    from thermosim.calibrate.summary import Row

    body = [r for r in rows if isinstance(r, Row)]
    head = [say("table.what", lang), say("table.value", lang), say("table.interval", lang)]
    pt = 18.0
    width_in = ax.get_position().width * float(fig.get_size_inches()[0])
    height_in = ax.get_position().height * float(fig.get_size_inches()[1])
    columns = [
        max(text_width_pt(t, pt) for t in [head[0], *(r.label for r in body)]),
        max(text_width_pt(t, pt, bold=True) for t in [head[1], *(r.value for r in body)]),
        max(text_width_pt(t, pt) for t in [head[2], *(r.interval for r in body)]),
    ]
    gap = 28.0
    scale = min(1.0, (width_in * 72 - 2 * gap) / sum(columns))
    pt *= scale
    xs = [0.0]
    for w in columns[:-1]:
        xs.append(xs[-1] + (w * scale + gap) / (width_in * 72))
    line = min(pt * 1.9 / 72 / height_in, 1.0 / (len(body) + 2.5))
    y = 1.0
    for x, words in zip(xs, head, strict=True):
        ax.text(x, y, words, fontsize=pt, color=MUTED, va="top", transform=ax.transAxes)
    y -= line * 1.15
    ax.plot([0, 1], [y + line * 0.2] * 2, color=MUTED, linewidth=1.0, transform=ax.transAxes)
    for row in body:
        ax.text(xs[0], y, row.label, fontsize=pt, color=INK, va="top", transform=ax.transAxes)
        ax.text(
            xs[1],
            y,
            row.value,
            fontsize=pt,
            color=INK,
            va="top",
            fontweight="bold",
            transform=ax.transAxes,
        )
        ax.text(xs[2], y, row.interval, fontsize=pt, color=INK, va="top", transform=ax.transAxes)
        y -= line
    given = say("table.given", lang, team=result.team_size, target=euros(result.target, lang))
    ax.text(
        0.0, y - line * 0.3, given, fontsize=pt * 0.9, color=MUTED, va="top", transform=ax.transAxes
    )


def draw_where_are_we(result: Calibration, lang: str = "en", size: str = "full") -> Figure:
    """The diagnosis: revenue against its expected level and natural limits, actions marked."""
    check_lang(lang)
    check_size(size)
    d = result.diagnosis
    data = result.data
    if d.action_weeks:
        title = say("diag.title.noise", lang, noise=percent(d.noise_share, lang))
    else:
        title = say("diag.title.none", lang, below=d.below_target, weeks=d.weeks)
    x = np.arange(data.weeks, dtype=float)
    revenue = np.where(data.present, data.revenue, np.nan)
    lower = d.centre - LIMIT_SIGMA * d.noise_eur
    with slide_style():
        fig = new_figure(size)
        ax, side = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.0, 1.0]})
        upper = d.centre + LIMIT_SIGMA * d.noise_eur
        ax.fill_between(x, lower, upper, color=MUTED, alpha=0.12, lw=0, zorder=0)
        ax.plot(x, d.centre, color=MUTED, linewidth=2.5, zorder=1)
        ax.plot(x, result.targets, linewidth=2.6, zorder=2, **TARGET_LOOK.line())
        ax.plot(x, revenue, color=INK, linewidth=2.5, zorder=3)
        handles: list[Artist | tuple[Artist, ...]] = [
            Line2D([], [], color=INK, linewidth=2.5),
            (
                Patch(facecolor=MUTED, alpha=0.12, lw=0),
                Line2D([], [], color=MUTED, linewidth=2.5),
            ),
            line_handle(TARGET_LOOK, 2.6),
        ]
        labels = [
            say("diag.revenue", lang),
            say("diag.centre", lang),
            say("diag.target", lang),
        ]
        if d.action_weeks:
            answered = np.array(
                [d.signal[max(0, a - ANSWER_WEEKS) : a].any() for a in range(data.weeks)]
            )
            noise, signal = d.acted & ~answered, d.acted & answered
            # The actions sit in a row of their own above the weeks, where no data is drawn.
            y_mark = float(np.nanmax(np.maximum(revenue, upper))) * 1.08
            ax.scatter(
                x[noise],
                np.full(int(noise.sum()), y_mark),
                marker="x",
                s=90,
                linewidths=2.6,
                color=VERMILLION,
                zorder=4,
            )
            ax.scatter(
                x[signal],
                np.full(int(signal.sum()), y_mark),
                marker="^",
                s=110,
                color=BLUE,
                zorder=4,
            )
            if noise.any():
                handles.append(
                    Line2D(
                        [],
                        [],
                        linestyle="",
                        marker="x",
                        markersize=11,
                        markeredgewidth=2.6,
                        color=VERMILLION,
                    )
                )
                labels.append(say("diag.action.noise", lang))
            if signal.any():
                handles.append(Line2D([], [], linestyle="", marker="^", markersize=11, color=BLUE))
                labels.append(say("diag.action.signal", lang))
        week_axis(ax, data.weeks, lang, True)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(EuroFormatter(lang))
        ax.set_ylabel(say("axis.revenue", lang))
        ax.set_xlabel(say("axis.week", lang))
        side.set_axis_off()
        follow = percent(d.follow_share, lang) if d.followable else "–"
        drop = number(d.drop_sigma, lang, 1) if np.isfinite(d.drop_sigma) else "–"
        box = say(
            "diag.box",
            lang,
            below=d.below_target,
            weeks=d.weeks,
            follow=follow,
            drop=drop,
            rule=rule_text(result, lang),
        )
        finish(fig, title, _footer(result, lang), handles, labels)
        width_pt = side.get_position().width * float(fig.get_size_inches()[0]) * 72
        # One item per paragraph, each wrapped to the panel; a blank line between items.
        paragraphs = ["\n".join(wrap(line, width_pt * 0.95, TEXT_PT)) for line in box.split("\n")]
        side.text(
            0.04,
            1.0,
            "\n\n".join(paragraphs),
            fontsize=TEXT_PT,
            va="top",
            ha="left",
            color=INK,
            linespacing=1.2,
            transform=side.transAxes,
        )
    return fig


DRAW = {
    "calibration-fit": draw_fit_band,
    "calibration-noise": draw_fit_noise,
    "calibration-values": draw_fit_values,
    "where-are-we": draw_where_are_we,
}


def write_calibration_figures(
    result: Calibration, folder: Path, lang: str = "en", formats: Sequence[str] = ("png",)
) -> list[Path]:
    """Draw the four figures into ``folder`` (``<name>.<lang>.<format>``), replaced as a whole.

    The figures are drawn into a hidden sibling folder first and swapped in only when all are
    written, so a failure leaves the previous folder as it was (and no half report).
    """
    check_lang(lang)
    staging = staging_name(folder, "figures")
    staging.mkdir(parents=True)
    written = []
    try:
        if folder.is_dir():
            for old in folder.iterdir():  # keep the other language's figures
                if old.is_file() and f".{lang}." not in old.name:
                    (staging / old.name).write_bytes(old.read_bytes())
        for name, draw in DRAW.items():
            fig = draw(result, lang)
            for fmt in formats:
                path = staging / f"{name}.{lang}.{fmt}"
                save(fig, path, fmt)
                written.append(folder / path.name)
        swap_in(staging, folder)
    except BaseException:
        discard(staging)
        raise
    return written
