"""The sales plant: a team in its market as SimPy processes.

Owns the processes of the design (lead arrivals, one weekly work process per salesperson, repeat
orders, hiring) and the state they share. The engine reads metrics with ``sample`` and
``record`` and pushes decisions in with ``apply``; shocks arrive through ``shock_one_off`` and the
schedule's multipliers. Times: a week runs from t to t+1; reviews happen at t + REVIEW_AT,
planning at t + PLAN_AT, and the week is booked at t + BOOK_AT (all in ``plant.base``).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import simpy

from thermosim.config.sales import SalesPlantConfig
from thermosim.config.shocks import LostAccountShock, MechanismsConfig, PeopleLeaveShock
from thermosim.plant.base import PLAN_AT, Decision, StreamFactory
from thermosim.plant.sales import people as pp
from thermosim.plant.sales.accounts import Accounts
from thermosim.plant.sales.levers import TeamLevers
from thermosim.plant.sales.state import Lead, Ledger, Opportunity, Person, Week
from thermosim.plant.sales.work import TeamWeek, WeekContext, WeekPlan, team_week, work_pipeline
from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Decisions, Stream

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
        # shared by everyone this week: its time, terms and context
        self._team_week: tuple[float, TeamWeek, WeekContext] | None = None
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
        init = streams("init")
        for _ in range(cfg.people.team_size):
            self._hire(week=env.now - cfg.people.ramp_weeks - 1.0)  # the team starts fully ramped
        self._prefill_pipeline(init)

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

    def start(self) -> None:
        """Register the plant's processes with the environment."""
        self.env.process(self._lead_arrivals())
        for person in list(self.team):
            self.env.process(self._work(person))

    # --- processes ----------------------------------------------------------------------

    def new_lead(self, stream: Stream, quality: float) -> Lead:
        """A lead with its luck drawn now."""
        u_qualify, u_win, u_close, u_spare, u_screen, z = stream.luck()
        # Lognormal deal value; with noise off z is 0, so scale by the mean factor instead.
        spread = self._value_sigma * z if stream.noisy else self._value_mean_shift
        return Lead(
            self.env.now,
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

    def _lead_arrivals(self) -> Generator[Any, Any, None]:
        """Poisson arrivals, thinned to the current rate so every variant sees the same leads."""
        m = self.cfg.market
        top = 1.0 + m.referral_strength * (1.0 - self.cfg.accounts.satisfaction_reference)
        while True:
            base = m.lead_rate_per_week * self.schedule.factor("lead_rate", self.env.now) * top
            if base <= 0.0:
                yield self.env.timeout(1.0)
                continue
            yield self.env.timeout(self.market.exponential(1.0 / base))
            keep = self.market.uniform(4)
            lead = self.new_lead(self.market, quality=1.0)
            if keep * top < self._referral_factor():
                self._assign(lead)

    def _assign(self, lead: Lead) -> None:
        """Route a lead round robin to the team (leavers are removed from ``team``)."""
        self.ledger.leads_in += 1
        self.week.leads += 1
        if not self.team:
            self.ledger.leads_dropped += 1
            return
        self._next_owner = (self._next_owner + 1) % len(self.team)
        self.team[self._next_owner].inbox.append(lead)

    def _work(self, person: Person) -> Generator[Any, Any, None]:
        """One salesperson's working life: a plan and a week of work, every week."""
        start = self.env.now
        first = float(math.floor(start)) + PLAN_AT
        if first < start:
            first += 1.0
        yield self.env.timeout(first - start)
        while person.active:
            self._work_one_week(person)
            if not person.active:
                return
            yield self.env.timeout(1.0)

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
        if self._team_week is None or self._team_week[0] != now:
            context = self._week_context()
            self._team_week = (now, team_week(context, now), context)
            # A training day is booked once for the team, whoever is in it.
            fee = self.cfg.costs.training_fee_eur_per_day
            self.week.fees_eur += fee * self._team_week[1].plan.training
        _, tw, context = self._team_week
        plan = tw.plan_for_person()
        closes = work_pipeline(person, context, plan, tw, now)
        self._book_hours(plan)
        for delay, value_eur, margin, won in closes:
            self.env.timeout(delay).callbacks.append(self._closer(value_eur, margin, won))
        # Cold calls land in the inbox and are qualified next week.
        for _ in range(self.blitz.poisson(plan.blitz_leads)):
            quality = self.cfg.levers.call_blitz.lead_quality
            self._assign_to(person, self.new_lead(self.blitz, quality=quality))
        self._update_person(person, plan, now)

    def _assign_to(self, person: Person, lead: Lead) -> None:
        self.ledger.leads_in += 1
        self.week.leads += 1
        person.inbox.append(lead)

    def _closer(self, revenue_eur: float, margin: float, won: bool) -> Callable[[Any], None]:
        def close(_event: Any) -> None:
            self.week.revenue_eur += revenue_eur
            self.week.margin_eur += revenue_eur * margin
            if won:
                self.ledger.opportunities_won += 1
                self.week.won += 1
            else:
                self.ledger.opportunities_lost += 1
                self.week.lost += 1

        return close

    def _book_hours(self, plan: WeekPlan) -> None:
        hours = self.week.hours
        mine = plan.hours
        for key, value in mine.items():
            hours[key] = hours.get(key, 0.0) + value
        paid = mine["paid"]
        week = self.week
        week.lever_hours += plan.lever_hours
        if paid > self._contracted_hours:
            week.overtime_hours += paid - self._contracted_hours
        if plan.coaching_level > 0.0:
            week.fees_eur += self._coaching_fee_eur * plan.coaching_level
        overbooked = sum(mine.values()) - 2.0 * paid  # every use but "paid", minus paid
        self._care_hours_planned += self._care_planned_per_person
        if overbooked > self.ledger.max_overbooked_hours:
            self.ledger.max_overbooked_hours = overbooked

    def _update_person(self, person: Person, plan: WeekPlan, now: float) -> None:
        cfg = self.cfg.people
        if self.mech.fatigue:
            person.fatigue = pp.update_fatigue(
                person.fatigue,
                plan.hours["paid"],
                plan.interruptions,
                self.cfg.time.sustainable_hours_per_week,
                cfg,
            )
        person.motivation = pp.update_motivation(
            person.motivation,
            person.fatigue,
            self.miss_share,
            self.week.changes,
            self.on_shared_course,
            cfg,
        )
        pp.update_skill(
            person,
            plan.coaching_level,
            plan.improvement_level,
            plan.training,
            self.mech.fading_fixes,
            cfg,
        )
        if self.decide(person.luck.uniform(), pp.attrition_hazard(person, cfg), "attrition"):
            self.week.leavers += 1
            self._leave(person, now)

    def _leave(self, person: Person, now: float) -> None:
        """A person leaves: half their deals go with them, the rest are handed over."""
        person.active = False
        self.team.remove(person)
        heirs = [p for p in self.team if p.active]
        for opp in person.opportunities:
            if heirs and self.decide(opp.lead.u_spare, HANDOVER_SURVIVAL, "handover"):
                min(heirs, key=lambda p: (len(p.opportunities), p.ident)).opportunities.append(opp)
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
        if decision.continuous.get("capacity_planning", 0.0) >= 1.0:
            self._plan_capacity(decision.week)

    def _plan_capacity(self, week: float) -> None:
        headcount = len(self.team) + self.vacancies_open
        cooldown = self.cfg.levers.capacity_planning.cooldown_weeks
        if headcount < self.max_team and week - self._last_hire_week >= cooldown:
            self._last_hire_week = week
            self.env.process(self._refill())

    def close_week(self, week: float) -> dict[str, float]:
        """Book repeat orders, update customers, and return the week's row of series."""
        w = self.week
        repeat = self.accounts.orders()
        margin_repeat = self.cfg.deals.gross_margin  # discount pushes target new deals only
        revenue = w.revenue_eur + repeat
        margin_eur = w.margin_eur + repeat * margin_repeat
        active = [p for p in self.team if p.active]
        n = max(1, len(active))
        fatigue = sum(p.fatigue for p in active) / n
        care_ratio = (
            w.hours.get("account_care", 0.0) / self._care_hours_planned
            if self._care_hours_planned
            else 0.0
        )
        self.accounts.update(care_ratio, fatigue, w.won)
        row = {
            "revenue": revenue,
            "target": self.target(week),
            "margin": margin_eur / revenue if revenue > 0 else 0.0,
            "satisfaction": self.accounts.satisfaction,
            "pipeline_value": sum(o.lead.value_eur for p in active for o in p.opportunities),
            "opportunities_open": float(sum(len(p.opportunities) for p in active)),
            "win_rate": w.won / (w.won + w.lost) if w.won + w.lost else 0.0,
            "leads": float(w.leads),
            "won": float(w.won),
            "lost": float(w.lost),
            "discount": self.levers.discount(week),
            "fatigue": fatigue,
            "motivation": sum(p.motivation for p in active) / n,
            "skill": sum(p.skill for p in active) / n,
            "standard": sum(p.standard for p in active) / n,
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
            row[f"hours_{use}"] = w.hours.get(use, 0.0)
        self.levers.end_of_week(week)
        self._last = row
        self.week = Week()
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
