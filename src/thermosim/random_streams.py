"""Random streams: seeded draws for one replication, with a noise-free mode.

Owns how a replication's randomness is split into independent named streams (so variants meet the
same luck: common random numbers) and the ``noise off`` mode in which every draw is replaced by
its expected value, spread evenly over time (Weyl sequences for uniforms).
"""

from __future__ import annotations

import math
import zlib

import numpy as np

_BATCH = 512
# Noise off: each channel walks its own Weyl sequence (frac(k * sqrt(prime))), so the draws for
# different attributes of one lead (qualify, win, close time) are evenly spread and uncorrelated.
_WEYL = tuple(math.sqrt(p) % 1.0 for p in (2, 3, 5, 7, 11, 13, 17, 19))


def stream_seed(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """Seed of stream ``name`` in ``replication``: independent of variant, stable across runs."""
    # crc32 rather than hash(): str hashes are salted per process, which would break spawn workers.
    return np.random.SeedSequence([seed, replication, zlib.crc32(name.encode("utf-8"))])


class Stream:
    """One named source of random numbers.

    Parameters
    ----------
    seed
        The stream's seed sequence.
    noisy
        False replaces each draw by its expectation (uniforms by an evenly spread sequence).
    """

    def __init__(self, seed: np.random.SeedSequence, noisy: bool = True) -> None:
        self.rng = np.random.default_rng(seed)
        self.noisy = noisy
        self._u: list[float] = []
        self._z: list[float] = []
        self._rows: list[tuple[float, float, float, float, float]] = []
        self._k = [0] * len(_WEYL)  # position in each channel's Weyl sequence
        self._carry = 0.0  # fractional remainder for noise-free counts

    def uniform(self, channel: int = 0) -> float:
        """A uniform number in [0, 1); ``channel`` separates attributes when noise is off."""
        if not self.noisy:
            self._k[channel] += 1
            return (0.5 + self._k[channel] * _WEYL[channel]) % 1.0
        if not self._u:
            self._u = self.rng.random(_BATCH).tolist()
        return self._u.pop()

    def luck(self) -> tuple[float, float, float, float, float]:
        """Four uniforms and a standard normal at once: the luck of one lead.

        Drawn in batches because leads are the most frequent draw; with noise off, each uniform
        walks its own channel (0-3) and the normal is 0.
        """
        if not self.noisy:
            return (self.uniform(0), self.uniform(1), self.uniform(2), self.uniform(3), 0.0)
        if not self._rows:
            u = self.rng.random((4, _BATCH)).tolist()
            z = self.rng.standard_normal(_BATCH).tolist()
            self._rows = list(zip(u[0], u[1], u[2], u[3], z, strict=True))
        return self._rows.pop()

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

    def lognormal(self, median: float, sigma: float) -> float:
        """A lognormal value; noise off gives its mean, so totals stay right."""
        if not self.noisy:
            return median * math.exp(0.5 * sigma * sigma)
        return median * math.exp(sigma * self.normal())

    def poisson(self, lam: float) -> int:
        """A Poisson count; noise off rounds the expectation, carrying the remainder forward."""
        if lam <= 0.0:
            return 0
        if not self.noisy:
            total = lam + self._carry
            count = math.floor(total)
            self._carry = total - count
            return count
        return int(self.rng.poisson(lam))
