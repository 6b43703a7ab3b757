"""The plant parameters a fit estimates, and the scenario that plays a given set of them.

Owns which parameters the data can identify (it depends on the columns: without new leads, the
lead rate and the win rate cannot be told apart, so the win rate stays a default), the moment
each one is matched with, the scale the solver moves it on (logarithms for rates and sizes), and
``scenario_data``: the scenario file's content, as data, for parameters, team and reaction rule.
Nothing else of the plant is touched: every field not named here keeps its default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from thermosim.config.sales import SalesPlantConfig
from thermosim.config.shocks import SeasonalityShock

DEFAULT_PLANT = SalesPlantConfig()
# Fewest weeks to tell a season from a trend: one and a half cycles of 52 weeks.
SEASON_MIN_WEEKS = 78
# Fewest weeks to fit a trend at all (the reader's minimum).
TREND_MIN_WEEKS = 26
SEASON_PERIOD_WEEKS = SeasonalityShock.model_fields["period_weeks"].default
# Finite-difference steps (central): 15% for rates and sizes, 0.05 for the season and trend. Wide,
# because a simulated team's reactions flip with small changes and make the moments noisy.
STEP = 0.15
SHAPE_STEP = 0.05
# The spread of deal values moves its moment (the spread of revenue besides the deals won) least,
# so its step is wider still.
SPREAD_STEP = 0.35


@dataclass(frozen=True)
class Param:
    """One fitted parameter.

    Attributes
    ----------
    name
        Its name in reports (``lead_rate``, ``win_probability``, ...).
    moment
        The moment it mainly moves (the solver uses all of them together).
    log
        Moved on a log scale (a positive rate or size), else as it is.
    step
        Finite-difference step on the solver's scale (`STEP`, `SHAPE_STEP`).
    low, high
        The range the scenario fields allow (the solver's value is clipped to it).
    """

    name: str
    moment: str
    log: bool
    step: float
    low: float
    high: float

    def to_x(self, value: float) -> float:
        """The solver's coordinate of ``value``."""
        return math.log(value) if self.log else value

    def of_x(self, x: float) -> float:
        """The parameter value at solver coordinate ``x``, within its range."""
        value = math.exp(min(x, 50.0)) if self.log else x
        return min(self.high, max(self.low, value))


def _lead_rate(moment: str) -> Param:
    return Param("lead_rate", moment, True, STEP, 0.05, 10_000.0)


def choose(has_won: bool, has_leads: bool, weeks: int) -> list[Param]:
    """The parameters ``weeks`` of data with these columns identify, each with its moment."""
    found: list[Param] = []
    if has_leads:
        found.append(_lead_rate("leads_mean"))
        moment = "conversion" if has_won else "revenue_mean"
        found.append(Param("win_probability", moment, True, STEP, 0.005, 0.95))
    elif has_won:
        found.append(_lead_rate("won_mean"))
    else:
        found.append(_lead_rate("revenue_mean"))
    if has_won:
        found += [
            Param("deal_mean", "deal_slope", True, STEP, 10.0, 1e9),
            Param("repeat_scale", "revenue_mean", True, STEP, 0.01, 50.0),
            Param("deal_sigma", "resid_cv", True, SPREAD_STEP, 0.05, 2.0),
        ]
    if weeks >= TREND_MIN_WEEKS:
        found.append(Param("trend", "trend", False, SHAPE_STEP, -0.9, 5.0))
    if weeks >= SEASON_MIN_WEEKS:
        found += [
            Param("season_sin", "season_sin", False, SHAPE_STEP, -0.95, 0.95),
            Param("season_cos", "season_cos", False, SHAPE_STEP, -0.95, 0.95),
        ]
    return found


def defaults() -> dict[str, float]:
    """Every parameter's value on the default plant (no season, no trend)."""
    deals = DEFAULT_PLANT.deals
    return {
        "lead_rate": DEFAULT_PLANT.market.lead_rate_per_week,
        "win_probability": deals.win_probability,
        "deal_mean": deals.deal_value_eur * math.exp(deals.deal_value_sigma**2 / 2),
        "deal_sigma": deals.deal_value_sigma,
        "repeat_scale": 1.0,
        "trend": 0.0,
        "season_sin": 0.0,
        "season_cos": 0.0,
    }


def repeat_eur_per_week(scale: float) -> float:
    """Repeat orders per week at reference satisfaction on a plant with ``repeat_scale``."""
    a = DEFAULT_PLANT.accounts
    regular = a.accounts * a.order_rate_per_week * a.order_value_eur
    key = a.key_accounts * a.key_order_rate_per_week * a.key_order_value_eur
    return scale * (regular + key)


def season(values: Mapping[str, float]) -> tuple[float, float]:
    """Amplitude and phase (weeks) of the seasonal wave of the lead rate."""
    s, c = values.get("season_sin", 0.0), values.get("season_cos", 0.0)
    amplitude = math.hypot(s, c)
    phase = math.atan2(c, s) * SEASON_PERIOD_WEEKS / (2.0 * math.pi)
    return amplitude, phase


def plant_data(values: Mapping[str, float], team_size: int, target: float) -> dict[str, Any]:
    """The ``plant`` section that plays ``values`` (defaults for parameters not given)."""
    v = {**defaults(), **values}
    sigma = v["deal_sigma"]
    accounts = DEFAULT_PLANT.accounts
    return {
        "kind": "sales",
        "target_eur_per_week": target,
        # The fitted lead rate is the span's average; the trend ramps from the start level.
        "market": {"lead_rate_per_week": v["lead_rate"] / (1.0 + v["trend"] / 2.0)},
        "deals": {
            "win_probability": v["win_probability"],
            "deal_value_eur": v["deal_mean"] * math.exp(-(sigma**2) / 2),
            "deal_value_sigma": sigma,
        },
        "accounts": {
            "order_value_eur": accounts.order_value_eur * v["repeat_scale"],
            "key_order_value_eur": accounts.key_order_value_eur * v["repeat_scale"],
        },
        "people": {"team_size": team_size},
    }


def shocks_data(values: Mapping[str, float], weeks: int) -> list[dict[str, Any]]:
    """The season (a seasonal wave of leads) and the trend (a ramp of the lead rate) as shocks."""
    found: list[dict[str, Any]] = []
    amplitude, phase = season(values)
    if amplitude > 0:
        found.append(
            {
                "kind": "seasonality",
                "week": 0,
                "amplitude": min(amplitude, 0.95),
                "period_weeks": SEASON_PERIOD_WEEKS,
                "phase_weeks": phase,
            }
        )
    trend = values.get("trend", 0.0)
    if trend != 0:
        found.append(
            {
                "kind": "lead_rate",
                "week": 0,
                "shape": "ramp",
                "ramp_weeks": float(min(max(weeks, 1), 520)),
                "factor": max(0.0, 1.0 + trend),
            }
        )
    return found


def scenario_data(
    name: str,
    values: Mapping[str, float],
    team_size: int,
    target: float,
    weeks: int,
    variants: Sequence[Mapping[str, Any]],
    seed: int,
    replications: int = 30,
) -> dict[str, Any]:
    """A whole scenario, as data: the fitted plant over ``weeks`` with these variants."""
    return {
        "name": name,
        "horizon_weeks": max(4, weeks),
        "replications": replications,
        "seed": seed,
        "plant": plant_data(values, team_size, target),
        "shocks": shocks_data(values, weeks),
        "variants": [dict(v) for v in variants],
    }
