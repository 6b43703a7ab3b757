"""Scenario section for the sales plant: market, time, deals, accounts, people.

Owns every parameter of the sales team simulation with its unit, range, default and the source of
that default. "Assumed" marks a plausible B2B value a trainer should replace with their own.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from thermosim.config.base import Section


class MarketConfig(Section):
    """Lead arrivals."""

    lead_rate_per_week: float = Field(
        22, ge=0, le=10_000, description="Mean new leads per week for the whole team (assumed)."
    )
    referral_strength: float = Field(
        0.6,
        ge=0,
        le=5,
        description="Lead rate multiplier per unit of satisfaction above its reference "
        "(referrals; assumed).",
    )


class TimeConfig(Section):
    """A salesperson's week (sources: Proudfoot 2005; Pace Productivity)."""

    contracted_hours_per_week: float = Field(40, gt=0, le=80, description="Contracted hours.")
    max_overtime_hours_per_week: float = Field(
        10, ge=0, le=40, description="Overtime worked at full pressure (design: about +10 h)."
    )
    sustainable_hours_per_week: float = Field(
        44,
        gt=0,
        le=80,
        description="Hours per week above which fatigue builds (Business Roundtable 1980: "
        "50-60 h/week stops paying off after 7-9 weeks).",
    )
    admin_share: float = Field(
        0.25,
        ge=0,
        le=0.9,
        description="Share of contracted hours on admin and reporting (Proudfoot 2005: 27%; "
        "Pace Productivity: 23%).",
    )
    internal_share: float = Field(
        0.28, ge=0, le=0.9, description="Share on internal meetings and travel (the rest)."
    )
    account_care_share: float = Field(
        0.10, ge=0, le=0.9, description="Share serving existing customers (assumed)."
    )
    improvement_share: float = Field(
        0.05,
        ge=0,
        le=0.5,
        description="Share reserved for improvement, which keeps capability up (Repenning & "
        "Sterman 2001; assumed 2 h/week).",
    )

    @model_validator(mode="after")
    def _room_to_sell(self) -> TimeConfig:
        fixed = self.admin_share + self.internal_share + self.account_care_share
        if fixed + self.improvement_share > 0.9:
            raise ValueError(
                "admin, internal, account care and improvement shares add up to more than 0.9: "
                "leave at least 10% of the week for selling"
            )
        return self


class DealsConfig(Section):
    """Leads, opportunities and wins."""

    qualification_hours_per_lead: float = Field(
        1.0, gt=0, le=40, description="Selling hours to qualify one lead (assumed)."
    )
    qualify_probability: float = Field(
        0.5, ge=0, le=1, description="Chance a properly worked lead becomes an opportunity."
    )
    rushed_qualification: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the qualification chance lost when a lead gets no time at all "
        "(rushed work qualifies fewer leads; assumed).",
    )
    opportunity_hours: float = Field(
        10, gt=0, le=400, description="Selling hours an opportunity needs over its life (assumed)."
    )
    cycle_weeks: float = Field(
        8,
        gt=0,
        le=104,
        description="Sales cycle in weeks when fully worked (assumed: B2B, about two months).",
    )
    neglect_weeks: int = Field(
        3, ge=1, le=52, description="Weeks without enough attention after which a deal is lost."
    )
    win_probability: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Win chance of a qualified, fully worked opportunity at skill 1 (assumed: one "
        "in four).",
    )
    deal_value_eur: float = Field(
        20_000, gt=0, le=1e9, description="Median value of a won deal in euro (assumed)."
    )
    deal_value_sigma: float = Field(
        0.6, ge=0, le=3, description="Spread of deal values (lognormal sigma; assumed)."
    )
    gross_margin: float = Field(
        0.35, ge=0, le=1, description="Gross margin before discounts (assumed)."
    )
    max_discount: float = Field(
        0.15, ge=0, le=0.9, description="Discount at full discount push (assumed)."
    )
    discount_win_lift: float = Field(
        1.5,
        ge=0,
        le=20,
        description="Relative lift of the win chance per unit of discount (assumed: 10% off "
        "-> +15% wins).",
    )
    time_quality_elasticity: float = Field(
        0.5,
        ge=0,
        le=3,
        description="Win chance ~ (hours worked per deal / hours it needs) ** this: a deal "
        "worked to an eroded standard closes less often (mechanism adaptive_standard; assumed).",
    )
    discount_memory_weeks: float = Field(
        26,
        gt=0,
        le=520,
        description="Weeks customers remember discounts and wait for the next one (assumed).",
    )


class AccountsConfig(Section):
    """Existing customers and their repeat orders."""

    accounts: int = Field(40, ge=0, le=100_000, description="Regular accounts at the start.")
    order_rate_per_week: float = Field(
        0.2,
        ge=0,
        le=50,
        description="Orders per regular account per week at reference satisfaction (assumed).",
    )
    order_value_eur: float = Field(
        5_000, ge=0, le=1e9, description="Mean value of a repeat order in euro (assumed)."
    )
    key_accounts: int = Field(1, ge=0, le=1000, description="Key accounts at the start.")
    key_order_rate_per_week: float = Field(
        1.0, ge=0, le=50, description="Orders per key account per week (assumed)."
    )
    key_order_value_eur: float = Field(
        15_000,
        ge=0,
        le=1e9,
        description="Mean key-account order in euro (assumed: a key account is about 12% of "
        "revenue).",
    )
    satisfaction_start: float = Field(0.7, ge=0, le=1, description="Satisfaction at the start.")
    satisfaction_reference: float = Field(
        0.7,
        gt=0,
        le=1,
        description="Satisfaction at which repeat orders, churn and referrals are at their base.",
    )
    satisfaction_weeks: float = Field(
        8, gt=0, le=520, description="Time constant of satisfaction (assumed)."
    )
    churn_per_year: float = Field(
        0.10, ge=0, le=1, description="Yearly churn of regular accounts at reference satisfaction."
    )
    new_account_probability: float = Field(
        0.03,
        ge=0,
        le=1,
        description="Chance a won deal becomes a repeat account (assumed: balances churn).",
    )


class PeopleConfig(Section):
    """Fatigue, motivation, skill, attrition and hiring."""

    team_size: int = Field(10, ge=1, le=10_000, description="Salespeople at the start.")
    fatigue_per_overtime_hour: float = Field(
        0.012,
        ge=0,
        le=1,
        description="Fatigue added per weekly hour above the sustainable level (Homer 1985: "
        "burnout builds over weeks of overload).",
    )
    fatigue_per_interruption: float = Field(
        0.03, ge=0, le=1, description="Fatigue added per fix or change of focus (assumed)."
    )
    fatigue_recovery_weeks: float = Field(
        4, gt=0, le=104, description="Weeks to recover from fatigue at a sustainable load."
    )
    fatigue_effectiveness_loss: float = Field(
        0.35, ge=0, le=1, description="Loss of effectiveness at full fatigue (assumed)."
    )
    motivation_start: float = Field(0.7, ge=0, le=1, description="Motivation at the start.")
    motivation_weeks: float = Field(
        6, gt=0, le=104, description="Time constant of motivation (assumed)."
    )
    clarity_motivation: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Motivation gained from visible progress toward a clear shared goal "
        "(mechanism goal_clarity; Locke & Latham 2002 on specific, accepted goals; size "
        "assumed).",
    )
    miss_motivation: float = Field(
        0.15, ge=0, le=1, description="Motivation lost when every recent review is a miss."
    )
    miss_tolerance: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Reported shortfall against the goal (relative) beyond which the team "
        "experiences a week as a miss; the same for every variant (assumed: 5%).",
    )
    change_motivation: float = Field(
        0.05, ge=0, le=1, description="Motivation lost per change of direction per week."
    )
    standard_erosion_weeks: float = Field(
        13,
        gt=0,
        le=520,
        description="Time constant with which the working standard (hours per deal) drifts "
        "down toward the hours actually spent under load (mechanism adaptive_standard; Oliva & "
        "Sterman 2001; assumed a quarter).",
    )
    skill_start: float = Field(1.0, gt=0, le=3, description="Skill at the start (1 = standard).")
    coaching_gain: float = Field(
        0.2,
        ge=0,
        le=2,
        description="Lasting skill gained at full coaching (10% of hours), reached with the "
        "capability time constant.",
    )
    capability_weeks: float = Field(
        26,
        gt=0,
        le=520,
        description="Capability time constant (Repenning & Sterman 2001: about half a year).",
    )
    improvement_gain: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Skill kept up by the reserved improvement time; lost when it is cut.",
    )
    training_bump: float = Field(
        0.15, ge=0, le=1, description="Skill bump from one training day (assumed)."
    )
    training_weeks: float = Field(
        4,
        gt=0,
        le=104,
        description="Fading time constant of a training (Ebbinghaus; 80-87% lost in 1-3 months).",
    )
    training_floor: float = Field(
        0.15, ge=0, le=1, description="Share of a training's bump that lasts."
    )
    attrition_per_year: float = Field(
        0.15, ge=0, le=1, description="Yearly attrition at rest (about 15%/year)."
    )
    hiring_weeks: float = Field(10, ge=0, le=104, description="Weeks to fill a vacancy (assumed).")
    ramp_weeks: float = Field(
        22,
        ge=0,
        le=104,
        description="Weeks for a new hire to reach full productivity (Bridge Group 2024 median: "
        "about 5 months).",
    )
    ramp_start: float = Field(
        0.25, ge=0, le=1, description="Productivity of a new hire in the first week."
    )
    max_team_size: int = Field(
        0, ge=0, le=10_000, description="Upper bound for capacity planning (0 = team_size + 20%)."
    )


class CostsConfig(Section):
    """What the team costs besides its hours: the money side of operating profit."""

    salary_eur_per_year: float = Field(
        90_000,
        ge=0,
        le=1e7,
        description="Employer cost of one salesperson per year, on-costs included, paid from "
        "the first day (ramp-up included; assumed: NL mid-market EUR 85-100k).",
    )
    recruiting_eur_per_hire: float = Field(
        15_000,
        ge=0,
        le=1e7,
        description="One-off cost of a hire: agency fee and interview hours (practitioner "
        "estimates: 20-25% of a base salary of about EUR 60-65k, plus manager time).",
    )
    overtime_pay_factor: float = Field(
        1.0,
        ge=0,
        le=3,
        description="Overtime paid per hour as a multiple of the hourly employer cost (assumed "
        "1: paid at cost; 0 if overtime is unpaid - it still tires).",
    )
    training_fee_eur_per_day: float = Field(
        2_000,
        ge=0,
        le=1e6,
        description="Trainer's fee for one training day of the team (assumed EUR 1.5-2.5k per "
        "group day).",
    )
    coaching_eur_per_person_week: float = Field(
        75,
        ge=0,
        le=1e5,
        description="Manager or coach time per salesperson per week at full coaching (CEB: "
        "about 3-5 h per rep per month; assumed about 1 h at EUR 75).",
    )


class CallBlitzPrice(Section):
    """More calling: selling hours move to cold calls for weaker leads."""

    duration_weeks: float = Field(2, gt=0, le=52, description="Weeks one blitz runs (assumed).")
    selling_share: float = Field(
        0.3, ge=0, le=1, description="Share of selling hours moved to cold calling (assumed)."
    )
    hours_per_lead: float = Field(
        4, gt=0, le=100, description="Cold-calling hours per extra lead (assumed)."
    )
    lead_quality: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Qualify and win chance of a blitz lead relative to a normal lead (assumed).",
    )


class ExtraReportingPrice(Section):
    """More reporting: visibility of stalled deals for a while, hours that stay."""

    duration_weeks: float = Field(
        2, gt=0, le=52, description="Weeks the extra attention to the pipeline lasts (assumed)."
    )
    hours_per_week: float = Field(
        1, ge=0, le=40, description="Reporting hours per person per week it adds (assumed)."
    )
    sticky_weeks: float = Field(
        26,
        gt=0,
        le=520,
        description="Time constant with which the added hours fade away: reports tend to stay "
        "once introduced (assumed).",
    )
    visibility_weeks: float = Field(
        1,
        ge=0,
        le=52,
        description="While it runs, a neglected deal survives this many extra weeks before it "
        "is lost: stalled deals get noticed (assumed).",
    )


class TrainingDayPrice(Section):
    """Another training: a day out and a fee; the skill bump is in people (training_*)."""

    hours: float = Field(8, ge=0, le=40, description="Hours per person: a day out (assumed).")


class UrgentMeetingPrice(Section):
    """Urgent meetings: hours and interruptions for a week of focus on closing."""

    hours: float = Field(3, ge=0, le=40, description="Hours per person (assumed: half a morning).")
    pull_forward_weeks: float = Field(
        1,
        ge=0,
        le=26,
        description="Focus on closing: deals this many weeks from their close are closed now, "
        "rushed; they leave a hole after them (assumed).",
    )


class DiscountPushPrice(Section):
    """Discounts: more and earlier wins now, margin down, customers learn to wait."""

    duration_weeks: float = Field(3, gt=0, le=52, description="Weeks one push runs (assumed).")
    pull_forward_weeks: float = Field(
        2,
        ge=0,
        le=26,
        description="Deals this many weeks from their close sign now for the discount: revenue "
        "moved forward, a hole after it (Larkin 2014; Oyer 1998; size assumed).",
    )
    learn_weeks: float = Field(
        4, gt=0, le=104, description="Weeks customers take to learn a discount (assumed)."
    )
    wait_penalty: float = Field(
        1.5,
        ge=0,
        le=10,
        description="Win chance lost per unit of remembered-but-absent discount: customers wait "
        "for the next one (assumed).",
    )


class CutImprovementPrice(Section):
    """Improvement time spent on selling: hours now, capability later."""

    duration_weeks: float = Field(4, gt=0, le=52, description="Weeks one cut lasts (assumed).")


class CoachingPrice(Section):
    """Protected coaching: hours and a fee now, lasting skill later (people.coaching_gain)."""

    hours_share: float = Field(
        0.10,
        ge=0,
        le=0.5,
        description="Share of contracted hours protected at full coaching (design default 10%).",
    )
    from_selling_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of coaching hours taken from selling; the rest replaces internal "
        "meetings (assumed: half; 1 if coaching comes on top of everything).",
    )


class PipelineDisciplinePrice(Section):
    """Stricter qualification: fewer leads worked, screened on their chances, with some misses."""

    screened_share: float = Field(
        0.25,
        ge=0,
        le=0.9,
        description="Share of leads dropped at qualification at full discipline (assumed).",
    )
    screening_accuracy: float = Field(
        0.7,
        ge=0,
        le=1,
        description="Share of the dropped leads picked for their low chances; the rest are "
        "dropped blindly, winners among them (assumed; HubSpot: qualified deals win about 29% "
        "vs 21% of all deals).",
    )
    admin_hours: float = Field(
        1, ge=0, le=40, description="CRM hygiene hours per person per week at full discipline."
    )


class AccountCarePrice(Section):
    """Hours for existing customers."""

    extra_share: float = Field(
        0.5,
        ge=0,
        le=5,
        description="Care hours added at full account care, relative to the planned care share "
        "(assumed).",
    )


class CapacityPlanningPrice(Section):
    """Hiring when a gap persists (salary and recruiting in costs)."""

    cooldown_weeks: float = Field(
        8,
        ge=0,
        le=104,
        description="At most one vacancy opened per this many weeks (assumed).",
    )


class LeverPrices(Section):
    """The price list: what each lever does, how long, and what it costs, the same for all."""

    call_blitz: CallBlitzPrice = CallBlitzPrice()
    extra_reporting: ExtraReportingPrice = ExtraReportingPrice()
    training_day: TrainingDayPrice = TrainingDayPrice()
    urgent_meeting: UrgentMeetingPrice = UrgentMeetingPrice()
    discount_push: DiscountPushPrice = DiscountPushPrice()
    cut_improvement: CutImprovementPrice = CutImprovementPrice()
    coaching: CoachingPrice = CoachingPrice()
    pipeline_discipline: PipelineDisciplinePrice = PipelineDisciplinePrice()
    account_care: AccountCarePrice = AccountCarePrice()
    capacity_planning: CapacityPlanningPrice = CapacityPlanningPrice()
    rushed_close_win_loss: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share of the win chance lost by a deal closed early (a pull-forward; "
        "assumed 0.2; InsideSales/HBR 2017 saw -51% in quarter-end rushes).",
    )
    coordination_hours: float = Field(
        1,
        ge=0,
        le=40,
        description="Hours a person spends per unit of push on a shared lever that members "
        "pull in opposite directions (assumed).",
    )


class SalesPlantConfig(Section):
    """The sales team in its market."""

    kind: Literal["sales"] = "sales"
    target_eur_per_week: float = Field(
        108_500,
        gt=0,
        le=1e12,
        description="Revenue target per week set by management. Calibrated, not tuned: what "
        "an undisturbed open-loop team (no feedback, no levers) books in the long run on the "
        "default plant (200 replications, seed 42: EUR 108.5k a week), so 'just missed' has to "
        "come out of what a team does; a test pins it within 1%.",
    )
    warmup_weeks: int = Field(
        26,
        ge=0,
        le=520,
        description="Weeks simulated before week 0, without reviews and not recorded, so the "
        "pipeline, the customers and the people start in their usual state (assumed: half a "
        "year, three sales cycles).",
    )
    market: MarketConfig = MarketConfig()
    time: TimeConfig = TimeConfig()
    deals: DealsConfig = DealsConfig()
    accounts: AccountsConfig = AccountsConfig()
    people: PeopleConfig = PeopleConfig()
    costs: CostsConfig = CostsConfig()
    levers: LeverPrices = LeverPrices()
