"""State of the sales plant: leads, opportunities, people and the team's ledger.

Owns the data the sales processes share. Every random attribute of a lead is drawn when it
arrives, so two variants meeting the same lead meet the same luck (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thermosim.random_streams import Stream


@dataclass(slots=True)
class Lead:
    """A prospect, with its luck drawn on arrival."""

    arrived_week: float
    quality: float  # 1 = a normal lead; call-blitz leads are weaker
    u_qualify: float
    u_win: float
    u_close: float  # where in the week it closes
    u_spare: float  # survives a hand-over when its owner leaves?
    u_screen: float  # how pipeline discipline's screen reads this lead
    value_eur: float  # before discount and price shocks


@dataclass(slots=True)
class Opportunity:
    """A qualified lead being worked toward a close."""

    lead: Lead
    opened_week: float
    quality: float  # qualification quality: raised by pipeline discipline
    progress: float = 0.0  # share of the cycle done; closes at 1
    neglected_weeks: int = 0


@dataclass(slots=True)
class Person:
    """One salesperson."""

    ident: int
    hired_week: float
    luck: Stream  # this person's own draws (attrition), so other people do not shift them
    fatigue: float
    motivation: float
    capability: float  # skill built by coaching and kept up by improvement time
    trained: float = 0.0  # the lasting part of trainings (their retention floor)
    training_bump: float = 0.0  # the fading part of recent trainings
    standard: float = 1.0  # hours worked per deal relative to what a deal needs (1 = as needed)
    active: bool = True
    triaged: bool = True  # opportunities in triage order (``work_pipeline``); False: sort first
    inbox: list[Lead] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)

    @property
    def skill(self) -> float:
        """Skill in use this week."""
        return self.capability + self.trained + self.training_bump


@dataclass(slots=True)
class Hours:
    """Hours by use: one person's week, or a week summed over the team."""

    paid: float = 0.0
    selling: float = 0.0
    admin: float = 0.0
    firefighting: float = 0.0
    coaching: float = 0.0
    improvement: float = 0.0
    account_care: float = 0.0
    internal: float = 0.0
    idle: float = 0.0


@dataclass(slots=True)
class Ledger:
    """Counters that let tests check conservation: every lead and deal is accounted for."""

    leads_in: int = 0
    leads_qualified: int = 0
    leads_rejected: int = 0
    leads_dropped: int = 0  # lost with a leaver, or arriving when nobody can take them
    opportunities_won: int = 0
    opportunities_lost: int = 0
    opportunities_pulled: int = 0  # closed early by a pull-forward (counted in won or lost too)
    hires: int = 0
    max_overbooked_hours: float = 0.0  # worst (hours used - hours available) in a person-week


@dataclass(slots=True)
class Week:
    """Accumulators of the current week, reset by the recorder."""

    revenue_eur: float = 0.0
    margin_eur: float = 0.0
    leads: int = 0
    won: int = 0
    lost: int = 0
    leavers: int = 0
    interventions: int = 0
    changes: float = 0.0  # changes of direction felt by the team this week
    lever_hours: float = 0.0  # hours levers took, summed over people
    overtime_hours: float = 0.0  # paid hours above contract, summed over people
    fees_eur: float = 0.0  # trainers' and coaches' fees
    recruiting_eur: float = 0.0  # hires that started this week
    hours: Hours = field(default_factory=Hours)  # summed over people
