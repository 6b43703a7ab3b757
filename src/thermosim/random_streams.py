"""Random streams: seeded draws for one replication, with a noise-free mode.

Owns how a replication's randomness is split into independent named streams (so variants meet the
same luck: common random numbers) and the ``noise off`` mode in which every draw is replaced by
its expected value, spread evenly over time (Weyl sequences for uniforms).
"""

from __future__ import annotations

import math
import zlib
from statistics import NormalDist

import numpy as np

_BATCH = 512
_POISSON_NORMAL_ABOVE = 50.0  # above this rate the inverse-CDF search gets long; use a normal
_STANDARD_NORMAL = NormalDist()
# Noise off: each channel walks its own Weyl sequence (frac(k * sqrt(prime))), so the draws for
# different attributes of one lead (qualify, win, close time) are evenly spread and uncorrelated.
_WEYL = tuple(math.sqrt(p) % 1.0 for p in (2, 3, 5, 7, 11, 13, 17, 19))

Luck = tuple[float, float, float, float, float, float]  # five uniforms and a standard normal
# The lucks of many leads as six columns (one list per element of ``Luck``), in lead order.
LuckColumns = tuple[list[float], list[float], list[float], list[float], list[float], list[float]]


def stream_seed(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """Seed of stream ``name`` in ``replication``: independent of variant, stable across runs."""
    # crc32 rather than hash(): str hashes are salted per process, which would break spawn workers.
    return np.random.SeedSequence([seed, replication, zlib.crc32(name.encode("utf-8"))])


def named_stream(seed: int, replication: int, name: str, noisy: bool) -> Stream:
    """The stream called ``name`` in a replication (noise off: its phase depends on the name)."""
    phase = zlib.crc32(name.encode("utf-8")) / 2**32
    return Stream(stream_seed(seed, replication, name), noisy=noisy, phase=phase)


class Stream:
    """One named source of random numbers.

    Parameters
    ----------
    seed
        The stream's seed sequence.
    noisy
        False replaces each draw by its expectation (uniforms by an evenly spread sequence).
    """

    def __init__(
        self, seed: np.random.SeedSequence, noisy: bool = True, phase: float = 0.5
    ) -> None:
        self.rng = np.random.default_rng(seed)
        self.noisy = noisy
        self._phase = phase  # noise off: where the Weyl sequences start (differs per stream)
        self._u: list[float] = []
        self._z: list[float] = []
        # Luck drawn ahead, by column (``Luck``'s six elements); popped from the end, row by row.
        self._luck: list[list[float]] = [[] for _ in range(6)]
        self._k = [0] * len(_WEYL)  # position in each channel's Weyl sequence
        self._carry = 0.0  # fractional remainder for noise-free counts

    def uniform(self, channel: int = 0) -> float:
        """A uniform number in [0, 1); ``channel`` separates attributes when noise is off."""
        if not self.noisy:
            self._k[channel] += 1
            return (self._phase + self._k[channel] * _WEYL[channel]) % 1.0
        if not self._u:
            self._u = self.rng.random(_BATCH).tolist()
        return self._u.pop()

    def luck(self) -> Luck:
        """Five uniforms and a standard normal at once: the luck of one lead.

        Drawn in batches because leads are the most frequent draw; with noise off, each uniform
        walks its own channel (0-4) and the normal is 0.
        """
        if not self.noisy:
            u = self.uniform
            return (u(0), u(1), u(2), u(3), u(4), 0.0)
        if not self._luck[0]:
            self._draw_luck()
        u0, u1, u2, u3, u4, z = self._luck
        return (u0.pop(), u1.pop(), u2.pop(), u3.pop(), u4.pop(), z.pop())

    def _draw_luck(self) -> None:
        u = self.rng.random((5, _BATCH)).tolist()
        z = self.rng.standard_normal(_BATCH).tolist()
        self._luck = [*u, z]

    def arrival(self, mean_wait: float) -> tuple[float, float, Luck]:
        """The draws of one arrival: its wait, a uniform on channel 4, and its luck.

        The same numbers, in the same order, as ``exponential(mean_wait)``, ``uniform(4)`` and
        ``luck()``: one call instead of three for the most frequent draw (a lead arriving).
        """
        if not self.noisy:
            return mean_wait, self.uniform(4), self.luck()
        if not self._u:
            self._u = self.rng.random(_BATCH).tolist()
        wait = -mean_wait * math.log(1.0 - self._u.pop())
        if not self._u:
            self._u = self.rng.random(_BATCH).tolist()
        keep = self._u.pop()
        return wait, keep, self.luck()

    def arrivals(
        self, mean_wait: float, count: int
    ) -> tuple[list[float], list[float], LuckColumns]:
        """The draws of ``count`` arrivals at once: their waits, thinning uniforms and lucks.

        The same numbers, in the same order, as ``count`` calls of ``arrival(mean_wait)``, and
        the stream is left where they would leave it; taken from the batches a slice at a time
        (lists are popped from the end, so a slice is read backwards) instead of one call each,
        and the lucks come as columns, without a tuple per lead.
        """
        waits: list[float] = []
        keeps: list[float] = []
        lucks: LuckColumns = ([], [], [], [], [], [])
        if not self.noisy:
            for _ in range(count):
                wait, keep, luck = self.arrival(mean_wait)
                waits.append(wait)
                keeps.append(keep)
                for column, value in zip(lucks, luck, strict=True):
                    column.append(value)
            return waits, keeps, lucks
        log = math.log
        while len(waits) < count:
            if not self._u:
                self._u = self.rng.random(_BATCH).tolist()
            if len(self._u) == 1:  # the arrival's two uniforms straddle a new batch
                wait, keep, luck = self.arrival(mean_wait)
                waits.append(wait)
                keeps.append(keep)
                for column, value in zip(lucks, luck, strict=True):
                    column.append(value)
                continue
            if not self._luck[0]:  # after the uniforms, as ``arrival`` draws them
                self._draw_luck()
            k = min(len(self._u) // 2, len(self._luck[0]), count - len(waits))
            taken = self._u[-2 * k :]
            del self._u[-2 * k :]
            taken.reverse()  # in the order ``pop`` gives them: wait, keep, wait, keep, ...
            waits += [-mean_wait * log(1.0 - u) for u in taken[0::2]]
            keeps += taken[1::2]
            for column, source in zip(lucks, self._luck, strict=True):
                part = source[-k:]
                del source[-k:]
                part.reverse()
                column += part
        return waits, keeps, lucks

    def normal(self) -> float:
        """A standard normal number (0 when noise is off)."""
        if not self.noisy:
            return 0.0
        if not self._z:
            self._z = self.rng.standard_normal(_BATCH).tolist()
        return self._z.pop()

    def exponential(self, mean: float) -> float:
        """An exponential waiting time with the given mean (the mean when noise is off)."""
        if not self.noisy:
            return mean
        return -mean * math.log(1.0 - self.uniform())

    def zero_counts(self, count: int) -> None:
        """Draw ``count`` Poisson counts at a rate of zero (or below): all 0, so none returned.

        What ``count`` calls of ``poisson(0.0)`` draw: one uniform each (noise off: none).
        """
        if not self.noisy:
            return
        while count > 0:
            if not self._u:
                self._u = self.rng.random(_BATCH).tolist()
            taken = len(self._u) if len(self._u) < count else count
            del self._u[len(self._u) - taken :]
            count -= taken

    def poisson(self, lam: float) -> int:
        """A Poisson count from exactly one uniform (inverse CDF).

        One uniform per draw whatever the rate, so two variants whose rates differ stay on the
        same stream, and a higher rate never gives a lower count from the same luck. Noise off
        rounds the expectation, carrying the remainder forward.
        """
        if not self.noisy:
            total = (lam if lam > 0.0 else 0.0) + self._carry  # max(0.0, lam), to the bit
            count = math.floor(total)
            self._carry = total - count
            return count
        u = self.uniform()
        if lam <= 0.0:
            return 0
        if lam > _POISSON_NORMAL_ABOVE:
            # Normal approximation with continuity correction, from the same single uniform.
            z = _STANDARD_NORMAL.inv_cdf(min(max(u, 1e-12), 1.0 - 1e-12))
            return max(0, math.floor(lam + math.sqrt(lam) * z + 0.5))
        k, p = 0, math.exp(-lam)
        cumulative = p
        while u > cumulative:
            k += 1
            p *= lam / k
            cumulative += p
            # Rounding left u beyond the total: stop once past the mode, where the terms only
            # shrink (before it, p can start below 1e-17 for rates above ~43 and then grow).
            if p < 1e-17 and k > lam and cumulative < u:
                break
        return k


class Decisions:
    """Yes/no outcomes with probability p: random, or (noise off) as evenly as possible.

    Noisy: ``u < p`` with the uniform ``u`` drawn earlier (a lead's own luck). Noise off: error
    diffusion per channel (add p, say yes each time the sum passes 1), so a 25% win chance wins
    exactly every fourth deal. (Weekly numbers still vary a little: whole deals close.)
    """

    def __init__(self, noisy: bool) -> None:
        self.noisy = noisy
        self._sums: dict[str, float] = {}

    def __call__(self, u: float, p: float, channel: str) -> bool:
        """Decide one outcome."""
        if self.noisy:
            return u < p
        p = p if p > 0.0 else 0.0  # min(1.0, max(0.0, p)), to the bit: every decision
        total = self._sums.get(channel, 0.5) + (p if p < 1.0 else 1.0)
        if total >= 1.0:
            self._sums[channel] = total - 1.0
            return True
        self._sums[channel] = total
        return False
