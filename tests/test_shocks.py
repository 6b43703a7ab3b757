"""Shock schedules: the time profile of each shape, offsets, seasonality and one-off shocks."""

from __future__ import annotations

import math
from typing import Any

import pytest
import simpy
from pydantic import TypeAdapter

from thermosim.config.shocks import Shock
from thermosim.plant.shocks import ShockSchedule, fire_one_offs

SHOCK = TypeAdapter(Shock)


def schedule(*shocks: dict[str, Any]) -> ShockSchedule:
    return ShockSchedule([SHOCK.validate_python(s) for s in shocks])


def test_a_step_is_in_force_from_its_week_on() -> None:
    s = schedule({"kind": "lead_rate", "week": 10, "factor": 0.6})
    assert s.factor("lead_rate", 9.99) == 1.0
    assert s.factor("lead_rate", 10.0) == pytest.approx(0.6)
    assert s.factor("lead_rate", 500.0) == pytest.approx(0.6)  # null duration: for good


def test_a_step_with_a_duration_ends() -> None:
    s = schedule({"kind": "win_rate", "week": 10, "factor": 0.5, "duration_weeks": 6})
    assert s.factor("win_rate", 15.9) == pytest.approx(0.5)
    assert s.factor("win_rate", 16.0) == 1.0


def test_a_ramp_grows_linearly_to_full_size() -> None:
    s = schedule({"kind": "deal_size", "week": 10, "factor": 0.6, "shape": "ramp", "ramp_weeks": 4})
    assert s.factor("deal_size", 10.0) == pytest.approx(1.0)
    # Halfway through the ramp: half of the -40%.
    assert s.factor("deal_size", 12.0) == pytest.approx(0.8)
    assert s.factor("deal_size", 14.0) == pytest.approx(0.6)
    assert s.factor("deal_size", 40.0) == pytest.approx(0.6)


def test_a_pulse_lasts_four_weeks_unless_told_otherwise() -> None:
    s = schedule({"kind": "lead_rate", "week": 20, "factor": 1.5, "shape": "pulse"})
    assert s.factor("lead_rate", 19.9) == 1.0
    assert s.factor("lead_rate", 23.9) == pytest.approx(1.5)
    assert s.factor("lead_rate", 24.0) == 1.0
    longer = schedule(
        {"kind": "lead_rate", "week": 20, "factor": 1.5, "shape": "pulse", "duration_weeks": 8}
    )
    assert longer.factor("lead_rate", 27.0) == pytest.approx(1.5)
    assert longer.factor("lead_rate", 28.0) == 1.0


def test_factors_of_one_kind_multiply_and_other_kinds_do_not_interfere() -> None:
    s = schedule(
        {"kind": "lead_rate", "week": 5, "factor": 0.5},
        {"kind": "lead_rate", "week": 8, "factor": 0.8},
        {"kind": "win_rate", "week": 0, "factor": 0.1},
        {"kind": "outside_temperature", "week": 0, "delta_c": -10},
    )
    assert s.factor("lead_rate", 6.0) == pytest.approx(0.5)
    assert s.factor("lead_rate", 9.0) == pytest.approx(0.4)
    assert s.factor("win_rate", 9.0) == pytest.approx(0.1)
    assert s.factor("deal_size", 9.0) == 1.0
    assert s.factor("target_change", 9.0) == 1.0


def test_outside_temperature_is_an_offset_not_a_factor() -> None:
    s = schedule(
        {"kind": "outside_temperature", "week": 2, "delta_c": -8, "shape": "ramp", "ramp_weeks": 4},
        {"kind": "outside_temperature", "week": 3, "delta_c": 2, "duration_weeks": 1},
    )
    assert s.offset("outside_temperature", 1.0) == 0.0
    assert s.offset("outside_temperature", 3.0) == pytest.approx(-2.0 + 2.0)
    assert s.offset("outside_temperature", 4.0) == pytest.approx(-4.0)  # the pulse is over
    assert s.offset("outside_temperature", 10.0) == pytest.approx(-8.0)
    assert s.factor("outside_temperature", 10.0) == 1.0


def test_seasonality_is_a_wave_on_the_lead_rate_only() -> None:
    s = schedule(
        {"kind": "seasonality", "week": 10, "amplitude": 0.2, "period_weeks": 52, "phase_weeks": 0}
    )
    assert s.factor("lead_rate", 9.0) == 1.0  # not before it starts
    assert s.factor("lead_rate", 10.0) == pytest.approx(1.0)
    assert s.factor("lead_rate", 10.0 + 13.0) == pytest.approx(1.2)  # a quarter period: peak
    assert s.factor("lead_rate", 10.0 + 39.0) == pytest.approx(0.8)  # three quarters: trough
    assert s.factor("lead_rate", 10.0 + 52.0 + 13.0) == pytest.approx(1.2)  # it repeats
    for week in (12.0, 30.0, 70.0):
        assert s.factor("win_rate", week) == 1.0
    # The mean over a whole season is 1: seasonality moves leads around the year.
    mean = sum(s.factor("lead_rate", 10.0 + w / 4) for w in range(52 * 4)) / (52 * 4)
    assert mean == pytest.approx(1.0)


def test_seasonality_phase_shifts_the_wave() -> None:
    s = schedule({"kind": "seasonality", "week": 0, "amplitude": 0.3, "phase_weeks": 13})
    # Shifted by a quarter of 52 weeks: at the peak from the start.
    assert s.factor("lead_rate", 0.0) == pytest.approx(1.3)
    assert s.factor("lead_rate", 26.0) == pytest.approx(1.0 + 0.3 * math.sin(2 * math.pi * 39 / 52))


def test_seasonality_and_a_downturn_multiply() -> None:
    s = schedule(
        {"kind": "seasonality", "week": 0, "amplitude": 0.2},
        {"kind": "lead_rate", "week": 0, "factor": 0.5},
    )
    assert s.factor("lead_rate", 13.0) == pytest.approx(1.2 * 0.5)


def test_one_offs_fire_in_order_at_their_weeks() -> None:
    s = schedule(
        {"kind": "people_leave", "week": 12, "count": 2},
        {"kind": "lead_rate", "week": 1, "factor": 0.5},
        {"kind": "lost_account", "week": 5},
    )
    assert [shock.kind for shock in s.one_offs()] == ["lost_account", "people_leave"]
    env = simpy.Environment()
    fired: list[tuple[float, str]] = []
    env.process(fire_one_offs(env, s, lambda shock: fired.append((env.now, shock.kind)), 3.0))
    env.run(until=100)
    # Each at its week plus the offset (e.g. the warm-up), factor shocks not among them.
    assert fired == [(8.0, "lost_account"), (15.0, "people_leave")]
