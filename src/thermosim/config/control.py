"""Scenario sections for the control side: reference, perception, policy, levers, variants.

Owns the fields a variant (a named strategy, usually built from a preset) may set, with their
units and ranges. The presets that fill them live in ``presets.py``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from thermosim.config.base import AtMost, Section, located_problems, noun, unit
from thermosim.control.levers import LeverName
from thermosim.control.reference import ReferenceKind

Metric = Literal["revenue", "margin", "satisfaction", "temperature"]
Lever = Annotated[LeverName, Field(json_schema_extra=noun("lever"))]
MAX_MEMBERS = 20  # a member loop per role or metric; more is a crowd, not a team

# What a member's reference means per metric: (lowest, highest, in words). Revenue is a multiple
# of the imposed target (as reference.level); the ratios are fractions; temperature is degC.
MEMBER_REFERENCE_RANGE: dict[str, tuple[float, float, str]] = {
    "revenue": (0.01, 3.0, "a multiple of the target"),
    "margin": (0.0, 1.0, "a fraction"),
    "satisfaction": (0.0, 1.0, "a fraction"),
    "temperature": (-50.0, 60.0, "in degC"),
}


class ReferenceConfig(Section):
    """The set point a variant steers toward."""

    kind: ReferenceKind = Field(
        "fixed",
        description="fixed: the imposed target; raised: the team lifts its own set point at "
        "raise_week; eroding: while results fall short, the goal drifts down toward them "
        "(drifting goals).",
    )
    # 1% of the target, as for a member's revenue reference: errors are relative to the set point.
    level: float = Field(
        1.0,
        ge=0.01,
        le=3,
        description="Set point as a multiple of the imposed target (1 = target).",
        json_schema_extra=unit("x target"),
    )
    raise_to: float = Field(
        1.0,
        ge=0.01,
        le=3,
        description="For kind raised: multiple of the target after the raise.",
        json_schema_extra=unit("x target"),
    )
    raise_week: float = Field(0, ge=0, description="For kind raised: week the raise starts.")
    ramp_weeks: float = Field(
        0, ge=0, le=520, description="For kind raised: weeks to reach raise_to (0 = a step)."
    )
    tau_goal_weeks: float = Field(
        13,
        ge=0.1,
        le=520,
        description="For kind eroding: time constant (weeks) of the goal's drift down toward "
        "results (assumed: a quarter).",
    )
    shared: bool = Field(
        False,
        description="Whether the team shares and sees this goal; a clear shared goal lifts "
        "motivation when progress is visible (people.clarity_motivation).",
    )


class PerceptionConfig(Section):
    """What the controller sees of the plant."""

    metric: Metric | None = Field(
        None,
        description="Metric perceived by the team's loop; null = the plant's own: revenue (sales) "
        "or temperature (thermostat). The sales plant also offers margin and satisfaction.",
    )
    delay_weeks: float = Field(
        1, ge=0, le=52, description="Reporting lag in weeks before a result is seen."
    )
    # Any positive window works: the engine averages at least one review (hence no larger minimum).
    window_weeks: float = Field(
        1, gt=0, le=52, description="Weeks averaged in the report (1 = last week only; 8 = trend)."
    )
    noise: float = Field(
        0,
        ge=0,
        le=2,
        description="Reporting noise: standard deviation relative to the target (sales) or the "
        "heater range (thermostat). 0 = exact reports.",
        json_schema_extra=unit("sd, x target (sales) or heater range"),
    )


class PolicyConfig(Section):
    """How the perceived error becomes pressure to act."""

    gain: float = Field(
        1.0,
        ge=0,
        le=100,
        description="Proportional gain: output per unit of relative error.",
        json_schema_extra=unit("pressure per unit of relative error"),
    )
    integral_time_weeks: float | None = Field(
        None,
        ge=0.1,
        le=520,
        description="Integral time in weeks (memory of past gaps); null = no integral action.",
    )
    deadband: float = Field(
        0,
        ge=0,
        le=1,
        description="Relative errors within this band are not acted on.",
        json_schema_extra=unit("relative error"),
    )
    control_limit_sigma: float | None = Field(
        None,
        ge=0,
        le=6,
        description="Act only on errors beyond this many standard deviations of recent errors "
        "(a control limit); null = off.",
        json_schema_extra=unit("standard deviations"),
    )
    # A review is a step of the run: 0.01 week (under two hours, as a near-continuous thermostat
    # controller) keeps a 20-year run at about 100,000 steps rather than endless.
    review_weeks: float = Field(
        1,
        ge=0.01,
        le=13,
        description="Weeks between reviews (sales: the weekly review; thermostat: the sampling "
        "interval of the controller).",
    )
    output_min: float = Field(
        0.0,
        ge=-1,
        le=0,
        description="Lowest policy output (the highest is 1): negative lets the output ease off "
        "below the standing intensity of continuous levers when ahead of the goal (sales), or "
        "cool (thermostat with a cooler). 0 = the output only ever pushes.",
        json_schema_extra=unit("pressure (-1 to 0)"),
    )
    overtime_share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="How pressure turns into hours: share of the plant's maximum overtime asked "
        "for per unit of policy output (0 = the gap is never answered with longer weeks; 1 = "
        "full output asks for all of it). Any playbook may use it; it is paid and it tires.",
        json_schema_extra=unit("fraction of max overtime per unit of output"),
    )


class PlannedAction(Section):
    """A lever pulled on a calendar, whatever the results (a plan, not a reaction)."""

    week: float = Field(..., ge=0, le=5200, description="Week the action starts.")
    lever: Lever = Field(..., description="The lever pulled (any lever of the repertoire list).")
    intensity: float = Field(
        1.0,
        ge=-1,
        le=1,
        description="Intensity (1 = the lever in full).",
        json_schema_extra=unit("intensity (-1 to 1)"),
    )
    weeks: float = Field(
        1, ge=0.1, le=5200, description="Weeks the action is repeated at every review (1 = once)."
    )


class LeversConfig(Section):
    """Which levers a variant reaches for, and how."""

    mode: Literal["episodic", "continuous"] = Field(
        "episodic",
        description="episodic: a quick fix whenever pressure exceeds threshold (the reflex); "
        "continuous: lasting levers set in proportion to the pressure.",
    )
    repertoire: tuple[Lever, ...] = Field(
        (),
        description="Levers used, in the order they are reached for. Symptomatic: call_blitz, "
        "extra_reporting, training_day, urgent_meeting, discount_push, cut_improvement; "
        "fundamental: coaching, pipeline_discipline, account_care, capacity_planning.",
    )
    threshold: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Pressure above which an episodic fix is started.",
        json_schema_extra=unit("pressure (0-1)"),
    )
    base: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Standing intensity of continuous levers (e.g. coaching always protected).",
        json_schema_extra=unit("intensity (0-1)"),
    )

    schedule: tuple[PlannedAction, ...] = Field(
        (),
        description="Levers pulled on a calendar, besides (or instead of) the policy: e.g. a "
        "training in week 10. Used to price one lever at a time.",
    )


class MemberLoop(Section):
    """One member's own loop: a metric, a reference on it and a gain.

    The rest of the loop (how late and how averaged the member sees, integral time, dead band,
    reference kind, output range, levers) is the variant's.
    """

    metric: Metric = Field(
        ..., description="Metric this member steers on; the plant must measure it."
    )
    reference: float = Field(
        ...,
        ge=-50,
        le=60,
        description="The member's reference: revenue as a multiple of the imposed target (e.g. "
        "1.1); margin and satisfaction as fractions 0-1 (e.g. 0.35, 0.8); temperature in degC.",
        json_schema_extra=unit("x target (revenue), fraction, or degC"),
    )
    gain: float | None = Field(
        None,
        ge=0,
        le=100,
        description="This member's proportional gain; null = the variant's policy gain.",
        json_schema_extra=unit("pressure per unit of relative error"),
    )

    @model_validator(mode="after")
    def _reference_in_range(self) -> MemberLoop:
        low, high, unit = MEMBER_REFERENCE_RANGE[self.metric]
        if not low <= self.reference <= high:
            message = (
                f"a {self.metric} reference must be {unit} from {low:g} to {high:g}, "
                f"got {self.reference:g}"
            )
            # Located, so the problem points at the reference rather than at the whole member.
            raise located_problems(type(self).__name__, [(("reference",), message, self.reference)])
        return self


class ControlConfig(Section):
    """A complete strategy: the resolved parameters of a variant."""

    reference: ReferenceConfig = ReferenceConfig()
    perception: PerceptionConfig = PerceptionConfig()
    policy: PolicyConfig = PolicyConfig()
    levers: LeversConfig = LeversConfig()
    members: Annotated[tuple[MemberLoop, ...], AtMost(MAX_MEMBERS)] = Field(
        (),
        description="Member loops: each member steers their own metric toward their own "
        "reference with their own gain, on the shared levers (sales) or their own heater "
        "(thermostat). Two members may steer one metric toward different references. "
        "Empty = one loop for the team.",
    )
