"""The week's books: deals closed, and each person's hours, overtime and fees, summed over people.

Owns how the week's accumulators (``state.Week``) and the ledger are filled. Closes are booked
when the week closes, in the order of their times: the order in which one event per close would
have booked them, so every sum adds up in the same order, to the last bit.
"""

from __future__ import annotations

from operator import itemgetter

from thermosim.plant.sales.state import Ledger, Week
from thermosim.plant.sales.work import Close, WeekPlan

_when = itemgetter(0)  # the week a close is booked at


def book_closes(week: Week, ledger: Ledger, closes: list[Close]) -> None:
    """Book ``closes`` in the order of their times (ties: in the order they were made)."""
    for _, revenue_eur, margin, won in sorted(closes, key=_when):
        week.revenue_eur += revenue_eur
        week.margin_eur += revenue_eur * margin
        if won:
            ledger.opportunities_won += 1
            week.won += 1
        else:
            ledger.opportunities_lost += 1
            week.lost += 1


def book_hours(
    week: Week,
    ledger: Ledger,
    plan: WeekPlan,
    selling_used: float,
    contracted_hours: float,
    coaching_fee_eur: float,
) -> None:
    """Add one person's week to the team's hours, overtime and fees.

    ``selling_used`` is what ``work_pipeline`` spent of the plan's selling hours; the rest is
    idle. ``coaching_fee_eur`` is the fee per person-week of full coaching.
    """
    mine = plan.hours
    idle = mine.selling - selling_used
    hours = week.hours
    hours.paid += mine.paid
    hours.selling += selling_used
    hours.admin += mine.admin
    hours.firefighting += mine.firefighting
    hours.coaching += mine.coaching
    hours.improvement += mine.improvement
    hours.account_care += mine.account_care
    hours.internal += mine.internal
    hours.idle += idle
    paid = mine.paid
    week.lever_hours += plan.lever_hours
    if paid > contracted_hours:
        week.overtime_hours += paid - contracted_hours
    if plan.coaching_level > 0.0:
        week.fees_eur += coaching_fee_eur * plan.coaching_level
    used = (
        paid,
        selling_used,
        mine.admin,
        mine.firefighting,
        mine.coaching,
        mine.improvement,
        mine.account_care,
        mine.internal,
        idle,
    )
    overbooked = sum(used) - 2.0 * paid  # every use but "paid", minus paid
    if overbooked > ledger.max_overbooked_hours:
        ledger.max_overbooked_hours = overbooked
