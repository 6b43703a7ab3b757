"""The diagnosis: a known reaction rule is found again from the weeks and actions it made.

Data are made by the model (a reactive and a steered team on the same plant and luck); their
actions column is the run's interventions log, as a manager would write it down.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from test_calibrate_data import simulated_run, write_csv
from thermosim.calibrate import read_weekly
from thermosim.calibrate.actions import acted, levers_in, repertoire
from thermosim.calibrate.diagnose import Diagnosis, diagnose
from thermosim.calibrate.replay import Rule, predicted_actions
from thermosim.config.presets import PRESETS

WEEKS = 78


def _diagnosis(preset: str, tmp_path: Path) -> Diagnosis:
    run = simulated_run(WEEKS, {"name": "team", "preset": preset}, seed=11)
    data = read_weekly(write_csv(tmp_path / f"{preset}.csv", run, dutch=True))
    assert data.target is not None
    return diagnose(data.revenue, data.target, data.present, data.actions, season=False)


@pytest.fixture(scope="module")
def reactive(tmp_path_factory: pytest.TempPathFactory) -> Diagnosis:
    return _diagnosis("reactive", tmp_path_factory.mktemp("reactive"))


@pytest.fixture(scope="module")
def steered(tmp_path_factory: pytest.TempPathFactory) -> Diagnosis:
    return _diagnosis("steered", tmp_path_factory.mktemp("steered"))


def test_a_reflex_is_recovered_exactly(reactive: Diagnosis) -> None:
    rule = reactive.rule
    assert rule is not None and rule.mode == "episodic"
    preset = PRESETS["reactive"]
    # Last week's number (window 1), a week late, acting beyond 5% short (gain 4, threshold 0.2).
    assert (rule.window_weeks, rule.delay_weeks) == (1, preset["perception"]["delay_weeks"])
    assert rule.trigger == pytest.approx(0.05)
    assert rule.mismatches <= 2, "the replay acts in the weeks the team acted"
    assert rule.repertoire[:3] == ("call_blitz", "extra_reporting", "training_day")


def test_steering_is_recovered_as_a_trend_watcher_with_memory(steered: Diagnosis) -> None:
    rule = steered.rule
    assert rule is not None and rule.mode == "continuous"
    # It reads a trend (the preset's 8-week window; a neighbouring window may tie), not last
    # week's number, and it acts far less often than the reflex.
    assert rule.window_weeks >= 4
    assert rule.scored_weeks - rule.mismatches >= 0.9 * rule.scored_weeks
    assert set(rule.repertoire) <= {
        "coaching",
        "pipeline_discipline",
        "account_care",
        "capacity_planning",
    }


def test_the_reflex_acts_more_often_and_more_on_noise(
    reactive: Diagnosis, steered: Diagnosis
) -> None:
    assert reactive.action_weeks > 2 * steered.action_weeks
    # Same plant and luck: the difference is the rule. A reflex answers single bad weeks,
    # which on a noise-only plant are noise.
    assert reactive.noise_share >= 0.8
    assert reactive.follow_share > 0.8
    assert reactive.drop_sigma < 1.5, "it answers drops well inside the team's own noise"


def test_replay_uses_the_control_core_as_the_simulation_does() -> None:
    revenue = np.array([100.0, 90.0, 100.0, 80.0, 100.0, 100.0, 100.0])
    target = np.full(7, 100.0)
    rule = Rule("episodic", delay_weeks=0, window_weeks=1, gain=4.0, deadband=0.0)
    acts = predicted_actions(revenue, target, rule, ["call_blitz"])
    # Week t reviews week t-1: 10% and 20% short are beyond the 5% trigger.
    assert acts.tolist() == [False, False, True, False, True, False, False]


def test_actions_are_read_in_english_and_dutch() -> None:
    assert levers_in("belactie, korting") == ["call_blitz", "discount_push"]
    assert levers_in("extra rapportage en spoedoverleg") == ["extra_reporting", "urgent_meeting"]
    assert levers_in("Call blitz + training") == ["call_blitz", "training_day"]
    assert levers_in("nieuwe vacature") == ["capacity_planning"]
    assert not acted("geen") and not acted("-") and acted("iets anders")
    assert repertoire(["", "korting", "belactie, korting"]) == ["discount_push", "call_blitz"]


def test_without_actions_there_is_no_rule_but_still_a_count_of_misses() -> None:
    revenue = np.array([100.0, 80.0] * 20)
    present = np.ones(40, dtype=bool)
    found = diagnose(revenue, np.full(40, 95.0), present, None, season=False)
    assert found.rule is None and found.action_weeks == 0
    assert found.below_target == 20
    assert np.isnan(found.noise_share)


def test_the_fast_search_acts_exactly_as_the_full_loop(reactive: Diagnosis) -> None:
    from thermosim.calibrate.replay import _acts, _errors, candidates

    rng = np.random.default_rng(5)
    revenue = rng.lognormal(np.log(100.0), 0.4, 60)
    target = np.full(60, 105.0)
    for mode in ("episodic", "continuous"):
        rules = candidates(mode, ())  # type: ignore[arg-type]
        for rule in rules[:: max(1, len(rules) // 25)]:
            full = predicted_actions(revenue, target, rule, ())
            fast = _acts(_errors(revenue, target, rule.delay_weeks, rule.window_weeks), rule)
            assert np.array_equal(full, fast), rule
