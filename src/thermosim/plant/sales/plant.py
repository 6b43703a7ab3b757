"""The sales plant: a team in its market as SimPy processes.

Owns the processes of the design (lead arrivals, every salesperson's weekly work, repeat
orders, hiring) and the state they share. The engine reads metrics with ``sample`` and
``record`` and pushes decisions in with ``apply``; shocks arrive through ``shock_one_off`` and the
schedule's multipliers. Times: a week runs from t to t+1; reviews happen at t + REVIEW_AT,
planning at t + PLAN_AT, and the week is booked at t + BOOK_AT (all in ``plant.base``). Deals
closed during the week are booked with it (``books.py``), leads arrive in batches between other
events (``arrivals.py``) and the people working at one moment work in one step (``crew.py``):
all as if each were an event of its own, to the last bit.
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
from thermosim.plant.sales.arrivals import Arrivals, hand_out, market_arrivals
from thermosim.plant.sales.books import Pay, book_closes, book_hours, week_row
from thermosim.plant.sales.crew import Crews
from thermosim.plant.sales.levers import TeamLevers
from thermosim.plant.sales.pipeline import Close, PipelineRules, work_pipeline
from thermosim.plant.sales.state import Lead, Ledger, Opportunity, Person, Week
from thermosim.plant.sales.work import PlanRules, SharedWeek, WeekContext, share_week
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
        self.crews = Crews(env, self._work_crew)
        self._keep = pp.Keep.of(cfg.people)
        self._rules = PipelineRules.of(cfg, mechanisms)
        self._plan_rules = PlanRules.of(cfg, mechanisms)
        self._morale = 0.0  # the team's motivation level (``_judge_morale``)
        self._contracted_hours = cfg.time.contracted_hours_per_week
        self._coaching_fee_eur = cfg.costs.coaching_eur_per_person_week
        self._care_planned_per_person = (
            cfg.time.account_care_share * cfg.time.contracted_hours_per_week
        )
        # Config numbers read every week, kept as plain attributes (quicker to read).
        self._target_eur = cfg.target_eur_per_week
        self._gross_margin = cfg.deals.gross_margin
        self._referral_strength = cfg.market.referral_strength
        self._satisfaction_reference = cfg.accounts.satisfaction_reference
        self._pay = Pay.of(cfg)
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
        clock = market_arrivals(
            self.env.now,
            self.cfg.market.lead_rate_per_week,
            self._top_referral,
            self.schedule,
            self.market,
        )
        self.env.process(hand_out(self.env, clock, self._receive))
        self.crews.start(list(self.team))

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
        strength, ref = self._referral_strength, self._satisfaction_reference
        factor = 1.0 + strength * (self.accounts.satisfaction - ref)
        return factor if factor > 0.0 else 0.0  # max(0.0, factor), to the bit

    def _receive(self, arrivals: Arrivals, start: int, stop: int) -> None:
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
        given = slice(start, stop)
        kept = [
            Lead(
                week,
                1.0,
                u_qualify,
                u_win,
                u_close,
                u_spare,
                u_screen,
                median * exp(sigma * z if noisy else spread),
            )
            for week, keep, u_qualify, u_win, u_close, u_spare, u_screen, z in zip(
                arrivals.weeks[given],
                arrivals.keeps[given],
                *[column[given] for column in arrivals.lucks],
                strict=True,
            )
            if keep * top < referral
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
            self._rules,
            self._plan_rules,
        )

    def _work_crew(self, members: list[Person], next_week: int) -> list[Person]:
        """Each member's week of work now, in order; returns who stays in the crew.

        A crew due right after this one, at the same moment, works on in this step and joins
        it (``Crews.next_due``). A person leaving starts a refill (``_refill``). If its hire
        comes due exactly at the crew's next moment, one process per person would have met it
        between the leaver and the people after them (their timeouts were made after it);
        those people then go on as a crew of their own, started after the refill's process.
        """
        now = self.env.now
        shared = self._shared
        if shared is None or shared.at != now:
            shared = self._shared = share_week(self._week_context(), now, shared)
            # A training day is booked once for the team, whoever is in it (once per moment).
            fee = self.cfg.costs.training_fee_eur_per_day
            self.week.fees_eur += fee * shared.terms.plan.training
        terms = shared.terms
        plan = terms.plan
        context = shared.context
        drivers = shared.people
        keep = self._keep
        people = self.cfg.people
        decide = self._decide
        noisy = self.decide.noisy  # Decisions with noise: a person's own uniform below p
        blitz = self.blitz
        blitz_leads = plan.blitz_leads
        calling = blitz_leads > 0.0
        closes = self._closes
        # SimPy adds ``now + delay`` for both the crew's next timeout and a refill's.
        split = now + people.hiring_weeks == now + (next_week + PLAN_AT - now)
        used: list[float] = []  # selling hours used, person by person (``book_hours``)
        stay: list[Person] = []
        group = stay
        split_after = False
        batch = members
        while batch:
            for person in batch:
                if split_after:  # a crew of its own after the refill (created in ``_leave``)
                    group = []
                    self.crews.start(group, next_week)
                    split_after = False
                group.append(person)
                selling_used, closed = work_pipeline(person, context, terms, now)
                used.append(selling_used)
                if closed:
                    closes += closed
                # Cold calls land in the inbox and are qualified next week.
                if calling:
                    for _ in range(blitz.poisson(blitz_leads)):
                        quality = self.cfg.levers.call_blitz.lead_quality
                        self._assign_to(person, self.new_lead(blitz, quality=quality))
                # The people rules of ``people.py`` for the person's week, then the chance to leave.
                hazard = pp.live_week(person, drivers, self._morale, keep, people)
                u = person.luck.uniform()
                if (u < hazard) if noisy else decide(u, hazard, "attrition"):
                    self.week.leavers += 1
                    self._leave(person, now)
                    split_after = split
            batch = self.crews.next_due(now)  # a crew due now, next in line, joins this one
        if not calling:  # nobody called: each person's count of 0 is drawn all at once
            blitz.zero_counts(len(used))
        care, planned = self._care_hours_planned, self._care_planned_per_person
        for _ in used:
            care += planned  # person by person, as the sum of their weeks
        self._care_hours_planned = care
        book_hours(
            self.week, self.ledger, plan, used, self._contracted_hours, self._coaching_fee_eur
        )
        return stay

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
        self.crews.start([self._hire(self.env.now)])

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
        return self._target_eur * self.schedule.factor("target_change", week)

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
        pressure = decision.pressure if decision.pressure > 0.0 else 0.0
        self.pressure = pressure if pressure < 1.0 else 1.0  # min(1.0, max(0.0, .)), to the bit
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
        if self._closes:
            book_closes(self.week, self.ledger, self._closes)
            self._closes = []
        w = self.week
        repeat = self.accounts.orders()
        margin_repeat = self._gross_margin  # discount pushes target new deals only
        revenue = w.revenue_eur + repeat
        margin_eur = w.margin_eur + repeat * margin_repeat
        active = [p for p in self.team if p.active]
        fatigue = sum([p.fatigue for p in active]) / (len(active) or 1)  # max(1, headcount)
        hours = w.hours
        care_ratio = (
            hours.account_care / self._care_hours_planned if self._care_hours_planned else 0.0
        )
        self.accounts.update(care_ratio, fatigue, w.won)
        row = week_row(
            w,
            active,
            revenue=revenue,
            margin_eur=margin_eur,
            target=self.target(week),
            satisfaction=self.accounts.satisfaction,
            fatigue=fatigue,
            discount=self.levers.discount(week),
            pressure=self.pressure,
            pay=self._pay,
        )
        self.levers.end_of_week(week)
        self._last = row
        self.week = Week()
        self._judge_morale()  # the week's changes of direction are behind the team
        self._care_hours_planned = 0.0
        return row
