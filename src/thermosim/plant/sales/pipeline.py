"""What a salesperson's selling hours achieve: qualifying leads, moving deals, closing them.

Owns the work on one person's pipeline in a week: qualifying the inbox, moving opportunities
through the cycle, losing neglected ones, and closing with a win chance that depends on skill,
qualification quality, fatigue, competition and discount. It runs for every person every week,
so the rules it reads are gathered once per replication (``PipelineRules``) and once per moment
(``work.TeamWeek``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from thermosim.config.sales import SalesPlantConfig
from thermosim.config.shocks import MechanismsConfig
from thermosim.plant.sales.people import EFFORT_BASE, EFFORT_PER_MOTIVATION, approach, ramp
from thermosim.plant.sales.state import Lead, Opportunity, Person

if TYPE_CHECKING:
    from thermosim.plant.sales.work import TeamWeek, WeekContext

CLOSE_SPREAD = 0.99  # closes fall inside the week being worked
MAX_WIN_PROBABILITY = 0.95
FATIGUE_WIN_LOSS = 0.15  # tired people close worse (assumed)
_PROGRESS = attrgetter("progress")  # the triage order

Close = tuple[float, float, float, bool]  # a deal closed: (week_closed, revenue_eur, margin, won)


@dataclass(frozen=True, slots=True)
class PipelineRules:
    """The scenario's numbers the pipeline work reads, gathered once per replication.

    Each is the config field of the same meaning (``deals``, ``people``, ``mechanisms``), so the
    weekly work reads one attribute instead of a chain of them.
    """

    cycle_weeks: float
    full_step: float  # progress of a fully served deal in a week: ``1 / cycle_weeks``
    opportunity_hours: float
    qualification_hours: float  # per lead
    qualify_probability: float
    rushed_qualification: float
    time_quality_elasticity: float
    ramp_weeks: float
    fatigue_effectiveness_loss: float
    standard_erosion_weeks: float
    adaptive_standard: bool
    noisy: bool  # mechanisms.noise: random outcomes (off: expected values, spread decisions)

    @classmethod
    def of(cls, cfg: SalesPlantConfig, mech: MechanismsConfig) -> PipelineRules:
        """The rules of a plant with config ``cfg`` and mechanism switches ``mech``."""
        d, people = cfg.deals, cfg.people
        return cls(
            cycle_weeks=d.cycle_weeks,
            full_step=1.0 / d.cycle_weeks,
            opportunity_hours=d.opportunity_hours,
            qualification_hours=d.qualification_hours_per_lead,
            qualify_probability=d.qualify_probability,
            rushed_qualification=d.rushed_qualification,
            time_quality_elasticity=d.time_quality_elasticity,
            ramp_weeks=people.ramp_weeks,
            fatigue_effectiveness_loss=people.fatigue_effectiveness_loss,
            standard_erosion_weeks=people.standard_erosion_weeks,
            adaptive_standard=mech.adaptive_standard,
            noisy=mech.noise,
        )


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
    rules = ctx.rules
    noisy = rules.noisy
    ledger = ctx.ledger
    if not person.triaged:  # deals were added in another order (the start, a hand-over)
        person.opportunities.sort(key=_PROGRESS, reverse=True)
        person.triaged = True
    opportunities = person.opportunities
    inbox = person.inbox
    selling = tw.selling
    # people.effectiveness written out (this runs every person-week); a ramped hire's factor
    # is 1.0, and 1.0 * effort is effort to the bit.
    effort = EFFORT_BASE + EFFORT_PER_MOTIVATION * person.motivation
    if rules.ramp_weeks > 0.0 and week - person.hired_week < rules.ramp_weeks:
        effort = ramp(person, week, ctx.cfg.people) * effort
    eff = effort * (1.0 - rules.fatigue_effectiveness_loss * person.fatigue)
    skill = person.capability + person.trained + person.training_bump  # Person.skill
    skill = skill if skill > 0.05 else 0.05  # max(0.05, skill); builtins are slow in hot code
    capacity = selling * eff
    # The hours a deal gets are the team's working standard, which may have eroded below what
    # the deal needs (adaptive_standard): faster work, lower quality.
    cycle = rules.cycle_weeks
    standard = person.standard
    opp_need = rules.opportunity_hours * standard / cycle / math.sqrt(skill)
    count = len(opportunities)
    demand = count * opp_need + len(inbox) * rules.qualification_hours
    served = 1.0 if demand <= capacity else capacity / demand
    if rules.adaptive_standard and served < 1.0:
        # Oliva & Sterman 2001: under load people spend less time per deal than the standard,
        # and the standard drifts toward the time actually spent. With slack they work to the
        # (lower) standard, so nothing pulls it back up: the erosion outlasts the overload.
        person.standard = standard = approach(
            standard, standard * served, rules.standard_erosion_weeks
        )
    needed = demand / eff if eff > 0 else 0.0
    used = needed if needed < selling else selling

    fresh: list[Opportunity] = []  # qualified now: worked from next week
    if inbox:
        fresh = _qualify(inbox, ctx, tw, week, served)
        ledger.leads_rejected += len(inbox) - len(fresh)
        ledger.leads_qualified += len(fresh)
        inbox.clear()

    win_factor = tw.win_base * skill * (1.0 - FATIGUE_WIN_LOSS * person.fatigue)
    if standard < 1.0:
        win_factor *= standard**rules.time_quality_elasticity
    neglect_limit = tw.neglect_limit
    # A pull-forward closes deals within this much progress of their close now, rushed.
    early_from = tw.early_from
    # Triage when short of time: the deals closest to closing get their hours first; the least
    # advanced get what is left, and a deal neglected for neglect_weeks is lost. In triage order
    # the first `full` deals get their full weekly need, the next one `partial` of it, the rest
    # nothing (their progress stays: adding 0.0 would change nothing).
    fully_served = served * count  # how many deals get their full weekly need
    full = int(fully_served)
    full_step = rules.full_step
    for opp in opportunities if full == count else opportunities[:full]:
        opp.progress += full_step
        opp.neglected_weeks = 0
    if full < count:
        partial = fully_served - full  # the share the next deal in line gets
        opp = opportunities[full]
        opp.progress += partial / cycle
        opp.neglected_weeks = opp.neglected_weeks + 1 if partial < 0.5 else 0
        for opp in opportunities[full + 1 :]:
            opp.neglected_weeks += 1
    # Which deals close, in triage order. Those served in full were not neglected, so (with a
    # neglect limit above 0) only progress closes one of them, and the ones that close come
    # first: the rest of them stay open without a look.
    closes: list[Close] = []
    checked: list[Opportunity] = opportunities
    still_open: list[Opportunity] = []
    if neglect_limit > 0:
        done = 0
        while done < full and opportunities[done].progress >= early_from:
            done += 1
        if done == 0 and full == count:  # nothing closes: the usual week of a small pipeline
            opportunities.extend(fresh)
            return used, closes
        checked = opportunities[:done] + opportunities[full:]
        still_open = opportunities[done:full]
    decide = ctx.decide.__call__  # a bound method is quicker to call than the instance
    size, margin = tw.size, tw.margin
    rushed_close = tw.rushed_close
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
            value = lead.value_eur * size
            # Noise off is the mean-field model: every close books its expected revenue (what is
            # left of weekly variation comes from whole deals closing); the count of wins still
            # follows the evenly spread decisions.
            if noisy:
                won = lead.u_win < chance  # Decisions with noise: the lead's own uniform
                booked = value if won else 0.0
            else:
                won = decide(lead.u_win, chance, "win")
                booked = value * chance
            closes.append((week + lead.u_close * CLOSE_SPREAD, booked, margin, won))
    still_open.extend(fresh)
    person.opportunities = still_open
    return used, closes


def _qualify(
    inbox: list[Lead], ctx: WeekContext, tw: TeamWeek, week: float, served: float
) -> list[Opportunity]:
    """The leads of ``inbox`` that become opportunities now, in order (worked from next week).

    Rushed work (``served`` below 1) qualifies fewer; pipeline discipline screens the rest.
    """
    rules = ctx.rules
    rushed = 1.0 - rules.rushed_qualification * (1.0 - served)
    chance = rules.qualify_probability * rushed
    screen = tw.screen
    quality = screen.quality
    keeps = screen.keeps if screen.drop > 0.0 else None
    if rules.noisy:  # Decisions with noise: the lead's own uniform decides
        if keeps is None:
            return [
                Opportunity(lead, week, lead.quality * quality)
                for lead in inbox
                if lead.u_qualify < chance * lead.quality
            ]
        return [
            Opportunity(lead, week, lead.quality * quality)
            for lead in inbox
            if lead.u_qualify < chance * lead.quality and keeps(lead, ctx)
        ]
    decide = ctx.decide.__call__
    fresh = []
    for lead in inbox:
        if decide(lead.u_qualify, chance * lead.quality, "qualify") and (
            keeps is None or keeps(lead, ctx)
        ):
            fresh.append(Opportunity(lead, week, lead.quality * quality))
    return fresh
