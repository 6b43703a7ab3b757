"""Scenario section for disturbances (shocks) and the mechanism switches.

Owns the shock kinds of the design, each with a start week, an optional duration, a shape and a
size, and the ``mechanisms`` switches that ablation tests and the counter-case scenario use.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from thermosim.config.base import Section, unit

Shape = Literal["step", "ramp", "pulse"]


class _ShockBase(Section):
    week: float = Field(..., ge=0, le=5200, description="Week the shock starts.")
    duration_weeks: float | None = Field(
        None,
        ge=0.1,
        le=5200,
        description="Weeks the shock lasts (null = for good; pulse shapes default to 4).",
    )
    shape: Shape = Field(
        "step",
        description="step: full size at once; ramp: grows linearly over ramp_weeks; pulse: full "
        "size for duration_weeks, then gone.",
    )
    ramp_weeks: float = Field(
        4, ge=0.1, le=520, description="For shape ramp: weeks to reach full size."
    )

    def active_weeks(self) -> float | None:
        """How long the shock lasts; a pulse without a duration lasts 4 weeks."""
        if self.duration_weeks is None and self.shape == "pulse":
            return 4.0
        return self.duration_weeks


class FactorShock(_ShockBase):
    """A shock that multiplies one plant quantity by ``factor`` (its kind says which)."""

    factor: float = Field(
        ...,
        ge=0,
        le=100,
        description="Multiplier at full size (0.7 = -30%).",
        json_schema_extra=unit("x (multiplier)"),
    )


class LeadRateShock(FactorShock):
    """Market downturn or boom: the lead rate is multiplied by factor."""

    kind: Literal["lead_rate"]


class WinRateShock(FactorShock):
    """Competitor entry: win chances are multiplied by factor."""

    kind: Literal["win_rate"]


class DealSizeShock(FactorShock):
    """Price pressure: deal values are multiplied by factor."""

    kind: Literal["deal_size"]


class TargetChangeShock(FactorShock):
    """Management imposes a new target: the target is multiplied by factor."""

    kind: Literal["target_change"]


class LostAccountShock(_ShockBase):
    """Key accounts leave for good."""

    kind: Literal["lost_account"]
    count: int = Field(
        1, ge=1, le=1000, description="Key accounts lost.", json_schema_extra=unit("key accounts")
    )


class PeopleLeaveShock(_ShockBase):
    """Salespeople leave at once; vacancies are refilled after the hiring delay."""

    kind: Literal["people_leave"]
    count: int = Field(
        2, ge=1, le=10_000, description="Salespeople who leave.", json_schema_extra=unit("people")
    )


class SeasonalityShock(_ShockBase):
    """A seasonal wave on the lead rate from week on."""

    kind: Literal["seasonality"]
    amplitude: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Relative swing of the lead rate.",
        json_schema_extra=unit("fraction of the lead rate"),
    )
    period_weeks: float = Field(52, ge=2, le=520, description="Length of one season cycle.")
    phase_weeks: float = Field(0, ge=-520, le=520, description="Shift of the wave in weeks.")


class OutsideTemperatureShock(_ShockBase):
    """Thermostat only: the outside temperature changes by delta_c (a cold snap)."""

    kind: Literal["outside_temperature"]
    delta_c: float = Field(..., ge=-100, le=100, description="Change in degC (negative = colder).")


# Every shock model (plain union, for code that takes any of them); ``Shock`` picks one by kind.
AnyShock = (
    LeadRateShock
    | WinRateShock
    | DealSizeShock
    | TargetChangeShock
    | LostAccountShock
    | PeopleLeaveShock
    | SeasonalityShock
    | OutsideTemperatureShock
)
Shock = Annotated[AnyShock, Field(discriminator="kind")]


class MechanismsConfig(Section):
    """Switches for the mechanisms that make reacting costly (for ablation and counter-cases)."""

    noise: bool = Field(
        True,
        description="Randomness: lead arrivals, deal values, wins, leaving, reporting noise. "
        "Off: the mean-field model, every draw replaced by its expected value (evenly spread "
        "outcomes, expected revenue per close, exact reports).",
    )
    fading_fixes: bool = Field(
        True,
        description="Quick fixes fade: a training's skill bump decays to its floor within "
        "weeks, and customers who saw a discount wait for the next one. Off: the whole bump "
        "lasts and discounts leave no memory.",
    )
    fatigue: bool = Field(True, description="Fatigue builds and costs effectiveness. Off: none.")
    goal_clarity: bool = Field(
        True,
        description="A goal the team shares (a variant's reference.shared) lifts motivation "
        "while progress toward it is visible (people.clarity_motivation). Off: no such lift.",
    )
    adaptive_standard: bool = Field(
        False,
        description="Eroding standards (Oliva & Sterman 2001): under load the hours spent per "
        "deal fall short, and the working standard drifts down to them and stays there; deals "
        "then close faster and less often. Off (default): the standard stays as needed.",
    )
    fix_time_cost: float = Field(
        1.0,
        ge=0,
        le=10,
        description="Multiplier on the hours quick fixes (and pulling shared levers against "
        "each other) take out of the week (0 = free fixes).",
        json_schema_extra=unit("x (multiplier)"),
    )
