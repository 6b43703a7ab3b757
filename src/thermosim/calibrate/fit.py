"""Simulated method of moments: the plant parameters whose simulated weeks look like the data's.

Owns the fit. For a candidate set of parameters it simulates the team (the fitted plant with the
team's own reaction rule) for ``reps`` replications on fixed random streams (common random
numbers: every candidate meets the same luck, so the moments move smoothly with the parameters)
and averages each replication's moments; ``scipy.optimize.root`` (Powell's hybrid method, with a
finite-difference Jacobian at the start and Broyden updates after) finds the parameters at which
they equal the data's. The uncertainty is the curvature: the Jacobian of the moments at the
estimate, and the moments' spread over ``check_reps`` simulated teams of the data's length,
give each parameter's variance by the delta method (McFadden 1989; Gourieroux & Monfort 1996),
inflated by ``1 + 1/reps`` for the simulation's own noise; intervals are 95%.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import optimize  # type: ignore[import-untyped]  # scipy ships no type hints

from thermosim.calibrate.moments import CHECKS, Weeks, measure
from thermosim.calibrate.params import Param, defaults, scenario_data
from thermosim.calibrate.problems import FitError
from thermosim.config.scenario import Scenario
from thermosim.engine import simulate

Z95 = 1.959963984540054
# The solver stops once every moment is within `STOP_SE` of the data's (by the spread of the
# start's replications; closer is below the simulation's own noise). A fit matches when every
# moment is within `EXACT_SE` standard errors (the data's own noise); within `NEAR_SE` it is
# accepted with a note; beyond, the model cannot reproduce the data.
STOP_SE = 0.5
EXACT_SE = 1.0
NEAR_SE = 2.0
LEVELS = frozenset(
    {"leads_mean", "conversion", "won_mean", "deal_slope", "revenue_mean", "resid_cv"}
)


@dataclass(frozen=True)
class FitSettings:
    """How hard the fit works.

    Attributes
    ----------
    reps
        Replications per evaluation (the same streams for every candidate).
    check_reps
        Replications at the estimate, for the moments' spread and the simulated band.
    seed
        Seed of the fit's random streams.
    max_evaluations
        Most evaluations the solver may use.
    """

    reps: int = 4
    check_reps: int = 16
    seed: int = 20_260_101
    max_evaluations: int = 40

    def __post_init__(self) -> None:
        # A spread needs two replications at least; the check, three.
        if self.reps < 2 or self.check_reps < 3 or self.max_evaluations < 1:
            raise ValueError("FitSettings needs reps >= 2, check_reps >= 3, max_evaluations >= 1")


@dataclass(frozen=True)
class Team:
    """What the fit knows of the team besides its plant: size, target, span, reaction rule."""

    team_size: int
    target: float
    weeks: int
    present: np.ndarray
    variant: Mapping[str, Any]
    has_won: bool
    has_leads: bool


@dataclass(frozen=True)
class Fit:
    """The fitted parameters, their intervals, and how well the fitted team matches the data.

    Attributes
    ----------
    values, low, high
        Estimate and 95% interval of each fitted parameter (by name).
    covariance
        Covariance of the parameters on the solver's scale (log for rates and sizes).
    moments, observed, simulated, standard_errors
        The matched moments, the data's, the fitted team's, and their standard errors.
    checks
        Moments not aimed at: ``{name: (observed, simulated mean, p10, p90)}``.
    revenue_runs
        Weekly revenue of the ``check_reps`` simulated teams at the estimate.
    evaluations
        Simulation batches the fit took.
    exact
        Whether every moment was matched within `EXACT_SE` standard errors.
    """

    params: tuple[Param, ...]
    values: dict[str, float]
    low: dict[str, float]
    high: dict[str, float]
    covariance: np.ndarray
    moments: tuple[str, ...]
    observed: np.ndarray
    simulated: np.ndarray
    standard_errors: np.ndarray
    checks: dict[str, tuple[float, float, float, float]]
    revenue_runs: np.ndarray
    evaluations: int
    exact: bool
    seed: int
    notes: tuple[str, ...] = field(default=())


class _Simulator:
    """Moments of the simulated team at solver coordinates ``x``, cached per replication."""

    def __init__(self, params: list[Param], team: Team, names: tuple[str, ...], seed: int) -> None:
        self.params, self.team, self.names, self.seed = params, team, names, seed
        self._cache: dict[tuple[tuple[float, ...], int], tuple[np.ndarray, np.ndarray]] = {}
        self.batches = 0

    def values(self, x: np.ndarray) -> dict[str, float]:
        return {p.name: p.of_x(float(v)) for p, v in zip(self.params, x, strict=True)}

    def scenario(self, x: np.ndarray) -> Scenario:
        t = self.team
        data = scenario_data(
            "calibration", self.values(x), t.team_size, t.target, t.weeks, [t.variant], self.seed, 1
        )
        return Scenario.model_validate(data)

    def per_rep(self, x: np.ndarray, reps: range) -> tuple[np.ndarray, np.ndarray]:
        """Moments (reps x moments, checks included at the end) and weekly revenue per rep."""
        key = tuple(float(v) for v in np.round(x, 12))
        missing = [r for r in reps if (key, r) not in self._cache]
        if missing:
            self.batches += 1
            scenario = self.scenario(x)
            name = str(self.team.variant["name"])
            for r in missing:
                run = simulate(scenario, name, self.seed, r)
                s = run.series
                weeks = Weeks(
                    s["revenue"],
                    self.team.present,
                    s["won"] if self.team.has_won else None,
                    s["leads"] if self.team.has_leads else None,
                )
                moments = measure(weeks, self.names, self.team.weeks)
                self._cache[(key, r)] = (moments, s["revenue"].copy())
        rows = [self._cache[(key, r)] for r in reps]
        return np.array([m for m, _ in rows]), np.array([v for _, v in rows])


def _scales(names: tuple[str, ...], observed: np.ndarray) -> np.ndarray:
    """Levels are matched relative to the data's value; shapes (season, trend) as they are."""
    return np.array(
        [max(abs(v), 1e-9) if n in LEVELS else 1.0 for n, v in zip(names, observed, strict=True)]
    )


def _start(params: list[Param], observed: Mapping[str, float]) -> np.ndarray:
    """Where the solver starts: the defaults, with the lead rate read off the data if it can."""
    values = defaults()
    if "leads_mean" in observed and observed["leads_mean"] > 0:
        values["lead_rate"] = observed["leads_mean"]
    return np.array([p.to_x(p.of_x(p.to_x(values[p.name]))) for p in params])


def _first_step(
    params: list[Param], x: np.ndarray, sim: Mapping[str, float], obs: Mapping[str, float]
) -> np.ndarray:
    """One step of proportional correction: each rate or size by its moment's ratio."""
    out = x.copy()
    for i, p in enumerate(params):
        if p.name == "repeat_scale":
            # Repeat business is what revenue has beyond the won deals' value.
            o = obs["revenue_mean"] - obs["deal_slope"] * obs["won_mean"]
            s = sim["revenue_mean"] - sim["deal_slope"] * sim["won_mean"]
            ratio = o / s if s > 0 and o > 0 else 0.2
        elif p.name == "deal_sigma":
            # The spread besides the deals won moves about half as fast as the deals' spread.
            ratio = obs[p.moment] / sim[p.moment] if sim[p.moment] > 0 < obs[p.moment] else 1.0
            ratio = ratio**2
        elif p.log:
            ratio = obs[p.moment] / sim[p.moment] if sim[p.moment] > 0 < obs[p.moment] else 1.0
        else:
            out[i] += obs[p.moment] - sim[p.moment]
            continue
        out[i] = p.to_x(p.of_x(x[i] + math.log(min(max(ratio, 0.05), 20.0))))
    return out


class _MatchedError(Exception):
    """The solver reached parameters whose moments match the data's (stops it early)."""

    def __init__(self, x: np.ndarray) -> None:
        super().__init__()
        self.x = np.array(x, dtype=float)


SHAPES = frozenset({"trend", "season_sin", "season_cos"})


def _jacobian(
    residual: Callable[[np.ndarray], np.ndarray], params: list[Param], x: np.ndarray
) -> np.ndarray:
    """How the moments move with the parameters, by central differences.

    The reflex in the loop makes a simulated team's path jump when a reaction flips, so the
    moments are noisy in the parameters even on common random numbers: the steps are wide
    (`Param.step`) and central. The season and the trend are shapes relative to the level, and
    the levels are the span's averages, so to first order neither moves the other: their
    blocks of the Jacobian are kept apart (zero across), and the shapes, which do not move
    each other either (a sine, a cosine and a line over whole years), are differenced all at
    once, each read off its own moment.
    """
    k = len(x)
    jac = np.zeros((k, k))
    shapes = [j for j, p in enumerate(params) if p.name in SHAPES]
    levels = [j for j in range(k) if j not in shapes]
    for j in levels:
        step = np.zeros(k)
        step[j] = params[j].step
        diff = (residual(x + step) - residual(x - step)) / (2 * params[j].step)
        jac[levels, j] = diff[levels]
    if shapes:
        step = np.zeros(k)
        step[shapes] = [params[j].step for j in shapes]
        diff = residual(x + step) - residual(x - step)
        for j in shapes:
            jac[j, j] = diff[j] / (2 * params[j].step)
    return jac


def fit_plant(
    params: list[Param],
    team: Team,
    measured: Mapping[str, float],
    settings: FitSettings,
) -> Fit:
    """Fit ``params`` so the simulated team's moments equal ``observed``.

    Parameters
    ----------
    params
        The parameters to fit (``params.choose``), each with its moment, in that order.
    team
        Team size, target, weeks, the weeks present and the reaction rule (a variant).
    measured
        The data's moments by name: those of ``params``, the checks (`moments.CHECKS`) and,
        with deals won, ``won_mean``.
    settings
        Replications and seed.

    Raises
    ------
    FitError
        When no parameters make the model reproduce the data (the moment furthest off named).
    """
    names = tuple(p.moment for p in params)
    observed = np.array([measured[n] for n in names])
    aux = ("won_mean",) if team.has_won else ()
    sim = _Simulator(params, team, names + CHECKS + aux, settings.seed)
    every = names + CHECKS + aux
    reps = range(settings.reps)
    scale = _scales(names, observed)
    k = len(names)

    def residual(x: np.ndarray) -> np.ndarray:
        moments, _ = sim.per_rep(x, reps)
        return np.asarray((moments[:, :k].mean(axis=0) - observed) / scale)

    x0 = _start(params, dict(zip(names, observed, strict=True)))
    x1 = x0
    for _ in range(2):  # two proportional steps bring the rates and sizes close
        first, _ = sim.per_rep(x1, reps)
        x1 = _first_step(params, x1, dict(zip(every, first.mean(axis=0), strict=True)), measured)
    jac1 = _jacobian(residual, params, x1)
    # The moments' spread over the replications at the start: the solver stops once every
    # moment is within `STOP_SE` of the data's.
    start, _ = sim.per_rep(x1, reps)
    rough_se = np.std(start[:, :k] / scale, axis=0, ddof=1) * math.sqrt(settings.reps)

    def solving(x: np.ndarray) -> np.ndarray:
        f = residual(x)
        if np.all(np.abs(f) <= STOP_SE * rough_se):
            raise _MatchedError(x)
        return f

    try:
        solution = optimize.root(
            solving,
            x1,
            jac=lambda _x: jac1,
            method="hybr",
            options={"maxfev": settings.max_evaluations, "xtol": 1e-3},
        )
        x_hat = np.asarray(solution.x)
    except _MatchedError as matched:
        x_hat = matched.x
    check = range(max(settings.check_reps, settings.reps))
    moments, revenue = sim.per_rep(x_hat, check)
    spread = moments[:, :k] / scale
    omega = np.atleast_2d(np.cov(spread, rowvar=False))
    se = np.sqrt(np.clip(np.diag(omega), 1e-18, None))
    off = np.abs(residual(x_hat)) / se
    worst = int(np.argmax(off))
    if off[worst] > NEAR_SE:
        raise FitError(_failure(names[worst], observed[worst], moments[:, worst].mean(), team))
    # The Jacobian spans a step either side of where it was taken: within that, it still holds.
    near = np.abs(x_hat - x1) <= np.array([p.step for p in params])
    jac = jac1 if near.all() else _jacobian(residual, params, x_hat)
    inverse = np.linalg.pinv(jac)
    covariance = (1.0 + 1.0 / settings.reps) * inverse @ omega @ inverse.T
    sd = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    values = sim.values(x_hat)
    low = {p.name: p.of_x(x_hat[i] - Z95 * sd[i]) for i, p in enumerate(params)}
    high = {p.name: p.of_x(x_hat[i] + Z95 * sd[i]) for i, p in enumerate(params)}
    checks = {}
    for j, name in enumerate(CHECKS):
        column = moments[:, k + j]
        p10, p90 = np.percentile(column, [10, 90])
        checks[name] = (float(measured[name]), float(column.mean()), float(p10), float(p90))
    notes = []
    if off[worst] > EXACT_SE:
        notes.append(
            f"{names[worst]} is matched within {off[worst]:.1f} standard errors, not exactly "
            "(a parameter may be at the end of its range)"
        )
    return Fit(
        params=tuple(params),
        values=values,
        low=low,
        high=high,
        covariance=covariance,
        moments=names,
        observed=observed,
        simulated=moments[: settings.reps, :k].mean(axis=0),
        standard_errors=se * scale,
        checks=checks,
        revenue_runs=revenue,
        evaluations=sim.batches,
        exact=bool(off[worst] <= EXACT_SE),
        seed=settings.seed,
        notes=tuple(notes),
    )


def _failure(name: str, observed: float, simulated: float, team: Team) -> str:
    what = {
        "leads_mean": "new leads per week",
        "conversion": "deals won per lead",
        "won_mean": "deals won per week",
        "deal_slope": "revenue per deal won",
        "revenue_mean": "revenue per week",
        "resid_cv": "spread of revenue besides the deals won",
        "trend": "trend",
        "season_sin": "season",
        "season_cos": "season",
    }.get(name, name)
    return (
        f"the model cannot reproduce the data's {what}: {observed:,.4g} in the data, "
        f"{simulated:,.4g} at best in {team.team_size}-person teams simulated; check the team "
        "size (--team-size) and that revenue and deals won are for the same team and weeks. "
        "Nothing was written."
    )
