"""One feedback loop: reference vs perception -> normalised error -> policy output.

Owns the wiring of the three control parts for one controller (the manager, or one team member
steering on their own metric) and what a review reports back for the record.
"""

from __future__ import annotations

from dataclasses import dataclass

from thermosim.control.perception import Perception
from thermosim.control.policy import Policy
from thermosim.control.reference import Reference


@dataclass(frozen=True, slots=True)
class Review:
    """What one review of a loop saw and decided."""

    reference: float
    perceived: float | None
    error: float  # normalised: (reference - perceived) / scale; 0 before the first report
    output: float


class Loop:
    """A reference, a perception and a policy acting on one metric.

    Parameters
    ----------
    metric
        Name of the plant metric this loop perceives (e.g. ``revenue``, ``temperature``).
    reference, perception, policy
        The three parts.
    scale
        Normalises the error; None means relative to the reference (``(r - y) / r``).
    """

    def __init__(
        self,
        metric: str,
        reference: Reference,
        perception: Perception,
        policy: Policy,
        scale: float | None = None,
    ) -> None:
        self.metric = metric
        self.reference = reference
        self.perception = perception
        self.policy = policy
        self.scale = scale
        self._perceived: float | None = None

    def review(self, week: float, sample: float, imposed: float, dt_weeks: float) -> Review:
        """Observe this review's sample and decide the output."""
        # The eroding goal drifts toward what was perceived up to now, then the new report lands.
        ref = self.reference.update(week, imposed, self._perceived, dt_weeks)
        self._perceived = self.perception.observe(sample)
        if self._perceived is None:
            return Review(ref, None, 0.0, self.policy.update(0.0, dt_weeks))
        scale = self.scale if self.scale is not None else abs(ref)
        error = (ref - self._perceived) / scale if scale > 0.0 else 0.0
        return Review(ref, self._perceived, error, self.policy.update(error, dt_weeks))
