"""Honesty rules (docs/model.md section 1): outcomes come from parameters and mechanisms only.

- No effect from a name or a label: renaming a variant, spelling out its preset, or reordering
  the variants changes no KPI.
- The target is calibrated, not tuned: an undisturbed open-loop team books it.
- Deming's funnel: reacting to noise raises the variance of revenue, not only lowers its mean.
- Oliva & Sterman: a temporary overload leaves a lasting lower standard when that mechanism is on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import thermosim
from thermosim import Scenario
from thermosim.config.presets import PRESETS
from thermosim.config.sales import SalesPlantConfig

pytestmark = [pytest.mark.slow]


def _scenario(variants: list[dict[str, Any]], **fields: Any) -> Scenario:
    data: dict[str, Any] = {"name": "honesty", "horizon_weeks": 52, "seed": 5}
    data.update(fields)
    data["variants"] = variants
    return Scenario.model_validate(data)


def test_names_labels_and_order_change_no_kpi() -> None:
    labelled = _scenario(
        [{"name": "reactive", "preset": "reactive"}, {"name": "steered", "preset": "steered"}]
    )
    # The same parameters written out in full, under other names, in the other order.
    spelled = [
        {"name": "team-b", **PRESETS["steered"]},
        {"name": "team-a", **PRESETS["reactive"]},
    ]
    anonymous = _scenario(spelled)
    first = thermosim.run_experiment(labelled, replications=4).kpis
    second = thermosim.run_experiment(anonymous, replications=4).kpis
    assert first["reactive"] == second["team-a"]
    assert first["steered"] == second["team-b"]


def test_default_target_is_what_an_open_loop_team_books() -> None:
    # Calibrate the target, not the behaviour: "just missed" must come from what teams do.
    scenario = _scenario([{"name": "open-loop", "preset": "open-loop"}], horizon_weeks=104)
    ex = thermosim.run_experiment(scenario, replications=60, workers=2)
    weekly = np.mean([run.series["revenue"].mean() for run in ex.runs["open-loop"]])
    target = SalesPlantConfig().target_eur_per_week
    assert abs(weekly / target - 1.0) < 0.01, weekly


def _weekly_variance(ex: thermosim.Experiment, variant: str) -> float:
    # Variance within each replication, averaged: the week-to-week spread a manager sees.
    return float(np.mean([run.series["revenue"].var() for run in ex.runs[variant]]))


def test_reacting_to_noise_raises_the_variance_of_revenue() -> None:
    # Deming's funnel, rule 2: adjusting for every deviation of a stable process adds variance.
    # Noise only (baseline), a reactive manager with gain 1 and no reporting delay.
    reactive = {
        "name": "reactive",
        "preset": "reactive",
        "policy": {"gain": 1.0},
        "perception": {"delay_weeks": 0},
    }
    variants = [reactive, {"name": "steered", "preset": "steered"}]
    variants.append({"name": "open-loop", "preset": "open-loop"})
    ex = thermosim.run_experiment(
        _scenario(variants, horizon_weeks=104), replications=30, workers=2
    )
    base = _weekly_variance(ex, "open-loop")
    assert _weekly_variance(ex, "reactive") > 1.15 * base
    # Acting only beyond a control limit, on the trend, stays close to leaving it alone.
    assert abs(_weekly_variance(ex, "steered") / base - 1.0) < 0.05
    # Part of the extra variance is revenue pulled forward: quick fixes that close deals early
    # leave a hole after them. Without pull-forward the reactive variance is lower.
    no_pull = {
        "kind": "sales",
        "levers": {
            "urgent_meeting": {"pull_forward_weeks": 0},
            "discount_push": {"pull_forward_weeks": 0},
        },
    }
    ex_off = thermosim.run_experiment(
        _scenario(variants, horizon_weeks=104, plant=no_pull), replications=30, workers=2
    )
    assert _weekly_variance(ex_off, "reactive") < _weekly_variance(ex, "reactive")


def _spike_run(adaptive: bool) -> dict[str, np.ndarray]:
    scenario = _scenario(
        [{"name": "open-loop", "preset": "open-loop"}],
        horizon_weeks=104,
        mechanisms={"adaptive_standard": adaptive},
        shocks=[{"kind": "lead_rate", "week": 20, "factor": 2.0, "duration_weeks": 20}],
    )
    ex = thermosim.run_experiment(scenario, replications=10)
    runs = ex.runs["open-loop"]
    return {k: np.mean([r.series[k] for r in runs], axis=0) for k in ("standard", "win_rate")}


def test_a_demand_spike_erodes_the_standard_only_when_the_mechanism_is_on() -> None:
    on, off = _spike_run(True), _spike_run(False)
    before, after = slice(14, 20), slice(70, 104)
    # Off: the standard is what a deal needs, before and after the overload.
    assert np.allclose(off["standard"], 1.0)
    # On: the overload pushes the standard down and nothing pulls it back up.
    assert on["standard"][after].mean() < on["standard"][before].mean() - 0.05
    # Deals worked to the lower standard close less often, long after the spike has gone.
    assert on["win_rate"][after].mean() < off["win_rate"][after].mean()
