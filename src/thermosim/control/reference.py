"""References: the set point a loop steers toward, as a value over time.

Owns the reference kinds of the design: ``fixed`` (the imposed target times a level),
``raised`` (the team lifts its own set point at a week, optionally over a ramp) and ``eroding``
(Senge's "drifting goals" archetype: while performance falls short, the goal drifts down toward
it; performance above the goal does not raise it).
"""

from __future__ import annotations

from typing import Literal

ReferenceKind = Literal["fixed", "raised", "eroding"]


class Reference:
    """A set point derived from the imposed target.

    Parameters
    ----------
    kind
        ``fixed``, ``raised`` or ``eroding``.
    level
        Multiple of the imposed target the loop aims at (1.0 = the target itself).
    raise_to
        For ``raised``: the multiple of the imposed target after the raise.
    raise_week
        For ``raised``: the week the team starts lifting its set point.
    ramp_weeks
        For ``raised``: weeks over which the set point moves to ``raise_to`` (0 = a step).
    tau_goal_weeks
        For ``eroding``: time constant with which the goal drifts down toward perceived
        performance while performance falls short.
    """

    def __init__(
        self,
        kind: ReferenceKind = "fixed",
        level: float = 1.0,
        raise_to: float = 1.0,
        raise_week: float = 0.0,
        ramp_weeks: float = 0.0,
        tau_goal_weeks: float = 13.0,
    ) -> None:
        self.kind = kind
        self.level = level
        self.raise_to = raise_to
        self.raise_week = raise_week
        self.ramp_weeks = ramp_weeks
        self.tau_goal_weeks = tau_goal_weeks
        self._goal: float | None = None  # eroding goal, in plant units
        self._last_imposed: float | None = None

    def _multiple(self, week: float) -> float:
        if self.kind != "raised" or week < self.raise_week:
            return self.level
        if self.ramp_weeks <= 0.0:
            return self.raise_to
        progress = min(1.0, (week - self.raise_week) / self.ramp_weeks)
        return self.level + (self.raise_to - self.level) * progress

    def update(
        self, week: float, imposed: float, perceived: float | None, dt_weeks: float
    ) -> float:
        """Return the set point for this review.

        Parameters
        ----------
        week
            Time of the review.
        imposed
            The target management imposes now (plant units).
        perceived
            What the loop currently perceives, or None before the first report.
        dt_weeks
            Time since the previous review; the eroding goal drifts by ``dt / tau`` of the gap.
        """
        if self.kind != "eroding":
            return self._multiple(week) * imposed
        if self._goal is None or self._last_imposed is None:
            self._goal = self.level * imposed
        else:
            # A newly imposed target moves the goal by the same amount; erosion then works on it.
            self._goal += self.level * (imposed - self._last_imposed)
        self._last_imposed = imposed
        if perceived is not None and perceived < self._goal and self.tau_goal_weeks > 0.0:
            # A gap can be closed by acting or by lowering the goal; this reference lowers it.
            self._goal += (perceived - self._goal) * min(1.0, dt_weeks / self.tau_goal_weeks)
        return self._goal
