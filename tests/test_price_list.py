"""The price list, lever by lever: each lever alone, at a fixed intensity, on an open-loop team.

Every lever is applied without feedback (held by a continuous playbook with gain 0, or pulled
once on the variant's calendar) to the same default team on the same random numbers as an
open-loop team doing nothing. Each test checks the sign and the timing docs/model.md claims
for that lever: what it returns, when, and what it costs. No lever may create output from
nothing: every gain shows up as hours, money or a hole after it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import thermosim
from thermosim import Experiment, Scenario

# One xdist worker runs this module, so its shared fixtures/caches are computed once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("price_list")]

REPS = 16
HORIZON_WEEKS = 78
PULL_WEEK = 30  # one-off fixes land here, long after the warm-up


def _held(lever: str, level: float = 1.0) -> dict[str, Any]:
    return {
        "name": f"held-{lever}",
        "preset": "open-loop",
        "levers": {"mode": "continuous", "repertoire": [lever], "base": level},
    }


def _once(lever: str, weeks: float = 1, intensity: float = 1.0) -> dict[str, Any]:
    plan = [{"week": PULL_WEEK, "lever": lever, "intensity": intensity, "weeks": weeks}]
    return {"name": f"once-{lever}", "preset": "open-loop", "levers": {"schedule": plan}}


HELD = ("call_blitz", "cut_improvement", "coaching", "pipeline_discipline", "account_care")
ONCE = ("training_day", "urgent_meeting", "extra_reporting", "discount_push")


@pytest.fixture(scope="module")
def priced() -> Experiment:
    variants: list[dict[str, Any]] = [{"name": "open-loop", "preset": "open-loop"}]
    variants += [_held(lever) for lever in HELD]
    variants += [_held("capacity_planning")]
    variants += [_once(lever) for lever in ONCE]
    scenario = Scenario.model_validate(
        {"name": "price-list", "horizon_weeks": HORIZON_WEEKS, "seed": 11, "variants": variants}
    )
    return thermosim.run_experiment(scenario, replications=REPS, workers=2)


def _series(ex: Experiment, variant: str, name: str) -> np.ndarray:
    """Mean over replications of one weekly series (shape: weeks)."""
    return np.mean([run.series[name] for run in ex.runs[variant]], axis=0)


def _kpi(ex: Experiment, variant: str, name: str) -> float:
    return ex.kpis[variant][name]["mean"]


def _diff(ex: Experiment, variant: str, name: str) -> np.ndarray:
    """Lever minus open-loop, week by week (common random numbers: the luck cancels)."""
    return _series(ex, variant, name) - _series(ex, "open-loop", name)


def test_call_blitz_brings_leads_but_takes_the_pipeline_s_hours(priced: Experiment) -> None:
    leads = _diff(priced, "held-call_blitz", "leads")
    assert leads.mean() > 0.5  # cold calls bring extra (weaker) leads every week
    assert _kpi(priced, "held-call_blitz", "selling_share") < _kpi(
        priced, "open-loop", "selling_share"
    )
    # More, weaker leads for fewer pipeline hours: no more revenue than doing nothing.
    assert _kpi(priced, "held-call_blitz", "attainment") < _kpi(priced, "open-loop", "attainment")


def test_cut_improvement_pays_now_and_erodes_skill_later(priced: Experiment) -> None:
    variant = "held-cut_improvement"
    assert _kpi(priced, variant, "selling_share") > _kpi(priced, "open-loop", "selling_share")
    skill = _diff(priced, variant, "skill")
    # Capability drifts down with its half-year time constant: small at first, larger later.
    assert skill[-1] < skill[4] < 0.0
    assert skill[-1] < -0.02


def test_coaching_is_worse_before_better(priced: Experiment) -> None:
    variant = "held-coaching"
    revenue = _diff(priced, variant, "revenue")
    first, last = revenue[:8].mean(), revenue[-26:].mean()
    assert first < 0.0  # the hours come out of selling before any skill has grown
    assert last > first
    assert _diff(priced, variant, "skill")[-1] > 0.1
    fees = _series(priced, variant, "cost_fees")
    assert fees.min() > 0.0  # the coach's time is paid every week


def test_pipeline_discipline_cannot_create_wins(priced: Experiment) -> None:
    variant = "held-pipeline_discipline"
    won = _series(priced, variant, "won").sum()
    base_won = _series(priced, "open-loop", "won").sum()
    # Fewer leads worked, better picked: the kept deals win more often, but screening can
    # only lose winners (blind drops), never add them; the spare hours help only when short.
    assert won <= base_won * 1.02
    assert (
        _series(priced, variant, "opportunities_open").mean()
        < _series(priced, "open-loop", "opportunities_open").mean()
    )


def test_account_care_buys_satisfaction_with_selling_hours(priced: Experiment) -> None:
    variant = "held-account_care"
    assert _kpi(priced, variant, "satisfaction_end") > _kpi(priced, "open-loop", "satisfaction_end")
    assert _kpi(priced, variant, "selling_share") < _kpi(priced, "open-loop", "selling_share")


def test_capacity_planning_hires_are_paid_from_the_first_day(priced: Experiment) -> None:
    variant = "held-capacity_planning"
    headcount = _diff(priced, variant, "headcount")
    assert headcount[-1] >= 1.0
    salaries = _diff(priced, variant, "cost_salaries")
    # Salary is paid while the hire is still ramping up: costs rise as soon as people join.
    first_hire = int(np.argmax(headcount > 0.5))
    assert salaries[first_hire] > 0.0
    assert _series(priced, variant, "cost_recruiting").sum() > 0.0
    assert _kpi(priced, variant, "costs_total") > _kpi(priced, "open-loop", "costs_total")


def test_training_day_costs_a_day_and_a_fee_and_its_bump_fades(priced: Experiment) -> None:
    variant = "once-training_day"
    skill = _diff(priced, variant, "skill")
    bump = skill[PULL_WEEK + 1]
    assert bump > 0.05
    assert skill[PULL_WEEK + 16] < 0.3 * bump  # most of it gone within about four months
    assert skill[PULL_WEEK + 16] > 0.0  # a floor lasts
    assert _diff(priced, variant, "cost_fees")[PULL_WEEK] > 0.0
    assert _diff(priced, variant, "hours_firefighting")[PULL_WEEK] > 7.0 * 10  # a day, 10 people


def test_urgent_meeting_pulls_deals_forward_and_leaves_a_hole(priced: Experiment) -> None:
    revenue = _diff(priced, "once-urgent_meeting", "revenue")
    assert revenue[PULL_WEEK] > 0.0  # a week of closing focus books deals early...
    assert revenue[PULL_WEEK + 1 : PULL_WEEK + 4].sum() < 0.0  # ...that are missing after it
    # Nothing is created: over the weeks around it the meeting costs (rushed closes, hours).
    assert revenue[PULL_WEEK : PULL_WEEK + 8].sum() < 0.1 * revenue[PULL_WEEK]


def test_discount_push_books_now_at_a_lower_margin_and_leaves_a_hole(priced: Experiment) -> None:
    variant = "once-discount_push"
    revenue = _diff(priced, variant, "revenue")
    assert revenue[PULL_WEEK] > 0.0
    assert _diff(priced, variant, "margin")[PULL_WEEK] < 0.0
    assert revenue[PULL_WEEK + 3 : PULL_WEEK + 8].sum() < 0.0  # the hole after the push
    assert _kpi(priced, variant, "gross_profit") < _kpi(priced, "open-loop", "gross_profit")


def test_extra_reporting_costs_hours_that_stay(priced: Experiment) -> None:
    hours = _diff(priced, "once-extra_reporting", "hours_firefighting")
    assert hours[PULL_WEEK + 1] > 5.0  # about an hour a week for each of ten people
    # Sticky: half a year later most of the hour is still there.
    assert hours[PULL_WEEK + 13] > 0.5 * hours[PULL_WEEK + 1]


def test_lasting_levers_take_hours_even_without_firefighting(priced: Experiment) -> None:
    # "Zero firefighting" is bookkeeping: coaching, care and discipline take hours too.
    for lever in ("coaching", "account_care", "pipeline_discipline"):
        variant = f"held-{lever}"
        assert _kpi(priced, variant, "firefighting_hours") == 0.0
        assert _kpi(priced, variant, "lever_hours") > 0.5 * HORIZON_WEEKS * 10, lever
    assert _kpi(priced, "open-loop", "lever_hours") == 0.0


def test_every_lever_costs_something(priced: Experiment) -> None:
    # No free lunch: each lever either takes hours from selling or costs money.
    for variant in priced.kpis:
        if variant == "open-loop":
            continue
        cheaper_hours = _kpi(priced, variant, "selling_share") < _kpi(
            priced, "open-loop", "selling_share"
        )
        dearer = _kpi(priced, variant, "costs_total") > _kpi(priced, "open-loop", "costs_total")
        firefighting = _kpi(priced, variant, "firefighting_hours") > 0.0
        margin = _kpi(priced, variant, "margin_mean") < _kpi(priced, "open-loop", "margin_mean")
        skill = _kpi(priced, variant, "skill_end") < _kpi(priced, "open-loop", "skill_end")
        assert cheaper_hours or dearer or firefighting or margin or skill, variant
