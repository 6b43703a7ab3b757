"""One calibration from data to result: the team's size and target, its diagnosis, its fit.

Owns the order of the work and the choices made for the trainer when the data do not say: team
size from ``--team-size``, else the headcount column (its largest value in the first 13 weeks:
the model simulates who leaves and who is hired after), else the default (10, assumed); the
target from ``--target``, else the target column, else the team's own mean revenue (what it
books: the calibrated-target rule of the model, applied to the data). The
reaction rule is diagnosed first, so the plant is fitted with the team's own loop around it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermosim.calibrate.diagnose import Diagnosis, diagnose
from thermosim.calibrate.fit import Fit, FitSettings, Team, fit_plant
from thermosim.calibrate.moments import CHECKS, Weeks, measure
from thermosim.calibrate.params import DEFAULT_PLANT, SEASON_MIN_WEEKS, choose
from thermosim.calibrate.problems import FitError
from thermosim.calibrate.reader import WeeklyData

AS_IS = "as-is"
# Weeks at the start whose largest headcount is the team size (more than the hiring delay).
FIRST_QUARTER_WEEKS = 13
STEERED = "steered"


@dataclass(frozen=True)
class Calibration:
    """Everything ``thermosim calibrate`` found, for the scenario file, the report and figures.

    Attributes
    ----------
    data
        The weeks read.
    team_size, team_size_from
        People in the team and where that number comes from.
    target, target_from
        Weekly target (EUR) and where it comes from; ``targets`` per week.
    diagnosis
        How the team reacts.
    variant
        The ``as-is`` variant: the fitted reaction rule (open-loop without an actions column).
    fit
        The fitted plant.
    measured
        The data's moments.
    seconds
        Wall-clock time of the calibration.
    """

    data: WeeklyData
    team_size: int
    team_size_from: str
    target: float
    target_from: str
    targets: np.ndarray
    diagnosis: Diagnosis
    variant: dict[str, Any]
    fit: Fit
    measured: dict[str, float]
    seconds: float


def _team_size(data: WeeklyData, given: int | None) -> tuple[int, str]:
    if given is not None:
        return given, "--team-size"
    if data.headcount is not None:
        # The model's team size is the team at the start; who leaves and who is hired after is
        # simulated. A leaver's place stays open for the hiring delay, so the largest headcount
        # of the first quarter is the team (a vacancy at the start is filled within it).
        start = data.headcount[:FIRST_QUARTER_WEEKS][data.present[:FIRST_QUARTER_WEEKS]]
        size = max(1, round(float(np.max(start))))
        column = data.columns["headcount"]
        return size, f"the largest of the first {FIRST_QUARTER_WEEKS} weeks of column '{column}'"
    return DEFAULT_PLANT.people.team_size, "default (assumed; give --team-size)"


def _targets(data: WeeklyData, given: float | None) -> tuple[np.ndarray, float, str]:
    n = data.weeks
    if given is not None:
        return np.full(n, given), given, "--target"
    if data.target is not None:
        weekly = data.target.copy()
        median = float(np.nanmedian(weekly))
        weekly[~np.isfinite(weekly)] = median
        if median <= 0:
            raise FitError(
                f"{data.source}: the target column '{data.columns['target']}' is 0; give the "
                "weekly target with --target EUR_PER_WEEK. Nothing was written."
            )
        return weekly, median, f"the median of column '{data.columns['target']}'"
    mean = float(np.mean(data.revenue[data.present]))
    if mean <= 0:
        raise FitError(
            f"{data.source}: revenue is 0 in every week; there is nothing to fit. Nothing was "
            "written."
        )
    return np.full(n, mean), mean, "the team's mean weekly revenue (no target given; --target)"


def calibrate(
    data: WeeklyData,
    team_size: int | None = None,
    target: float | None = None,
    settings: FitSettings | None = None,
) -> Calibration:
    """Diagnose how the team reacts and fit its plant.

    Parameters
    ----------
    data
        Weekly results (``read_weekly``).
    team_size
        People in the team (default: the headcount column, else the model's default).
    target
        Weekly target in EUR (default: the target column, else the mean weekly revenue).
    settings
        Replications and seed of the fit.

    Raises
    ------
    FitError
        When the model cannot reproduce the data.
    """
    started = time.perf_counter()
    settings = settings or FitSettings()
    size, size_from = _team_size(data, team_size)
    targets, level, target_from = _targets(data, target)
    season = data.weeks >= SEASON_MIN_WEEKS
    diagnosis = diagnose(data.revenue, targets, data.present, data.actions, season)
    if diagnosis.rule is not None:
        variant = diagnosis.rule.variant(AS_IS)
    else:
        variant = {"name": AS_IS, "preset": "open-loop"}
    has_won, has_leads = data.deals_won is not None, data.new_leads is not None
    params = choose(has_won, has_leads, data.weeks)
    weeks = Weeks(data.revenue, data.present, data.deals_won, data.new_leads)
    names = tuple(dict.fromkeys([p.moment for p in params] + list(CHECKS)))
    if has_won:
        names = (*names, "won_mean") if "won_mean" not in names else names
    measured = dict(zip(names, map(float, measure(weeks, names, data.weeks)), strict=True))
    team = Team(size, level, data.weeks, data.present, variant, has_won, has_leads)
    fitted = fit_plant(params, team, measured, settings)
    return Calibration(
        data=data,
        team_size=size,
        team_size_from=size_from,
        target=level,
        target_from=target_from,
        targets=targets,
        diagnosis=diagnosis,
        variant=variant,
        fit=fitted,
        measured=measured,
        seconds=time.perf_counter() - started,
    )
