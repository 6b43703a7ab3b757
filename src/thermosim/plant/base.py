"""What every plant offers the engine, and the decision a review hands to it.

Owns the contract between the control side and a simulated plant, so that one engine drives the
sales team and the thermostat alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from thermosim.control.levers import Intervention


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one review, as the plant receives it.

    Attributes
    ----------
    week
        Time of the review.
    continuous
        Net intensity per lasting lever (summed over loops).
    pushes
        Each loop's own contribution to the shared levers (for the cost of pulling against
        each other).
    started
        Quick fixes started at this review.
    pressure
        Management pressure, 0..1 (the thermostat: heater power).
    missed
        Whether the review declared a miss (an error beyond the policy's dead band).
    shared_progress
        Whether a shared goal is visibly on course (error within the band or shrinking).
    """

    week: float
    continuous: dict[str, float] = field(default_factory=dict)
    pushes: list[dict[str, float]] = field(default_factory=list)
    started: list[Intervention] = field(default_factory=list)
    pressure: float = 0.0
    missed: bool = False
    shared_progress: bool = False


class Plant(Protocol):
    """A simulated plant the engine can drive."""

    def start(self) -> None:
        """Register the plant's SimPy processes."""

    def target(self, week: float) -> float:
        """The imposed target (set point) at ``week``, in plant units."""

    def sample(self, metric: str) -> float | None:
        """The latest complete value of ``metric`` (None before the first week is booked)."""

    def apply(self, decision: Decision) -> None:
        """Take a review's decision."""

    def close_week(self, week: float) -> dict[str, float]:
        """Book the week ending now and return its row of series values."""
