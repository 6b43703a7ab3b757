"""The money side of the sales plant: what the team costs, and the price list of its levers.

Owns the salary, hiring and fee parameters and, for every lever of ``control.levers``, what it
does, for how long and at what cost (hours, durations, side effects), with units, ranges and
sources. They are the same for every variant: strategies differ in which levers they pull and
when, never in what a lever costs.
"""

from __future__ import annotations

from pydantic import Field

from thermosim.config.base import Section, unit


class CostsConfig(Section):
    """What the team costs besides its hours: the money side of operating profit."""

    salary_eur_per_year: float = Field(
        90_000,
        ge=0,
        le=1e7,
        description="Employer cost of one salesperson per year, on-costs included, paid from "
        "the first day (ramp-up included; assumed: NL mid-market EUR 85-100k).",
        json_schema_extra=unit("EUR/year"),
    )
    recruiting_eur_per_hire: float = Field(
        15_000,
        ge=0,
        le=1e7,
        description="One-off cost of a hire: agency fee and interview hours (practitioner "
        "estimates: 20-25% of a base salary of about EUR 60-65k, plus manager time).",
        json_schema_extra=unit("EUR per hire"),
    )
    overtime_pay_factor: float = Field(
        1.0,
        ge=0,
        le=3,
        description="Overtime paid per hour as a multiple of the hourly employer cost (assumed "
        "1: paid at cost; 0 if overtime is unpaid - it still tires).",
        json_schema_extra=unit("x hourly employer cost"),
    )
    training_fee_eur_per_day: float = Field(
        2_000,
        ge=0,
        le=1e6,
        description="Trainer's fee for one training day of the team (assumed EUR 1.5-2.5k per "
        "group day).",
        json_schema_extra=unit("EUR per team day"),
    )
    coaching_eur_per_person_week: float = Field(
        75,
        ge=0,
        le=1e5,
        description="Manager or coach time per salesperson per week at full coaching (CEB: "
        "about 3-5 h per rep per month; assumed about 1 h at EUR 75).",
        json_schema_extra=unit("EUR/person/week"),
    )


class CallBlitzPrice(Section):
    """More calling: selling hours move to cold calls for weaker leads."""

    duration_weeks: float = Field(2, ge=0.1, le=52, description="Weeks one blitz runs (assumed).")
    selling_share: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of selling hours moved to cold calling (assumed).",
        json_schema_extra=unit("fraction of selling hours"),
    )
    hours_per_lead: float = Field(
        4,
        ge=0.1,
        le=100,
        description="Cold-calling hours per extra lead (assumed).",
        json_schema_extra=unit("hours/lead"),
    )
    lead_quality: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Qualify and win chance of a blitz lead relative to a normal lead (assumed).",
        json_schema_extra=unit("x a normal lead"),
    )


class ExtraReportingPrice(Section):
    """More reporting: visibility of stalled deals for a while, hours that stay."""

    duration_weeks: float = Field(
        2, ge=0.1, le=52, description="Weeks the extra attention to the pipeline lasts (assumed)."
    )
    hours_per_week: float = Field(
        1, ge=0, le=40, description="Reporting hours per person per week it adds (assumed)."
    )
    sticky_weeks: float = Field(
        26,
        ge=0.1,
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

    hours: float = Field(
        8,
        ge=0,
        le=40,
        description="Hours per person: a day out (assumed).",
        json_schema_extra=unit("hours/person"),
    )


class UrgentMeetingPrice(Section):
    """Urgent meetings: hours and interruptions for a week of focus on closing."""

    hours: float = Field(
        3,
        ge=0,
        le=40,
        description="Hours per person (assumed: half a morning).",
        json_schema_extra=unit("hours/person"),
    )
    pull_forward_weeks: float = Field(
        1,
        ge=0,
        le=26,
        description="Focus on closing: deals this many weeks from their close are closed now, "
        "rushed; they leave a hole after them (assumed).",
    )


class DiscountPushPrice(Section):
    """Discounts: more and earlier wins now, margin down, customers learn to wait."""

    duration_weeks: float = Field(3, ge=0.1, le=52, description="Weeks one push runs (assumed).")
    pull_forward_weeks: float = Field(
        2,
        ge=0,
        le=26,
        description="Deals this many weeks from their close sign now for the discount: revenue "
        "moved forward, a hole after it (Larkin 2014; Oyer 1998; size assumed).",
    )
    learn_weeks: float = Field(
        4, ge=0.1, le=104, description="Weeks customers take to learn a discount (assumed)."
    )
    wait_penalty: float = Field(
        1.5,
        ge=0,
        le=10,
        description="Win chance lost per unit of remembered-but-absent discount: customers wait "
        "for the next one (assumed).",
        json_schema_extra=unit("win chance per unit of discount"),
    )


class CutImprovementPrice(Section):
    """Improvement time spent on selling: hours now, capability later."""

    duration_weeks: float = Field(4, ge=0.1, le=52, description="Weeks one cut lasts (assumed).")


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
        json_schema_extra=unit("fraction of coaching hours"),
    )


class PipelineDisciplinePrice(Section):
    """Stricter qualification: fewer leads worked, screened on their chances, with some misses."""

    screened_share: float = Field(
        0.25,
        ge=0,
        le=0.9,
        description="Share of leads dropped at qualification at full discipline (assumed).",
        json_schema_extra=unit("fraction of leads"),
    )
    screening_accuracy: float = Field(
        0.7,
        ge=0,
        le=1,
        description="Share of the dropped leads picked for their low chances; the rest are "
        "dropped blindly, winners among them (assumed; HubSpot: qualified deals win about 29% "
        "vs 21% of all deals).",
        json_schema_extra=unit("fraction of drops"),
    )
    admin_hours: float = Field(
        1,
        ge=0,
        le=40,
        description="CRM hygiene hours per person per week at full discipline.",
        json_schema_extra=unit("hours/person/week"),
    )


class AccountCarePrice(Section):
    """Hours for existing customers."""

    extra_share: float = Field(
        0.5,
        ge=0,
        le=5,
        description="Care hours added at full account care, relative to the planned care share "
        "(assumed).",
        json_schema_extra=unit("x planned care hours"),
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
        json_schema_extra=unit("fraction of the win chance"),
    )
    coordination_hours: float = Field(
        1,
        ge=0,
        le=40,
        description="Hours a person spends per unit of push on a shared lever that members "
        "pull in opposite directions (assumed).",
        json_schema_extra=unit("hours per unit of push"),
    )
