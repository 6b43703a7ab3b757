"""The scorecard: the headline KPIs side by side, big, with the differences in words.

Owns which KPIs a trainer compares per plant, how a difference between two variants is spelled
out, when it counts (``findings.ALIKE``), and the table drawn as text on a slide: one row per
KPI, one column per variant (the better value in bold), and for two variants a column that
spells the difference out ("16 pts higher"). Values are written by ``kpi_text.format_kpi``
through ``value_text``, the one path the figure, the deck's table and the console share; which
direction is better is the catalogue's (``metrics.KPIS``). ``score_finding`` is the title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from thermosim.figures import findings
from thermosim.figures.data import Story
from thermosim.figures.labels import check_lang, number, points, text
from thermosim.figures.style import (
    INK,
    MUTED,
    blank_panel,
    check_size,
    slide_style,
)
from thermosim.figures.text import text_width_pt, wrap
from thermosim.kpi_text import PERCENT_KINDS, format_kpi
from thermosim.metrics import is_censored, kpi_spec
from thermosim.saved import SavedResults

SALES_ROWS = (
    "attainment",
    "revenue_cv",
    "recovery_weeks",
    "fatigue_mean",
    "firefighting_hours",
    "operating_profit",
)
THERMOSTAT_ROWS = ("mean_abs_error_c", "swing_c", "overshoot_c", "recovery_weeks", "heater_mean")
# A results folder written before costs were modelled has gross profit only: show that instead.
FALLBACK = {"operating_profit": "gross_profit"}
LABEL_PT, VALUE_PT, HEAD_PT, DIFF_PT = 18.0, 22.0, 18.0, 17.0
PAD_IN = 0.22


@dataclass(frozen=True)
class Row:
    """One KPI across the variants."""

    kpi: str
    values: dict[str, float]
    censored: dict[str, bool]
    better: str | None  # the variant that does better by a margin that counts
    difference: str  # "b vs a" in words (two variants), else ""
    difference_by: str | None  # who the difference favours

    def value_text(self, variant: str, lang: str) -> str:
        """The variant's value as every output writes it (``88%``, ``> 78 wk``, ``€ 1,4 mln``)."""
        return format_kpi(self.kpi, self.values[variant], lang, censored=self.censored[variant])


def _alike(story: Story, kpi: str, a: float, b: float, ca: bool, cb: bool) -> bool:
    if kpi == "recovery_weeks":
        if ca or cb:
            return ca and cb
        return findings.recovery_alike([a, b])
    if kpi == "gross_profit":
        return abs(a - b) <= findings.ALIKE["gross_profit"] * max(abs(a), abs(b))
    if kpi == "operating_profit":
        # Scaled by the gross profit at stake (its own size when an old folder lacks it).
        gross = [abs(story.kpi(v, "gross_profit")) for v in story.variants]
        scale = max(gross) if all(np.isfinite(gross)) else max(abs(a), abs(b))
        return abs(a - b) <= findings.ALIKE["operating_profit"] * scale
    if kpi == "firefighting_hours":
        paid = np.mean([story.total(v, "hours_paid") / story.reps for v in story.variants])
        return abs(a - b) <= findings.ALIKE["firefighting_share"] * float(paid)
    return abs(a - b) <= findings.ALIKE.get(kpi, 0.0)


def _better(kpi: str, a: float, b: float, ca: bool, cb: bool) -> int:
    """+1 when b is better than a, -1 when worse, 0 when neither way counts."""
    if kpi_spec(kpi).censorable and ca != cb:
        return 1 if ca else -1
    higher = kpi_spec(kpi).higher_is_better
    if higher is None or a == b:
        return 0
    return 1 if (b > a) == higher else -1


def _difference(kpi: str, a: float, b: float, ca: bool, cb: bool, lang: str) -> str:
    delta = b - a
    kind = kpi_spec(kpi).kind
    if kind in PERCENT_KINDS:
        # The difference of the shown (rounded) values: 50% and 44% differ by 6 points, not 5.
        delta = (round(100 * b) - round(100 * a)) / 100
        return text(
            "score.higher" if delta > 0 else "score.lower", lang, amount=points(delta, lang)
        )
    if kind == "weeks":
        amount = number(abs(delta), lang)
        if ca != cb:
            amount = "≥ " + amount
        faster = cb < ca if ca != cb else delta < 0
        return text("score.faster" if faster else "score.slower", lang, amount=amount)
    amount = format_kpi(kpi, abs(delta), lang)
    return text("score.more" if delta > 0 else "score.less", lang, amount=amount)


def score_rows(story: Story, lang: str) -> list[Row]:
    """The scorecard's rows: values, who does better, and the difference in words."""
    wanted = SALES_ROWS if story.sales else THERMOSTAT_ROWS
    have = story.results.kpis.get(story.variants[0], {})
    kpis = [k if k in have else FALLBACK.get(k, k) for k in wanted]
    kpis = [k for k in kpis if k in have]
    pair = findings.steering_last(story, story.variants) if len(story.variants) == 2 else None
    rows = []
    for kpi in kpis:
        values = {v: story.kpi(v, kpi) for v in story.variants}
        censored = {v: is_censored(story.results.kpis.get(v, {}), kpi) for v in story.variants}
        better: str | None = None
        difference, by = "", None
        if pair is not None:
            a, b = pair
            alike = _alike(story, kpi, values[a], values[b], censored[a], censored[b])
            sign = 0 if alike else _better(kpi, values[a], values[b], censored[a], censored[b])
            better = b if sign > 0 else a if sign < 0 else None
            if alike:
                difference = text("score.same", lang)
            else:
                difference = _difference(kpi, values[a], values[b], censored[a], censored[b], lang)
                by = better
        else:
            better = _best_of_many(story, kpi, values, censored)
        rows.append(Row(kpi, values, censored, better, difference, by))
    return rows


def _best_of_many(
    story: Story, kpi: str, values: dict[str, float], censored: dict[str, bool]
) -> str | None:
    higher = kpi_spec(kpi).higher_is_better
    if higher is None:
        return None
    order = sorted(
        story.variants,
        key=lambda v: (censored[v], -values[v] if higher else values[v]),
    )
    best, second = order[0], order[1]
    if _alike(story, kpi, values[best], values[second], censored[best], censored[second]):
        return None
    return best


def draw_scorecard(
    results: SavedResults, lang: str = "en", size: str = "full", ax: Axes | None = None
) -> Figure:
    """The headline KPIs side by side, the better value in bold, differences spelled out."""
    check_lang(lang)
    check_size(size)
    story = Story.of(results)
    rows = score_rows(story, lang)
    title = score_finding(story, rows, lang)
    with slide_style():
        fig, table = blank_panel(title, story.footer(lang, bands=False), size, ax)
        _draw_table(table, story, rows, lang)
    return fig


def wins(story: Story, rows: Sequence[Row]) -> dict[str, int]:
    """How many rows each variant does better on (by a margin that counts)."""
    return {v: sum(1 for r in rows if r.better == v) for v in story.variants}


def score_finding(story: Story, rows: Sequence[Row], lang: str) -> str:
    """The scorecard's title: who does better on how many of the rows."""
    alike = sum(1 for r in rows if r.better is None)
    return findings.scorecard(story, lang, wins(story, rows), alike, len(rows))


def row_label(story: Story, kpi: str, lang: str) -> str:
    """A KPI's name; with several shocks, the recovery row names the one it is about."""
    shocks = story.shocks_recoverable()
    if kpi == "recovery_weeks" and len(shocks) > 1:
        return text("kpi.recovery_weeks.after", lang, shock=shocks[0].label(lang, size=False))
    return text(f"kpi.{kpi}", lang)


def difference_heading(story: Story, lang: str) -> str:
    """The heading of the difference column (two variants: "Steering vs reacting"), else ""."""
    if len(story.variants) != 2:
        return ""
    a, b = findings.steering_last(story, story.variants)
    return text("score.vs", lang, a=story.label(b, lang), b=story.label(a, lang, inline=True))


@dataclass
class _Type:
    """Font sizes of the table (shrunk together when a table does not fit)."""

    label: float = LABEL_PT
    value: float = VALUE_PT
    head: float = HEAD_PT
    diff: float = DIFF_PT


def _draw_table(ax: Axes, story: Story, rows: Sequence[Row], lang: str) -> None:
    """Lay the table out in the axes' own size in inches, then write it.

    Wide (a full slide): one line per KPI, label | values | difference. Stacked (half a
    slide, or whenever the wide table would not fit): the KPI's name on a line of its own,
    its values and difference on the line below.
    """
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    box = ax.get_window_extent()
    width_in, height_in = box.width / fig.dpi, box.height / fig.dpi
    names = list(story.variants)
    pair = findings.steering_last(story, names) if len(names) == 2 else None
    labels = [row_label(story, r.kpi, lang) for r in rows]
    values = [[r.value_text(v, lang) for v in names] for r in rows]
    heads = [story.label(v, lang) for v in names]
    diff_head = difference_heading(story, lang)
    left = 0.1  # the title's margin

    def widths(t: _Type) -> tuple[list[float], float, float]:
        value_w = []
        for j in range(len(names)):
            widest = max(text_width_pt(values[i][j], t.value, True) for i in range(len(rows)))
            # A long variant name wraps rather than widening its column past 1.5 in.
            head = min(text_width_pt(heads[j], t.head, True), max(widest, 1.5 * 72))
            longest_word = max(text_width_pt(w, t.head, True) for w in heads[j].split())
            value_w.append(max(widest, head, longest_word) / 72 + PAD_IN)
        label_w = max(text_width_pt(x, t.label) for x in labels) / 72 + PAD_IN
        diff_w = 0.0
        if pair is not None:
            # The heading may wrap; the differences should not.
            words = [text_width_pt(w, t.head, True) for w in diff_head.split()]
            diff_w = max([text_width_pt(r.difference, t.diff, True) for r in rows] + words) / 72
        return value_w, label_w, diff_w

    t = _Type()
    value_w, label_w, diff_w = widths(t)
    wide = left + label_w + sum(value_w) + diff_w <= width_in
    if not wide:
        t = _Type(label=16.0, value=20.0, head=17.0, diff=16.0)
        value_w, label_w, diff_w = widths(t)
        label_w = 0.0
    spare = width_in - left - label_w - sum(value_w) - diff_w
    # Spread what is left over the value columns (up to an inch each), so numbers breathe.
    grow = max(0.0, min(1.0, spare * 0.6 / len(names)))
    value_w = [w + grow for w in value_w]
    diff_w = max(diff_w, width_in - left - label_w - sum(value_w) - 0.05)
    diff_lines = [wrap(r.difference, diff_w * 72, t.diff, True) for r in rows]
    head_lines = [
        wrap(h, (w - PAD_IN) * 72, t.head, True) for h, w in zip(heads, value_w, strict=True)
    ]
    diff_head_lines = wrap(diff_head, diff_w * 72, t.head, True)
    line = 1.2 / 72
    head_h = max(len(h) for h in [*head_lines, diff_head_lines]) * t.head * line + 0.12
    label_h = 0.0 if wide else t.label * line + 0.04
    body_h = [
        max(
            t.value * 1.25 / 72, len(diff_lines[i]) * t.diff * line, t.label * line if wide else 0.0
        )
        for i in range(len(rows))
    ]
    natural = head_h + sum(label_h + h for h in body_h)
    # Fill the height, but never more than a generous gap per row.
    gap = max(0.04, min(0.35, (height_in - natural) / max(len(rows), 1)))
    xs = [left + label_w]
    for w in value_w:
        xs.append(xs[-1] + w)

    def put(x: float, y: float, words: str, **style: Any) -> None:
        ax.text(x / width_in, 1 - y / height_in, words, transform=ax.transAxes, **style)

    for j, v in enumerate(names):
        put(
            xs[j] + value_w[j] / 2,
            head_h - 0.08,
            "\n".join(head_lines[j]),
            ha="center",
            va="bottom",
            fontsize=t.head,
            fontweight="bold",
            color=story.looks[v].color,
            linespacing=1.1,
        )
    if pair is not None:
        put(
            xs[-1] + 0.05,
            head_h - 0.08,
            "\n".join(diff_head_lines),
            ha="left",
            va="bottom",
            fontsize=t.head,
            fontweight="bold",
            color=INK,
            linespacing=1.1,
        )
    y = head_h
    _rule(ax, 1 - y / height_in, "#999999")
    for i, r in enumerate(rows):
        y += gap / 2
        if not wide:
            put(left, y, labels[i], ha="left", va="top", fontsize=t.label, color=INK)
            y += label_h
        middle = y + body_h[i] / 2
        if wide:
            put(left, middle, labels[i], ha="left", va="center", fontsize=t.label, color=INK)
        for j, v in enumerate(names):
            strong = r.better == v
            put(
                xs[j] + value_w[j] / 2,
                middle,
                values[i][j],
                ha="center",
                va="center",
                fontsize=t.value,
                fontweight="bold" if strong else "normal",
                color=INK if strong or r.better is None else MUTED,
            )
        if pair is not None:
            color = story.looks[r.difference_by].color if r.difference_by else MUTED
            put(
                xs[-1] + 0.05,
                middle,
                "\n".join(diff_lines[i]),
                ha="left",
                va="center",
                fontsize=t.diff,
                color=color,
                fontweight="bold" if r.difference_by else "normal",
                linespacing=1.1,
            )
        y += body_h[i] + gap / 2
        if i < len(rows) - 1:
            _rule(ax, 1 - y / height_in, "#DDDDDD")


def _rule(ax: Axes, y: float, color: str) -> None:
    ax.plot([0.0, 1.0], [y, y], transform=ax.transAxes, color=color, linewidth=1.2)
