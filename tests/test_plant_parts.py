"""Unit tests of the sales plant's parts: people, accounts, levers and the pipeline screen.

Each test states a property the design asks of one part (stability, direction of an effect,
common random numbers, how long a lever lasts). Parameters come from the config defaults or are
set here for the property at hand; no simulation output is fixed.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from itertools import pairwise
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import simpy

from thermosim.config.sales import (
    AccountsConfig,
    DealsConfig,
    LeverPrices,
    PeopleConfig,
    PipelineDisciplinePrice,
)
from thermosim.control.levers import Intervention
from thermosim.plant.sales.accounts import Accounts
from thermosim.plant.sales.arrivals import Arrivals, hand_out, market_arrivals, market_clock
from thermosim.plant.sales.books import book_hours
from thermosim.plant.sales.levers import TeamLevers
from thermosim.plant.sales.people import (
    REST_FATIGUE,
    REST_MOTIVATION,
    Keep,
    PeopleWeek,
    approach,
    attrition_hazard,
    grow_skill,
    live_week,
    next_fatigue,
    next_motivation,
    update_fatigue,
)
from thermosim.plant.sales.state import Hours, Lead, Ledger, Person, Week
from thermosim.plant.sales.work import WeekPlan, _Screen
from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Decisions, Stream

PEOPLE = PeopleConfig()


def seeded(seed: int = 11) -> Stream:
    return Stream(np.random.SeedSequence(seed))


def person(fatigue: float = REST_FATIGUE, motivation: float = REST_MOTIVATION) -> Person:
    return Person(
        ident=0, hired_week=0.0, luck=seeded(), fatigue=fatigue, motivation=motivation, capability=1
    )


# --- people --------------------------------------------------------------------------------


@pytest.mark.parametrize("tau", [0.05, 0.5, 1.0, 4.0, 52.0])
def test_approach_is_the_exact_first_order_step(tau: float) -> None:
    # n steps of one week are the exact solution after n weeks: g + (v - g) exp(-n / tau).
    value, goal = 0.2, 0.9
    for _ in range(6):
        value = approach(value, goal, tau)
    assert value == pytest.approx(goal + (0.2 - goal) * math.exp(-6 / tau))


@pytest.mark.parametrize("tau", [0.01, 0.1, 0.5, 0.99])
def test_approach_never_overshoots_for_short_time_constants(tau: float) -> None:
    # 1/tau > 1 would jump past the goal (and oscillate) with an Euler step; the exact step
    # moves toward the goal and stays on its side.
    for start, goal in ((0.0, 1.0), (1.0, 0.0), (0.3, 0.31)):
        value = start
        for _ in range(20):
            new = approach(value, goal, tau)
            assert abs(new - goal) <= abs(value - goal)
            assert (new - goal) * (start - goal) >= 0.0
            value = new


def test_fatigue_rises_above_the_sustainable_hours_and_recovers_below() -> None:
    sustainable = 45.0
    fatigue = REST_FATIGUE
    # Working 10 hours over the sustainable week: fatigue climbs, week after week, up to 1.
    for _ in range(8):
        new = update_fatigue(fatigue, sustainable + 10.0, 0.0, sustainable, PEOPLE)
        assert fatigue < new <= 1.0
        fatigue = new
    # Back below the sustainable level without interruptions: it recovers toward 0.
    for _ in range(8):
        new = update_fatigue(fatigue, sustainable - 5.0, 0.0, sustainable, PEOPLE)
        assert 0.0 <= new < fatigue
        fatigue = new


def test_interruptions_tire_even_at_a_sustainable_load() -> None:
    calm = update_fatigue(0.3, 40.0, 0.0, 45.0, PEOPLE)
    interrupted = update_fatigue(0.3, 40.0, 2.0, 45.0, PEOPLE)
    assert interrupted > calm


def test_more_overtime_means_more_fatigue() -> None:
    levels = [update_fatigue(0.3, 45.0 + extra, 0.0, 45.0, PEOPLE) for extra in (0, 2, 5, 10, 20)]
    assert levels == sorted(levels)
    assert levels[0] < levels[-1]


def test_attrition_hazard_rises_with_fatigue_and_falls_with_motivation() -> None:
    # At rest the hazard is the base rate...
    base = PEOPLE.attrition_per_year / 52.0
    assert attrition_hazard(person(), PEOPLE) == pytest.approx(base)
    # ...tired people leave more often, the more tired the more often...
    hazards = [attrition_hazard(person(fatigue=f), PEOPLE) for f in (0.1, 0.3, 0.6, 1.0)]
    assert all(a < b for a, b in pairwise(hazards))
    # ...and so do demotivated ones; being more rested than rest does not push it below base.
    assert attrition_hazard(person(motivation=0.3), PEOPLE) > base
    assert attrition_hazard(person(fatigue=0.0), PEOPLE) == pytest.approx(base)
    assert 0.0 <= attrition_hazard(person(fatigue=1.0, motivation=0.0), PEOPLE) <= 1.0


# --- accounts ------------------------------------------------------------------------------


def next_luck(stream: Stream) -> tuple[list[float], list[float]]:
    return [stream.uniform() for _ in range(5)], [stream.normal() for _ in range(5)]


def test_orders_draw_the_same_random_numbers_whatever_the_satisfaction() -> None:
    # Common random numbers: a team that looks after its customers and one that does not must
    # meet the same luck afterwards, so their difference is the policy, not the dice.
    cfg = AccountsConfig(key_accounts=3)
    happy, unhappy = Accounts(cfg, seeded(5)), Accounts(cfg, seeded(5))
    happy.satisfaction, unhappy.satisfaction = 0.95, 0.2
    unhappy.lose_key_accounts(2)  # lost key accounts still draw their numbers
    for week in range(30):
        happy.orders()
        unhappy.orders()
        happy.update(care_ratio=1.5, fatigue=0.1, won_deals=week % 3)
        unhappy.update(care_ratio=0.2, fatigue=0.8, won_deals=0)
    assert next_luck(happy.stream) == next_luck(unhappy.stream)


def test_satisfied_customers_order_more() -> None:
    # Same luck, higher satisfaction: more repeat orders over a year (concave pull).
    cfg = AccountsConfig(key_accounts=0)
    totals = []
    for satisfaction in (0.3, 0.7, 1.0):
        accounts = Accounts(cfg, seeded(9))
        accounts.satisfaction = satisfaction
        totals.append(sum(accounts.orders() for _ in range(52)))
    assert totals == sorted(totals)
    assert totals[0] < totals[-1]


def test_lose_key_accounts_removes_only_active_ones() -> None:
    accounts = Accounts(AccountsConfig(key_accounts=3), seeded())
    assert accounts.lose_key_accounts(2) == 2
    assert accounts.key_active.count(True) == 1
    # Asking for more than are left loses what is left, and then nothing.
    assert accounts.lose_key_accounts(5) == 1
    assert accounts.lose_key_accounts(1) == 0
    assert not any(accounts.key_active)


def test_lost_key_accounts_bring_no_orders() -> None:
    # With no regular accounts, all revenue is key-account revenue: none once they are gone.
    cfg = AccountsConfig(accounts=0, key_accounts=2, key_order_rate_per_week=3.0)
    kept, lost = Accounts(cfg, seeded(2)), Accounts(cfg, seeded(2))
    lost.lose_key_accounts(2)
    assert sum(kept.orders() for _ in range(10)) > 0.0
    assert sum(lost.orders() for _ in range(10)) == 0.0


# --- levers --------------------------------------------------------------------------------

PRICES = LeverPrices()


def levers() -> TeamLevers:
    return TeamLevers(PRICES, DealsConfig())


def test_a_quick_fix_runs_for_its_duration_from_the_price_list() -> None:
    team = levers()
    weeks = PRICES.call_blitz.duration_weeks
    team.start(Intervention(week=10.0, lever="call_blitz", intensity=0.6))
    assert team.duration("call_blitz") == weeks
    assert team.level("call_blitz", 10.0) == 0.6
    assert team.level("call_blitz", 10.0 + weeks - 0.01) == 0.6
    assert team.level("call_blitz", 10.0 + weeks) == 0.0


def test_levers_without_a_duration_are_events_of_one_week() -> None:
    team = levers()
    team.start(Intervention(week=4.0, lever="urgent_meeting", intensity=1.0))
    assert team.duration("urgent_meeting") == 1.0
    assert team.level("urgent_meeting", 4.5) == 1.0
    assert team.level("urgent_meeting", 5.0) == 0.0


def test_renewing_a_running_fix_keeps_the_higher_intensity_and_extends_it() -> None:
    team = levers()
    weeks = PRICES.discount_push.duration_weeks
    team.start(Intervention(week=0.0, lever="discount_push", intensity=0.8))
    team.start(Intervention(week=1.0, lever="discount_push", intensity=0.3))
    # Renewed at week 1: runs until 1 + duration, at the higher of the two intensities.
    assert team.level("discount_push", weeks + 0.5) == 0.8
    assert team.level("discount_push", 1.0 + weeks) == 0.0
    team.start(Intervention(week=2.0, lever="discount_push", intensity=1.0))
    assert team.level("discount_push", 2.0) == 1.0
    # After it ended, a new start is at its own intensity again.
    team.start(Intervention(week=50.0, lever="discount_push", intensity=0.3))
    assert team.level("discount_push", 50.0) == 0.3


def test_extra_reporting_hours_are_added_once_per_requirement_and_stick() -> None:
    team = levers()
    price = PRICES.extra_reporting
    team.start(Intervention(week=0.0, lever="extra_reporting", intensity=1.0))
    first = team.extra_reporting_hours
    assert first == pytest.approx(price.hours_per_week)
    # Asking again while it runs adds no new requirement.
    team.start(Intervention(week=0.5, lever="extra_reporting", intensity=1.0))
    assert team.extra_reporting_hours == first
    # Each week end the hours decay with the sticky time constant (they do not end with the
    # fix: forms once introduced stay around).
    team.end_of_week(0.0)
    assert team.extra_reporting_hours == pytest.approx(first * math.exp(-1.0 / price.sticky_weeks))
    for week in range(1, 30):
        team.end_of_week(float(week))
    remaining = team.extra_reporting_hours
    assert 0.0 < remaining < first
    # A new requirement after the old one ended adds its hours on top of what stuck.
    end = 0.5 + team.duration("extra_reporting")
    team.start(Intervention(week=end + 1.0, lever="extra_reporting", intensity=0.5))
    assert team.extra_reporting_hours == pytest.approx(remaining + 0.5 * price.hours_per_week)
    assert team.reporting_hours(end + 1.0) == team.extra_reporting_hours


def test_a_held_level_of_reporting_costs_its_hours_every_week() -> None:
    team = levers()
    team.set_continuous({"extra_reporting": 0.5}, [])
    for week in range(10):
        assert team.reporting_hours(float(week)) == pytest.approx(
            0.5 * PRICES.extra_reporting.hours_per_week
        )
        team.end_of_week(float(week))


def test_a_continuous_level_of_an_event_lever_is_held_every_week() -> None:
    team = levers()
    team.set_continuous({"training_day": 0.4, "urgent_meeting": 0.2}, [])
    for week in range(5):
        # A training held at 0.4 by a continuous playbook happens every week at 0.4.
        assert team.training_this_week(float(week)) == 0.4
        assert team.meetings_this_week(float(week)) == 0.2
        team.end_of_week(float(week))


def test_an_event_started_this_week_counts_for_this_week_only() -> None:
    team = levers()
    team.start(Intervention(week=3.0, lever="training_day", intensity=1.0))
    assert team.training_this_week(3.0) == 1.0
    team.end_of_week(3.0)
    assert team.training_this_week(4.0) == 0.0


def test_coordination_costs_hours_only_for_contested_pushes() -> None:
    team = levers()
    # One loop alone: nobody to argue with.
    team.set_continuous({}, [{"coaching": 0.5}])
    assert team.coordination_hours() == 0.0
    # Two loops pulling the same way agree for free.
    team.set_continuous({}, [{"coaching": 0.5}, {"coaching": 0.3}])
    assert team.coordination_hours() == 0.0
    # Against each other: the part that cancels costs (|0.5| + |-0.2| - |0.3| = 0.4).
    team.set_continuous({}, [{"coaching": 0.5}, {"coaching": -0.2}])
    assert team.coordination_hours() == pytest.approx(PRICES.coordination_hours * 0.4)
    # Pushes on different levers do not contest each other.
    team.set_continuous({}, [{"coaching": 0.5}, {"account_care": -0.5}])
    assert team.coordination_hours() == 0.0


def test_turning_a_lasting_lever_back_is_one_change_of_direction() -> None:
    team = levers()
    assert team.set_continuous({"coaching": 0.3}, []) == 0
    assert team.set_continuous({"coaching": 0.6}, []) == 0  # further the same way
    assert team.set_continuous({"coaching": 0.65}, []) == 0  # too small to notice
    assert team.set_continuous({"coaching": 0.2, "account_care": -0.5}, []) == 1
    # Two levers turned back at one review: still one change of course.
    assert team.set_continuous({"coaching": 0.6, "account_care": 0.5}, []) == 1


# --- the pipeline screen -------------------------------------------------------------------


def leads(n: int, seed: int = 4) -> list[Lead]:
    u = np.random.default_rng(seed).random((3, n))
    return [
        Lead(0.0, 1.0, 0.5, float(w), 0.5, 0.5, float(s), 1000.0)
        for w, s in zip(u[0], u[1], strict=True)
    ]


def no_plant() -> Any:
    # The noisy screen decides on the lead's own uniforms and never asks the plant.
    return None


def test_the_screen_drops_the_stated_share() -> None:
    price = PipelineDisciplinePrice()
    batch = leads(20_000)
    for discipline in (0.0, 0.5, 1.0):
        screen = _Screen(discipline, price, noisy=True)
        kept = sum(screen.keeps(lead, no_plant()) for lead in batch)
        assert kept <= len(batch)
        drop = price.screened_share * discipline
        # Binomial: within 5 standard deviations of the stated share.
        sd = math.sqrt(len(batch) * drop * (1 - drop))
        assert abs(kept - (1.0 - drop) * len(batch)) <= 5 * sd + 1e-9


def test_an_accurate_screen_drops_only_leads_that_would_lose() -> None:
    price = PipelineDisciplinePrice(screened_share=0.3, screening_accuracy=1.0)
    screen = _Screen(1.0, price, noisy=True)
    batch = leads(5000)
    dropped = [lead for lead in batch if not screen.keeps(lead, no_plant())]
    assert dropped
    # A lead wins when u_win < its chance; every dropped lead has u_win >= 1 - drop, so at any
    # win chance up to 1 - drop it would have lost: the screen cannot throw a win away...
    win_chance = 1.0 - screen.drop
    assert all(lead.u_win >= win_chance for lead in dropped)
    # ...and it does not create wins either: the kept leads win exactly the wins there were.
    wins = sum(lead.u_win < 0.4 for lead in batch)
    kept_wins = sum(lead.u_win < 0.4 for lead in batch if screen.keeps(lead, no_plant()))
    assert kept_wins == wins


def test_a_blind_screen_drops_winners_too() -> None:
    # Accuracy 0: drops ignore the chances, so winners and losers are dropped alike.
    screen = _Screen(1.0, PipelineDisciplinePrice(screening_accuracy=0.0), noisy=True)
    batch = leads(20_000)
    winners = [lead for lead in batch if lead.u_win < 0.3]
    dropped_winners = sum(not screen.keeps(lead, no_plant()) for lead in winners)
    assert dropped_winners / len(winners) == pytest.approx(screen.drop, abs=0.03)


def test_noise_off_screen_spreads_its_drops_and_lifts_quality() -> None:
    price = PipelineDisciplinePrice()
    screen = _Screen(1.0, price, noisy=False)
    plant = SimpleNamespace(decide=Decisions(noisy=False))
    kept = sum(screen.keeps(lead, plant) for lead in leads(1000))  # type: ignore[arg-type]
    assert abs(kept - (1.0 - screen.drop) * 1000) <= 1.0
    # The kept leads carry the expected lift of the selection: more than 1 when the screen
    # reads the chances better than blindly, exactly 1 when it is blind.
    assert screen.quality > 1.0
    assert _Screen(1.0, PipelineDisciplinePrice(screening_accuracy=0.0), False).quality == (
        pytest.approx(1.0)
    )
    assert _Screen(0.0, price, noisy=False).quality == 1.0


# --- lead arrivals ---------------------------------------------------------------------------


@pytest.mark.parametrize("start", [-26.0, -0.37, 3.0])
def test_batched_arrivals_come_where_one_event_per_lead_puts_them(start: float) -> None:
    # The market hands out every lead due before the next other event in one SimPy step; the
    # log of leads and other events must be the one of a process sleeping once per lead, to the
    # last bit of every time. (With this seed, the runs from -0.37 and from 3.0 each meet a
    # sleep that cannot land exactly from the step's time, so that step hands out fewer leads.)
    def run(batched: bool) -> list[tuple[str, float]]:
        env = simpy.Environment(initial_time=start)
        log: list[tuple[str, float]] = []
        blocks = market_arrivals(start, 40.0, 1.1, ShockSchedule([]), seeded(11))
        clock = market_clock(start, 40.0, 1.1, ShockSchedule([]), seeded(11))

        def one_per_lead() -> Generator[Any, Any, None]:
            for week, wait, _keep, _luck in clock:
                yield env.timeout(wait)
                assert env.now == week
                log.append(("lead", env.now))

        def receive(arrivals: Arrivals, first: int, stop: int) -> None:
            log.extend(("lead", week) for week in arrivals.weeks[first:stop])

        def weekly(offset: float) -> Generator[Any, Any, None]:
            yield env.timeout(offset)
            while True:
                log.append((f"week+{offset}", env.now))
                yield env.timeout(1.0)

        env.process(hand_out(env, blocks, receive) if batched else one_per_lead())
        for offset in (0.001, 0.002, 0.999):
            env.process(weekly(offset))
        env.run(until=start + 14.0)
        return log

    batched, one_by_one = run(batched=True), run(batched=False)
    assert len(one_by_one) > 500
    assert batched == one_by_one


def test_a_training_day_is_paid_once_per_week_whoever_joined_the_team() -> None:
    """Hires work at the team's moments: the week's shared fee is not booked twice.

    People leave early and are replaced within weeks; a training day is then held every week.
    Each of those weeks costs exactly one trainer's fee, hires or not (they once worked on a
    clock a rounding error apart from the team's, and every such week was charged twice).
    """
    import thermosim
    from thermosim import Scenario

    training = {"week": 20, "lever": "training_day", "intensity": 1.0, "weeks": 30}
    scenario = Scenario.model_validate(
        {
            "name": "fees",
            "horizon_weeks": 52,
            "seed": 3,
            "plant": {"kind": "sales", "people": {"hiring_weeks": 2, "attrition_per_year": 0.5}},
            "shocks": [{"kind": "people_leave", "week": 2, "count": 4}],
            "variants": [
                {"name": "trained", "preset": "open-loop", "levers": {"schedule": [training]}}
            ],
        }
    )
    fee_eur = scenario.plant.costs.training_fee_eur_per_day
    for replication in range(3):
        run = thermosim.simulate(scenario, "trained", seed=3, replication=replication)
        fees = run.series["cost_fees"][20:50]
        hires = run.series["headcount"]  # changes when hires join: the case that went wrong
        assert np.ptp(hires) > 0
        assert np.allclose(fees, fee_eur), fees


# --- the same numbers, worked out faster -----------------------------------------------------
# The engine's hot paths work out several things at once (a block of arrivals, a crew's hours,
# a person's week in one function); each must give what the one-at-a-time rule gives, bit for
# bit, and leave every stream where the rule leaves it.


@pytest.mark.parametrize("noisy", [True, False], ids=["noisy", "noise-off"])
def test_a_block_of_arrivals_draws_what_one_arrival_at_a_time_draws(noisy: bool) -> None:
    block = Stream(np.random.SeedSequence(5), noisy=noisy)
    single = Stream(np.random.SeedSequence(5), noisy=noisy)
    # Block sizes that straddle batches of uniforms (two per arrival) and of luck (one).
    for count in (1, 7, 255, 256, 300, 511, 64, 1000):
        waits, keeps, lucks = block.arrivals(0.05, count)
        draws = [single.arrival(0.05) for _ in range(count)]
        assert waits == [wait for wait, _, _ in draws]
        assert keeps == [keep for _, keep, _ in draws]
        assert [tuple(column[i] for column in lucks) for i in range(count)] == [
            luck for _, _, luck in draws
        ]
    # Both leave the stream at the same place.
    assert [block.uniform() for _ in range(600)] == [single.uniform() for _ in range(600)]
    assert [block.luck() for _ in range(600)] == [single.luck() for _ in range(600)]


@pytest.mark.parametrize("noisy", [True, False], ids=["noisy", "noise-off"])
def test_zero_counts_draw_what_poisson_draws_at_a_rate_of_zero(noisy: bool) -> None:
    at_once = Stream(np.random.SeedSequence(6), noisy=noisy)
    one_by_one = Stream(np.random.SeedSequence(6), noisy=noisy)
    for count in (3, 509, 1, 1024, 0):
        at_once.zero_counts(count)
        assert [one_by_one.poisson(0.0) for _ in range(count)] == [0] * count
    assert [at_once.poisson(2.5) for _ in range(100)] == [
        one_by_one.poisson(2.5) for _ in range(100)
    ]


def one_wait_per_lead(
    start: float, rate: float, top: float, schedule: ShockSchedule, stream: Stream
) -> Generator[tuple[float, float, float, Any], None, None]:
    """The market's clock as a process sleeping once per lead drew it (the definition)."""
    week = start
    while True:
        base = rate * schedule.factor("lead_rate", week) * top
        if base <= 0.0:
            week += 1.0
            yield week, 1.0, 0.0, None
            continue
        wait, keep, luck = stream.arrival(1.0 / base)
        week += wait
        yield week, wait, keep, luck


@pytest.mark.parametrize(
    ("rate", "shocks"),
    [
        (30.0, []),
        (30.0, [{"kind": "seasonality", "week": 0, "amplitude": 0.4, "period_weeks": 13}]),
        (0.0, []),
        (
            12.0,
            [
                {
                    "kind": "lead_rate",
                    "week": 5,
                    "factor": 0.0,
                    "shape": "pulse",
                    "duration_weeks": 3,
                }
            ],
        ),
    ],
    ids=["steady", "seasonal", "no-market", "market-stops"],
)
def test_the_market_clock_draws_its_blocks_as_one_wait_per_lead(
    rate: float, shocks: list[dict[str, Any]]
) -> None:
    from pydantic import TypeAdapter

    from thermosim.config.shocks import AnyShock

    schedule = ShockSchedule(TypeAdapter(list[AnyShock]).validate_python(shocks))
    clock = market_clock(-3.0, rate, 1.2, schedule, seeded(7))
    reference = one_wait_per_lead(-3.0, rate, 1.2, schedule, seeded(7))
    for _ in range(1500):  # several blocks, several batches of draws
        assert next(clock) == next(reference)


def test_clipped_levels_are_each_lever_s_level_clipped() -> None:
    team = levers()
    team.set_continuous({"coaching": 0.4, "account_care": -0.5, "discount_push": 1.7}, [])
    team.start(Intervention(week=2.0, lever="call_blitz", intensity=0.6))
    team.start(Intervention(week=2.0, lever="discount_push", intensity=0.9))
    team.start(Intervention(week=2.0, lever="urgent_meeting", intensity=1.0))  # one week
    for week in (2.0, 2.5, 3.0, 2.0 + PRICES.call_blitz.duration_weeks):
        levels = team.levels(week)
        clipped = team.clipped_levels(week)
        assert levels.keys() == clipped.keys()
        for name, level in levels.items():
            assert level == team.level(name, week)
            assert clipped[name] == min(1.0, max(0.0, level))
    assert team.levels(3.0)["account_care"] == 0.0  # a level below 0 is not in force
    assert team.clipped_levels(2.0)["urgent_meeting"] == 1.0
    assert team.clipped_levels(3.0)["urgent_meeting"] == 0.0


@pytest.mark.parametrize(
    ("tiring", "fading", "training"),
    [(True, True, 0.0), (True, False, 1.0), (False, True, 0.5), (True, True, 1.0)],
)
def test_live_week_is_the_people_rules_one_after_the_other(
    tiring: bool, fading: bool, training: float
) -> None:
    keep = Keep.of(PEOPLE)
    rng = np.random.default_rng(8)
    for _ in range(200):
        fatigue, motivation, capability, trained, bump = rng.random(5)
        one, other = (
            Person(0, 0.0, seeded(), fatigue, motivation, capability, trained * 0.2, bump * 0.1)
            for _ in range(2)
        )
        rise, recovery, target, level = rng.random(4)
        drivers = PeopleWeek(
            rise, recovery, target, training, tiring, fading, PEOPLE.attrition_per_year / 52.0
        )
        hazard = live_week(one, drivers, level, keep, PEOPLE)
        if tiring:
            other.fatigue = next_fatigue(other.fatigue, rise, recovery)
        other.motivation = next_motivation(other.motivation, other.fatigue, level, keep.motivation)
        grow_skill(other, target, training, fading, keep, PEOPLE)
        assert hazard == attrition_hazard(other, PEOPLE)
        for name in ("fatigue", "motivation", "capability", "trained", "training_bump"):
            assert getattr(one, name) == getattr(other, name), name


@pytest.mark.parametrize(("pressure", "coaching"), [(0.0, 0.0), (1.0, 0.7)])
def test_booking_a_crew_adds_up_as_booking_each_person_in_turn(
    pressure: float, coaching: float
) -> None:
    plan = WeekPlan(
        Hours(40.0 + 10.0 * pressure, 21.3, 4.1, 2.2, 3.0 * coaching, 2.0, 4.4, 3.3),
        coaching_level=coaching,
        lever_hours=1.7,
    )
    used = [21.3, 17.25, 20.9, 0.0, 21.3, 19.999]
    crew, each = (Week(), Ledger()), (Week(), Ledger())
    book_hours(*crew, plan, used, 40.0, 55.0)
    for hours in used:
        book_hours(*each, plan, [hours], 40.0, 55.0)
    assert crew == each
    assert crew[0].overtime_hours > 0.0 if pressure else crew[0].overtime_hours == 0.0


def test_a_booked_week_has_hours_for_every_use_in_order() -> None:
    from thermosim.config.sales import SalesPlantConfig
    from thermosim.plant.sales.books import HOUR_USES, Pay, week_row

    row = week_row(
        Week(),
        [person()],
        revenue=0.0,
        margin_eur=0.0,
        target=1.0,
        satisfaction=0.7,
        fatigue=REST_FATIGUE,
        discount=0.0,
        pressure=0.0,
        pay=Pay.of(SalesPlantConfig()),
    )
    hours = [name.removeprefix("hours_") for name in row if name.startswith("hours_")]
    assert hours == ["levers", *HOUR_USES]
    assert row["margin"] == 0.0 and row["headcount"] == 1.0  # no revenue: no margin
