"""Scenario section for the thermostat teaching plant.

Owns the parameters of the first-order room: time constant, outside temperature, heater and
cooler range.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from thermosim.config.base import Section, unit


class ThermostatPlantConfig(Section):
    """A room that exchanges heat with the outside, heated (and cooled) by bounded units."""

    kind: Literal["thermostat"] = "thermostat"
    setpoint_c: float = Field(20, ge=-50, le=60, description="Set temperature in degC (target).")
    start_c: float = Field(15, ge=-50, le=60, description="Room temperature at week 0 in degC.")
    outside_c: float = Field(5, ge=-60, le=50, description="Outside temperature in degC.")
    time_constant_weeks: float = Field(
        2,
        ge=0,
        le=520,
        description="Time constant of the room in weeks (0 = settles within the step).",
    )
    heater_lift_c: float = Field(
        25,
        ge=0.1,
        le=200,
        description="Temperature rise above outside at full heater power, at equilibrium (degC).",
    )
    cooler_lift_c: float = Field(
        0,
        ge=0,
        le=200,
        description="Temperature drop below outside at full cooling, at equilibrium (degC; 0 = "
        "no cooler). A cooler lets a policy with a negative output_min cool the room.",
    )
    process_noise_c: float = Field(
        0,
        ge=0,
        le=20,
        description="Random disturbance per week (degC standard deviation; 0 = none).",
    )
    substeps_per_week: int = Field(
        20,
        ge=1,
        le=1000,
        description="Integration steps per week; the controller may review on each of them.",
        json_schema_extra=unit("steps/week"),
    )
