"""Scenario sections for the control side: reference, perception, policy, levers, variants.

Owns the fields a variant (a named strategy, usually built from a preset) may set, with their
units and ranges. The presets that fill them live in ``presets.py``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from thermosim.config.base import Section
from thermosim.control.levers import LEVERS
from thermosim.control.reference import ReferenceKind

Metric = Literal["revenue", "margin", "satisfaction", "temperature"]


class ReferenceConfig(Section):
    """The set point a variant steers toward."""

    kind: ReferenceKind = Field(
        "fixed",
        description="fixed: the imposed target; raised: the team lifts its own set point at "
        "raise_week; eroding: while results fall short, the goal drifts down toward them "
        "(drifting goals).",
    )
    level: float = Field(
        1.0, gt=0, le=3, description="Set point as a multiple of the imposed target (1 = target)."
    )
    raise_to: float = Field(
        1.0, gt=0, le=3, description="For kind raised: multiple of the target after the raise."
    )
    raise_week: float = Field(0, ge=0, description="For kind raised: week the raise starts.")
    ramp_weeks: float = Field(
        0, ge=0, le=520, description="For kind raised: weeks to reach raise_to (0 = a step)."
    )
    tau_goal_weeks: float = Field(
        13,
        gt=0,
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

    metric: Metric = Field("revenue", description="Metric perceived (sales: revenue).")
    delay_weeks: float = Field(
        1, ge=0, le=52, description="Reporting lag in weeks before a result is seen."
    )
    window_weeks: float = Field(
        1, gt=0, le=52, description="Weeks averaged in the report (1 = last week only; 8 = trend)."
    )
    noise: float = Field(
        0,
        ge=0,
        le=2,
        description="Reporting noise: standard deviation relative to the target (sales) or the "
        "heater range (thermostat). 0 = exact reports.",
    )


class PolicyConfig(Section):
    """How the perceived error becomes pressure to act."""

    gain: float = Field(
        1.0, ge=0, le=100, description="Proportional gain: output per unit of relative error."
    )
    integral_time_weeks: float | None = Field(
        None,
        gt=0,
        le=520,
        description="Integral time in weeks (memory of past gaps); null = no integral action.",
    )
    deadband: float = Field(
        0, ge=0, le=1, description="Relative errors within this band are not acted on."
    )
    control_limit_sigma: float | None = Field(
        None,
        ge=0,
        le=6,
        description="Act only on errors beyond this many standard deviations of recent errors "
        "(a control limit); null = off.",
    )
    review_weeks: float = Field(
        1,
        gt=0,
        le=13,
        description="Weeks between reviews (sales: the weekly review; thermostat: the sampling "
        "interval of the controller).",
    )
    overtime_share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="How pressure turns into hours: share of the plant's maximum overtime asked "
        "for per unit of policy output (0 = the gap is never answered with longer weeks; 1 = "
        "full output asks for all of it). Any playbook may use it; it is paid and it tires.",
    )


class PlannedAction(Section):
    """A lever pulled on a calendar, whatever the results (a plan, not a reaction)."""

    week: float = Field(..., ge=0, le=5200, description="Week the action starts.")
    lever: str = Field(..., description="The lever pulled (any lever of the repertoire list).")
    intensity: float = Field(1.0, ge=-1, le=1, description="Intensity (1 = the lever in full).")
    weeks: float = Field(
        1, gt=0, le=5200, description="Weeks the action is repeated at every review (1 = once)."
    )

    @field_validator("lever")
    @classmethod
    def _known_lever(cls, value: str) -> str:
        return _check_lever(value)


def _check_lever(lever: str) -> str:
    if lever not in LEVERS:
        from difflib import get_close_matches

        close = get_close_matches(lever, list(LEVERS), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"unknown lever '{lever}'{hint} Known: {', '.join(LEVERS)}")
    return lever


class LeversConfig(Section):
    """Which levers a variant reaches for, and how."""

    mode: Literal["episodic", "continuous"] = Field(
        "episodic",
        description="episodic: a quick fix whenever pressure exceeds threshold (the reflex); "
        "continuous: lasting levers set in proportion to the pressure.",
    )
    repertoire: tuple[str, ...] = Field(
        (),
        description="Levers used, in the order they are reached for. Symptomatic: call_blitz, "
        "extra_reporting, training_day, urgent_meeting, discount_push, cut_improvement; "
        "fundamental: coaching, pipeline_discipline, account_care, capacity_planning.",
    )
    threshold: float = Field(
        0.05, ge=0, le=1, description="Pressure above which an episodic fix is started."
    )
    base: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Standing intensity of continuous levers (e.g. coaching always protected).",
    )

    schedule: tuple[PlannedAction, ...] = Field(
        (),
        description="Levers pulled on a calendar, besides (or instead of) the policy: e.g. a "
        "training in week 10. Used to price one lever at a time.",
    )

    @field_validator("repertoire")
    @classmethod
    def _known_levers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for lever in value:
            _check_lever(lever)
        return value


class ControlConfig(Section):
    """A complete strategy: the resolved parameters of a variant."""

    reference: ReferenceConfig = ReferenceConfig()
    perception: PerceptionConfig = PerceptionConfig()
    policy: PolicyConfig = PolicyConfig()
    levers: LeversConfig = LeversConfig()
    member_metrics: tuple[Metric, ...] = Field(
        (),
        description="Fragmented steering: each member steers on one of these metrics (assigned "
        "in turn), with its own loop, on the shared levers. Empty = one loop for the team.",
    )
    member_targets: dict[str, float] = Field(
        default_factory=dict,
        description="Reference per metric for member loops: margin and satisfaction as "
        "fractions (e.g. 0.33, 0.8); revenue as a multiple of the imposed target.",
    )
