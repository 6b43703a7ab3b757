"""Disturbances applied to a plant at scheduled times.

Owns the time profile of each shock (step, ramp, pulse) as multipliers and offsets a plant reads,
and the SimPy process that fires one-off shocks (a lost account, people leaving) at their week.
Shocks act on the plant only: controllers learn of them through perception.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Sequence
from typing import Any

import simpy

from thermosim.config.shocks import (
    AnyShock,
    FactorShock,
    LostAccountShock,
    OutsideTemperatureShock,
    PeopleLeaveShock,
    SeasonalityShock,
)


def strength(shock: AnyShock, week: float) -> float:
    """How much of the shock is in force at ``week``: 0 before, up to 1 at full size."""
    if week < shock.week:
        return 0.0
    lasting = shock.active_weeks()
    if lasting is not None and week >= shock.week + lasting:
        return 0.0
    if shock.shape == "ramp":
        return min(1.0, (week - shock.week) / shock.ramp_weeks)
    return 1.0


class ShockSchedule:
    """The shocks of a scenario as functions of time.

    Parameters
    ----------
    shocks
        The scenario's shocks (any order).
    """

    def __init__(self, shocks: Sequence[AnyShock]) -> None:
        self.shocks = tuple(shocks)
        self._acting: dict[str, tuple[AnyShock, ...]] = {}  # by kind: the factor asks every week

    def acting_on(self, kind: str) -> tuple[AnyShock, ...]:
        """The shocks that multiply ``kind`` (seasonality acts on the lead rate), in order."""
        found = self._acting.get(kind)
        if found is None:
            found = tuple(
                shock
                for shock in self.shocks
                if shock.kind == kind or (kind == "lead_rate" and shock.kind == "seasonality")
            )
            self._acting[kind] = found
        return found

    def factor(self, kind: str, week: float) -> float:
        """Product of the multipliers of every ``kind`` shock in force (seasonality included)."""
        result = 1.0
        for shock in self.acting_on(kind):
            s = strength(shock, week)
            if s == 0.0:
                continue
            if isinstance(shock, SeasonalityShock):
                phase = 2.0 * math.pi * (week - shock.week + shock.phase_weeks) / shock.period_weeks
                result *= 1.0 + s * shock.amplitude * math.sin(phase)
            elif isinstance(shock, FactorShock):
                result *= 1.0 + s * (shock.factor - 1.0)
        return result

    def offset(self, kind: str, week: float) -> float:
        """Sum of additive shocks of ``kind`` in force (the outside temperature, in degC)."""
        return sum(
            strength(shock, week) * shock.delta_c
            for shock in self.shocks
            if isinstance(shock, OutsideTemperatureShock) and shock.kind == kind
        )

    def one_offs(self) -> list[LostAccountShock | PeopleLeaveShock]:
        """Shocks that happen once, in order of time."""
        found = [s for s in self.shocks if isinstance(s, LostAccountShock | PeopleLeaveShock)]
        return sorted(found, key=lambda s: s.week)


def fire_one_offs(
    env: simpy.Environment,
    schedule: ShockSchedule,
    apply: Callable[[LostAccountShock | PeopleLeaveShock], None],
    offset_weeks: float = 0.0,
) -> Generator[Any, Any, None]:
    """SimPy process: call ``apply`` for each one-off shock at its week (plus ``offset_weeks``)."""
    for shock in schedule.one_offs():
        when = shock.week + offset_weeks
        if when > env.now:
            yield env.timeout(when - env.now)
        apply(shock)
