"""What the levers do to the sales team: their intensities over time and their hour costs.

Owns the team's lever state: quick fixes running for their duration, lasting levers set each
review, the stickiness of extra reporting, and customers' memory of discounts. Every number of
the price list is a scenario field (``plant.levers``, ``plant.deals``); the control core only
decides *which* lever.
"""

from __future__ import annotations

import math

from thermosim.config.sales import DealsConfig, LeverPrices
from thermosim.control.levers import Intervention

CHANGE_NOTICED = 0.1  # a lasting lever moved this much is a change of direction for the team
EVENT_WEEKS = 1.0  # levers that are an event (a training, a meeting) last the week they start


class TeamLevers:
    """Lever intensities in force for the team.

    Parameters
    ----------
    prices
        The price list: durations, hours, stickiness of every lever.
    deals
        Deal terms: the discount at a full push and how long customers remember it.
    """

    def __init__(self, prices: LeverPrices, deals: DealsConfig) -> None:
        self.prices = prices
        self.max_discount = deals.max_discount
        self.discount_memory_weeks = deals.discount_memory_weeks
        self._episodes: dict[str, tuple[float, float]] = {}  # lever -> (intensity, end week)
        self.continuous: dict[str, float] = {}
        self._announced: dict[str, float] = {}  # lasting levels the team was last told about
        self._direction: dict[str, int] = {}  # which way each lasting lever last moved
        self.pushes: list[dict[str, float]] = []  # per member loop, for coordination costs
        self.extra_reporting_hours = 0.0
        self.discount_memory = 0.0
        self.started_this_week: list[Intervention] = []
        self._cache: tuple[float, dict[str, float]] | None = None  # levels at one moment
        self._clipped: tuple[float, dict[str, float]] | None = None  # the same, clipped to 0..1
        self._reporting_hours = prices.extra_reporting.hours_per_week  # per unit of reporting
        self.version = 0  # counts changes of the state above (a fix started, a review, a week)
        # What one week leaves of sticky reporting, and of the discount memory's gap when a
        # discount is learnt or forgotten (``end_of_week``; each ``exp(-1 / tau)``).
        self._reporting_keep = math.exp(-1.0 / prices.extra_reporting.sticky_weeks)
        self._learn_keep = math.exp(-1.0 / prices.discount_push.learn_weeks)
        self._forget_keep = math.exp(-1.0 / deals.discount_memory_weeks)

    def start(self, action: Intervention) -> None:
        """Start a quick fix; a fix already running is renewed at the higher intensity."""
        current = self._episodes.get(action.lever)
        running = current is not None and action.week < current[1]
        intensity = max(action.intensity, current[0] if running and current else 0.0)
        self._episodes[action.lever] = (intensity, action.week + self.duration(action.lever))
        self._cache = self._clipped = None
        self.version += 1
        if action.lever == "extra_reporting" and not running:
            # A new reporting requirement adds hours; repeating one that still runs does not.
            self.extra_reporting_hours += self.prices.extra_reporting.hours_per_week * max(
                0.0, action.intensity
            )
        self.started_this_week.append(action)

    def duration(self, lever: str) -> float:
        """Weeks one use of ``lever`` runs (events such as a training: the week itself)."""
        price = getattr(self.prices, lever, None)
        weeks = getattr(price, "duration_weeks", None)
        return float(weeks) if weeks is not None else EVENT_WEEKS

    def set_continuous(self, intensities: dict[str, float], pushes: list[dict[str, float]]) -> int:
        """Set lasting lever intensities; return the changes of direction the team notices.

        Turning a lasting lever further the same way is no change of direction; a noticeable
        move (CHANGE_NOTICED or more since the last one) against the previous one is, and like
        a quick fix it interrupts the team.
        """
        reversed_course = False
        for lever, level in intensities.items():
            step = level - self._announced.get(lever, 0.0)
            if abs(step) >= CHANGE_NOTICED:
                direction = 1 if step > 0 else -1
                reversed_course |= self._direction.get(lever, direction) != direction
                self._announced[lever] = level
                self._direction[lever] = direction
        # Levers turned back together at one review are one change of course for the team.
        changes = 1 if reversed_course else 0
        self.continuous = intensities
        self.pushes = pushes
        self._cache = self._clipped = None
        self.version += 1
        return changes

    def level(self, lever: str, week: float) -> float:
        """Intensity of ``lever`` now: a running fix, or the lasting setting (net of pushes)."""
        episode = self._episodes.get(lever)
        running = episode[0] if episode is not None and week < episode[1] else 0.0
        lasting = self.continuous.get(lever, 0.0)
        return lasting if lasting > running else running  # max(running, lasting), to the bit

    def levels(self, week: float) -> dict[str, float]:
        """Every lever's intensity now (cached: people plan many times a week with it)."""
        if self._cache is None or self._cache[0] != week:
            # ``level`` of every lever set or started, without a call each
            continuous = self.continuous
            found = {name: x if x > 0.0 else 0.0 for name, x in continuous.items()}
            for name, (intensity, end) in self._episodes.items():
                running = intensity if week < end else 0.0
                lasting = continuous.get(name, 0.0)
                found[name] = lasting if lasting > running else running
            self._cache = (week, found)
        return self._cache[1]

    def clipped_levels(self, week: float) -> dict[str, float]:
        """``levels``, each clipped to 0..1 (cached like them; a lever not in use is 0)."""
        if self._clipped is None or self._clipped[0] != week:
            clipped = {}
            for name, level in self.levels(week).items():
                level = level if level > 0.0 else 0.0  # min(1.0, max(0.0, level)), to the bit
                clipped[name] = level if level < 1.0 else 1.0
            self._clipped = (week, clipped)
        return self._clipped[1]

    def same_levels(self, week_a: float, week_b: float) -> bool:
        """Whether every lever has the same intensity at both weeks (no fix ends in between).

        Time enters the levels only through ``week < end`` of each fix (``level``).
        """
        return all((week_a < end) == (week_b < end) for _, end in self._episodes.values())

    def training_this_week(self, week: float) -> float:
        """Intensity of this week's training: started since the last planning, or held."""
        return self._event("training_day", week)

    def meetings_this_week(self, week: float) -> float:
        """Intensity of this week's urgent meetings: called since the last planning, or held."""
        return self._event("urgent_meeting", week)

    def reporting_hours(self, week: float) -> float:
        """Reporting hours per person now: the sticky ones, or a held level if that is more."""
        held = self.continuous.get("extra_reporting", 0.0)
        held = self._reporting_hours * (held if held > 0.0 else 0.0)
        sticky = self.extra_reporting_hours
        return held if held > sticky else sticky  # max(sticky, held), to the bit

    def _event(self, lever: str, week: float) -> float:
        # A lever that is an event (a day out, a meeting) held at a level by a continuous
        # playbook happens every week at that level: same effect, same hours, same fee.
        started = (
            sum(a.intensity for a in self.started_this_week if a.lever == lever)
            if self.started_this_week
            else 0  # what the sum of nothing gives
        )
        held = self.continuous.get(lever, 0.0)
        held = held if held > 0.0 else 0.0
        return held if held > started else started  # max(started, max(0.0, held)), to the bit

    def coordination_hours(self) -> float:
        """Hours per person spent pulling shared levers against each other.

        Only the contested part costs: per lever, the pushes that cancel out
        (sum of |push| minus |sum of pushes|). Members pulling the same way agree for free.
        """
        if len(self.pushes) < 2:
            return 0.0
        contested = 0.0
        for lever in {lever for push in self.pushes for lever in push}:
            values = [push.get(lever, 0.0) for push in self.pushes]
            contested += sum(abs(v) for v in values) - abs(sum(values))
        return self.prices.coordination_hours * contested

    def discount(self, week: float) -> float:
        """Discount offered now (0 to max_discount)."""
        level = self.level("discount_push", week)
        level = level if level > 0.0 else 0.0  # min(1.0, max(0.0, level)), to the bit
        return self.max_discount * (level if level < 1.0 else 1.0)

    def end_of_week(self, week: float) -> None:
        """Let sticky reporting decay slowly and customers' discount memory follow discounts."""
        self.extra_reporting_hours *= self._reporting_keep
        d = self.discount(week)
        keep = self._learn_keep if d > self.discount_memory else self._forget_keep
        self.discount_memory = d + (self.discount_memory - d) * keep
        self.started_this_week = []
        self.version += 1
