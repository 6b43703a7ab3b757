"""The story of model.md section 9, from the shipped scenarios with 30 replications.

Every claim is a KPI comparison produced by the simulation; nothing in the model says which
variant should win. Experiments are cached per scenario for the module (they are the slow part).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import thermosim
from thermosim.config.scenario import Variant
from thermosim.experiment import Experiment

# One xdist worker runs this module, so its shared fixtures/caches are computed once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("story")]

REPS = 30
SHOCK_SCENARIOS = ("lost-key-account", "market-downturn", "competitor-entry", "people-leave")


# Every story scenario is run with two references beside its own variants, on the same random
# numbers: doing nothing (open-loop) and steered's lasting levers at their standing intensity
# without feedback (invest). They keep the comparison honest: reacting must be judged against
# leaving it alone, and steering's feedback against its investment.
REFERENCES = (
    {"name": "open-loop", "preset": "open-loop"},
    {"name": "invest", "preset": "steered", "policy": {"gain": 0.0}},
)


@cache
def experiment(name: str) -> Experiment:
    scenario = thermosim.load_scenario(name)
    own = [v.model_dump() for v in scenario.variants]
    variants = tuple(Variant.model_validate(v) for v in (*own, *REFERENCES))
    scenario = scenario.model_copy(update={"variants": variants})
    return thermosim.run_experiment(scenario, replications=REPS, workers=2)


def kpi(name: str, variant: str, key: str) -> float:
    return experiment(name).kpis[variant][key]["mean"]


def mean_revenue(name: str, variant: str, start: int, stop: int) -> float:
    runs = experiment(name).runs[variant]
    return float(np.mean([r.series["revenue"][start:stop] for r in runs]))


def test_baseline_with_noise_only_the_best_policy_is_close_to_doing_nothing() -> None:
    # Deming's funnel: reacting to every weekly wobble adds variance (not only a lower mean)...
    assert kpi("baseline", "reactive", "revenue_sd") > 1.15 * kpi(
        "baseline", "open-loop", "revenue_sd"
    )
    # ...tires the team (interruptions, overtime under pressure), and books less.
    assert kpi("baseline", "reactive", "fatigue_mean") > 5 * kpi(
        "baseline", "steered", "fatigue_mean"
    )
    assert kpi("baseline", "reactive", "attainment") < kpi("baseline", "open-loop", "attainment")
    # Steering on the trend, beyond a control limit, stays close to leaving it alone...
    steered_sd = kpi("baseline", "steered", "revenue_sd")
    assert abs(steered_sd / kpi("baseline", "open-loop", "revenue_sd") - 1.0) < 0.05
    steered, open_loop = (kpi("baseline", v, "attainment") for v in ("steered", "open-loop"))
    assert abs(steered - open_loop) < 0.02
    # ...and its standing investment is not free: with nothing to correct, it earns no more.
    assert kpi("baseline", "steered", "operating_profit") <= kpi(
        "baseline", "open-loop", "operating_profit"
    )


def test_reactive_team_just_misses_a_target_the_open_loop_team_meets() -> None:
    # The target is calibrated to the open-loop team (model.md section 8); "just missed" comes
    # out of what the reactive team does.
    assert abs(kpi("baseline", "open-loop", "attainment") - 1.0) < 0.02
    assert 0.85 <= kpi("baseline", "reactive", "attainment") <= 0.97


@pytest.mark.parametrize("name", SHOCK_SCENARIOS)
def test_under_a_shock_steering_beats_reacting_with_less_fatigue_and_firefighting(
    name: str,
) -> None:
    # Recovery is measured on the median response; censored values count as the full remainder.
    assert kpi(name, "steered", "recovery_weeks") <= kpi(name, "reactive", "recovery_weeks")
    assert kpi(name, "steered", "fatigue_mean") < kpi(name, "reactive", "fatigue_mean")
    assert kpi(name, "steered", "firefighting_hours") < kpi(name, "reactive", "firefighting_hours")
    assert kpi(name, "steered", "operating_profit") > kpi(name, "reactive", "operating_profit")
    # Reacting is worse than doing nothing, on money too.
    assert kpi(name, "reactive", "operating_profit") < kpi(name, "open-loop", "operating_profit")


@pytest.mark.parametrize("name", SHOCK_SCENARIOS)
def test_steering_s_feedback_costs_more_than_it_returns_when_its_levers_miss_the_cause(
    name: str,
) -> None:
    # The honest finding (model.md section 9): these shocks take demand away (or people who
    # are replaced anyway). Steered's feedback answers the gap with more of its lasting levers,
    # hiring included; more people share the same leads, so the salaries are not earned back
    # within two years. The feedback part (steered minus invest) costs more than it brings.
    assert kpi(name, "steered", "costs_total") > kpi(name, "invest", "costs_total")
    assert kpi(name, "steered", "operating_profit") < kpi(name, "invest", "operating_profit")


@pytest.mark.parametrize("name", (*SHOCK_SCENARIOS, "seasonality"))
def test_reactive_fixes_keep_returning_after_the_shock(name: str) -> None:
    # "A fix works for a few weeks, then the pattern returns": in almost every quarter after the
    # first shock the reactive team starts new quick fixes, in most replications.
    scenario = thermosim.load_scenario(name)
    start = int(min((s.week for s in scenario.shocks), default=0))
    runs = experiment(name).runs["reactive"]
    per_quarter = np.array(
        [
            [r.series["interventions"][q : q + 13].sum() for q in range(start, 104 - 12, 13)]
            for r in runs
        ]
    )
    assert np.mean(per_quarter > 0) >= 0.9
    # And the steered team, on lasting levers, starts none.
    assert kpi(name, "steered", "interventions") == 0


def test_seasonality_is_ridden_out_by_steering() -> None:
    assert kpi("seasonality", "steered", "fatigue_mean") < kpi(
        "seasonality", "reactive", "fatigue_mean"
    )
    assert kpi("seasonality", "steered", "revenue_sd") < kpi(
        "seasonality", "reactive", "revenue_sd"
    )


def test_fragmented_metrics_pull_the_shared_levers_both_ways_and_lose_profit() -> None:
    # One shared goal earns more gross profit than three metrics steered apart.
    assert kpi("fragmented-metrics", "fragmented", "gross_profit") < kpi(
        "fragmented-metrics", "steered", "gross_profit"
    )
    # The discount is pushed up by the volume members and down by the margin members...
    pushes = [
        (i.who, i.intensity)
        for r in experiment("fragmented-metrics").runs["fragmented"]
        for i in r.interventions
        if i.lever == "discount_push"
    ]
    assert any(who == "revenue" and x > 0 for who, x in pushes)
    assert any(who == "margin" and x < 0 for who, x in pushes)
    # ...and the pulling costs hours (coordination counted as firefighting).
    assert kpi("fragmented-metrics", "fragmented", "firefighting_hours") > 0
    assert kpi("fragmented-metrics", "steered", "firefighting_hours") == 0


def test_pulling_escalates_in_fragmented_steering() -> None:
    # Each member loop remembers its own gap (integral action), so the opposing pushes on the
    # discount grow over time instead of settling: late pushes are larger than early ones.
    def mean_abs_push(run: thermosim.Run, lo: float, hi: float) -> float:
        xs = [abs(i.intensity) for i in run.interventions if lo <= i.week < hi]
        return float(np.mean(xs)) if xs else 0.0

    runs = experiment("fragmented-metrics").runs["fragmented"]
    early = np.mean([mean_abs_push(r, 0, 26) for r in runs])
    late = np.mean([mean_abs_push(r, 52, 104) for r in runs])
    assert late > early


def test_eroding_goals_end_lower_and_with_them_the_effort() -> None:
    e = experiment("eroding-goals")
    end_ref = {v: np.mean([r.series["reference"][-1] for r in e.runs[v]]) for v in e.runs}
    assert end_ref["eroding"] < 0.97 * end_ref["steered"]
    # A lower goal asks for less: the eroding team's levers are pushed less in the last half
    # year. Whether holding the goal pays depends on what the levers can buy: with this menu
    # against a lead-rate dip, holding the goal costs more than it brings (model.md section 9).
    output = {
        v: np.mean([r.series["output"][-26:].mean() for r in e.runs[v]])
        for v in ("steered", "eroding")
    }
    assert output["eroding"] < output["steered"]
    assert kpi("eroding-goals", "eroding", "costs_total") < kpi(
        "eroding-goals", "steered", "costs_total"
    )


def test_raising_the_bar_settles_higher_when_owned_and_burns_out_when_imposed() -> None:
    name = "raise-the-bar"
    end = thermosim.load_scenario(name).horizon_weeks
    before = {v: mean_revenue(name, v, 13, 26) for v in ("reactive", "steered")}
    early = {v: mean_revenue(name, v, 26, 52) for v in ("reactive", "steered")}
    late = {v: mean_revenue(name, v, end - 26, end) for v in ("reactive", "steered")}
    # The steered team settles above its old level, and the gain comes late, not at once
    # (capability takes half a year to build: worse before better).
    assert late["steered"] > 1.03 * before["steered"]
    assert late["steered"] - early["steered"] > early["steered"] - before["steered"]
    # The reactive team under the imposed target does not reach a higher plateau...
    assert late["reactive"] < 1.03 * before["reactive"]
    # ...it firefights and tires instead.
    assert kpi(name, "reactive", "fatigue_mean") > kpi(name, "steered", "fatigue_mean")
    assert kpi(name, "reactive", "firefighting_hours") > kpi(name, "steered", "firefighting_hours")


def test_counter_case_reacting_does_at_least_as_well() -> None:
    # No noise, no delay, short cycles, cheap and lasting fixes: what the manager sees is real
    # and a fix keeps working, so reacting is no longer worse than steering or doing nothing.
    name = "when-reacting-works"
    assert kpi(name, "reactive", "attainment") >= kpi(name, "steered", "attainment") - 0.01
    assert kpi(name, "reactive", "operating_profit") >= kpi(name, "open-loop", "operating_profit")
    fat = kpi(name, "reactive", "fatigue_mean") - kpi(name, "steered", "fatigue_mean")
    base_fat = kpi("baseline", "reactive", "fatigue_mean") - kpi(
        "baseline", "steered", "fatigue_mean"
    )
    assert fat < 0.5 * base_fat
