"""The week's books: deals closed, each person's hours, overtime and fees, and the week's row.

Owns how the week's accumulators (``state.Week``) and the ledger are filled, and the row of
series a booked week becomes. Closes are booked when the week closes, in the order of their
times: the order in which one event per close would have booked them, so every sum adds up in
the same order, to the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter, sub

from thermosim.config.sales import SalesPlantConfig
from thermosim.plant.sales.pipeline import Close
from thermosim.plant.sales.state import Ledger, Person, Week
from thermosim.plant.sales.work import WeekPlan

_when = itemgetter(0)  # the week a close is booked at
HOUR_USES = (
    "paid",
    "selling",
    "admin",
    "firefighting",
    "coaching",
    "improvement",
    "account_care",
    "internal",
    "idle",
)


@dataclass(frozen=True, slots=True)
class Pay:
    """What people cost per week, from the scenario's ``costs`` and ``time``."""

    salary_per_week: float  # EUR per person
    overtime_hourly: float  # EUR per overtime hour

    @classmethod
    def of(cls, cfg: SalesPlantConfig) -> Pay:
        """The pay of a plant with config ``cfg``."""
        salary_per_week = cfg.costs.salary_eur_per_year / 52.0
        hourly = salary_per_week / cfg.time.contracted_hours_per_week
        return cls(salary_per_week, hourly * cfg.costs.overtime_pay_factor)


def book_closes(week: Week, ledger: Ledger, closes: list[Close]) -> None:
    """Book ``closes`` in the order of their times (ties: in the order they were made)."""
    revenue, margins = week.revenue_eur, week.margin_eur  # the sums, in order, in locals
    wins = 0
    for _, revenue_eur, margin, won in sorted(closes, key=_when):
        revenue += revenue_eur
        margins += revenue_eur * margin
        if won:
            wins += 1
    week.revenue_eur, week.margin_eur = revenue, margins
    ledger.opportunities_won += wins
    week.won += wins
    ledger.opportunities_lost += len(closes) - wins
    week.lost += len(closes) - wins


def book_hours(
    week: Week,
    ledger: Ledger,
    plan: WeekPlan,
    selling_used: Sequence[float],
    contracted_hours: float,
    coaching_fee_eur: float,
) -> None:
    """Add the weeks of people working to one plan to the team's hours, overtime and fees.

    ``selling_used`` is, person by person, what ``work_pipeline`` spent of the plan's selling
    hours; the rest is idle. ``coaching_fee_eur`` is the fee per person-week of full coaching.
    Each sum grows person by person in that order, as one call per person would add it.
    """
    mine = plan.hours
    paid, selling, admin, fire = mine.paid, mine.selling, mine.admin, mine.firefighting
    coaching, improvement, care, internal = (
        mine.coaching,
        mine.improvement,
        mine.account_care,
        mine.internal,
    )
    lever_hours = plan.lever_hours
    overtime = paid - contracted_hours if paid > contracted_hours else None
    fee = coaching_fee_eur * plan.coaching_level if plan.coaching_level > 0.0 else None
    hours = week.hours
    # Each sum in a local while the crew is booked (the same additions, in the same order).
    s_paid, s_selling, s_admin, s_fire = hours.paid, hours.selling, hours.admin, hours.firefighting
    s_coaching, s_improvement, s_care = hours.coaching, hours.improvement, hours.account_care
    s_internal, s_idle = hours.internal, hours.idle
    levers, overtime_sum, fees = week.lever_hours, week.overtime_hours, week.fees_eur
    worst = ledger.max_overbooked_hours
    for used in selling_used:
        idle = selling - used
        s_paid += paid
        s_selling += used
        s_admin += admin
        s_fire += fire
        s_coaching += coaching
        s_improvement += improvement
        s_care += care
        s_internal += internal
        s_idle += idle
        levers += lever_hours
        if overtime is not None:
            overtime_sum += overtime
        if fee is not None:
            fees += fee
    # The worst overbooking: every use but "paid", minus paid, person by person (``sum`` of
    # each person's uses, whatever its summation; the most of them less 2 paid is the most of
    # each less 2 paid, since rounding keeps the order).
    n = len(selling_used)
    uses = zip(
        repeat(paid, n),
        selling_used,
        repeat(admin, n),
        repeat(fire, n),
        repeat(coaching, n),
        repeat(improvement, n),
        repeat(care, n),
        repeat(internal, n),
        map(sub, repeat(selling, n), selling_used),  # idle
        strict=True,
    )
    most = max(map(sum, uses), default=None)
    if most is not None and most - 2.0 * paid > worst:
        worst = most - 2.0 * paid
    hours.paid, hours.selling, hours.admin, hours.firefighting = s_paid, s_selling, s_admin, s_fire
    hours.coaching, hours.improvement, hours.account_care = s_coaching, s_improvement, s_care
    hours.internal, hours.idle = s_internal, s_idle
    week.lever_hours, week.overtime_hours, week.fees_eur = levers, overtime_sum, fees
    ledger.max_overbooked_hours = worst


def week_row(
    week: Week,
    people: list[Person],
    *,
    revenue: float,
    margin_eur: float,
    target: float,
    satisfaction: float,
    fatigue: float,
    discount: float,
    pressure: float,
    pay: Pay,
) -> dict[str, float]:
    """The booked ``week`` of the team ``people`` as its row of series (``metrics``' names).

    ``revenue`` and ``margin_eur`` include repeat orders; ``fatigue`` is the people's mean; the
    rest is the week's target, customers' satisfaction, discount and management pressure.
    """
    n = len(people) or 1  # max(1, headcount)
    won, lost = week.won, week.lost
    hours = week.hours
    return {
        "revenue": revenue,
        "target": target,
        "margin": margin_eur / revenue if revenue > 0 else 0.0,
        "satisfaction": satisfaction,
        "pipeline_value": sum([o.lead.value_eur for p in people for o in p.opportunities]),
        "opportunities_open": float(sum([len(p.opportunities) for p in people])),
        "win_rate": won / (won + lost) if won + lost else 0.0,
        "leads": float(week.leads),
        "won": float(won),
        "lost": float(lost),
        "discount": discount,
        "fatigue": fatigue,
        "motivation": sum([p.motivation for p in people]) / n,
        # Person.skill, written out: a property costs a call per person
        "skill": sum([p.capability + p.trained + p.training_bump for p in people]) / n,
        "standard": sum([p.standard for p in people]) / n,
        "headcount": float(len(people)),
        "leavers": float(week.leavers),
        "interventions": float(week.interventions),
        "pressure": pressure,
        "hours_levers": week.lever_hours,
        "cost_salaries": pay.salary_per_week * len(people),
        "cost_overtime": pay.overtime_hourly * week.overtime_hours,
        "cost_fees": week.fees_eur,
        "cost_recruiting": week.recruiting_eur,
        # HOUR_USES, in order
        "hours_paid": hours.paid,
        "hours_selling": hours.selling,
        "hours_admin": hours.admin,
        "hours_firefighting": hours.firefighting,
        "hours_coaching": hours.coaching,
        "hours_improvement": hours.improvement,
        "hours_account_care": hours.account_care,
        "hours_internal": hours.internal,
        "hours_idle": hours.idle,
    }
