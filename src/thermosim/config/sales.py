"""Scenario section for the sales plant: market, time, deals, accounts, people.

Owns every parameter of the sales team simulation with its unit, range, default and the source of
that default. "Assumed" marks a plausible B2B value a trainer should replace with their own. What
the team and its levers cost is in ``prices.py``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from thermosim.config.base import Section, unit
from thermosim.config.prices import CostsConfig, LeverPrices, PipelineDisciplinePrice

# The plant code reads its price list through this module as well.
__all__ = [
    "AccountsConfig",
    "CostsConfig",
    "DealsConfig",
    "LeverPrices",
    "MarketConfig",
    "PeopleConfig",
    "PipelineDisciplinePrice",
    "SalesPlantConfig",
    "TimeConfig",
]


class MarketConfig(Section):
    """Lead arrivals."""

    lead_rate_per_week: float = Field(
        22,
        ge=0,
        le=10_000,
        description="Mean new leads per week for the whole team (assumed).",
        json_schema_extra=unit("leads/week"),
    )
    referral_strength: float = Field(
        0.6,
        ge=0,
        le=5,
        description="Lead rate multiplier per unit of satisfaction above its reference "
        "(referrals; assumed).",
        json_schema_extra=unit("x per unit of satisfaction"),
    )


class TimeConfig(Section):
    """A salesperson's week (sources: Proudfoot 2005; Pace Productivity)."""

    contracted_hours_per_week: float = Field(40, ge=1, le=80, description="Contracted hours.")
    max_overtime_hours_per_week: float = Field(
        10, ge=0, le=40, description="Overtime worked at full pressure (design: about +10 h)."
    )
    sustainable_hours_per_week: float = Field(
        44,
        ge=1,
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
        1.0,
        ge=0.1,
        le=40,
        description="Selling hours to qualify one lead (assumed).",
        json_schema_extra=unit("hours/lead"),
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
        json_schema_extra=unit("fraction"),
    )
    opportunity_hours: float = Field(
        10,
        ge=0.1,
        le=400,
        description="Selling hours an opportunity needs over its life (assumed).",
        json_schema_extra=unit("hours"),
    )
    cycle_weeks: float = Field(
        8,
        ge=0.1,
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
        20_000, ge=1, le=1e9, description="Median value of a won deal in euro (assumed)."
    )
    deal_value_sigma: float = Field(
        0.6,
        ge=0,
        le=3,
        description="Spread of deal values (lognormal sigma; assumed).",
        json_schema_extra=unit("lognormal sigma"),
    )
    gross_margin: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Gross margin before discounts (assumed).",
        json_schema_extra=unit("fraction of revenue"),
    )
    max_discount: float = Field(
        0.15,
        ge=0,
        le=0.9,
        description="Discount at full discount push (assumed).",
        json_schema_extra=unit("fraction of the price"),
    )
    discount_win_lift: float = Field(
        1.5,
        ge=0,
        le=20,
        description="Relative lift of the win chance per unit of discount (assumed: 10% off "
        "-> +15% wins).",
        json_schema_extra=unit("x per unit of discount"),
    )
    time_quality_elasticity: float = Field(
        0.5,
        ge=0,
        le=3,
        description="Win chance ~ (hours worked per deal / hours it needs) ** this: a deal "
        "worked to an eroded standard closes less often (mechanism adaptive_standard; assumed).",
        json_schema_extra=unit("exponent"),
    )
    discount_memory_weeks: float = Field(
        26,
        ge=0.1,
        le=520,
        description="Weeks customers remember discounts and wait for the next one (assumed).",
    )


class AccountsConfig(Section):
    """Existing customers and their repeat orders."""

    accounts: int = Field(
        40,
        ge=0,
        le=100_000,
        description="Regular accounts at the start.",
        json_schema_extra=unit("accounts"),
    )
    order_rate_per_week: float = Field(
        0.2,
        ge=0,
        le=50,
        description="Orders per regular account per week at reference satisfaction (assumed).",
        json_schema_extra=unit("orders/account/week"),
    )
    order_value_eur: float = Field(
        5_000, ge=0, le=1e9, description="Mean value of a repeat order in euro (assumed)."
    )
    key_accounts: int = Field(
        1,
        ge=0,
        le=1000,
        description="Key accounts at the start.",
        json_schema_extra=unit("accounts"),
    )
    key_order_rate_per_week: float = Field(
        1.0,
        ge=0,
        le=50,
        description="Orders per key account per week (assumed).",
        json_schema_extra=unit("orders/account/week"),
    )
    key_order_value_eur: float = Field(
        15_000,
        ge=0,
        le=1e9,
        description="Mean key-account order in euro (assumed: a key account is about 12% of "
        "revenue).",
    )
    satisfaction_start: float = Field(
        0.7,
        ge=0,
        le=1,
        description="Satisfaction at the start.",
        json_schema_extra=unit("index 0-1"),
    )
    satisfaction_reference: float = Field(
        0.7,
        ge=0.01,
        le=1,
        description="Satisfaction at which repeat orders, churn and referrals are at their base.",
        json_schema_extra=unit("index 0-1"),
    )
    satisfaction_weeks: float = Field(
        8, ge=0.1, le=520, description="Time constant of satisfaction (assumed)."
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

    team_size: int = Field(
        10,
        ge=1,
        le=10_000,
        description="Salespeople at the start.",
        json_schema_extra=unit("people"),
    )
    fatigue_per_overtime_hour: float = Field(
        0.012,
        ge=0,
        le=1,
        description="Fatigue added per weekly hour above the sustainable level (Homer 1985: "
        "burnout builds over weeks of overload).",
        json_schema_extra=unit("fatigue per hour/week"),
    )
    fatigue_per_interruption: float = Field(
        0.03,
        ge=0,
        le=1,
        description="Fatigue added per fix or change of focus (assumed).",
        json_schema_extra=unit("fatigue per fix"),
    )
    fatigue_recovery_weeks: float = Field(
        4, ge=0.1, le=104, description="Weeks to recover from fatigue at a sustainable load."
    )
    fatigue_effectiveness_loss: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Loss of effectiveness at full fatigue (assumed).",
        json_schema_extra=unit("fraction"),
    )
    motivation_start: float = Field(
        0.7, ge=0, le=1, description="Motivation at the start.", json_schema_extra=unit("index 0-1")
    )
    motivation_weeks: float = Field(
        6, ge=0.1, le=104, description="Time constant of motivation (assumed)."
    )
    clarity_motivation: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Motivation gained from visible progress toward a clear shared goal "
        "(mechanism goal_clarity; Locke & Latham 2002 on specific, accepted goals; size "
        "assumed).",
        json_schema_extra=unit("motivation (0-1)"),
    )
    miss_motivation: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Motivation lost when every recent review is a miss.",
        json_schema_extra=unit("motivation (0-1)"),
    )
    miss_tolerance: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Reported shortfall against the goal (relative) beyond which the team "
        "experiences a week as a miss; the same for every variant (assumed: 5%).",
        json_schema_extra=unit("relative shortfall"),
    )
    change_motivation: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Motivation lost per change of direction per week.",
        json_schema_extra=unit("motivation per change"),
    )
    standard_erosion_weeks: float = Field(
        13,
        ge=0.1,
        le=520,
        description="Time constant with which the working standard (hours per deal) drifts "
        "down toward the hours actually spent under load (mechanism adaptive_standard; Oliva & "
        "Sterman 2001; assumed a quarter).",
    )
    skill_start: float = Field(
        1.0,
        ge=0.01,
        le=3,
        description="Skill at the start (1 = standard).",
        json_schema_extra=unit("x standard skill"),
    )
    coaching_gain: float = Field(
        0.2,
        ge=0,
        le=2,
        description="Lasting skill gained at full coaching (10% of hours), reached with the "
        "capability time constant.",
        json_schema_extra=unit("skill (1 = standard)"),
    )
    capability_weeks: float = Field(
        26,
        ge=0.1,
        le=520,
        description="Capability time constant (Repenning & Sterman 2001: about half a year).",
    )
    improvement_gain: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Skill kept up by the reserved improvement time; lost when it is cut.",
        json_schema_extra=unit("skill (1 = standard)"),
    )
    training_bump: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Skill bump from one training day (assumed).",
        json_schema_extra=unit("skill (1 = standard)"),
    )
    training_weeks: float = Field(
        4,
        ge=0.1,
        le=104,
        description="Fading time constant of a training (Ebbinghaus; 80-87% lost in 1-3 months).",
    )
    training_floor: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Share of a training's bump that lasts.",
        json_schema_extra=unit("fraction of the bump"),
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
        0.25,
        ge=0,
        le=1,
        description="Productivity of a new hire in the first week.",
        json_schema_extra=unit("fraction of full productivity"),
    )
    max_team_size: int = Field(
        0,
        ge=0,
        le=10_000,
        description="Upper bound for capacity planning (0 = team_size + 20%).",
        json_schema_extra=unit("people"),
    )


class SalesPlantConfig(Section):
    """The sales team in its market."""

    kind: Literal["sales"] = "sales"
    target_eur_per_week: float = Field(
        108_500,
        ge=1,
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
