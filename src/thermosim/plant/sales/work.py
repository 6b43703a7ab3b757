"""A salesperson's week: where the hours go, and the terms the whole team works under.

Owns the time budget of the design (admin, internal, quick fixes, coaching, improvement, account
care; selling gets the rest) and the week's market terms (win chance, deal size, margin,
pull-forward, neglect limit, the pipeline screen), worked out once per moment for everyone who
works then. What the selling hours achieve is ``pipeline.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from thermosim.config.sales import PipelineDisciplinePrice, SalesPlantConfig
from thermosim.config.shocks import MechanismsConfig
from thermosim.plant.sales.levers import TeamLevers
from thermosim.plant.sales.people import PeopleWeek, capability_target, fatigue_drivers
from thermosim.plant.sales.pipeline import PipelineRules
from thermosim.plant.sales.state import Hours, Lead, Ledger
from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Decisions


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
    rules: PipelineRules  # the numbers the pipeline work reads (fixed for the replication)
    plan_rules: PlanRules  # the numbers the plan and the terms read (fixed for the replication)


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
    selling: float  # ``plan.hours.selling``: the selling hours each person has


@dataclass(slots=True)  # not frozen: made every week, and frozen ones are slow to make
class SharedWeek:
    """What everyone starting work at one moment shares: the week's terms and people drivers."""

    at: float  # the moment it was worked out for (new hires can be a rounding error apart)
    terms: TeamWeek
    context: WeekContext
    people: PeopleWeek  # what drives everyone's fatigue, motivation and skill alike
    lever_version: int  # TeamLevers.version it was worked out from


def share_week(ctx: WeekContext, now: float, last: SharedWeek | None) -> SharedWeek:
    """What everyone starting work at ``now`` shares (worked out for the first of them).

    New hires work on their own clock, which can run a rounding error apart from the team's
    (``SalesPlant._work``): the team's week then starts again a moment later, and ``last`` is
    taken over when ``team_week`` would give exactly what it gave then (``_same_terms``).
    """
    if last is not None and _same_terms(last, ctx, now):
        return SharedWeek(now, last.terms, last.context, last.people, last.lever_version)
    terms = team_week(ctx, now)
    plan = terms.plan
    people = ctx.cfg.people
    sustainable = ctx.cfg.time.sustainable_hours_per_week
    rise, recovery = fatigue_drivers(plan.hours.paid, plan.interruptions, sustainable, people)
    target = capability_target(plan.coaching_level, plan.improvement_level, people)
    mech = ctx.mech
    drivers = PeopleWeek(
        rise,
        recovery,
        target,
        plan.training,
        mech.fatigue,
        mech.fading_fixes,
        people.attrition_per_year / 52.0,
    )
    return SharedWeek(now, terms, ctx, drivers, ctx.levers.version)


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


@dataclass(frozen=True, slots=True)
class PlanRules:
    """The scenario's numbers the week's plan and terms read, gathered once per replication.

    Each is the config field of the same meaning (``time``, ``levers``, ``deals``,
    ``mechanisms``), or the product of two of them as ``plan_week`` works it out, so the
    weekly plan reads one attribute instead of a chain of them.
    """

    contracted: float  # time.contracted_hours_per_week
    max_overtime: float  # time.max_overtime_hours_per_week
    admin: float  # time.admin_share * contracted
    internal: float  # time.internal_share * contracted
    improvement: float  # time.improvement_share * contracted
    care: float  # time.account_care_share * contracted
    coaching: float  # levers.coaching.hours_share * contracted: full coaching
    coaching_from_internal: float  # 1 - levers.coaching.from_selling_share
    care_extra: float  # levers.account_care.extra_share
    discipline_admin: float  # levers.pipeline_discipline.admin_hours
    meeting_hours: float  # levers.urgent_meeting.hours
    training_hours: float  # levers.training_day.hours
    blitz_share: float  # levers.call_blitz.selling_share
    blitz_hours_per_lead: float  # levers.call_blitz.hours_per_lead
    discount_pull: float  # levers.discount_push.pull_forward_weeks
    meeting_pull: float  # levers.urgent_meeting.pull_forward_weeks
    wait_penalty: float  # levers.discount_push.wait_penalty
    visibility: float  # levers.extra_reporting.visibility_weeks
    rushed_close: float  # 1 - levers.rushed_close_win_loss
    win_probability: float  # deals.win_probability
    discount_win_lift: float  # deals.discount_win_lift
    gross_margin: float  # deals.gross_margin
    cycle_weeks: float  # deals.cycle_weeks
    neglect_weeks: int  # deals.neglect_weeks
    fix_time_cost: float  # mechanisms.fix_time_cost
    fading: bool  # mechanisms.fading_fixes
    noisy: bool  # mechanisms.noise

    @classmethod
    def of(cls, cfg: SalesPlantConfig, mech: MechanismsConfig) -> PlanRules:
        """The rules of a plant with config ``cfg`` and mechanism switches ``mech``."""
        t, prices, d = cfg.time, cfg.levers, cfg.deals
        contracted = t.contracted_hours_per_week
        return cls(
            contracted=contracted,
            max_overtime=t.max_overtime_hours_per_week,
            admin=t.admin_share * contracted,
            internal=t.internal_share * contracted,
            improvement=t.improvement_share * contracted,
            care=t.account_care_share * contracted,
            coaching=prices.coaching.hours_share * contracted,
            coaching_from_internal=1.0 - prices.coaching.from_selling_share,
            care_extra=prices.account_care.extra_share,
            discipline_admin=prices.pipeline_discipline.admin_hours,
            meeting_hours=prices.urgent_meeting.hours,
            training_hours=prices.training_day.hours,
            blitz_share=prices.call_blitz.selling_share,
            blitz_hours_per_lead=prices.call_blitz.hours_per_lead,
            discount_pull=prices.discount_push.pull_forward_weeks,
            meeting_pull=prices.urgent_meeting.pull_forward_weeks,
            wait_penalty=prices.discount_push.wait_penalty,
            visibility=prices.extra_reporting.visibility_weeks,
            rushed_close=1.0 - prices.rushed_close_win_loss,
            win_probability=d.win_probability,
            discount_win_lift=d.discount_win_lift,
            gross_margin=d.gross_margin,
            cycle_weeks=d.cycle_weeks,
            neglect_weeks=d.neglect_weeks,
            fix_time_cost=mech.fix_time_cost,
            fading=mech.fading_fixes,
            noisy=mech.noise,
        )


def team_week(ctx: WeekContext, week: float) -> TeamWeek:
    """Everything about this week that does not depend on the person (computed once a week)."""
    r = ctx.plan_rules
    levers = ctx.levers
    # Each lever's intensity clipped to 0..1 (0 for a lever not in use). ``max`` and ``min``
    # of two numbers are written out below as ``b if b > a else a`` and ``b if b < a else a``:
    # the same result, to the bit, without the builtins' cost.
    clipped = levers.clipped_levels(week)
    discount = levers.discount(week)
    # Customers who remember a discount wait for the next one: a quick fix that turns against
    # itself (part of the fading-fixes mechanism).
    waiting = levers.discount_memory - discount if r.fading else 0.0
    waiting = waiting if waiting > 0.0 else 0.0
    kept = 1.0 - r.wait_penalty * waiting
    win_base = (
        r.win_probability
        * ctx.schedule.factor("win_rate", week)
        * (1.0 + r.discount_win_lift * discount)
        * (kept if kept > 0.0 else 0.0)
    )
    # Quick fixes that close early: a discount (customers sign now for it) and an urgent
    # meeting's week of closing focus. The deals they move were coming anyway: a hole follows.
    pull = r.discount_pull * clipped.get("discount_push", 0.0)
    meeting_pull = r.meeting_pull * clipped.get("urgent_meeting", 0.0)
    pull = meeting_pull if meeting_pull > pull else pull
    discipline = clipped.get("pipeline_discipline", 0.0)
    visibility = r.visibility * clipped.get("extra_reporting", 0.0)
    plan = plan_week(ctx, week)
    return TeamWeek(
        plan=plan,
        screen=_Screen(discipline, ctx.cfg.levers.pipeline_discipline, r.noisy),
        win_base=win_base,
        size=ctx.schedule.factor("deal_size", week) * (1.0 - discount),
        margin=(r.gross_margin - discount) / (1.0 - discount) if discount < 1.0 else 0.0,
        early_from=1.0 - pull / r.cycle_weeks if pull > 0.0 else 1.0,
        rushed_close=r.rushed_close,
        neglect_limit=r.neglect_weeks + visibility,
        selling=plan.hours.selling,
    )


def plan_week(ctx: WeekContext, week: float) -> WeekPlan:
    """Divide a salesperson's week: imposed hours first, then protected time, selling the rest.

    Every person gets the same plan: levers and pressure act on the whole team.
    """
    r = ctx.plan_rules
    lev = ctx.levers
    contracted = r.contracted
    cost = r.fix_time_cost
    training = lev.training_this_week(week)
    clipped = lev.clipped_levels(week)  # ``max`` and ``min`` written out as in ``team_week``
    paid = contracted + r.max_overtime * ctx.pressure
    admin = r.admin
    discipline_hours = r.discipline_admin * clipped.get("pipeline_discipline", 0.0)
    admin += discipline_hours
    fire = cost * (
        lev.reporting_hours(week)
        + r.meeting_hours * lev.meetings_this_week(week)
        + r.training_hours * training
        + lev.coordination_hours()
    )
    internal = r.internal
    improvement_planned = r.improvement
    improvement = improvement_planned * (1.0 - clipped.get("cut_improvement", 0.0))
    coaching_full = r.coaching
    coaching = coaching_full * clipped.get("coaching", 0.0)
    # Protected coaching replaces part of the ad-hoc internal meetings; the stated share comes
    # out of selling time: the cost that makes investing "worse before better".
    moved = r.coaching_from_internal * coaching
    internal -= internal if internal < moved else moved
    care_planned = r.care
    care = care_planned * (1.0 + r.care_extra * clipped.get("account_care", 0.0))
    flexible = internal + improvement + coaching + care
    admin = paid if paid < admin else admin  # a week cannot hold more admin than hours
    room = paid - admin - fire
    if room < 0.0:
        # Imposed hours exceed the week: the quick fixes are only partly done.
        fire += room
        fire = fire if fire > 0.0 else 0.0
        room = paid - admin - fire
    if flexible > room:
        squeeze = room / flexible if flexible > 0.0 else 0.0
        internal, improvement, coaching, care = (
            internal * squeeze,
            improvement * squeeze,
            coaching * squeeze,
            care * squeeze,
        )
    selling = room - internal - improvement - coaching - care
    selling = selling if selling > 0.0 else 0.0
    blitz = r.blitz_share * clipped.get("call_blitz", 0.0) * selling
    blitz_taken = cost * blitz
    blitz_taken = blitz_taken if blitz_taken < selling else selling
    selling -= blitz_taken
    fire += blitz_taken
    extra_care = care - care_planned
    plan = WeekPlan(
        hours=Hours(paid, selling, admin, fire, coaching, improvement, care, internal),
        blitz_leads=blitz / r.blitz_hours_per_lead,
        interruptions=ctx.changes,
        coaching_level=coaching / coaching_full if coaching_full > 0 else 0.0,
        improvement_level=improvement / improvement_planned if improvement_planned > 0 else 1.0,
        training=training,
        # Firefighting is not the only time levers take: lasting levers have their hours too,
        # so "zero firefighting" is never mistaken for "no hours spent on acting".
        lever_hours=fire + coaching + (extra_care if extra_care > 0.0 else 0.0) + discipline_hours,
    )
    return plan


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
