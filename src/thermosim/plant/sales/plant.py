"""The sales plant: a team in its market as SimPy processes.

Owns the processes of the design (lead arrivals, one weekly work process per salesperson, repeat
orders, hiring) and the state they share. The engine reads metrics with ``sample`` and
``record`` and pushes decisions in with ``apply``; shocks arrive through ``shock_one_off`` and the
schedule's multipliers. Times: a week runs from t to t+1; reviews happen at t + REVIEW_AT,
planning at t + PLAN_AT, and the week is booked at t + BOOK_AT (all in ``plant.base``). Deals
closed during the week are booked with it (``books.py``), leads arrive in batches between other
events (``arrivals.py``): both as if each were an event of its own, to the last bit.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator
from typing import Any

import simpy

from thermosim.config.sales import SalesPlantConfig
from thermosim.config.shocks import LostAccountShock, MechanismsConfig, PeopleLeaveShock
from thermosim.plant.base import PLAN_AT, Decision, StreamFactory
from thermosim.plant.sales import people as pp
from thermosim.plant.sales.accounts import Accounts
from thermosim.plant.sales.arrivals import Arrival, hand_out, market_clock
from thermosim.plant.sales.books import book_closes, book_hours
from thermosim.plant.sales.levers import TeamLevers
from thermosim.plant.sales.state import Lead, Ledger, Opportunity, Person, Week
from thermosim.plant.sales.work import (
    Close,
    SharedWeek,
    WeekContext,
    share_week,
    work_pipeline,
)
from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Decisions, Luck, Stream

HANDOVER_SURVIVAL = 0.5  # share of a leaver's deals a colleague can take over (assumed)
MISS_MEMORY_REVIEWS = 8  # "repeated misses": the share of the last two months' reviews


class SalesPlant:
    """The sales team, its pipeline and its customers.

    Parameters
    ----------
    env
        The SimPy environment (owned by the engine).
    cfg
        Plant parameters.
    mechanisms
        Mechanism switches.
    schedule
        The scenario's shocks.
    streams
        Factory of named random streams (same names -> same luck in every variant).
    """

    def __init__(
        self,
        env: simpy.Environment,
        cfg: SalesPlantConfig,
        mechanisms: MechanismsConfig,
        schedule: ShockSchedule,
        streams: StreamFactory,
    ) -> None:
        self.env = env
        self.cfg = cfg
        self.mech = mechanisms
        self.schedule = schedule
        self.market = streams("market")
        self.blitz = streams("blitz")
        self._streams = streams
        self.decide = Decisions(mechanisms.noise)
        self._decide = self.decide.__call__  # quicker to call than the instance (every week)
        self.accounts = Accounts(cfg.accounts, streams("accounts"))
        self.levers = TeamLevers(cfg.levers, cfg.deals)
        self.ledger = Ledger()
        self.week = Week()
        self.team: list[Person] = []
        self.pressure = 0.0  # management pressure from the last review (0..1)
        self.miss_share = 0.0  # share of recent reviews declared a miss
        self.on_shared_course = False
        self.max_team = cfg.people.max_team_size or round(cfg.people.team_size * 1.2)
        self.vacancies_open = 0
        self._next_owner = 0  # round-robin lead routing
        self._shared: SharedWeek | None = None  # what everyone working now shares
        self._keep = pp.Keep.of(cfg.people)
        self._morale = 0.0  # the team's motivation level (``_judge_morale``)
        self._contracted_hours = cfg.time.contracted_hours_per_week
        self._coaching_fee_eur = cfg.costs.coaching_eur_per_person_week
        self._care_planned_per_person = (
            cfg.time.account_care_share * cfg.time.contracted_hours_per_week
        )
        self._value_median = cfg.deals.deal_value_eur
        self._value_sigma = cfg.deals.deal_value_sigma
        self._value_mean_shift = 0.5 * cfg.deals.deal_value_sigma**2
        self._misses: deque[bool] = deque(maxlen=MISS_MEMORY_REVIEWS)
        self._last: dict[str, float] | None = None
        self._last_gap: float | None = None
        self._care_hours_planned = 0.0
        self._last_hire_week = -1e9
        self._next_ident = 0
        self._closes: list[Close] = []  # deals closed this week, booked when it closes
        # Arrivals come at the rate referrals could reach at most, and are thinned to today's.
        self._top_referral = 1.0 + cfg.market.referral_strength * (
            1.0 - cfg.accounts.satisfaction_reference
        )
        init = streams("init")
        for _ in range(cfg.people.team_size):
            self._hire(week=env.now - cfg.people.ramp_weeks - 1.0)  # the team starts fully ramped
        self._prefill_pipeline(init)
        self._judge_morale()

    # --- set-up -------------------------------------------------------------------------

    def _hire(self, week: float) -> Person:
        p = self.cfg.people
        person = Person(
            self._next_ident,
            week,
            self._streams(f"person-{self._next_ident}"),
            pp.REST_FATIGUE if self.mech.fatigue else 0.0,
            p.motivation_start,
            p.skill_start,
        )
        self._next_ident += 1
        self.team.append(person)
        return person

    def _prefill_pipeline(self, init: Stream) -> None:
        """Start in a steady state: each person holds opportunities at every stage of the cycle."""
        d = self.cfg.deals
        per_person = self.cfg.market.lead_rate_per_week / self.cfg.people.team_size
        count = round(per_person * d.qualify_probability * d.cycle_weeks)
        for person in self.team:
            for k in range(count):
                lead = self.new_lead(init, quality=1.0)
                opp = Opportunity(lead, opened_week=self.env.now - 1.0, quality=1.0)
                opp.progress = (k + init.uniform(5)) / max(1, count)
                person.opportunities.append(opp)
                self.ledger.leads_in += 1
                self.ledger.leads_qualified += 1
            person.triaged = False

    def start(self) -> None:
        """Register the plant's processes with the environment."""
        clock = market_clock(
            self.env.now,
            self.cfg.market.lead_rate_per_week,
            self._top_referral,
            self.schedule,
            self.market,
        )
        self.env.process(hand_out(self.env, clock, self._receive))
        for person in list(self.team):
            self.env.process(self._work(person))

    # --- processes ----------------------------------------------------------------------

    def new_lead(self, stream: Stream, quality: float) -> Lead:
        """A lead with its luck drawn now."""
        return self._lead(stream.luck(), stream.noisy, quality, self.env.now)

    def _lead(self, luck: Luck, noisy: bool, quality: float, week: float) -> Lead:
        """The lead arriving at ``week`` with ``luck`` drawn for it (``Stream.luck``)."""
        u_qualify, u_win, u_close, u_spare, u_screen, z = luck
        # Lognormal deal value; with noise off z is 0, so scale by the mean factor instead.
        spread = self._value_sigma * z if noisy else self._value_mean_shift
        return Lead(
            week,
            quality,
            u_qualify,
            u_win,
            u_close,
            u_spare,
            u_screen,
            self._value_median * math.exp(spread),
        )

    def _referral_factor(self) -> float:
        m = self.cfg.market
        ref = self.cfg.accounts.satisfaction_reference
        return max(0.0, 1.0 + m.referral_strength * (self.accounts.satisfaction - ref))

    def _receive(self, arrivals: list[Arrival]) -> None:
        """Thin arrivals to the current referral rate and route the leads kept to the team.

        The arrivals of one call come before any other event, so they meet the same
        satisfaction and the same team.
        """
        referral = self._referral_factor()
        top = self._top_referral
        # As ``_lead`` makes them (written out: this runs for every lead of the market).
        median = self._value_median
        sigma, spread = self._value_sigma, self._value_mean_shift
        noisy = self.market.noisy
        exp = math.exp
        kept = [
            Lead(
                week,
                1.0,
                luck[0],
                luck[1],
                luck[2],
                luck[3],
                luck[4],
                median * exp(sigma * luck[5] if noisy else spread),
            )
            for week, _, keep, luck in arrivals
            if luck is not None and keep * top < referral
        ]
        if kept:
            self._assign(kept)

    def _assign(self, leads: list[Lead]) -> None:
        """Route leads round robin to the team (leavers are removed from ``team``)."""
        self.ledger.leads_in += len(leads)
        self.week.leads += len(leads)
        team = self.team
        if not team:
            self.ledger.leads_dropped += len(leads)
            return
        size = len(team)
        owner = self._next_owner
        for lead in leads:
            owner = (owner + 1) % size
            team[owner].inbox.append(lead)
        self._next_owner = owner

    def _work(self, person: Person) -> Generator[Any, Any, None]:
        """One salesperson's working life: a plan and a week of work, every week.

        Everyone works at the same moments, ``week + PLAN_AT`` computed from the whole week
        number rather than by adding 1.0 week after week: a hire's clock would otherwise run a
        rounding error apart from the team's, and the week's shared costs (a training day's
        fee) would be booked twice.
        """
        week = math.floor(self.env.now)
        if week + PLAN_AT < self.env.now:
            week += 1
        while True:
            yield self.env.timeout(week + PLAN_AT - self.env.now)
            if not person.active:
                return
            self._work_one_week(person)
            week += 1

    def _week_context(self) -> WeekContext:
        """What this week's work reads from the plant, taken when the first person starts."""
        return WeekContext(
            self.cfg,
            self.mech,
            self.levers,
            self.schedule,
            self.pressure,
            self.week.changes,
            self.ledger,
            self.decide,
        )

    def _work_one_week(self, person: Person) -> None:
        now = self.env.now
        shared = self._shared
        if shared is None or shared.at != now:
            shared = self._shared = share_week(self._week_context(), now, shared)
            # A training day is booked once for the team, whoever is in it (once per moment).
            fee = self.cfg.costs.training_fee_eur_per_day
            self.week.fees_eur += fee * shared.terms.plan.training
        plan = shared.terms.plan
        selling_used, closes = work_pipeline(person, shared.context, shared.terms, now)
        book_hours(
            self.week,
            self.ledger,
            plan,
            selling_used,
            self._contracted_hours,
            self._coaching_fee_eur,
        )
        self._care_hours_planned += self._care_planned_per_person
        self._closes += closes
        # Cold calls land in the inbox and are qualified next week.
        for _ in range(self.blitz.poisson(plan.blitz_leads)):
            quality = self.cfg.levers.call_blitz.lead_quality
            self._assign_to(person, self.new_lead(self.blitz, quality=quality))
        self._update_person(person, shared, now)

    def _assign_to(self, person: Person, lead: Lead) -> None:
        self.ledger.leads_in += 1
        self.week.leads += 1
        person.inbox.append(lead)

    def _judge_morale(self) -> None:
        """The level the team's motivation moves toward (``people.team_motivation_level``).

        Worked out where its inputs change (a review's decisions, a new week), not per person.
        """
        self._morale = pp.team_motivation_level(
            self.miss_share, self.week.changes, self.on_shared_course, self.cfg.people
        )

    def _update_person(self, person: Person, shared: SharedWeek, now: float) -> None:
        """The people rules of ``people.py`` for one person's week, then the chance to leave."""
        cfg = self.cfg.people
        if self.mech.fatigue:
            person.fatigue = pp.next_fatigue(
                person.fatigue, shared.fatigue_rise, shared.fatigue_recovery
            )
        person.motivation = pp.next_motivation(
            person.motivation, person.fatigue, self._morale, self._keep.motivation
        )
        pp.grow_skill(
            person,
            shared.capability_target,
            shared.terms.plan.training,
            self.mech.fading_fixes,
            self._keep,
            cfg,
        )
        if self._decide(person.luck.uniform(), pp.attrition_hazard(person, cfg), "attrition"):
            self.week.leavers += 1
            self._leave(person, now)

    def _leave(self, person: Person, now: float) -> None:
        """A person leaves: half their deals go with them, the rest are handed over."""
        person.active = False
        self.team.remove(person)
        heirs = [p for p in self.team if p.active]
        for opp in person.opportunities:
            if heirs and self.decide(opp.lead.u_spare, HANDOVER_SURVIVAL, "handover"):
                heir = min(heirs, key=lambda p: (len(p.opportunities), p.ident))
                heir.opportunities.append(opp)
                heir.triaged = False
            else:
                self.ledger.opportunities_lost += 1
                self.week.lost += 1
        for lead in person.inbox:
            if heirs:
                min(heirs, key=lambda p: (len(p.inbox), p.ident)).inbox.append(lead)
            else:
                self.ledger.leads_dropped += 1
        person.opportunities.clear()
        person.inbox.clear()
        self.env.process(self._refill())

    def _refill(self) -> Generator[Any, Any, None]:
        """Fill a vacancy after the hiring delay; the new hire ramps up."""
        self.vacancies_open += 1
        yield self.env.timeout(self.cfg.people.hiring_weeks)
        self.vacancies_open -= 1
        self.ledger.hires += 1
        self.week.recruiting_eur += self.cfg.costs.recruiting_eur_per_hire
        self.env.process(self._work(self._hire(self.env.now)))

    # --- interface for the engine --------------------------------------------------------

    def shock_one_off(self, shock: LostAccountShock | PeopleLeaveShock) -> None:
        """Apply a one-off shock now."""
        if isinstance(shock, LostAccountShock):
            self.accounts.lose_key_accounts(shock.count)
            return
        leavers = sorted((p for p in self.team if p.active), key=lambda p: p.ident)[: shock.count]
        for person in leavers:
            self._leave(person, self.env.now)

    def target(self, week: float) -> float:
        """The target management imposes now (EUR per week)."""
        return self.cfg.target_eur_per_week * self.schedule.factor("target_change", week)

    def sample(self, metric: str) -> float | None:
        """The last booked week's value of ``metric`` (revenue, margin or satisfaction)."""
        if self._last is None:
            return None
        return self._last[metric]

    def apply(self, decision: Decision) -> None:
        """Take the review's decisions: lasting lever settings, quick fixes, pressure."""
        noticed = self.levers.set_continuous(decision.continuous, decision.pushes)
        for action in decision.started:
            self.levers.start(action)
        self.week.interventions += len(decision.started)
        self.week.changes += len(decision.started) + noticed
        self.pressure = min(1.0, max(0.0, decision.pressure))
        # What people experience is judged by one tolerance for every variant: a reported
        # shortfall beyond it is a miss; a shared goal within it, or getting closer, is progress.
        tolerance = self.cfg.people.miss_tolerance
        gap = decision.gap
        missed = gap is not None and gap > tolerance
        improving = gap is not None and self._last_gap is not None and gap < self._last_gap
        self._last_gap = gap
        self._misses.append(missed)
        self.miss_share = sum(self._misses) / len(self._misses)
        self.on_shared_course = (
            self.mech.goal_clarity
            and decision.goal_shared
            and gap is not None
            and (gap <= tolerance or improving)
        )
        self._judge_morale()
        if decision.continuous.get("capacity_planning", 0.0) >= 1.0:
            self._plan_capacity(decision.week)

    def _plan_capacity(self, week: float) -> None:
        headcount = len(self.team) + self.vacancies_open
        cooldown = self.cfg.levers.capacity_planning.cooldown_weeks
        if headcount < self.max_team and week - self._last_hire_week >= cooldown:
            self._last_hire_week = week
            self.env.process(self._refill())

    def close_week(self, week: float) -> dict[str, float]:
        """Book closes and repeat orders, update customers, and return the week's row of series."""
        book_closes(self.week, self.ledger, self._closes)
        self._closes = []
        w = self.week
        repeat = self.accounts.orders()
        margin_repeat = self.cfg.deals.gross_margin  # discount pushes target new deals only
        revenue = w.revenue_eur + repeat
        margin_eur = w.margin_eur + repeat * margin_repeat
        active = [p for p in self.team if p.active]
        n = max(1, len(active))
        fatigue = sum([p.fatigue for p in active]) / n
        care_ratio = (
            w.hours.account_care / self._care_hours_planned if self._care_hours_planned else 0.0
        )
        self.accounts.update(care_ratio, fatigue, w.won)
        row = {
            "revenue": revenue,
            "target": self.target(week),
            "margin": margin_eur / revenue if revenue > 0 else 0.0,
            "satisfaction": self.accounts.satisfaction,
            "pipeline_value": sum([o.lead.value_eur for p in active for o in p.opportunities]),
            "opportunities_open": float(sum(len(p.opportunities) for p in active)),
            "win_rate": w.won / (w.won + w.lost) if w.won + w.lost else 0.0,
            "leads": float(w.leads),
            "won": float(w.won),
            "lost": float(w.lost),
            "discount": self.levers.discount(week),
            "fatigue": fatigue,
            "motivation": sum([p.motivation for p in active]) / n,
            "skill": sum([p.skill for p in active]) / n,
            "standard": sum([p.standard for p in active]) / n,
            "headcount": float(len(active)),
            "leavers": float(w.leavers),
            "interventions": float(w.interventions),
            "pressure": self.pressure,
        }
        costs = self.cfg.costs
        salary_per_week = costs.salary_eur_per_year / 52.0
        hourly = salary_per_week / self.cfg.time.contracted_hours_per_week
        row["hours_levers"] = w.lever_hours
        row["cost_salaries"] = salary_per_week * len(active)
        row["cost_overtime"] = hourly * costs.overtime_pay_factor * w.overtime_hours
        row["cost_fees"] = w.fees_eur
        row["cost_recruiting"] = w.recruiting_eur
        for use in HOUR_USES:
            row[f"hours_{use}"] = getattr(w.hours, use)
        self.levers.end_of_week(week)
        self._last = row
        self.week = Week()
        self._judge_morale()  # the week's changes of direction are behind the team
        self._care_hours_planned = 0.0
        return row


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
