"""Named strategies (presets): bundles of control parameters a variant starts from.

Owns the parameter values behind ``reactive``, ``steered``, ``fragmented``, ``eroding-goals`` and
``open-loop``. A scenario variant names a preset and overrides any field; nothing here knows the
plant, so every difference in results comes from how the plant answers these parameters.
"""

from __future__ import annotations

from typing import Any, Literal

from thermosim.control.levers import FUNDAMENTAL, SYMPTOMATIC

# The names of `PRESETS`, as the type of a variant's ``preset`` (a test keeps the two equal).
PresetName = Literal["reactive", "steered", "fragmented", "eroding-goals", "open-loop"]

# The reflexes of the source article in the order a manager reaches for them: more calls, more
# reporting, another training, urgent meetings; then discounts and cutting improvement time.
# The symptomatic levers are declared in that order (control.levers).
REACTIVE_REPERTOIRE = SYMPTOMATIC

PRESETS: dict[str, dict[str, Any]] = {
    # A thermostat without a set temperature of its own: the imposed target, last week's number,
    # high gain, no memory, no dead band, quick fixes.
    "reactive": {
        "reference": {"kind": "fixed", "shared": False},
        "perception": {"delay_weeks": 1, "window_weeks": 1},
        "policy": {
            "gain": 4.0,
            "integral_time_weeks": None,
            "deadband": 0.0,
            "overtime_share": 1.0,
        },
        "levers": {"mode": "episodic", "repertoire": list(REACTIVE_REPERTOIRE), "threshold": 0.2},
    },
    # One shared set point, the trend rather than the noise, gentle correction with memory,
    # acting only beyond a control limit, through lasting levers with coaching always protected.
    "steered": {
        "reference": {"kind": "fixed", "shared": True},
        "perception": {"delay_weeks": 1, "window_weeks": 8},
        "policy": {
            "gain": 2.0,
            "integral_time_weeks": 8,
            "deadband": 0.02,
            "control_limit_sigma": 1.0,
        },
        "levers": {"mode": "continuous", "repertoire": list(FUNDAMENTAL), "base": 0.3},
    },
    # Members steer separately on volume, margin and customer satisfaction, each with their own
    # reference and memory, on the shared levers (discount, time split).
    "fragmented": {
        "reference": {"kind": "fixed", "shared": False},
        "perception": {"delay_weeks": 1, "window_weeks": 2},
        "policy": {"gain": 2.0, "integral_time_weeks": 6, "deadband": 0.0},
        "levers": {
            "mode": "continuous",
            "repertoire": ["discount_push", "call_blitz", "account_care"],
            "base": 0.0,
        },
        "members": [
            {"metric": "revenue", "reference": 1.1},
            {"metric": "margin", "reference": 0.35},
            {"metric": "satisfaction", "reference": 0.8},
        ],
    },
    # Steering as in `steered`, but the goal drifts toward what the team achieves.
    "eroding-goals": {
        "reference": {"kind": "eroding", "tau_goal_weeks": 13, "shared": True},
        "perception": {"delay_weeks": 1, "window_weeks": 8},
        "policy": {
            "gain": 2.0,
            "integral_time_weeks": 8,
            "deadband": 0.02,
            "control_limit_sigma": 1.0,
        },
        "levers": {"mode": "continuous", "repertoire": list(FUNDAMENTAL), "base": 0.3},
    },
    # No feedback at all: the plan runs whatever happens (the reference case).
    "open-loop": {
        "reference": {"kind": "fixed", "shared": False},
        "perception": {"delay_weeks": 1, "window_weeks": 1},
        "policy": {"gain": 0.0, "integral_time_weeks": None, "deadband": 0.0},
        "levers": {"mode": "episodic", "repertoire": []},
    },
}
