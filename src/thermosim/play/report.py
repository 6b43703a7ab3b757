"""What a manager sees at the start of a round: the weekly report and the state of the team.

Owns the ``Report`` a participant decides on (the number in this week's report against the
target, its 4-week trend, the pipeline, the team's hours, fatigue and motivation, news of shocks
since the last round, and the course they have set) and how it is read off a review and the
week just booked. The number is the report the variant's loop perceives (late, as the reactive
manager's is), so a participant sees exactly what the policies act on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from thermosim.config.scenario import Scenario
from thermosim.config.shocks import AnyShock
from thermosim.control.loop import Review
from thermosim.play.decisions import Course

TREND_WEEKS = 4  # the trend a manager is shown: the mean of the last four weekly reports
# Hour uses shown to the manager, from the week just booked (``hours_<use>`` of the plant's row).
HOUR_USES = ("paid", "selling", "admin", "firefighting", "coaching", "account_care")


@dataclass(frozen=True)
class News:
    """A shock the manager hears of: its kind, the week it struck, and its size."""

    kind: str
    week: float
    factor: float | None = None  # factor shocks (leads, win rate, deal size, target)
    count: int | None = None  # key accounts lost, people who left


@dataclass(frozen=True)
class ReportPoint:
    """One weekly report: the week of the review, the number reported (None: none yet)."""

    week: int
    reported_eur: float | None
    target_eur: float


@dataclass(frozen=True)
class Report:
    """Everything a participant sees before deciding a round.

    Attributes
    ----------
    round, rounds
        This round (from 0) and how many the game has.
    week
        The week the round starts; decisions take effect from it.
    reported_eur, report_week
        Revenue in the latest weekly report and the week it covers (None before the first).
    target_eur
        The target the report is held against (per week).
    trend_eur
        Mean of the last four reports (fewer at the start; None before the first).
    history
        Every weekly report so far, this one last.
    pipeline_eur, opportunities
        Value and number of open opportunities after the week just booked.
    hours
        Team hours of the week just booked, by use (``HOUR_USES``).
    fatigue, motivation
        Team means, 0 to 1.
    headcount
        Salespeople on the team.
    news
        Shocks that struck since the previous round.
    course
        The standing settings (lasting levers, overtime) in force.
    """

    round: int
    rounds: int
    week: int
    reported_eur: float | None
    report_week: int | None
    target_eur: float
    trend_eur: float | None
    history: tuple[ReportPoint, ...]
    pipeline_eur: float
    opportunities: float
    hours: dict[str, float]
    fatigue: float
    motivation: float
    headcount: float
    news: tuple[News, ...]
    course: Course

    @property
    def gap(self) -> float | None:
        """The latest report's shortfall relative to the target (negative: ahead)."""
        if self.reported_eur is None or self.target_eur == 0.0:
            return None
        return (self.target_eur - self.reported_eur) / abs(self.target_eur)


def trend(history: Sequence[ReportPoint]) -> float | None:
    """Mean of the last ``TREND_WEEKS`` reported numbers (None before the first)."""
    seen = [p.reported_eur for p in history if p.reported_eur is not None][-TREND_WEEKS:]
    return sum(seen) / len(seen) if seen else None


def news_between(scenario: Scenario, first_week: float, week: float) -> tuple[News, ...]:
    """Shocks that struck from ``first_week`` up to (not including) ``week``.

    A shock of week w strikes just after that week's review, so the manager hears of it at the
    next review. A seasonal wave is the market's rhythm, not news.
    """
    news = []
    for shock in scenario.shocks:
        if shock.kind == "seasonality" or not first_week <= shock.week < week:
            continue
        news.append(_news(shock))
    return tuple(news)


def _news(shock: AnyShock) -> News:
    factor = getattr(shock, "factor", None)
    count = getattr(shock, "count", None)
    return News(shock.kind, shock.week, factor, count)


def make_report(
    round_: int,
    rounds: int,
    week: int,
    review: Review,
    history: tuple[ReportPoint, ...],
    sample: Callable[[str], float | None],
    news: tuple[News, ...],
    course: Course,
    delay_weeks: int,
) -> Report:
    """The report of a round, from the review at its first week and the week just booked."""

    def booked(name: str) -> float:
        value = sample(name)
        return 0.0 if value is None else float(value)

    reported = review.perceived
    return Report(
        round=round_,
        rounds=rounds,
        week=week,
        reported_eur=reported,
        # The review at week w samples week w - 1, which the report shows after the delay.
        report_week=None if reported is None else week - 1 - delay_weeks,
        target_eur=review.reference,
        trend_eur=trend(history),
        history=history,
        pipeline_eur=booked("pipeline_value"),
        opportunities=booked("opportunities_open"),
        hours={use: booked(f"hours_{use}") for use in HOUR_USES},
        fatigue=booked("fatigue"),
        motivation=booked("motivation"),
        headcount=booked("headcount"),
        news=news,
        course=course,
    )
