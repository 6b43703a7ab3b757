"""Random streams: one uniform per Poisson draw, common random numbers and the noise-off mode.

Everything here is a property of `thermosim.random_streams` that the comparisons between variants
rely on; no simulation output is fixed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermosim.random_streams import Decisions, Stream, named_stream, stream_seed

SEED = np.random.SeedSequence(20240610)


def stream(noisy: bool = True) -> Stream:
    return Stream(np.random.SeedSequence(SEED.entropy), noisy=noisy)


@pytest.mark.parametrize(
    ("low", "high"),
    [(0.0, 3.0), (0.4, 45.0), (2.0, 80.0), (60.0, 400.0)],
    ids=["zero-vs-small", "small-vs-large", "search-vs-normal", "normal-vs-normal"],
)
def test_poisson_uses_one_uniform_whatever_the_rate(low: float, high: float) -> None:
    # Two variants whose rates differ must stay on the same stream: after the same number of
    # draws, both streams continue with the same uniforms (the rate must not change how many
    # were used: not for a zero rate, not in the normal branch).
    a, b = stream(), stream()
    for _ in range(1500):  # spans several batches of uniforms
        a.poisson(low)
        b.poisson(high)
    assert [a.uniform() for _ in range(20)] == [b.uniform() for _ in range(20)]


@pytest.mark.parametrize(
    "rates",
    [(0.0, 0.2, 1.0, 3.5, 12.0, 49.0), (51.0, 75.0, 200.0, 1000.0)],
    ids=["search", "normal"],
)
def test_a_higher_rate_never_gives_a_lower_count_from_the_same_luck(
    rates: tuple[float, ...],
) -> None:
    # Inverse CDF: for one uniform the count is non-decreasing in the rate, so a variant that
    # brings more leads never sees fewer of them for the same luck.
    streams = [stream() for _ in rates]
    for _ in range(3000):
        counts = [s.poisson(lam) for s, lam in zip(streams, rates, strict=True)]
        assert counts == sorted(counts)


@pytest.mark.parametrize("lam", [0.3, 4.0, 20.0, 45.0, 49.5, 80.0, 400.0])
def test_poisson_mean_and_variance_are_close_to_the_rate(lam: float) -> None:
    # A Poisson count has mean = variance = lambda; rates above 50 take the normal branch
    # (with continuity correction, so the mean stays lambda and the variance lambda + 1/12).
    # 45 and 49.5 are search rates whose first term exp(-lambda) * lambda is below the search's
    # rounding guard (1e-17): the guard must not stop the search there.
    s = stream()
    n = 20_000
    draws = np.array([s.poisson(lam) for _ in range(n)], dtype=float)
    assert (draws >= 0).all()
    # Mean within 5 standard errors (sd of the mean = sqrt(lambda / n)).
    assert abs(draws.mean() - lam) < 5 * math.sqrt(lam / n)
    # Variance within 6% (sd of the sample variance is sqrt((lambda + 2 lambda^2) / n), i.e.
    # under 1.6% of lambda for these rates).
    assert draws.var(ddof=1) == pytest.approx(lam, rel=0.06)


def test_noise_off_poisson_is_the_floor_with_carry() -> None:
    # Noise off replaces each count by its expectation, rounded down, with the remainder carried
    # to the next draw: no expected lead is ever lost or made up.
    s = stream(noisy=False)
    rng = np.random.default_rng(3)
    rates = rng.uniform(0.0, 7.0, size=5000).tolist()
    counts = []
    for lam in rates:
        count = s.poisson(lam)
        # The carry is below 1, so each count is the floor of the rate or one more.
        assert math.floor(lam) <= count <= math.floor(lam) + 1
        counts.append(count)
    assert abs(sum(counts) - sum(rates)) < 1.0


def test_noise_off_poisson_of_a_constant_rate_is_evenly_spread() -> None:
    # 0.25 a week: exactly one every four weeks.
    s = stream(noisy=False)
    counts = [s.poisson(0.25) for _ in range(40)]
    assert sum(counts) == 10
    ones = [i for i, c in enumerate(counts) if c]
    assert set(np.diff(ones).tolist()) == {4}


def test_named_streams_are_reproducible_and_independent_by_name() -> None:
    def draws(seed: int, replication: int, name: str) -> list[float]:
        s = named_stream(seed, replication, name, noisy=True)
        return [s.uniform() for _ in range(10)] + [s.normal() for _ in range(5)]

    # Same (seed, replication, name): the same luck, whichever variant or process asks.
    assert draws(7, 3, "leads") == draws(7, 3, "leads")
    # A different name, replication or seed: a different stream.
    assert draws(7, 3, "leads") != draws(7, 3, "accounts")
    assert draws(7, 3, "leads") != draws(7, 4, "leads")
    assert draws(7, 3, "leads") != draws(8, 3, "leads")
    # The seed does not depend on Python's salted str hash (spawn workers would disagree).
    a, b = stream_seed(7, 3, "leads"), stream_seed(7, 3, "leads")
    assert a.entropy == b.entropy


def test_noise_off_named_streams_start_at_different_phases() -> None:
    # With noise off the uniforms are Weyl sequences; the phase comes from the name, so two
    # named streams do not march in lockstep.
    a = named_stream(7, 0, "leads", noisy=False)
    b = named_stream(7, 0, "accounts", noisy=False)
    assert [a.uniform() for _ in range(5)] != [b.uniform() for _ in range(5)]
    # ...and a noise-off stream is fully determined by its name.
    c = named_stream(7, 0, "leads", noisy=False)
    d = named_stream(99, 5, "leads", noisy=False)
    assert [c.uniform() for _ in range(5)] == [d.uniform() for _ in range(5)]


def test_noise_off_uniforms_are_evenly_spread_per_channel() -> None:
    # A Weyl sequence fills [0, 1) evenly: each tenth gets its share within one or two draws.
    s = stream(noisy=False)
    for channel in (0, 3):
        u = np.array([s.uniform(channel) for _ in range(1000)])
        assert ((u >= 0) & (u < 1)).all()
        counts = np.histogram(u, bins=10, range=(0.0, 1.0))[0]
        assert counts.min() >= 98 and counts.max() <= 102
    # Noise off: normals are their mean and exponentials their mean.
    assert s.normal() == 0.0
    assert s.exponential(3.0) == 3.0
    assert s.luck()[5] == 0.0


def test_noise_off_decisions_say_yes_exactly_every_fourth_time_at_a_quarter() -> None:
    # Error diffusion: add p each time, say yes when the sum passes 1; at p = 0.25 the yes
    # answers are exactly four apart, whatever the uniform says.
    decide = Decisions(noisy=False)
    answers = [decide(0.0, 0.25, "win") for _ in range(100)]
    assert sum(answers) == 25
    yes = [i for i, a in enumerate(answers) if a]
    assert set(np.diff(yes).tolist()) == {4}


def test_noise_off_decision_channels_do_not_share_their_sums() -> None:
    # "qualify" decisions in between do not shift the rhythm of the "win" decisions.
    alone, mixed = Decisions(noisy=False), Decisions(noisy=False)
    wins_alone = [alone(0.5, 0.3, "win") for _ in range(50)]
    wins_mixed = []
    for _ in range(50):
        mixed(0.5, 0.9, "qualify")
        wins_mixed.append(mixed(0.5, 0.3, "win"))
    assert wins_alone == wins_mixed


def test_noisy_decisions_compare_the_lead_s_own_uniform() -> None:
    # Noisy: yes exactly when the uniform drawn for the lead is below p, so variants with
    # different chances decide the same lead on the same luck.
    decide = Decisions(noisy=True)
    assert decide(0.2, 0.25, "win") is True
    assert decide(0.3, 0.25, "win") is False
    assert decide(0.3, 0.35, "win") is True


@pytest.mark.parametrize("noisy", [True, False], ids=["noisy", "noise-off"])
def test_an_arrival_draws_what_its_three_draws_would_draw(noisy: bool) -> None:
    # `arrival` is a shortcut for exponential, uniform(4) and luck, in that order: over several
    # batches of uniforms and of luck rows, it leaves the stream where they would.
    one, three = stream(noisy), stream(noisy)
    for k in range(1300):
        mean = 0.02 + k % 7 * 0.01
        assert one.arrival(mean) == (three.exponential(mean), three.uniform(4), three.luck())
    assert [one.uniform() for _ in range(5)] == [three.uniform() for _ in range(5)]
