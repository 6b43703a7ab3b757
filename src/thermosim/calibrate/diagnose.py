"""Diagnosis: how a team reacts, measured on its own weeks ("where are we really").

Owns the numbers of the "where are we really" slide: how many weeks fell below target and how
often management acted right after one; how large the drops it answered were against the
team's own week-to-week noise; and which actions answered noise rather than a signal. Signal
and noise are told apart as a process-behaviour chart does (Wheeler, *Understanding
Variation*, 1993; the Western Electric rules, 1956): the centre line is the team's own trend and
season, the noise is the average moving range / 1.128, and a week is a signal when it falls
below the lower natural process limit (3 sigma) or ends a run of 8 weeks below the centre line.
With an actions column, the reaction rule that fits best is found by replaying the weeks
through the control core (``replay.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from thermosim.calibrate.actions import acted, kinds, repertoire
from thermosim.calibrate.moments import PERIOD_WEEKS
from thermosim.calibrate.replay import Mode, Rule, fit_rule

D2 = 1.128  # bias constant of a moving range of two (Wheeler 1993)
LIMIT_SIGMA = 3.0  # natural process limits
RUN_WEEKS = 8  # a run this long on one side of the centre line is a signal
ANSWER_WEEKS = 3  # an action answers what the last this many weeks showed
FOLLOW_WEEKS = 2  # "acted after a week below target": within this many weeks


@dataclass(frozen=True)
class Diagnosis:
    """How the team reacts, from its weeks (and its actions when the file has them).

    Attributes
    ----------
    weeks
        Weeks the file has.
    below_target
        Weeks with revenue below target.
    followed
        Of those (with two weeks after them in the file), how many an action followed within
        `FOLLOW_WEEKS` weeks; ``followable`` is how many could be.
    action_weeks
        Weeks with an action (0 without an actions column).
    on_noise
        Actions with no signal in the `ANSWER_WEEKS` weeks before them.
    drop_sigma
        Median shortfall below target of the week before each action, in units of the noise.
    noise_eur
        The team's week-to-week noise (sigma from moving ranges), EUR.
    signal_weeks
        Weeks that are a signal (below the lower limit, or ending a run below the centre line).
    rule
        The reaction rule that fits the actions best; None without an actions column.
    levers
        The levers the actions name, in order of first use.
    """

    weeks: int
    below_target: int
    followable: int
    followed: int
    action_weeks: int
    on_noise: int
    drop_sigma: float
    noise_eur: float
    centre: np.ndarray
    signal: np.ndarray
    acted: np.ndarray
    rule: Rule | None
    levers: tuple[str, ...]

    @property
    def signal_weeks(self) -> int:
        """Weeks that are a signal."""
        return int(self.signal.sum())

    @property
    def noise_share(self) -> float:
        """Share of actions that answered noise, not a signal (NaN without actions)."""
        return self.on_noise / self.action_weeks if self.action_weeks else float("nan")

    @property
    def follow_share(self) -> float:
        """Share of below-target weeks management acted after (NaN when there are none)."""
        return self.followed / self.followable if self.followable else float("nan")


def centre_line(revenue: np.ndarray, present: np.ndarray, season: bool) -> np.ndarray:
    """The team's expected revenue each week: its trend, and its season with 78+ weeks."""
    weeks = np.arange(len(revenue), dtype=float)
    columns = [np.ones_like(weeks), weeks / len(revenue) - 0.5]
    if season:
        angle = 2.0 * np.pi * weeks / PERIOD_WEEKS
        columns += [np.sin(angle), np.cos(angle)]
    x = np.column_stack(columns)
    coef, *_ = np.linalg.lstsq(x[present], revenue[present], rcond=None)
    return np.asarray(x @ coef)


def signals(
    revenue: np.ndarray, present: np.ndarray, centre: np.ndarray
) -> tuple[np.ndarray, float]:
    """Weeks that are a low signal, and the noise sigma (average moving range / 1.128)."""
    residual = np.where(present, revenue - centre, np.nan)
    pairs = present[:-1] & present[1:]
    ranges = np.abs(np.diff(residual))[pairs]
    sigma = float(np.mean(ranges)) / D2 if ranges.size else 0.0
    below_limit = present & (residual < -LIMIT_SIGMA * sigma)
    low = present & (residual < 0)
    run = np.zeros(len(revenue), dtype=bool)
    count = 0
    for t in range(len(revenue)):
        count = count + 1 if low[t] else 0
        run[t] = count >= RUN_WEEKS
    return below_limit | run, sigma


def diagnose(
    revenue: np.ndarray,
    target: np.ndarray,
    present: np.ndarray,
    actions: Sequence[str] | None,
    season: bool,
) -> Diagnosis:
    """Diagnose how the team reacts.

    Parameters
    ----------
    revenue, target
        Weekly revenue and target (NaN revenue for a week the file does not have).
    present
        Weeks the file has.
    actions
        What management did each week (``""``: nothing), or None without an actions column.
    season
        Whether the centre line has a season (enough weeks to tell one).
    """
    n = len(revenue)
    centre = centre_line(revenue, present, season)
    signal, sigma = signals(revenue, present, centre)
    below = present & (revenue < target)
    did = np.array([acted(a) for a in actions], dtype=bool) if actions else np.zeros(n, bool)
    followable = followed = 0
    for t in np.flatnonzero(below):
        if t + FOLLOW_WEEKS < n and present[t + 1 : t + 1 + FOLLOW_WEEKS].all():
            followable += 1
            followed += bool(did[t + 1 : t + 1 + FOLLOW_WEEKS].any())
    on_noise = 0
    drops = []
    for a in np.flatnonzero(did):
        seen = slice(max(0, a - ANSWER_WEEKS), a)
        if a > 0 and not signal[seen].any():
            on_noise += 1
        last = a - 1
        if last >= 0 and present[last] and sigma > 0:
            drops.append((target[last] - revenue[last]) / sigma)
    rule = None
    levers: tuple[str, ...] = ()
    if actions is not None and did.any():
        levers = tuple(repertoire(actions))
        quick, lasting = kinds(levers)
        modes: list[Mode] = (
            ["continuous"]
            if lasting > quick
            else ["episodic"]
            if quick
            else ["episodic", "continuous"]
        )
        rule = fit_rule(revenue, target, did, present, modes, levers)
    return Diagnosis(
        weeks=int(present.sum()),
        below_target=int(below.sum()),
        followable=followable,
        followed=followed,
        action_weeks=int(did.sum()),
        on_noise=on_noise,
        drop_sigma=float(np.median(drops)) if drops else float("nan"),
        noise_eur=sigma,
        centre=centre,
        signal=signal,
        acted=did,
        rule=rule,
        levers=levers,
    )
