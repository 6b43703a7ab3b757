"""The game API of ``thermosim play``: a participant's decisions replace the policy's review.

The two required checks: a participant who always holds course is the ``open-loop`` run, and
one who plays the reactive preset's rule is the ``reactive`` run, to the last bit (same seed,
common random numbers).
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from conftest import make_scenario
from thermosim.control import Playbook, Policy
from thermosim.engine import Run, simulate
from thermosim.play import HOLD, DecisionError, Decisions, Game, GameError, GameSetup, replay
from thermosim.play.decisions import parse_decisions
from thermosim.play.report import Report

SHOCKS = [{"kind": "lost_account", "week": 8}, {"kind": "win_rate", "week": 12, "factor": 0.8}]


@pytest.fixture(scope="module")
def setup() -> GameSetup:
    scenario = make_scenario("reactive", "steered", shocks=SHOCKS, plant={"warmup_weeks": 8})
    return GameSetup.of(scenario, weeks=20)


def _same_runs(a: Run, b: Run, skip: tuple[str, ...] = ()) -> list[str]:
    """Names of the series that differ (empty: identical); interventions and ledger too."""
    differ = [k for k in b.series if k not in skip and not np.array_equal(a.series[k], b.series[k])]
    if a.interventions != b.interventions:
        differ.append("interventions")
    if a.ledger != b.ledger:
        differ.append("ledger")
    return differ


def _play(setup: GameSetup, decide: object) -> Run:
    with Game(setup) as game:
        report: Report | None = game.report
        while report is not None:
            report = game.step(decide(report))  # type: ignore[operator]
        return game.result()


def test_holding_course_reproduces_open_loop_exactly(setup: GameSetup) -> None:
    played = _play(setup, lambda report: HOLD)
    policy = simulate(setup.scenario, "open-loop", setup.seed)
    assert _same_runs(played, policy) == []


def test_playing_the_reactive_rule_reproduces_reactive_exactly(setup: GameSetup) -> None:
    variant = setup.scenario.variant("reactive")
    pol = variant.policy
    policy = Policy(pol.gain, pol.integral_time_weeks, pol.deadband, pol.control_limit_sigma)
    playbook = Playbook(variant.levers.repertoire, variant.levers.mode, variant.levers.threshold)

    def reactive_rule(report: Report) -> Decisions:
        # The reactive manager's error: last week's report against the target, relative.
        error = report.gap if report.gap is not None else 0.0
        output = policy.update(error, 1.0)
        _, started = playbook.act(report.week, output)
        overtime = pol.overtime_share * min(1.0, max(0.0, output))
        return Decisions({a.lever: a.intensity for a in started}, {}, overtime)

    played = _play(setup, reactive_rule)
    reactive = simulate(setup.scenario, "reactive", setup.seed)
    assert len(reactive.interventions) >= 3, "the rule must act for the check to mean anything"
    # "output" is the participant variant's own (idle) policy: the participant decided instead.
    assert _same_runs(played, reactive, skip=("output",)) == []
    assert played.series["output"].max() == 0.0


def test_another_seed_is_another_market(setup: GameSetup) -> None:
    other = GameSetup(setup.scenario, setup.round_weeks, setup.seed + 1)
    a, b = _play(setup, lambda r: HOLD), _play(other, lambda r: HOLD)
    assert not np.array_equal(a.series["revenue"], b.series["revenue"])


def test_report_shows_what_the_reactive_manager_sees(setup: GameSetup) -> None:
    reactive = simulate(setup.scenario, "reactive", setup.seed)
    open_loop = simulate(setup.scenario, "open-loop", setup.seed)
    with Game(setup) as game:
        first = game.report
        assert (first.round, first.week, first.reported_eur) == (0, 0, None)
        assert first.headcount == setup.scenario.plant.people.team_size
        assert first.hours["paid"] > 0 and first.pipeline_eur > 0
        reports = [first]
        while not game.done:
            report = game.step(HOLD)
            if report is not None:
                reports.append(report)
    assert len(reports) == setup.rounds
    for report in reports[2:]:
        # Holding course is open-loop; its report is the week before last (delay 1).
        assert report.reported_eur == open_loop.series["revenue"][report.week - 2]
        assert report.report_week == report.week - 2
        assert report.target_eur == reactive.series["target"][report.week]
    recent = [r.reported_eur for r in reports[6:10]]
    assert reports[9].trend_eur == pytest.approx(sum(recent) / 4)  # type: ignore[arg-type]
    news = {r.week: [n.kind for n in r.news] for r in reports if r.news}
    # A shock strikes just after its week's review: the manager hears of it a week later.
    assert news == {9: ["lost_account"], 13: ["win_rate"]}


def test_rounds_of_several_weeks_start_fixes_once_and_hold_the_course(setup: GameSetup) -> None:
    four = GameSetup(setup.scenario, 4, setup.seed)
    assert four.rounds == 5
    first = Decisions({"call_blitz": 0.5}, {"coaching": 0.4}, 0.3)
    with Game(four) as game:
        weeks = [game.report.week]
        report = game.step(first)
        while report is not None:
            weeks.append(report.week)
            assert report.course.lasting == {"coaching": 0.4} and report.course.overtime == 0.3
            report = game.step(HOLD)
        run = game.result()
    assert weeks == [0, 4, 8, 12, 16]
    acted = sorted((math.floor(i.week), i.lever) for i in run.interventions)
    assert acted == [(0, "call_blitz"), (0, "coaching")]
    assert np.all(run.series["pressure"] == 0.3)


def test_replay_gives_the_same_game_as_stepping(setup: GameSetup) -> None:
    plan = [HOLD, Decisions({"discount_push": 1.0}), HOLD, Decisions({}, {"account_care": 0.6})]
    with Game(setup) as stepped:
        for d in plan:
            stepped.step(d)
        report = stepped.report
    resumed = replay(setup, plan)
    try:
        assert resumed.report == report and resumed.round == 4
    finally:
        resumed.close()


def test_close_stops_the_replications_thread(setup: GameSetup) -> None:
    before = threading.active_count()
    game = Game(setup)
    game.step(HOLD)
    game.close()
    assert threading.active_count() == before
    with pytest.raises(GameError, match="closed"):
        game.step(HOLD)


def test_a_finished_game_refuses_more_rounds(setup: GameSetup) -> None:
    short = GameSetup(setup.scenario, 10, setup.seed)
    with Game(short) as game:
        with pytest.raises(GameError, match="not over"):
            game.result()
        game.step(HOLD)
        assert game.step(HOLD) is None and game.done
        with pytest.raises(GameError, match="over: all 2 rounds"):
            game.step(HOLD)


@pytest.mark.parametrize(
    ("sent", "problem"),
    [
        ({"round": 0, "quick_fixes": {"free_lunch": 1}}, "'free_lunch' is not one of the quick"),
        ({"round": 0, "quick_fixes": {"coaching": 1}}, "'coaching' is not one of the quick"),
        ({"round": 0, "lasting": {"call_blitz": 0.5}}, "not one of the lasting"),
        ({"round": 0, "quick_fixes": {"call_blitz": 0}}, "above 0 to 1"),
        ({"round": 0, "quick_fixes": {"call_blitz": 1.5}}, "above 0 to 1"),
        ({"round": 0, "lasting": {"coaching": -0.1}}, "from 0 to 1"),
        ({"round": 0, "overtime": math.nan}, "overtime must be from 0 to 1"),
        ({"round": 0, "overtime": True}, "must be a number"),
        ({"round": 0, "overtime": "0.5"}, "must be a number"),
        ({"round": -1}, "round must be a whole number"),
        ({"round": 1.0}, "round must be a whole number"),
        ({"hold": True}, "round must be a whole number"),
        ({"round": 0, "hold": True, "overtime": 0.1}, "hold course means changing nothing"),
        ({"round": 0, "why": "because"}, "unknown field"),
        ([1, 2], "must be an object"),
    ],
)
def test_bad_decisions_are_refused_with_the_reason(sent: object, problem: str) -> None:
    with pytest.raises(DecisionError, match=problem):
        parse_decisions(sent)


def test_a_decision_round_trips_through_its_json() -> None:
    round_, decided = parse_decisions(
        {"round": 2, "quick_fixes": {"call_blitz": 0.7}, "lasting": {"coaching": 0}, "overtime": 0}
    )
    assert round_ == 2
    assert parse_decisions({"round": 2, **decided.to_json()})[1] == decided
    assert parse_decisions({"round": 0, "hold": True})[1] == HOLD


def test_setups_the_game_cannot_play_are_refused() -> None:
    thermostat = make_scenario(
        {"name": "reactive", "preset": "reactive"}, plant={"kind": "thermostat"}
    )
    with pytest.raises(GameError, match="needs a sales team"):
        GameSetup.of(thermostat)
    late = make_scenario("reactive", shocks=[{"kind": "lost_account", "week": 20}])
    with pytest.raises(GameError, match=r"shock in week 20.*at least 21 weeks"):
        GameSetup.of(late, weeks=20)
    with pytest.raises(GameError, match="a round lasts 1 to 13 weeks"):
        GameSetup.of(late, weeks=26, round_weeks=14)


def test_default_length_runs_a_quarter_past_the_last_shock() -> None:
    scenario = make_scenario("reactive", shocks=[{"kind": "lost_account", "week": 20}])
    scenario = scenario.model_copy(update={"horizon_weeks": 104})
    setup = GameSetup.of(scenario)
    assert setup.weeks == 33 and [v.name for v in setup.scenario.variants] == [
        "participant",
        "reactive",
        "steered",
        "open-loop",
    ]
    assert GameSetup.of(make_scenario("reactive")).weeks == 26
