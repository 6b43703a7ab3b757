"""A calibration in rows and sentences: fitted values with intervals, the rule, the defaults kept.

Owns how each fitted parameter is shown to a person (a label, the value in its unit, the 95%
interval; the season as amplitude and peak week, the spread of repeat business in euros a week),
the reaction rule in words, and the list of what stayed a model default. The scenario file, the
console report and the table figure all read these rows, so they cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from thermosim.calibrate.calibration import Calibration
from thermosim.calibrate.fit import Z95
from thermosim.calibrate.params import SEASON_PERIOD_WEEKS, repeat_eur_per_week, season
from thermosim.calibrate.texts import say
from thermosim.numbers import euros, number, percent


@dataclass(frozen=True)
class Row:
    """One fitted value as shown: ``name`` (params.py), label, value and interval as text."""

    name: str
    label: str
    value: str
    interval: str
    comment: str  # for the scenario file (English): "fitted: ... (95%: low-high)"


def _index(result: Calibration, name: str) -> int:
    return [p.name for p in result.fit.params].index(name)


def _season_interval(result: Calibration) -> tuple[float, float, float, float]:
    """Amplitude with its interval (delta method on the sine and cosine), and the peak week."""
    values = result.fit.values
    amplitude, phase = season(values)
    i, j = _index(result, "season_sin"), _index(result, "season_cos")
    cov = result.fit.covariance[np.ix_([i, j], [i, j])]
    s, c = values["season_sin"], values["season_cos"]
    grad = np.array([s, c]) / amplitude if amplitude > 0 else np.array([1.0, 0.0])
    sd = math.sqrt(max(float(grad @ cov @ grad), 0.0))
    # The wave 1 + a sin(2 pi (t + phase) / 52) peaks where its argument is a quarter turn.
    peak = (SEASON_PERIOD_WEEKS / 4 - phase) % SEASON_PERIOD_WEEKS
    return amplitude, max(0.0, amplitude - Z95 * sd), amplitude + Z95 * sd, peak


def fitted_rows(result: Calibration, lang: str) -> list[Row]:
    """Every fitted value, in the order of the table (season as one row)."""
    fit = result.fit
    rows: list[Row] = []
    names = [p.name for p in fit.params]
    dash = "–"

    def add(name: str, show: str, low: str, high: str, unit: str = "") -> None:
        label = say(f"param.{name}", lang)
        interval = f"{low}{dash}{high}"
        comment = f"fitted: {show}{unit} (95%: {low}-{high})"
        rows.append(Row(name, label, show, interval, comment))

    for name in names:
        v, lo, hi = fit.values[name], fit.low[name], fit.high[name]
        if name == "lead_rate":
            add(name, number(v, lang, 1), number(lo, lang, 1), number(hi, lang, 1), " leads/week")
        elif name == "win_probability":
            add(name, percent(v, lang, 1), percent(lo, lang, 1), percent(hi, lang, 1))
        elif name == "deal_mean":
            add(name, euros(v, lang), euros(lo, lang), euros(hi, lang), " mean")
        elif name == "deal_sigma":
            add(name, number(v, lang, 2), number(lo, lang, 2), number(hi, lang, 2))
        elif name == "repeat_scale":
            add(
                name,
                euros(repeat_eur_per_week(v), lang),
                euros(repeat_eur_per_week(lo), lang),
                euros(repeat_eur_per_week(hi), lang),
                " a week",
            )
        elif name == "trend":
            span = result.data.weeks
            label = say("trend.value", lang, value=_signed(v, lang), weeks=span)
            rows.append(
                Row(
                    name,
                    say("param.trend", lang),
                    label,
                    f"{_signed(lo, lang)}{dash}{_signed(hi, lang)}",
                    f"fitted trend: leads {_signed(v, 'en')} over {span} weeks "
                    f"(95%: {_signed(lo, 'en')} to {_signed(hi, 'en')})",
                )
            )
    if "season_sin" in names:
        amplitude, low, high, peak = _season_interval(result)
        shown = say("season.value", lang, amplitude=percent(amplitude, lang), peak=round(peak))
        rows.append(
            Row(
                "season",
                say("param.season", lang),
                shown,
                f"±{percent(low, lang)}{dash}{percent(high, lang)}",
                f"fitted season: leads +-{percent(amplitude, 'en')} (95%: {percent(low, 'en')}"
                f"-{percent(high, 'en')}), highest in week {round(peak)} of each year",
            )
        )
    return rows


def _signed(fraction: float, lang: str) -> str:
    sign = "+" if fraction >= 0 else "\u2212"
    return sign + percent(abs(fraction), lang)


def rule_text(result: Calibration, lang: str) -> str:
    """The reaction rule in a few words (``no actions column`` without one)."""
    rule = result.diagnosis.rule
    if rule is None:
        return say("rule.none", lang)
    if rule.mode == "episodic":
        return say(
            "rule.episodic",
            lang,
            window=rule.window_weeks,
            delay=rule.delay_weeks,
            trigger=percent(
                1 - rule.trigger, lang, 0 if round(1000 * rule.trigger) % 10 == 0 else 1
            ),
        )
    memory = (
        say("rule.no_memory", lang)
        if rule.integral_time_weeks is None
        else f"{number(rule.integral_time_weeks, lang)} wk"
    )
    return say(
        "rule.continuous",
        lang,
        window=rule.window_weeks,
        delay=rule.delay_weeks,
        gain=number(rule.gain, lang, 1),
        integral=memory,
    )


def kept_defaults(result: Calibration) -> list[str]:
    """What stayed at the model's defaults, and why, in English (for the scenario file)."""
    names = {p.name for p in result.fit.params}
    kept = [
        "the pipeline's working: qualification chance and hours, hours per deal, sales cycle, "
        "neglect (deals.*), referrals (market.referral_strength)",
        "the customer base's size, order rates, churn and satisfaction (accounts.*, except the "
        "order values)",
        "people: fatigue, motivation, skill, attrition, hiring and ramp-up (people.*, except "
        "team_size)",
        "the week's time shares (time.*), costs (costs.*) and the price list of the levers "
        "(levers.*)",
    ]
    if "win_probability" not in names:
        kept.append(
            "the win rate (deals.win_probability): without a new-leads column the data "
            "cannot tell more leads from more wins"
        )
    if "deal_mean" not in names:
        kept.append(
            "deal size, its spread and repeat business: without a deals-won column the "
            "data cannot tell them apart"
        )
    if "trend" not in names:
        kept.append("no trend: fewer than 26 weeks")
    if "season_sin" not in names:
        kept.append(
            f"no season: {result.data.weeks} weeks, and a season needs 78 (one and a "
            "half years) to be told from a trend"
        )
    return kept
