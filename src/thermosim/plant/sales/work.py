"""A salesperson's week: where the hours go, and what the selling hours achieve.

Owns the time budget of the design (admin, internal, quick fixes, coaching, improvement, account
care; selling gets the rest) and the work on the pipeline: qualifying leads, moving
opportunities through the cycle, losing neglected ones, and closing with a win chance that
depends on skill, qualification quality, fatigue, competition and discount.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from operator import attrgetter

from thermosim.config.sales import PipelineDisciplinePrice, SalesPlantConfig
from thermosim.config.shocks import MechanismsConfig
from thermosim.plant.sales.levers import TeamLevers
from thermosim.plant.sales.people import (
    approach,
    capability_target,
    effectiveness,
    fatigue_drivers,
)
from thermosim.plant.sales.state import Hours, Lead, Ledger, Opportunity, Person
from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Decisions

CLOSE_SPREAD = 0.99  # closes fall inside the week being worked
MAX_WIN_PROBABILITY = 0.95
FATIGUE_WIN_LOSS = 0.15  # tired people close worse (assumed)
_PROGRESS = attrgetter("progress")  # the triage order


def _clip(x: float, high: float = 1.0) -> float:
    x = x if x > 0.0 else 0.0  # min(high, max(0.0, x)) to the bit, without the builtins' cost
    return x if x < high else high


Close = tuple[float, float, float, bool]  # a deal closed: (week_closed, revenue_eur, margin, won)


@dataclass(slots=True)  # not frozen: made every week, and frozen ones are slow to make
class WeekContext:
    """What the work of one week reads from the plant (the ledger and decisions it updates too).

    Taken once a week, when the first person starts working, so the work functions need not
    know the ctx.
    """

    cfg: SalesPlantConfig
    mech: MechanismsConfig
    levers: TeamLevers
    schedule: ShockSchedule
    pressure: float  # management pressure from the last review (0..1)
    changes: float  # changes of plan noticed so far this week (interruptions)
    ledger: Ledger  # the plant's conservation counters (updated in place)
    decide: Decisions  # yes/no outcomes (random, or evenly spread with noise off)


@dataclass(slots=True)
class WeekPlan:
    """The team's hours this week (per person) and the levels the people dynamics need."""

    hours: Hours  # as planned: ``selling`` is the time available for selling, ``idle`` 0
    blitz_leads: float = 0.0  # expected extra leads from cold calling
    interruptions: float = 0.0
    coaching_level: float = 0.0
    improvement_level: float = 1.0
    training: float = 0.0
    lever_hours: float = 0.0  # hours any lever takes: quick fixes and lasting ones alike


@dataclass(slots=True)  # not frozen: made every week, and frozen ones are slow to make
class TeamWeek:
    """What is the same for every salesperson this week: the plan and the market's terms."""

    plan: WeekPlan
    screen: _Screen  # pipeline discipline at qualification
    win_base: float  # win chance before the person's skill, fatigue and the deal's quality
    size: float  # deal value multiplier (price shocks, discount)
    margin: float  # gross margin of a deal won now
    early_from: float  # deals with this much of their cycle done close now (below 1: rushed)
    rushed_close: float  # win chance kept by a deal closed early
    neglect_limit: float  # weeks of neglect after which a deal is lost (reporting adds some)


@dataclass(slots=True)  # not frozen: made every week, and frozen ones are slow to make
class SharedWeek:
    """What everyone starting work at one moment shares: the week's terms and people drivers."""

    at: float  # the moment it was worked out for (new hires can be a rounding error apart)
    terms: TeamWeek
    context: WeekContext
    fatigue_rise: float  # people.fatigue_drivers
    fatigue_recovery: float
    capability_target: float  # people.capability_target
    lever_version: int  # TeamLevers.version it was worked out from


def share_week(ctx: WeekContext, now: float, last: SharedWeek | None) -> SharedWeek:
    """What everyone starting work at ``now`` shares (worked out for the first of them).

    New hires work on their own clock, which can run a rounding error apart from the team's
    (``SalesPlant._work``): the team's week then starts again a moment later, and ``last`` is
    taken over when ``team_week`` would give exactly what it gave then (``_same_terms``).
    """
    if last is not None and _same_terms(last, ctx, now):
        return SharedWeek(
            now,
            last.terms,
            last.context,
            last.fatigue_rise,
            last.fatigue_recovery,
            last.capability_target,
            last.lever_version,
        )
    terms = team_week(ctx, now)
    plan = terms.plan
    people = ctx.cfg.people
    sustainable = ctx.cfg.time.sustainable_hours_per_week
    rise, recovery = fatigue_drivers(plan.hours.paid, plan.interruptions, sustainable, people)
    target = capability_target(plan.coaching_level, plan.improvement_level, people)
    return SharedWeek(now, terms, ctx, rise, recovery, target, ctx.levers.version)


def _same_terms(last: SharedWeek, ctx: WeekContext, now: float) -> bool:
    """Whether ``team_week(ctx, now)`` is exactly what ``last`` holds.

    The terms read the levers (unchanged while their version is), the pressure and the changes
    of direction (the same objects if nothing was assigned since), the moment only through the
    fixes running then, and the shocks on the win rate and deal size (with any of those, the
    terms are worked out again).
    """
    schedule = ctx.schedule
    return (
        last.lever_version == ctx.levers.version
        and last.context.pressure is ctx.pressure
        and last.context.changes is ctx.changes
        and not schedule.acting_on("win_rate")
        and not schedule.acting_on("deal_size")
        and ctx.levers.same_levels(last.at, now)
    )


def team_week(ctx: WeekContext, week: float) -> TeamWeek:
    """Everything about this week that does not depend on the person (computed once a week)."""
    d = ctx.cfg.deals
    prices = ctx.cfg.levers
    levers = ctx.levers
    levels = levers.levels(week)
    discount = levers.discount(week)
    # Customers who remember a discount wait for the next one: a quick fix that turns against
    # itself (part of the fading-fixes mechanism).
    waiting = max(0.0, levers.discount_memory - discount) if ctx.mech.fading_fixes else 0.0
    win_base = (
        d.win_probability
        * ctx.schedule.factor("win_rate", week)
        * (1.0 + d.discount_win_lift * discount)
        * max(0.0, 1.0 - prices.discount_push.wait_penalty * waiting)
    )
    # Quick fixes that close early: a discount (customers sign now for it) and an urgent
    # meeting's week of closing focus. The deals they move were coming anyway: a hole follows.
    pull = max(
        prices.discount_push.pull_forward_weeks * _clip(levels.get("discount_push", 0.0)),
        prices.urgent_meeting.pull_forward_weeks * _clip(levels.get("urgent_meeting", 0.0)),
    )
    discipline = _clip(levels.get("pipeline_discipline", 0.0))
    visibility = prices.extra_reporting.visibility_weeks * _clip(levels.get("extra_reporting", 0.0))
    return TeamWeek(
        plan=plan_week(ctx, week),
        screen=_Screen(discipline, prices.pipeline_discipline, ctx.mech.noise),
        win_base=win_base,
        size=ctx.schedule.factor("deal_size", week) * (1.0 - discount),
        margin=(d.gross_margin - discount) / (1.0 - discount) if discount < 1.0 else 0.0,
        early_from=1.0 - pull / d.cycle_weeks if pull > 0.0 else 1.0,
        rushed_close=1.0 - prices.rushed_close_win_loss,
        neglect_limit=d.neglect_weeks + visibility,
    )


def plan_week(ctx: WeekContext, week: float) -> WeekPlan:
    """Divide a salesperson's week: imposed hours first, then protected time, selling the rest.

    Every person gets the same plan: levers and pressure act on the whole team.
    """
    t = ctx.cfg.time
    prices = ctx.cfg.levers
    lev = ctx.levers
    contracted = t.contracted_hours_per_week
    cost = ctx.mech.fix_time_cost
    training = lev.training_this_week(week)
    levels = lev.levels(week)
    paid = contracted + t.max_overtime_hours_per_week * ctx.pressure
    admin = t.admin_share * contracted
    discipline_hours = prices.pipeline_discipline.admin_hours * _clip(
        levels.get("pipeline_discipline", 0.0)
    )
    admin += discipline_hours
    fire = cost * (
        lev.reporting_hours(week)
        + prices.urgent_meeting.hours * lev.meetings_this_week(week)
        + prices.training_day.hours * training
        + lev.coordination_hours()
    )
    internal = t.internal_share * contracted
    improvement_planned = t.improvement_share * contracted
    improvement = improvement_planned * (1.0 - _clip(levels.get("cut_improvement", 0.0)))
    coaching_full = prices.coaching.hours_share * contracted
    coaching = coaching_full * _clip(levels.get("coaching", 0.0))
    # Protected coaching replaces part of the ad-hoc internal meetings; the stated share comes
    # out of selling time: the cost that makes investing "worse before better".
    internal -= min((1.0 - prices.coaching.from_selling_share) * coaching, internal)
    care_planned = t.account_care_share * contracted
    care = care_planned * (
        1.0 + prices.account_care.extra_share * _clip(levels.get("account_care", 0.0))
    )
    flexible = internal + improvement + coaching + care
    admin = min(admin, paid)  # a week cannot hold more admin than hours
    room = paid - admin - fire
    if room < 0.0:
        # Imposed hours exceed the week: the quick fixes are only partly done.
        fire = max(0.0, fire + room)
        room = paid - admin - fire
    if flexible > room:
        squeeze = room / flexible if flexible > 0.0 else 0.0
        internal, improvement, coaching, care = (
            internal * squeeze,
            improvement * squeeze,
            coaching * squeeze,
            care * squeeze,
        )
    selling = max(0.0, room - internal - improvement - coaching - care)
    blitz = prices.call_blitz.selling_share * _clip(levels.get("call_blitz", 0.0)) * selling
    blitz_taken = min(selling, cost * blitz)
    selling -= blitz_taken
    fire += blitz_taken
    plan = WeekPlan(
        hours=Hours(paid, selling, admin, fire, coaching, improvement, care, internal),
        blitz_leads=blitz / prices.call_blitz.hours_per_lead,
        interruptions=ctx.changes,
        coaching_level=coaching / coaching_full if coaching_full > 0 else 0.0,
        improvement_level=improvement / improvement_planned if improvement_planned > 0 else 1.0,
        training=training,
        # Firefighting is not the only time levers take: lasting levers have their hours too,
        # so "zero firefighting" is never mistaken for "no hours spent on acting".
        lever_hours=fire + coaching + max(0.0, care - care_planned) + discipline_hours,
    )
    return plan


def work_pipeline(
    person: Person, ctx: WeekContext, tw: TeamWeek, week: float
) -> tuple[float, list[Close]]:
    """Spend one person's selling hours on leads and opportunities.

    The pipeline is worked in triage order: the deals closest to closing first, ties in the
    order they joined (a stable sort on progress, highest first). It leaves this function in
    that order, so next week it needs no sort unless ``person.triaged`` was cleared: the hours
    keep the order (no deal gains more than the one ahead of it), closing only removes deals,
    and the new ones join at the back with no progress.

    Returns
    -------
    selling_hours_used, closes
        The selling hours spent (the rest of the plan's selling hours are idle), and the
        opportunities that close this week as (week_closed, revenue_eur, margin, won): the week
        they are booked at, the revenue they bring (0 for a loss), and whether they count as won.
    """
    d = ctx.cfg.deals
    decide = ctx.decide.__call__  # a bound method is quicker to call than the instance
    ledger = ctx.ledger
    if not person.triaged:  # deals were added in another order (the start, a hand-over)
        person.opportunities.sort(key=_PROGRESS, reverse=True)
        person.triaged = True
    opportunities = person.opportunities
    inbox = person.inbox
    selling = tw.plan.hours.selling
    eff = effectiveness(person, week, ctx.cfg.people)
    skill = person.skill
    skill = skill if skill > 0.05 else 0.05  # max(0.05, skill); builtins are slow in hot code
    capacity = selling * eff
    # The hours a deal gets are the team's working standard, which may have eroded below what
    # the deal needs (adaptive_standard): faster work, lower quality.
    cycle = d.cycle_weeks
    opp_need = d.opportunity_hours * person.standard / cycle / math.sqrt(skill)
    demand = len(opportunities) * opp_need + len(inbox) * d.qualification_hours_per_lead
    served = 1.0 if demand <= capacity else capacity / demand
    if ctx.mech.adaptive_standard and served < 1.0:
        # Oliva & Sterman 2001: under load people spend less time per deal than the standard,
        # and the standard drifts toward the time actually spent. With slack they work to the
        # (lower) standard, so nothing pulls it back up: the erosion outlasts the overload.
        person.standard = approach(
            person.standard, person.standard * served, ctx.cfg.people.standard_erosion_weeks
        )
    needed = demand / eff if eff > 0 else 0.0
    used = needed if needed < selling else selling

    rushed = 1.0 - d.rushed_qualification * (1.0 - served)
    chance = d.qualify_probability * rushed
    screen = tw.screen
    screening = screen.drop > 0.0
    fresh: list[Opportunity] = []  # qualified now: worked from next week
    for lead in inbox:
        if decide(lead.u_qualify, chance * lead.quality, "qualify") and (
            screening is False or screen.keeps(lead, ctx)
        ):
            fresh.append(Opportunity(lead, week, lead.quality * screen.quality))
        else:
            ledger.leads_rejected += 1
    ledger.leads_qualified += len(fresh)
    inbox.clear()

    closes: list[Close] = []
    win_factor = tw.win_base * skill * (1.0 - FATIGUE_WIN_LOSS * person.fatigue)
    if person.standard < 1.0:
        win_factor *= person.standard**d.time_quality_elasticity
    size, margin = tw.size, tw.margin
    neglect_limit = tw.neglect_limit
    expected_values = not ctx.mech.noise
    # A pull-forward closes deals within this much progress of their close now, rushed.
    early_from = tw.early_from
    rushed_close = tw.rushed_close
    # Triage when short of time: the deals closest to closing get their hours first; the least
    # advanced get what is left, and a deal neglected for neglect_weeks is lost. In triage order
    # the first `full` deals get their full weekly need, the next one `partial` of it, the rest
    # nothing (their progress stays: adding 0.0 would change nothing).
    fully_served = served * len(opportunities)  # how many deals get their full weekly need
    full = int(fully_served)
    partial = fully_served - full  # the share the next deal in line gets
    full_step = 1.0 / cycle  # progress of a fully served deal
    for opp in opportunities[:full]:
        opp.progress += full_step
        opp.neglected_weeks = 0
    if full < len(opportunities):
        opp = opportunities[full]
        opp.progress += partial / cycle
        opp.neglected_weeks = opp.neglected_weeks + 1 if partial < 0.5 else 0
        for opp in opportunities[full + 1 :]:
            opp.neglected_weeks += 1
    # Which deals close, in triage order. Those served in full were not neglected, so (with a
    # neglect limit above 0) only progress closes one of them, and the ones that close come
    # first: the rest of them stay open without a look.
    checked: list[Opportunity] = opportunities
    still_open: list[Opportunity] = []
    if neglect_limit > 0:
        done = 0
        while done < full and opportunities[done].progress >= early_from:
            done += 1
        checked = opportunities[:done] + opportunities[full:]
        still_open = opportunities[done:full]
    for opp in checked:
        if opp.neglected_weeks < neglect_limit and opp.progress < early_from:
            still_open.append(opp)
        elif opp.neglected_weeks >= neglect_limit:
            closes.append((week + opp.lead.u_close * CLOSE_SPREAD, 0.0, 0.0, False))
        else:
            lead = opp.lead
            chance = win_factor * opp.quality
            chance = chance if chance < MAX_WIN_PROBABILITY else MAX_WIN_PROBABILITY
            if opp.progress < 1.0:
                chance *= rushed_close
                ledger.opportunities_pulled += 1
            won = decide(lead.u_win, chance, "win")
            value = lead.value_eur * size
            # Noise off is the mean-field model: every close books its expected revenue (what is
            # left of weekly variation comes from whole deals closing); the count of wins still
            # follows the evenly spread decisions.
            booked = value * chance if expected_values else (value if won else 0.0)
            closes.append((week + lead.u_close * CLOSE_SPREAD, booked, margin, won))
    still_open.extend(fresh)
    person.opportunities = still_open
    return used, closes


class _Screen:
    """Pipeline discipline at qualification: fewer leads, picked on their chances, with misses.

    At discipline ``x`` a share ``screened_share * x`` of the leads is dropped. A share
    ``screening_accuracy`` of the drops reads the deal right (drops the leads least likely to
    win: the highest ``u_win``); the rest are dropped blindly, winners among them. It cannot
    create wins: it can only spend the pipeline's hours on fewer, likelier deals. With noise off
    the drops are evenly spread and the kept leads carry the expected lift of the selection.
    """

    __slots__ = ("accuracy", "drop", "noisy", "quality")

    def __init__(self, discipline: float, price: PipelineDisciplinePrice, noisy: bool) -> None:
        self.drop = price.screened_share * discipline
        self.accuracy = price.screening_accuracy
        self.noisy = noisy
        self.quality = 1.0
        if not noisy and self.drop > 0.0:
            # Expected wins kept over leads kept, for a win chance below 1 - drop.
            self.quality = (1.0 - (1.0 - self.accuracy) * self.drop) / (1.0 - self.drop)

    def keeps(self, lead: Lead, ctx: WeekContext) -> bool:
        """Whether the screen keeps ``lead`` (one uniform of its own luck decides)."""
        if self.drop <= 0.0:
            return True
        if not self.noisy:
            return not ctx.decide(lead.u_screen, self.drop, "screen")
        u = lead.u_screen
        if u < self.accuracy:  # read right: drop the least likely to win
            return lead.u_win < 1.0 - self.drop
        blind = (u - self.accuracy) / (1.0 - self.accuracy)  # uniform again, independent of u_win
        return blind >= self.drop
