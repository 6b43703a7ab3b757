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
        Management pressure, 0..1 (the thermostat: the total power of the loops' heaters, one
        per loop, so -n..n for n loops; negative cools).
    gap
        The main loop's perceived relative shortfall, ``(reference - perceived) / reference``,
        as reported to the team; None before the first report. The plant judges misses and
        progress from it with its own tolerance, the same for every variant.
    goal_shared
        Whether the team shares and sees one goal (a variant's reference setting).
    """

    week: float
    continuous: dict[str, float] = field(default_factory=dict)
    pushes: list[dict[str, float]] = field(default_factory=list)
    started: list[Intervention] = field(default_factory=list)
    pressure: float = 0.0
    gap: float | None = None
    goal_shared: bool = False


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
