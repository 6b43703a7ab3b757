"""KPIs from recorded weekly series (pure numpy).

Owns the numbers a replication is judged by (attainment, volatility, tracking gap, recovery
after shocks, human cost, margin; error, overshoot and swing for the thermostat), the KPI
catalogue ``KPIS`` (each KPI's kind, unit, direction, censoring and plants: what every output
needs to write and compare it), the censored-recovery rule and the summary of replications into
mean and percentiles. Input is one replication's weekly series: name ->
float array, index = week 0..n-1. Pure: no SimPy, no plotting, no config.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Series each plant must record; extra series (e.g. headcount) are allowed and ignored.
REQUIRED_SERIES: dict[str, tuple[str, ...]] = {
    "sales": (
        "revenue",
        "target",
        "margin",
        "satisfaction",
        "hours_paid",
        "hours_selling",
        "hours_firefighting",
        "hours_levers",
        "fatigue",
        "motivation",
        "skill",
        "leavers",
        "interventions",
        "cost_salaries",
        "cost_overtime",
        "cost_fees",
        "cost_recruiting",
    ),
    "thermostat": ("temperature", "target", "heater", "outside"),
}
# The series recovery and the tracking gap are measured on, per plant.
PRIMARY_SERIES: dict[str, str] = {"sales": "revenue", "thermostat": "temperature"}
# Where the primary series comes to rest without any control (None: zero). The gap and the
# recovery band are shares of the target's distance from it: of the target for revenue (no
# selling, no revenue), of the set point's lift above the outside temperature for a room (no
# heating, and it settles at the outside). A share of a set point in degC would change with
# where the scale puts its zero.
RESTING_SERIES: dict[str, str | None] = {"sales": None, "thermostat": "outside"}
# Back on target: within this share of that distance for 4 weeks running.
RECOVERY_BAND = 0.05

Kind = Literal[
    "share", "index", "ratio", "money", "money_per_week", "weeks", "hours", "count", "degrees"
]
SALES, THERMOSTAT, BOTH = (
    frozenset({"sales"}),
    frozenset({"thermostat"}),
    frozenset(REQUIRED_SERIES),
)


@dataclass(frozen=True)
class KpiSpec:
    """What every output needs to know about one KPI (``thermosim.kpi_text`` writes it).

    Attributes
    ----------
    name
        The key ``run_kpis`` returns (recovery after shock i >= 2 adds ``_i``).
    kind
        How it is written, in both languages: ``share``, ``index`` and ``ratio`` as percent
        (a fraction of a whole, a 0-1 state, a spread relative to a mean; differences in
        points), ``money`` in euros, ``money_per_week`` in euros per week, ``weeks``, ``hours``,
        ``count`` (whole things; means of few get a decimal) and ``degrees`` (°C).
    unit
        The unit of the stored value, for people reading ``kpis.csv``.
    higher_is_better
        True or False; None where neither direction is better (an input, not an outcome).
    censorable
        The value can be a lower bound: ``recovery_censored`` (same suffix) says so.
    plants
        The plants whose ``run_kpis`` returns it.
    """

    name: str
    kind: Kind
    unit: str
    higher_is_better: bool | None
    censorable: bool = False
    plants: frozenset[str] = SALES


def _catalogue(*specs: KpiSpec) -> dict[str, KpiSpec]:
    return {s.name: s for s in specs}


KPIS: Mapping[str, KpiSpec] = _catalogue(
    KpiSpec("attainment", "share", "share of target", True),
    KpiSpec("revenue_cv", "ratio", "sd / mean of weekly revenue", False),
    KpiSpec("revenue_sd", "money_per_week", "EUR/week", False),
    KpiSpec("gap_iae", "ratio", "mean |gap| / target", False, plants=BOTH),
    KpiSpec("recovery_weeks", "weeks", "weeks", False, censorable=True, plants=BOTH),
    KpiSpec("fatigue_mean", "index", "0-1", False),
    KpiSpec("fatigue_peak", "index", "0-1", False),
    KpiSpec("motivation_end", "index", "0-1", True),
    KpiSpec("skill_end", "index", "0-1", True),
    KpiSpec("satisfaction_end", "index", "0-1", True),
    KpiSpec("selling_share", "share", "share of paid hours", True),
    KpiSpec("firefighting_hours", "hours", "hours", False),
    KpiSpec("lever_hours", "hours", "hours", None),
    KpiSpec("interventions", "count", "actions", None),
    KpiSpec("attrition", "count", "people", False),
    KpiSpec("margin_mean", "share", "share of revenue", True),
    KpiSpec("gross_profit", "money", "EUR", True),
    KpiSpec("operating_profit", "money", "EUR", True),
    KpiSpec("costs_total", "money", "EUR", False),
    KpiSpec("revenue_total", "money", "EUR", True),
    KpiSpec("mean_abs_error_c", "degrees", "degC", False, plants=THERMOSTAT),
    KpiSpec("overshoot_c", "degrees", "degC", False, plants=THERMOSTAT),
    KpiSpec("swing_c", "degrees", "degC", False, plants=THERMOSTAT),
    KpiSpec("heater_mean", "index", "0-1 of full power", None, plants=THERMOSTAT),
)


def _base_and_suffix(name: str) -> tuple[str, str]:
    """``recovery_weeks_2`` -> (``recovery_weeks``, ``_2``); other names have no suffix."""
    base, _, tail = name.rpartition("_")
    if base in KPIS and KPIS[base].censorable and tail.isdigit():
        return base, f"_{tail}"
    return name, ""


def kpi_spec(name: str) -> KpiSpec:
    """The catalogue entry of ``name`` (recovery after a later shock shares the first's).

    Raises
    ------
    KeyError
        When the KPI is not in the catalogue (a programming error: add its entry to ``KPIS``).
    """
    return KPIS[_base_and_suffix(name)[0]]


def censored_key(name: str) -> str | None:
    """The flag saying whether ``name`` is a lower bound (``recovery_censored_2``), or None."""
    base, suffix = _base_and_suffix(name)
    spec = KPIS.get(base)
    if spec is None or not spec.censorable:
        return None
    return base.replace("_weeks", "_censored") + suffix


def is_censored(summary: Mapping[str, Mapping[str, float]], name: str) -> bool:
    """Whether KPI ``name`` of one variant's summary is censored (its flag's mean above 0.5).

    ``summary`` is one variant's entry of ``kpis.json``: KPI -> {"mean", "p10", ...}. A
    recovery counts as censored when most of it is: the median team did not recover in time.
    """
    key = censored_key(name)
    if key is None:
        return False
    return float(summary.get(key, {}).get("mean", 0.0)) > 0.5


# A month: smooths weekly lumpiness in deal closing without hiding a trend. Public: the figures
# show the same trailing means the KPIs judge.
ROLL_WEEKS = 4
_END_WEEKS = 4  # end-of-run states average a month so one week's wobble does not decide them


def _as_series(x: npt.ArrayLike, name: str) -> FloatArray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1:
        raise ValueError(f"series '{name}' must be one-dimensional, got shape {a.shape}")
    return a


def _ratio(num: float, den: float) -> float:
    # A zero denominator means there was nothing to relate to (no target, no hours paid, no
    # revenue); 0.0 keeps tables and summaries finite instead of spreading nan or inf.
    return float(num / den) if den != 0 else 0.0


def rolling_mean(x: npt.ArrayLike, window: int) -> FloatArray:
    """Trailing mean over ``window`` weeks, same length as ``x``.

    Parameters
    ----------
    x
        One-dimensional weekly series.
    window
        Number of weeks averaged, at least 1.

    Returns
    -------
    numpy.ndarray
        Entry ``i`` is the mean of ``x[max(0, i - window + 1) : i + 1]``: the first entries
        average what is available (``min_periods=1``).
    """
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    a = _as_series(x, "x")
    csum = np.cumsum(a)
    sums = csum.copy()
    sums[window:] = csum[window:] - csum[:-window]
    counts = np.minimum(np.arange(1, a.size + 1), window)
    return sums / counts


def recovery_weeks(
    primary: npt.ArrayLike,
    target: npt.ArrayLike,
    shock_week: float,
    *,
    window: int = ROLL_WEEKS,
    band: float = RECOVERY_BAND,
    hold: int = 4,
    one_sided: bool = False,
    resting: npt.ArrayLike | None = None,
) -> tuple[float, bool]:
    """Weeks from a shock until ``primary`` is back on ``target`` for good.

    Back on target means the ``window``-week trailing mean of ``primary`` lies within ``band``
    of the target's distance from ``resting`` (both trailing means; without ``resting``, of
    the target itself) for ``hold`` consecutive weeks; the recovery time runs to the first week
    of that holding run. A series that is within the band at the shock week and holds scores 0.

    Parameters
    ----------
    primary, target
        Weekly series of equal length (revenue and target, or temperature and set point).
    shock_week
        Week the shock starts (may be fractional; the week containing it is searched first).
    window
        Weeks of the trailing mean applied to both series.
    band
        Allowed relative deviation, ``|roll(primary) - roll(target)| <= band * |roll(target)|``.
    hold
        Consecutive in-band weeks required; a run cut short by the horizon does not count.
    one_sided
        Only a shortfall counts as off target (revenue above target is on target).
    resting
        Where ``primary`` comes to rest without control (``RESTING_SERIES``: the thermostat's
        outside temperature), a series of the same length; None: zero.

    Returns
    -------
    tuple of (float, bool)
        Weeks to recovery and whether the value is censored. Without recovery before the
        horizon: ``(n_weeks - shock_week, True)`` (0 for a shock at or after the horizon).
    """
    p = _as_series(primary, "primary")
    t = _as_series(target, "target")
    if p.size != t.size:
        raise ValueError(f"primary and target differ in length: {p.size} vs {t.size}")
    r = None if resting is None else _as_series(resting, "resting")
    if r is not None and r.size != t.size:
        raise ValueError(f"resting and target differ in length: {r.size} vs {t.size}")
    if not math.isfinite(shock_week) or shock_week < 0:
        raise ValueError(f"shock_week must be a finite number >= 0, got {shock_week}")
    if band < 0:
        raise ValueError(f"band must be >= 0, got {band}")
    if hold < 1:
        raise ValueError(f"hold must be at least 1, got {hold}")
    n = p.size
    censored = (max(0.0, float(n - shock_week)), True)
    start = math.floor(shock_week)
    if n - start < hold:
        return censored
    rp, rt = rolling_mean(p, window), rolling_mean(t, window)
    scale = np.abs(rt if r is None else rt - rolling_mean(r, window))
    # Compared without dividing, so a zero scale only counts as met by exactly zero.
    gap = (rt - rp) if one_sided else np.abs(rp - rt)
    in_band = gap <= band * scale
    # holds[k] is True when weeks k..k+hold-1 are all in band (a sliding count via cumsum).
    cum = np.concatenate(([0], np.cumsum(in_band)))
    holds = (cum[hold:] - cum[:-hold]) == hold
    hits = np.flatnonzero(holds[start:])
    if hits.size == 0:
        return censored
    # max(0, .): a fractional shock week can lie after the start of the week that holds.
    return max(0.0, float(start + hits[0] - shock_week)), False


def _gap_iae(primary: FloatArray, target: FloatArray, resting: FloatArray | None = None) -> float:
    rp, rt = rolling_mean(primary, ROLL_WEEKS), rolling_mean(target, ROLL_WEEKS)
    # The gap is a share of the target's distance from where the series rests uncontrolled.
    scale = np.abs(rt if resting is None else rt - rolling_mean(resting, ROLL_WEEKS))
    # Skip the weeks whose trailing window is not yet full, but keep at least the last week so
    # very short measured ranges still get a (partial-window) value.
    skip = min(ROLL_WEEKS - 1, primary.size - 1)
    rp, rt, scale = rp[skip:], rt[skip:], scale[skip:]
    # Weeks with a zero scale (a zero target; a set point equal to the outside temperature)
    # have no relative gap; they are left out rather than counted as perfect or infinite.
    defined = scale != 0
    with np.errstate(over="ignore"):
        # A scale within a hair of zero (a denormal) is no usable scale either: its ratio
        # overflows to infinity and is left out like a zero one.
        ratio = np.abs(rp[defined] - rt[defined]) / scale[defined]
    ratio = ratio[np.isfinite(ratio)]
    return float(np.mean(ratio)) if ratio.size else 0.0


def _end_mean(x: FloatArray) -> float:
    return float(np.mean(x[-_END_WEEKS:]))


def _sales_kpis(s: Mapping[str, FloatArray]) -> dict[str, float]:
    revenue, target, margin = s["revenue"], s["target"], s["margin"]
    revenue_sum = float(revenue.sum())
    profit = float((revenue * margin).sum())
    revenue_mean = float(revenue.mean())
    costs = float(
        sum(s[k].sum() for k in ("cost_salaries", "cost_overtime", "cost_fees", "cost_recruiting"))
    )
    return {
        "attainment": _ratio(revenue_sum, float(target.sum())),
        # Revenue is never negative, so a zero mean means all weeks were zero: no variability.
        "revenue_cv": _ratio(float(revenue.std(ddof=0)), revenue_mean),
        "gap_iae": _gap_iae(revenue, target),
        "fatigue_mean": float(s["fatigue"].mean()),
        "fatigue_peak": float(s["fatigue"].max()),
        "motivation_end": _end_mean(s["motivation"]),
        "skill_end": _end_mean(s["skill"]),
        "satisfaction_end": _end_mean(s["satisfaction"]),
        "selling_share": _ratio(float(s["hours_selling"].sum()), float(s["hours_paid"].sum())),
        "firefighting_hours": float(s["hours_firefighting"].sum()),
        # Every hour any lever took, lasting levers included (firefighting is only part of it).
        "lever_hours": float(s["hours_levers"].sum()),
        "interventions": float(s["interventions"].sum()),
        "attrition": float(s["leavers"].sum()),
        # Weighted by revenue: a discounted big week should weigh more than a quiet good week.
        "margin_mean": _ratio(profit, revenue_sum),
        "gross_profit": profit,
        # What the team earns after what it costs: salaries (hires from their first day),
        # recruiting, overtime pay, trainers' and coaches' fees; discounts are in the margin.
        "operating_profit": profit - costs,
        "costs_total": costs,
        "revenue_total": revenue_sum,
        # The spread itself, not relative to a mean that a variant may lower (Deming's funnel).
        "revenue_sd": float(revenue.std(ddof=0)),
    }


def _thermostat_kpis(s: Mapping[str, FloatArray]) -> dict[str, float]:
    temperature, target = s["temperature"], s["target"]
    error = temperature - target
    # Overshoot counts from the week the set point is first reached; every week before that
    # has a negative error, so this equals the overall largest excess, floored at 0 (never
    # above the set point = no overshoot; the climb from a cold start is rise time).
    overshoot = max(0.0, float(error.max()))
    return {
        "gap_iae": _gap_iae(temperature, target, s["outside"]),
        "mean_abs_error_c": float(np.mean(np.abs(error))),
        "overshoot_c": overshoot,
        # The last half shows the settled behaviour: a steady limit cycle vs a damped approach.
        "swing_c": float(np.ptp(temperature[temperature.size // 2 :])),
        "heater_mean": float(s["heater"].mean()),
    }


# Each plant's aggregate KPIs from its measured series (recovery is added by ``run_kpis``).
PLANT_KPIS: dict[str, Callable[[Mapping[str, FloatArray]], dict[str, float]]] = {
    "sales": _sales_kpis,
    "thermostat": _thermostat_kpis,
}


def run_kpis(
    series: Mapping[str, npt.ArrayLike],
    *,
    plant: str,
    shock_weeks: Sequence[float] = (),
    measure_from_week: int = 0,
) -> dict[str, float]:
    """KPIs of one replication.

    Parameters
    ----------
    series
        Weekly series by name, all of equal length (see ``REQUIRED_SERIES`` for each plant).
    plant
        ``"sales"`` or ``"thermostat"``.
    shock_weeks
        Absolute weeks at which shocks start, in scenario order. The first gives
        ``recovery_weeks`` and ``recovery_censored``; shock i (i >= 2) gives
        ``recovery_weeks_i`` and ``recovery_censored_i``. No shocks, no recovery keys.
    measure_from_week
        First week counted in the aggregate KPIs (drops a warm-up). Recovery is measured on
        the whole series, because shock weeks are absolute.

    Returns
    -------
    dict of str to float
        KPI name to value; censoring flags are 0.0 or 1.0.
    """
    if plant not in REQUIRED_SERIES:
        raise ValueError(f"unknown plant '{plant}'; known: {', '.join(REQUIRED_SERIES)}")
    missing = [k for k in REQUIRED_SERIES[plant] if k not in series]
    if missing:
        raise ValueError(f"{plant} series missing: {', '.join(missing)}")
    full = {k: _as_series(series[k], k) for k in REQUIRED_SERIES[plant]}
    lengths = {a.size for a in full.values()}
    if len(lengths) != 1:
        raise ValueError(f"{plant} series differ in length: {sorted(lengths)}")
    n = lengths.pop()
    if not 0 <= measure_from_week < n:
        raise ValueError(f"measure_from_week must be in [0, {n}), got {measure_from_week}")

    measured = {k: a[measure_from_week:] for k, a in full.items()}
    kpis = PLANT_KPIS[plant](measured)

    primary = full[PRIMARY_SERIES[plant]]
    resting_name = RESTING_SERIES[plant]
    resting = None if resting_name is None else full[resting_name]
    for i, week in enumerate(shock_weeks, start=1):
        weeks, censored = recovery_weeks(primary, full["target"], week, resting=resting)
        suffix = "" if i == 1 else f"_{i}"
        kpis[f"recovery_weeks{suffix}"] = weeks
        kpis[f"recovery_censored{suffix}"] = 1.0 if censored else 0.0
    return kpis


def ensemble_recovery(
    primary: npt.ArrayLike,
    target: npt.ArrayLike,
    shock_week: float,
    *,
    one_sided: bool,
    resamples: int = 200,
    seed: int = 0,
    resting: npt.ArrayLike | None = None,
) -> dict[str, dict[str, float]]:
    """Recovery after a shock, measured on the median response over replications.

    Weekly results are too noisy for a per-replication recovery time (a single team's 4-week
    revenue wanders in and out of a 5% band by luck alone), so recovery is a property of the
    typical response: week by week, the median over replications of the 4-week mean (what the
    figures draw). Its spread comes from a bootstrap over replications.

    Parameters
    ----------
    primary, target
        Arrays of shape (replications, weeks).
    shock_week
        Week the shock starts.
    one_sided
        Only a shortfall counts as off target (sales); the thermostat counts both sides.
    resamples
        Bootstrap resamples for the percentiles.
    seed
        Seed of the bootstrap (results are reproducible).
    resting
        Where the primary series rests uncontrolled, same shape (``recovery_weeks``); None:
        zero.

    Returns
    -------
    dict
        ``{"recovery_weeks": {...}, "recovery_censored": {...}}`` with mean (the full-sample
        value), p10, p50, p90 (bootstrap); censored is 1.0 when the median never recovers.
    """
    p = np.atleast_2d(np.asarray(primary, dtype=np.float64))
    t = np.atleast_2d(np.asarray(target, dtype=np.float64))
    if p.shape != t.shape:
        raise ValueError(f"primary and target differ in shape: {p.shape} vs {t.shape}")

    # Each replication's 4-week means first, then the median over replications: the median of
    # weekly revenue would sit below the typical month (weekly revenue is skewed by big deals).
    p = np.array([rolling_mean(row, ROLL_WEEKS) for row in p])
    t = np.array([rolling_mean(row, ROLL_WEEKS) for row in t])
    r = None
    if resting is not None:
        r = np.atleast_2d(np.asarray(resting, dtype=np.float64))
        if r.shape != t.shape:
            raise ValueError(f"resting and target differ in shape: {r.shape} vs {t.shape}")
        r = np.array([rolling_mean(row, ROLL_WEEKS) for row in r])

    def measure(rows: npt.NDArray[np.intp]) -> tuple[float, bool]:
        return recovery_weeks(
            np.median(p[rows], axis=0),
            np.median(t[rows], axis=0),
            shock_week,
            window=1,
            one_sided=one_sided,
            resting=None if r is None else np.median(r[rows], axis=0),
        )

    n = p.shape[0]
    full_weeks, full_censored = measure(np.arange(n))
    rng = np.random.default_rng(seed)
    draws = [np.asarray(rng.integers(0, n, size=n), dtype=np.intp) for _ in range(resamples)]
    boot = np.array([measure(rows)[0] for rows in draws])
    p10, p50, p90 = np.percentile(boot, [10, 50, 90])
    flag = 1.0 if full_censored else 0.0
    return {
        "recovery_weeks": {
            "mean": full_weeks,
            "p10": float(p10),
            "p50": float(p50),
            "p90": float(p90),
        },
        "recovery_censored": {"mean": flag, "p10": flag, "p50": flag, "p90": flag},
    }


def summarize(per_replication: Sequence[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Summarise KPIs over replications.

    Parameters
    ----------
    per_replication
        One KPI mapping per replication (as returned by `run_kpis`).

    Returns
    -------
    dict of str to dict of str to float
        For each KPI present in every replication, in order of first appearance:
        ``{"mean", "p10", "p50", "p90"}`` (linear-interpolated percentiles).
    """
    if not per_replication:
        raise ValueError("summarize needs at least one replication")
    names = [k for k in per_replication[0] if all(k in rep for rep in per_replication[1:])]
    summary: dict[str, dict[str, float]] = {}
    for name in names:
        values = np.array([rep[name] for rep in per_replication], dtype=np.float64)
        p10, p50, p90 = np.percentile(values, [10, 50, 90], method="linear")
        summary[name] = {
            "mean": float(values.mean()),
            "p10": float(p10),
            "p50": float(p50),
            "p90": float(p90),
        }
    return summary
