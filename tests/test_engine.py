"""Determinism, common random numbers and mechanism switches of the engine and experiment runner.

Each test compares runs with each other, never with stored numbers, so the tests hold while
the sales parameters are being calibrated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from thermosim import Run, Scenario, load_scenario, run_experiment, simulate
from thermosim.config.presets import PRESETS

ScenarioFactory = Callable[..., Scenario]

# KPIs of model.md section 7 that every sales experiment reports (recovery only with a shock).
SECTION_8_KPIS = (
    "attainment",
    "revenue_cv",
    "gap_iae",
    "fatigue_mean",
    "fatigue_peak",
    "motivation_end",
    "skill_end",
    "selling_share",
    "firefighting_hours",
    "interventions",
    "attrition",
    "margin_mean",
    "satisfaction_end",
    "gross_profit",
)


def same_series(a: Run, b: Run) -> bool:
    """Whether two runs recorded the same series, bit for bit."""
    return a.series.keys() == b.series.keys() and all(
        np.array_equal(a.series[name], b.series[name]) for name in a.series
    )


def assert_identical(a: Run, b: Run) -> None:
    assert a.series.keys() == b.series.keys()
    for name in a.series:
        np.testing.assert_array_equal(a.series[name], b.series[name], err_msg=name)
    assert a.interventions == b.interventions
    assert a.ledger == b.ledger
    assert a.events == b.events


def thermostat(noise_c: float) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "room",
            "horizon_weeks": 26,
            "seed": 3,
            "plant": {"kind": "thermostat", "process_noise_c": noise_c},
            "shocks": [{"kind": "outside_temperature", "week": 10, "delta_c": -8}],
            "variants": [{"name": "reactive", "preset": "reactive"}],
        }
    )


# --- determinism --------------------------------------------------------------------------


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_same_scenario_and_seed_give_identical_runs(
    small_scenario: ScenarioFactory, preset: str
) -> None:
    scenario = small_scenario(preset, shocks=[{"kind": "lost_account", "week": 6}])
    first = simulate(scenario, preset, seed=11)
    again = simulate(scenario, preset, seed=11)
    assert_identical(first, again)
    # A rebuilt scenario (no state shared with the first) gives the same run too.
    rebuilt = small_scenario(preset, shocks=[{"kind": "lost_account", "week": 6}])
    assert_identical(first, simulate(rebuilt, preset, seed=11))


def test_another_seed_gives_other_revenue(small_scenario: ScenarioFactory) -> None:
    scenario = small_scenario("reactive")
    revenue = [simulate(scenario, "reactive", seed=s).series["revenue"] for s in (1, 2, 3)]
    assert not np.array_equal(revenue[0], revenue[1])
    assert not np.array_equal(revenue[0], revenue[2])
    assert not np.array_equal(revenue[1], revenue[2])


def test_default_seed_is_the_scenario_seed(small_scenario: ScenarioFactory) -> None:
    scenario = small_scenario("steered", seed=123)
    assert_identical(simulate(scenario, "steered"), simulate(scenario, "steered", seed=123))
    assert not same_series(simulate(scenario, "steered"), simulate(scenario, "steered", seed=124))


def test_replication_index_draws_other_luck(small_scenario: ScenarioFactory) -> None:
    scenario = small_scenario("reactive")
    rep0 = simulate(scenario, "reactive", seed=5, replication=0)
    rep1 = simulate(scenario, "reactive", seed=5, replication=1)
    assert not np.array_equal(rep0.series["revenue"], rep1.series["revenue"])
    assert_identical(rep1, simulate(scenario, "reactive", seed=5, replication=1))


def test_thermostat_with_process_noise_is_reproducible() -> None:
    scenario = thermostat(noise_c=1.0)
    first = simulate(scenario, "reactive", seed=8)
    assert_identical(first, simulate(scenario, "reactive", seed=8))
    # The noise is really there: another seed moves the room differently.
    other = simulate(scenario, "reactive", seed=9)
    assert not np.array_equal(first.series["temperature"], other.series["temperature"])
    # ... and without process noise the seed no longer matters.
    quiet = thermostat(noise_c=0.0)
    assert_identical(simulate(quiet, "reactive", seed=8), simulate(quiet, "reactive", seed=9))


# --- common random numbers ----------------------------------------------------------------


@pytest.mark.parametrize("preset", ["reactive", "steered", "fragmented"])
def test_variants_with_equal_settings_meet_the_same_luck(
    small_scenario: ScenarioFactory, preset: str
) -> None:
    scenario = small_scenario(
        {"name": "a", "preset": preset},
        {"name": "b", "preset": preset},
        shocks=[{"kind": "people_leave", "week": 5, "count": 2}],
    )
    for replication in (0, 1):
        a = simulate(scenario, "a", seed=21, replication=replication)
        b = simulate(scenario, "b", seed=21, replication=replication)
        assert_identical(a, b)


def test_variants_that_steer_differently_meet_the_same_market(
    small_scenario: ScenarioFactory,
) -> None:
    # Common random numbers in the market: without call blitzes (their leads come from the
    # team) and without referrals (they depend on satisfaction), the leads arriving do not
    # depend on how the team is steered, week by week, although the teams work differently.
    scenario = small_scenario(
        {"name": "a", "preset": "reactive", "levers": {"repertoire": ["urgent_meeting"]}},
        {"name": "b", "preset": "steered", "levers": {"repertoire": ["coaching"]}},
        plant={"market": {"referral_strength": 0.0}},
        shocks=[{"kind": "lead_rate", "week": 6, "factor": 0.6}],
    )
    a, b = simulate(scenario, "a", seed=4), simulate(scenario, "b", seed=4)
    np.testing.assert_array_equal(a.series["leads"], b.series["leads"])
    assert not np.array_equal(a.series["hours_firefighting"], b.series["hours_firefighting"])
    assert not np.array_equal(a.series["hours_coaching"], b.series["hours_coaching"])


# --- member loops -------------------------------------------------------------------------


def test_two_members_can_steer_revenue_toward_different_references(
    small_scenario: ScenarioFactory,
) -> None:
    # One asks for 90% of the target, the other for 110%, with the reactive reflexes. Each has
    # its own loop, so both act, each under its own name, and the one aiming higher finds a
    # shortfall (and starts a fix) at least as often as the other.
    members = [{"metric": "revenue", "reference": 0.9}, {"metric": "revenue", "reference": 1.1}]
    scenario = small_scenario({"name": "split", "preset": "reactive", "members": members})
    run = simulate(scenario, "split", seed=3)
    who = [i.who for i in run.interventions]
    assert {"revenue-1", "revenue-2"} <= set(who)
    assert who.count("revenue-2") >= who.count("revenue-1")
    # The run's control series follow the first member: 0.9 x the target.
    target = run.series["target"][-1]
    assert run.series["reference"][-1] == pytest.approx(0.9 * target)


# --- experiments --------------------------------------------------------------------------


def test_experiment_is_identical_on_one_and_two_workers(small_scenario: ScenarioFactory) -> None:
    scenario = small_scenario(
        "reactive", "steered", shocks=[{"kind": "lead_rate", "week": 8, "factor": 0.7}]
    )
    serial = run_experiment(scenario, replications=3, seed=17, workers=1)
    spawned = run_experiment(scenario, replications=3, seed=17, workers=2)
    assert serial.per_replication == spawned.per_replication
    assert serial.kpis == spawned.kpis
    for variant in ("reactive", "steered"):
        assert [r.replication for r in spawned.runs[variant]] == [0, 1, 2]
        for one, two in zip(serial.runs[variant], spawned.runs[variant], strict=True):
            assert_identical(one, two)
    # Replications differ from each other, and replication r is simulate(..., replication=r).
    runs = serial.runs["reactive"]
    assert not np.array_equal(runs[0].series["revenue"], runs[1].series["revenue"])
    assert_identical(runs[2], simulate(scenario, "reactive", seed=17, replication=2))


def test_experiment_variants_with_equal_settings_have_equal_kpis(
    small_scenario: ScenarioFactory,
) -> None:
    scenario = small_scenario(
        {"name": "a", "preset": "reactive"}, {"name": "b", "preset": "reactive"}
    )
    experiment = run_experiment(scenario, replications=3, seed=2)
    assert experiment.per_replication["a"] == experiment.per_replication["b"]
    assert experiment.kpis["a"] == experiment.kpis["b"]


def test_experiment_kpis_have_the_documented_shape(small_scenario: ScenarioFactory) -> None:
    shocked = small_scenario(
        "reactive", "steered", shocks=[{"kind": "lost_account", "week": 8}], horizon_weeks=30
    )
    experiment = run_experiment(shocked, replications=4, seed=9)
    assert set(experiment.kpis) == {"reactive", "steered"}
    assert experiment.replications == 4
    for variant, kpis in experiment.kpis.items():
        assert set(SECTION_8_KPIS) | {"recovery_weeks"} <= set(kpis)
        for name, stats in kpis.items():
            assert set(stats) == {"mean", "p10", "p50", "p90"}, name
            assert all(np.isfinite(v) for v in stats.values()), name
            assert stats["p10"] <= stats["p50"] <= stats["p90"], (name, stats)
        # The summary is a summary of the per-replication values.
        reps = experiment.per_replication[variant]
        assert len(reps) == 4
        for name in SECTION_8_KPIS:
            values = [rep[name] for rep in reps]
            assert kpis[name]["mean"] == pytest.approx(np.mean(values)), name
            assert min(values) <= kpis[name]["p10"] <= kpis[name]["p90"] <= max(values), name
        # Recovery is counted in weeks after the shock, at most to the horizon.
        assert 0.0 <= kpis["recovery_weeks"]["mean"] <= 30 - 8

    seasonal = small_scenario(
        "reactive", shocks=[{"kind": "seasonality", "week": 0, "period_weeks": 13}]
    )
    kpis = run_experiment(seasonal, replications=2, seed=9).kpis["reactive"]
    assert set(SECTION_8_KPIS) <= set(kpis)
    assert not any(name.startswith("recovery") for name in kpis)


def test_experiment_with_two_shocks_reports_recovery_for_each(
    small_scenario: ScenarioFactory,
) -> None:
    scenario = small_scenario(
        "steered",
        shocks=[
            {"kind": "lost_account", "week": 4},
            {"kind": "seasonality", "week": 0},
            {"kind": "win_rate", "week": 12, "factor": 0.8},
        ],
    )
    kpis = run_experiment(scenario, replications=2, seed=1).kpis["steered"]
    # Numbered in scenario order over the non-seasonal shocks.
    assert {"recovery_weeks", "recovery_weeks_2"} <= set(kpis)
    assert "recovery_weeks_3" not in kpis


# --- events -------------------------------------------------------------------------------


def test_events_are_counted_and_grow_with_team_size(small_scenario: ScenarioFactory) -> None:
    def events(team_size: int, noise: bool) -> int:
        scenario = small_scenario(
            "reactive", plant={"people": {"team_size": team_size}}, mechanisms={"noise": noise}
        )
        return simulate(scenario, "reactive", seed=6).events

    horizon = small_scenario("reactive").horizon_weeks
    # At least a review, a week's work and a booking every week.
    assert events(1, noise=True) >= 3 * horizon
    # The team works a week in one event, not one per person: twelve people take about as
    # many events as two (hires and the leads' batches differ a little).
    assert events(12, noise=True) < 1.5 * events(2, noise=True)


# --- mechanism switches ---------------------------------------------------------------------


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_without_noise_the_seed_does_not_matter(
    small_scenario: ScenarioFactory, preset: str
) -> None:
    shocks = [{"kind": "people_leave", "week": 6, "count": 1}]
    noisy = small_scenario(preset, shocks=shocks)
    assert not np.array_equal(
        simulate(noisy, preset, seed=1).series["revenue"],
        simulate(noisy, preset, seed=2).series["revenue"],
    )
    # Noise off: every draw (arrivals, deal values, wins, attrition, orders) is replaced by a
    # deterministic value, so nothing depends on the seed or the replication any more.
    quiet = small_scenario(preset, shocks=shocks, mechanisms={"noise": False})
    base = simulate(quiet, preset, seed=1)
    assert_identical(base, simulate(quiet, preset, seed=2))
    assert_identical(base, simulate(quiet, preset, seed=1, replication=3))
    assert base.series["revenue"].sum() > 0


def test_without_fatigue_the_team_never_tires(small_scenario: ScenarioFactory) -> None:
    # Pressure and overtime: the reactive team under a market downturn works long weeks.
    shocks = [{"kind": "lead_rate", "week": 2, "factor": 0.5}]
    tired = simulate(small_scenario("reactive", shocks=shocks), "reactive", seed=3)
    assert tired.series["fatigue"].max() > 0.0
    rested = simulate(
        small_scenario("reactive", shocks=shocks, mechanisms={"fatigue": False}), "reactive", seed=3
    )
    np.testing.assert_array_equal(rested.series["fatigue"], 0.0)
    assert not same_series(tired, rested)


def test_on_week_reports_every_booked_week_and_changes_nothing() -> None:
    """Progress within a replication: every week, warm-up included, in order; only observed."""
    scenario = load_scenario("baseline", ["horizon_weeks=20"])
    seen: list[tuple[int, int]] = []
    watched = simulate(scenario, "reactive", seed=3, on_week=lambda d, t: seen.append((d, t)))
    plain = simulate(scenario, "reactive", seed=3)
    total = 20 + scenario.plant.warmup_weeks  # type: ignore[union-attr]
    assert seen == [(week, total) for week in range(1, total + 1)]
    for name, values in plain.series.items():
        assert np.array_equal(values, watched.series[name]), name


# --- crews ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hiring_weeks", [1, 2, 10])
def test_a_crew_works_as_one_process_per_person_would(
    small_scenario: ScenarioFactory, monkeypatch: pytest.MonkeyPatch, hiring_weeks: float
) -> None:
    # People who work at the same moment work in one SimPy step (a crew), and a hire's crew
    # joins the team's when it comes due right after it. Neither may change a number: the run
    # must equal one with a process per person. A hiring delay of one week makes a refill
    # come due between two people of a crew (the crew splits there); many leavers and a shock
    # make it happen often.
    from thermosim.plant.sales.crew import Crews

    scenario = small_scenario(
        "reactive",
        "steered",
        plant={"people": {"hiring_weeks": hiring_weeks, "attrition_per_year": 0.9}},
        shocks=[{"kind": "people_leave", "week": 3, "count": 2}],
    )
    crews = [
        simulate(scenario, v.name, seed=5, replication=r) for v in scenario.variants for r in (0, 1)
    ]

    life = Crews._life

    def one_each(self: Crews, members: list[Any], week: int | None) -> Any:
        if len(members) > 1:  # the team at the start: a process per person instead
            for person in members:
                self.env.process(life(self, [person], week))
            return
        yield from life(self, members, week)

    monkeypatch.setattr(Crews, "_life", one_each)
    monkeypatch.setattr(Crews, "next_due", lambda self, now: [])  # never join
    alone = [
        simulate(scenario, v.name, seed=5, replication=r) for v in scenario.variants for r in (0, 1)
    ]
    for a, b in zip(crews, alone, strict=True):
        assert same_series(a, b)
        assert a.interventions == b.interventions
        assert a.ledger == b.ledger
        assert a.events < b.events  # fewer events: that is the point
    assert sum(run.ledger["hires"] for run in crews) > 4  # the refills did come


def test_series_take_every_name_in_the_order_it_first_appears() -> None:
    from thermosim.engine import _series

    rows = [{"a": 1.0, "b": 2.0}, {"a": 3.0, "c": 4.0}]
    series = _series(rows, 3)
    assert list(series) == ["a", "b", "c"]
    np.testing.assert_array_equal(series["a"], [1.0, 3.0, 0.0])
    np.testing.assert_array_equal(series["b"], [2.0, 0.0, 0.0])
    np.testing.assert_array_equal(series["c"], [0.0, 4.0, 0.0])
    full = _series([{"a": 1.0, "b": 2}, {"a": 5.0, "b": 6}], 2)  # every row has every name
    np.testing.assert_array_equal(full["b"], [2.0, 6.0])
    assert full["a"].flags.owndata and full["a"].dtype == np.float64
