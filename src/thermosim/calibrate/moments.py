"""The moments a fit matches: summaries of weekly series, the same for data and simulation.

Owns what is measured on a team's weeks (pure numpy): the level of leads, wins and revenue, the
value of a won deal (the slope of revenue on deals won), what is left when wins are taken out
(repeat business and its spread), the season and the trend, and the check moments the fit does
not aim at (week-to-week spread and lag-1 autocorrelation), which say how well it fits. Every
moment is computed on the weeks present only, so a file with gaps is compared like for like.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PERIOD_WEEKS = 52.0  # one season cycle: a year of weeks
# Moments the fit does not aim at: they check it.
CHECKS: tuple[str, ...] = ("revenue_cv", "revenue_ac1")


@dataclass(frozen=True)
class Weeks:
    """The weekly series a moment reads (NaN or absent where a file has no such figure)."""

    revenue: np.ndarray
    present: np.ndarray
    won: np.ndarray | None = None
    leads: np.ndarray | None = None


def _ols(y: np.ndarray, columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares coefficients of ``y`` on ``columns`` (a constant first) and the residuals."""
    x = np.column_stack([np.ones_like(y), *columns])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    return coef, y - x @ coef


def season_trend(y: np.ndarray, weeks: np.ndarray, span: int, season: bool) -> np.ndarray:
    """Trend and season of ``y`` relative to its mean: ``[trend, sin, cos]`` (or ``[trend]``).

    ``trend`` is the change over the whole span as a fraction of the mean; ``sin`` and ``cos``
    are the coefficients of ``sin(2 pi t / 52)`` and ``cos(2 pi t / 52)``, relative to the
    mean, from one regression with the trend (so a season is not read as a trend).
    """
    columns = [weeks / span - 0.5]
    if season:
        angle = 2.0 * np.pi * weeks / PERIOD_WEEKS
        columns += [np.sin(angle), np.cos(angle)]
    coef, _ = _ols(y, columns)
    mean = float(np.mean(y))
    return np.asarray(coef[1:]) / mean if mean > 0 else np.zeros(len(columns))


def measure(data: Weeks, names: Sequence[str], span: int) -> np.ndarray:
    """The moments ``names`` of ``data`` (weeks present only), in that order.

    Parameters
    ----------
    data
        Weekly series.
    names
        Any of `MOMENTS` and `CHECKS`.
    span
        Weeks spanned (gaps included), for the trend's scale.
    """
    keep = data.present
    weeks = np.flatnonzero(keep).astype(float)
    revenue = data.revenue[keep]
    won = data.won[keep] if data.won is not None else None
    leads = data.leads[keep] if data.leads is not None else None
    mean_revenue = float(np.mean(revenue))
    found: dict[str, float] = {"revenue_mean": mean_revenue}
    if won is not None:
        found["won_mean"] = float(np.mean(won))
        if float(np.var(won)) > 0:
            coef, residual = _ols(revenue, [won])
            found["deal_slope"] = float(coef[1])
            found["resid_cv"] = float(np.std(residual)) / mean_revenue if mean_revenue else 0.0
        else:
            found["deal_slope"] = 0.0
            found["resid_cv"] = 0.0
    if leads is not None:
        found["leads_mean"] = float(np.mean(leads))
        if won is not None:
            found["conversion"] = float(np.sum(won) / np.sum(leads)) if np.sum(leads) else 0.0
    base = leads if leads is not None else revenue
    wanted = set(names)
    if wanted & {"trend", "season_sin", "season_cos"}:
        season = bool(wanted & {"season_sin", "season_cos"})
        shape = season_trend(base, weeks, span, season)
        found["trend"] = float(shape[0])
        if season:
            found["season_sin"], found["season_cos"] = float(shape[1]), float(shape[2])
    if "revenue_cv" in wanted:
        found["revenue_cv"] = float(np.std(revenue)) / mean_revenue if mean_revenue else 0.0
    if "revenue_ac1" in wanted:
        found["revenue_ac1"] = lag1_autocorrelation(data.revenue, data.present)
    return np.array([found[name] for name in names])


def lag1_autocorrelation(values: np.ndarray, present: np.ndarray) -> float:
    """Correlation of each week with the next, over pairs of weeks both present."""
    pairs = present[:-1] & present[1:]
    if pairs.sum() < 3:
        return 0.0
    a, b = values[:-1][pairs], values[1:][pairs]
    mean = float(np.mean(values[present]))
    var = float(np.mean((values[present] - mean) ** 2))
    return float(np.mean((a - mean) * (b - mean)) / var) if var > 0 else 0.0


def autocorrelations(values: np.ndarray, present: np.ndarray, lags: int) -> np.ndarray:
    """Autocorrelation at lags 1..``lags`` (pairs of weeks both present), for the report."""
    mean = float(np.mean(values[present]))
    var = float(np.mean((values[present] - mean) ** 2))
    out = np.zeros(lags)
    for k in range(1, lags + 1):
        pairs = present[:-k] & present[k:]
        if pairs.sum() >= 3 and var > 0:
            out[k - 1] = np.mean((values[:-k][pairs] - mean) * (values[k:][pairs] - mean)) / var
    return out


MOMENTS: tuple[str, ...] = (
    "leads_mean",
    "conversion",
    "won_mean",
    "deal_slope",
    "revenue_mean",
    "resid_cv",
    "trend",
    "season_sin",
    "season_cos",
)
