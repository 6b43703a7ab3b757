"""Lever repertoire and playbooks: how a loop's output becomes actions on the plant.

Owns the names and kinds of the levers of the design (symptomatic: quick, fading, with side
effects; fundamental: slow, lasting) and the two ways a team uses them: ``episodic`` (a reflex:
start the next quick fix whenever the pressure is over a threshold) and ``continuous`` (set the
intensity of lasting levers in proportion to the output). The plant owns what a lever does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LeverKind = Literal["symptomatic", "fundamental"]
PlaybookMode = Literal["episodic", "continuous"]
# The names of `LEVERS`, as a type for the scenario files (a test keeps the two equal).
LeverName = Literal[
    "call_blitz",
    "extra_reporting",
    "training_day",
    "urgent_meeting",
    "discount_push",
    "cut_improvement",
    "coaching",
    "pipeline_discipline",
    "account_care",
    "capacity_planning",
]


@dataclass(frozen=True, slots=True)
class LeverSpec:
    """Static facts of one lever."""

    name: str
    kind: LeverKind
    description: str


LEVERS: dict[str, LeverSpec] = {
    spec.name: spec
    for spec in (
        LeverSpec("call_blitz", "symptomatic", "more calling: selling hours shift to prospecting"),
        LeverSpec("extra_reporting", "symptomatic", "more reporting: stalled deals seen"),
        LeverSpec("training_day", "symptomatic", "another training: a day out, a fading bump"),
        LeverSpec("urgent_meeting", "symptomatic", "urgent meetings: closing focus, hours lost"),
        LeverSpec("discount_push", "symptomatic", "discounts: wins pulled forward, margin down"),
        LeverSpec("cut_improvement", "symptomatic", "improvement time spent on selling"),
        LeverSpec("coaching", "fundamental", "protected coaching hours: lasting capability"),
        LeverSpec("pipeline_discipline", "fundamental", "stricter qualification"),
        LeverSpec("account_care", "fundamental", "hours for existing customers"),
        LeverSpec("capacity_planning", "fundamental", "hire when a gap persists"),
    )
}

SYMPTOMATIC: tuple[str, ...] = tuple(n for n, s in LEVERS.items() if s.kind == "symptomatic")
FUNDAMENTAL: tuple[str, ...] = tuple(n for n, s in LEVERS.items() if s.kind == "fundamental")

# Which way raising a metric pulls each lever: a member steering on margin pulls the discount
# down while one steering on volume pulls it up (the conflict of fragmented metrics).
METRIC_LEVER_SIGN: dict[str, dict[str, float]] = {
    "revenue": {},
    "margin": {"discount_push": -1.0, "call_blitz": -1.0},
    "satisfaction": {"discount_push": 0.0, "call_blitz": -1.0},
    "temperature": {},
}


@dataclass(frozen=True, slots=True)
class Intervention:
    """One action for the interventions log (who: ``team`` or the metric a member steers on)."""

    week: float
    lever: str
    intensity: float
    who: str = "team"


class Playbook:
    """Turns a loop's output into lever actions.

    Parameters
    ----------
    repertoire
        Levers this loop may use, in the order a reflex reaches for them.
    mode
        ``episodic``: when the output exceeds ``threshold``, start the next lever of the
        repertoire (round robin) for its duration, at intensity = output.
        ``continuous``: every review, set each lever's intensity to ``base + output`` times the
        lever's sign for the loop's metric.
    threshold
        Minimum output that triggers an episodic action.
    base
        Standing intensity of continuous levers (e.g. coaching that is always protected).
    metric
        The metric the loop steers on; sets the direction of each lever.
    who
        Who acts: ``team``, or the metric of the members steering with this playbook.
    """

    def __init__(
        self,
        repertoire: tuple[str, ...],
        mode: PlaybookMode,
        threshold: float = 0.05,
        base: float = 0.0,
        metric: str = "revenue",
        who: str = "team",
    ) -> None:
        unknown = [lever for lever in repertoire if lever not in LEVERS]
        if unknown:
            raise ValueError(f"unknown levers {unknown}; known: {sorted(LEVERS)}")
        self.repertoire = repertoire
        self.mode = mode
        self.threshold = threshold
        self.base = base
        self.who = who
        self._signs = {
            lever: METRIC_LEVER_SIGN.get(metric, {}).get(lever, 1.0) for lever in repertoire
        }
        self._next = 0

    def act(self, week: float, output: float) -> tuple[dict[str, float], list[Intervention]]:
        """Return continuous lever intensities and newly started episodic interventions."""
        if not self.repertoire:
            return {}, []
        if self.mode == "continuous":
            level = self.base + output
            return {lever: sign * level for lever, sign in self._signs.items()}, []
        if output <= self.threshold:
            return {}, []
        lever = self.repertoire[self._next % len(self.repertoire)]
        self._next += 1
        intensity = min(1.0, output) * self._signs[lever]
        return {}, [Intervention(week, lever, intensity, self.who)]
