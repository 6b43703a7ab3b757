"""The control core on its own (no SimPy): reference, perception, policy, playbook, loop.

Every expected number is derived in a comment next to the assertion, from the textbook rule the
part implements, so a failing test says which rule broke.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from thermosim.control import LEVERS, Loop, Perception, Playbook, Policy, Reference
from thermosim.control.levers import FUNDAMENTAL, SYMPTOMATIC

# --------------------------------------------------------------------------------------------
# Reference
# --------------------------------------------------------------------------------------------


def test_fixed_reference_is_level_times_imposed() -> None:
    ref = Reference("fixed", level=1.1)
    # 1.1 x 100 = 110, whatever is perceived and whenever it is asked.
    assert ref.update(0.0, 100.0, None, 1.0) == pytest.approx(110.0)
    assert ref.update(50.0, 100.0, 40.0, 1.0) == pytest.approx(110.0)
    # It follows the imposed target at once: 1.1 x 80 = 88.
    assert ref.update(51.0, 80.0, 40.0, 1.0) == pytest.approx(88.0)


def test_raised_reference_steps_at_raise_week() -> None:
    ref = Reference("raised", level=1.0, raise_to=1.2, raise_week=10.0)
    assert ref.update(9.99, 100.0, None, 1.0) == pytest.approx(100.0)  # before: level x target
    assert ref.update(10.0, 100.0, None, 1.0) == pytest.approx(120.0)  # from the week: 1.2 x 100
    assert ref.update(30.0, 100.0, None, 1.0) == pytest.approx(120.0)  # and it stays there


def test_raised_reference_ramps_linearly() -> None:
    ref = Reference("raised", level=1.0, raise_to=1.2, raise_week=10.0, ramp_weeks=4.0)
    # Linear from 1.0 at week 10 to 1.2 at week 14: a quarter of the way per week (0.05 x 100).
    assert ref.update(10.0, 100.0, None, 1.0) == pytest.approx(100.0)
    assert ref.update(11.0, 100.0, None, 1.0) == pytest.approx(105.0)
    assert ref.update(12.0, 100.0, None, 1.0) == pytest.approx(110.0)
    assert ref.update(14.0, 100.0, None, 1.0) == pytest.approx(120.0)
    assert ref.update(20.0, 100.0, None, 1.0) == pytest.approx(120.0)  # held after the ramp


def test_eroding_reference_closes_63_percent_of_the_gap_in_one_tau() -> None:
    tau, dt = 13.0, 0.1
    ref = Reference("eroding", level=1.0, tau_goal_weeks=tau)
    goal0 = ref.update(0.0, 100.0, None, dt)  # no report yet: the goal starts at the target
    assert goal0 == pytest.approx(100.0)
    perceived = 80.0
    steps = round(tau / dt)  # 130 reviews = one tau
    goal = goal0
    for k in range(1, steps + 1):
        goal = ref.update(k * dt, 100.0, perceived, dt)
    closed = (goal0 - goal) / (goal0 - perceived)
    # Each review moves the goal dt/tau of the way toward what is perceived, so the gap left
    # after n reviews is (1 - dt/tau)^n. Over one tau, n = tau/dt and (1 - dt/tau)^(tau/dt)
    # -> e^-1 as dt/tau -> 0: the gap closed is 1 - e^-1 = 63.2% (continuous goal drift
    # d(goal)/dt = (perceived - goal)/tau). With dt/tau = 1/130 the discrete value is
    # 1 - (129/130)^130 = 63.35%, within 0.2 points of the continuous one.
    assert closed == pytest.approx(1.0 - (1.0 - dt / tau) ** steps, abs=1e-9)
    assert closed == pytest.approx(1.0 - math.exp(-1.0), abs=0.005)


def test_eroding_reference_follows_a_new_imposed_target_then_erodes() -> None:
    ref = Reference("eroding", level=1.0, tau_goal_weeks=10.0)
    ref.update(0.0, 100.0, None, 1.0)  # goal 100
    # Management raises the target by 20 with nothing perceived yet: the goal moves by 20.
    assert ref.update(1.0, 120.0, None, 1.0) == pytest.approx(120.0)
    # Then a report of 100 pulls it dt/tau = 1/10 of the way: 120 - 0.1 x 20 = 118.
    assert ref.update(2.0, 120.0, 100.0, 1.0) == pytest.approx(118.0)


def test_eroding_reference_never_overshoots_the_perceived_value() -> None:
    # A review interval longer than tau moves the goal all the way (the step is capped at 1),
    # not past what is perceived.
    ref = Reference("eroding", level=1.0, tau_goal_weeks=2.0)
    ref.update(0.0, 100.0, None, 5.0)
    assert ref.update(5.0, 100.0, 70.0, 5.0) == pytest.approx(70.0)


# --------------------------------------------------------------------------------------------
# Perception
# --------------------------------------------------------------------------------------------


def test_perception_delay_counts_reviews_and_is_none_before_data() -> None:
    p = Perception(delay_steps=2, window_steps=1)
    # The sample of review k reaches the controller at review k + 2.
    assert [p.observe(x) for x in (1.0, 2.0, 3.0, 4.0)] == [None, None, 1.0, 2.0]


def test_perception_without_delay_sees_the_sample_at_once() -> None:
    p = Perception()
    assert [p.observe(x) for x in (7.0, 3.0)] == [7.0, 3.0]


def test_perception_window_averages_and_starts_with_what_it_has() -> None:
    p = Perception(delay_steps=0, window_steps=3)
    # Trailing means of 1,2,3,4 over up to 3 samples: 1, (1+2)/2, (1+2+3)/3, (2+3+4)/3.
    assert [p.observe(x) for x in (1.0, 2.0, 3.0, 4.0)] == pytest.approx([1.0, 1.5, 2.0, 3.0])


def test_perception_delay_and_window_combine() -> None:
    p = Perception(delay_steps=1, window_steps=2)
    # Visible after one review of lag: [1], [1,2], [2,3], [3,4] -> 1, 1.5, 2.5, 3.5.
    seen = [p.observe(x) for x in (1.0, 2.0, 3.0, 4.0, 5.0)]
    assert seen[0] is None
    assert seen[1:] == pytest.approx([1.0, 1.5, 2.5, 3.5])


def test_perception_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="random generator"):
        Perception(noise_sd=1.0)  # noise without a generator to draw it from
    with pytest.raises(ValueError, match="delay_steps"):
        Perception(delay_steps=-1)
    with pytest.raises(ValueError, match="window_steps"):
        Perception(window_steps=0)


def test_perception_noise_has_the_configured_sd() -> None:
    n, sd = 20_000, 2.0
    p = Perception(noise_sd=sd, rng=np.random.default_rng(1))
    seen = np.array([p.observe(10.0) for _ in range(n)], dtype=float)
    # Unbiased: the mean of n reports is within 4 standard errors (4 x 2/sqrt(20000) = 0.057).
    assert abs(seen.mean() - 10.0) < 4 * sd / math.sqrt(n)
    # The sample sd has a standard error of about sd/sqrt(2n) = 0.5%; 3% is six of those.
    assert seen.std(ddof=1) == pytest.approx(sd, rel=0.03)


def test_perception_window_averages_noise_away() -> None:
    n, sd, w = 20_000, 2.0, 4
    p = Perception(window_steps=w, noise_sd=sd, rng=np.random.default_rng(2))
    seen = np.array([p.observe(10.0) for _ in range(n)], dtype=float)[w:]
    # The mean of w independent reports has sd sd/sqrt(w) = 1.0 (overlapping windows are
    # correlated with each other, which widens the error bar but not the marginal sd).
    assert seen.std(ddof=1) == pytest.approx(sd / math.sqrt(w), rel=0.05)


# --------------------------------------------------------------------------------------------
# Policy
# --------------------------------------------------------------------------------------------


def test_proportional_output_is_gain_times_error_within_bounds() -> None:
    pol = Policy(gain=2.0)
    assert pol.update(0.1, 1.0) == pytest.approx(0.2)  # 2 x 0.1
    assert pol.update(0.8, 1.0) == pytest.approx(1.0)  # 2 x 0.8 = 1.6, clipped to output_max 1
    assert pol.update(-0.3, 1.0) == pytest.approx(0.0)  # -0.6, clipped to output_min 0
    two_sided = Policy(gain=2.0, output_min=-1.0)
    assert two_sided.update(-0.2, 1.0) == pytest.approx(-0.4)  # within [-1, 1]: 2 x -0.2


def test_deadband_ignores_small_errors_and_reduces_larger_ones_continuously() -> None:
    pol = Policy(gain=1.0, deadband=0.05, output_min=-1.0)
    assert pol.update(0.03, 1.0) == 0.0  # inside the band
    assert pol.update(-0.05, 1.0) == 0.0  # on its edge
    assert pol.update(0.08, 1.0) == pytest.approx(0.03)  # 0.08 - 0.05
    assert pol.update(-0.08, 1.0) == pytest.approx(-0.03)  # -0.08 + 0.05
    # Continuous at the edge: just beyond the band the output is just above zero, not a jump
    # to gain x band.
    assert pol.update(0.050001, 1.0) == pytest.approx(1e-6, abs=1e-9)


def test_control_limit_widens_the_band_to_k_sigma_of_recent_errors() -> None:
    k = 2.0
    pol = Policy(gain=1.0, control_limit_sigma=k, limit_window=13)
    history = [0.1 if i % 2 == 0 else -0.1 for i in range(13)]
    for e in history:
        pol.update(e, 1.0)
    band = k * statistics.stdev(history)  # 2 x 0.104 = 0.208 (sample sd of +-0.1)
    assert pol.threshold() == pytest.approx(band)
    # An error of 0.15 would be acted on by a plain P controller (output 0.15) but lies within
    # the noise of the recent errors, so the controller waits.
    assert pol.update(0.15, 1.0) == 0.0
    assert Policy(gain=1.0).update(0.15, 1.0) == pytest.approx(0.15)


def test_control_limit_never_narrows_the_fixed_deadband() -> None:
    pol = Policy(gain=1.0, deadband=0.3, control_limit_sigma=1.0)
    for e in (0.01, -0.01, 0.01):
        pol.update(e, 1.0)
    # 1 x sd(0.01, -0.01, 0.01) = 0.0115 < 0.3: the fixed band wins.
    assert pol.threshold() == pytest.approx(0.3)


def test_integral_accumulates_error_times_dt_over_ti() -> None:
    ti, dt, e = 2.0, 0.5, 0.1
    pol = Policy(gain=1.0, integral_time_weeks=ti, output_min=-10.0, output_max=10.0)
    outputs = [pol.update(e, dt) for _ in range(4)]
    # integral_n = n x e x dt / Ti = 0.025 n; output = gain x (e + integral).
    assert outputs == pytest.approx([0.1 + 0.025 * n for n in range(1, 5)])
    # After Ti = 2 weeks (4 reviews) of a constant error the integral part equals the
    # proportional part: the textbook meaning of the integral (reset) time.
    assert pol.integral == pytest.approx(e)


def test_integral_winds_down_with_a_negative_error() -> None:
    pol = Policy(gain=1.0, integral_time_weeks=1.0, output_min=-10.0, output_max=10.0)
    pol.update(0.2, 1.0)  # integral 0.2
    pol.update(-0.05, 1.0)  # 0.2 - 0.05 = 0.15
    assert pol.integral == pytest.approx(0.15)


def test_anti_windup_lets_the_output_leave_saturation_promptly() -> None:
    gain, ti, dt = 1.0, 1.0, 0.1
    pol = Policy(gain=gain, integral_time_weeks=ti)
    for _ in range(1000):  # 100 weeks of an error the heater cannot close
        assert pol.update(2.0, dt) == 1.0
    # A naive integrator would hold 1000 x 2 x 0.1 / 1 = 200 by now and keep the output
    # saturated for ~2000 reviews after the error turns; clamping keeps the integral term
    # within what the output can use, so the integral stays at most output_max / gain = 1.
    assert pol.integral <= pol.output_max / gain + 1e-12
    # The first review with a (small) negative error already gives less than full output.
    assert pol.update(-0.1, dt) < 1.0


def test_anti_windup_works_at_the_lower_bound_too() -> None:
    pol = Policy(gain=1.0, integral_time_weeks=1.0)  # output in [0, 1]
    for _ in range(1000):
        assert pol.update(-2.0, 0.1) == 0.0
    # Nothing below 0 is stored, so a positive error acts at once: 1 x (0.1 + 0.1 x 0.1 / 1).
    assert pol.integral >= -1e-12
    assert pol.update(0.1, 0.1) == pytest.approx(0.11)


@pytest.mark.parametrize(
    ("output_min", "output_max", "push"),
    [
        (0.0, 1.0, 1.0),  # behind for long, then ahead: the output range a sales team has
        (-1.0, 1.0, 1.0),  # the same with an output that may ease off
        (-1.0, 1.0, -1.0),  # ahead for long (a room too warm), then behind: the lower bound
    ],
)
def test_the_integral_unwinds_within_a_bounded_number_of_reviews(
    output_min: float, output_max: float, push: float
) -> None:
    gain, ti, dt = 2.0, 1.0, 0.1
    pol = Policy(gain, ti, output_min=output_min, output_max=output_max)
    for _ in range(1000):  # 100 weeks of a gap the output cannot close: saturated
        pol.update(push, dt)
    limit = (output_max if push > 0 else output_min) / gain
    assert pol.integral == pytest.approx(limit)  # a full output's worth of memory, no more
    # Then the error turns: 0.5 the other way. Each review moves the integral by
    # 0.5 x dt / Ti = 0.05 toward zero, whatever the proportional part does, so the 0.5 stored
    # is gone after 0.5 / 0.05 = 10 reviews.
    for _ in range(10):
        pol.update(-0.5 * push, dt)
    assert pol.integral == pytest.approx(0.0, abs=1e-9)
    # Back on the reference, no stale push: a frozen integral (conditional integration) would
    # still hold 0.5 here and push at 2 x 0.5 = a full output.
    assert pol.update(0.0, dt) == pytest.approx(0.0, abs=1e-9)


def test_a_stale_integral_no_longer_pushes_when_ahead() -> None:
    # The case conditional integration got wrong: behind by 0.2 for long (P part 0.4, the
    # integral fills the rest of the output range), then clearly ahead. Output in [0, 1]: the
    # proportional part alone is below 0, so the old rule froze the integral (at 0.3) and, back
    # on the reference, kept pushing at 2 x 0.3 = 0.6 for as long as the team stayed there.
    pol = Policy(gain=2.0, integral_time_weeks=1.0)
    for _ in range(100):
        pol.update(0.2, 0.1)
    assert pol.integral == pytest.approx(0.5)  # clamped at output_max / gain
    outputs = [pol.update(-0.5, 0.1) for _ in range(10)]
    assert all(o == 0.0 for o in outputs)  # ahead: no push (and nothing below 0 is asked)
    assert pol.integral == pytest.approx(0.0, abs=1e-9)
    assert pol.update(0.0, 0.1) == pytest.approx(0.0, abs=1e-9)


def test_a_negative_output_min_lets_the_output_ease_off() -> None:
    pol = Policy(gain=2.0, integral_time_weeks=1.0, output_min=-0.5)
    # Ahead by 0.1 for long: P part -0.2, the integral grows toward the lower limit -0.5 / 2.
    outputs = [pol.update(-0.1, 1.0) for _ in range(10)]
    assert outputs[0] == pytest.approx(2 * (-0.1 - 0.1))
    assert outputs[-1] == pytest.approx(-0.5)
    assert pol.integral == pytest.approx(-0.25)


def test_deadband_also_stops_the_integral() -> None:
    pol = Policy(gain=1.0, integral_time_weeks=1.0, deadband=0.05)
    for _ in range(100):
        pol.update(0.04, 1.0)
    # Errors inside the band are treated as zero, for the memory as much as for the output.
    assert pol.integral == 0.0


# --------------------------------------------------------------------------------------------
# Playbook
# --------------------------------------------------------------------------------------------


def test_episodic_playbook_rotates_one_lever_per_review_above_threshold() -> None:
    book = Playbook(("call_blitz", "urgent_meeting", "training_day"), "episodic", threshold=0.1)
    started = []
    for week, output in enumerate((0.5, 0.05, 0.1, 2.0, 0.3, 0.7)):
        lasting, new = book.act(float(week), output)
        assert lasting == {}  # an episodic playbook sets no lasting levels
        started.extend(new)
    # Outputs 0.05 and 0.1 are not above the threshold 0.1: nothing starts and the rotation
    # does not advance. The other four start the next lever in turn, at intensity
    # min(1, output).
    assert [(i.week, i.lever, i.intensity) for i in started] == [
        (0.0, "call_blitz", 0.5),
        (3.0, "urgent_meeting", 1.0),
        (4.0, "training_day", 0.3),
        (5.0, "call_blitz", 0.7),
    ]
    assert all(i.who == "team" for i in started)


def test_continuous_playbook_sets_base_plus_output() -> None:
    book = Playbook(FUNDAMENTAL, "continuous", base=0.5)
    lasting, new = book.act(3.0, 0.3)
    assert new == []
    assert lasting == pytest.approx(dict.fromkeys(FUNDAMENTAL, 0.8))  # 0.5 + 0.3 each


def test_continuous_playbook_signs_follow_the_metric() -> None:
    levers = ("discount_push", "call_blitz", "account_care")
    margin = Playbook(levers, "continuous", metric="margin", who="margin")
    lasting, _ = margin.act(0.0, 0.4)
    # Steering on margin pulls discounts and call blitzes down (they cost margin) and leaves
    # account care pointing up.
    assert lasting == pytest.approx(
        {"discount_push": -0.4, "call_blitz": -0.4, "account_care": 0.4}
    )
    volume, _ = Playbook(levers, "continuous", metric="revenue").act(0.0, 0.4)
    assert volume == pytest.approx(dict.fromkeys(levers, 0.4))  # volume pushes all of them up


def test_playbook_rejects_unknown_levers() -> None:
    with pytest.raises(ValueError, match="cold_calling"):
        Playbook(("call_blitz", "cold_calling"), "episodic")


def test_empty_repertoire_does_nothing() -> None:
    assert Playbook((), "episodic").act(0.0, 1.0) == ({}, [])
    assert Playbook((), "continuous", base=0.5).act(0.0, 1.0) == ({}, [])


def test_lever_kinds_partition_the_repertoire() -> None:
    assert set(SYMPTOMATIC) | set(FUNDAMENTAL) == set(LEVERS)
    assert not set(SYMPTOMATIC) & set(FUNDAMENTAL)


# --------------------------------------------------------------------------------------------
# Loop
# --------------------------------------------------------------------------------------------


def test_loop_normalises_the_error_and_waits_for_the_first_report() -> None:
    loop = Loop("revenue", Reference(), Perception(delay_steps=1), Policy(gain=2.0))
    first = loop.review(0.0, 90.0, 100.0, 1.0)
    # No report has arrived: no perceived value, no error, no action.
    assert (first.perceived, first.error, first.output) == (None, 0.0, 0.0)
    second = loop.review(1.0, 95.0, 100.0, 1.0)
    # The first sample (90) arrives: relative error (100 - 90)/100 = 0.1, output 2 x 0.1.
    assert second.perceived == pytest.approx(90.0)
    assert second.error == pytest.approx(0.1)
    assert second.output == pytest.approx(0.2)


def test_loop_with_a_fixed_scale_divides_by_it() -> None:
    loop = Loop("temperature", Reference(), Perception(), Policy(gain=1.0), scale=25.0)
    review = loop.review(0.0, 15.0, 20.0, 0.05)
    assert review.error == pytest.approx(0.2)  # (20 - 15) / 25: a fifth of the heater range
