"""Perception: what a loop sees of the plant, late, averaged and noisy.

Owns the reporting model of the design: samples arrive every review, reach the controller after
``delay`` reviews, are averaged over a ``window`` of reviews, and may carry reporting noise.
"""

from __future__ import annotations

from collections import deque

import numpy as np


class Perception:
    """A delayed moving average of a sampled metric, with optional noise.

    Parameters
    ----------
    delay_steps
        Reviews between a sample being taken and the controller seeing it (0 = immediately).
    window_steps
        Number of samples averaged (1 = the latest report only).
    noise_sd
        Standard deviation of additive reporting noise, in plant units (0 = exact reports).
    rng
        Random generator for the reporting noise; required when ``noise_sd > 0``.
    """

    def __init__(
        self,
        delay_steps: int = 0,
        window_steps: int = 1,
        noise_sd: float = 0.0,
        rng: np.random.Generator | None = None,
    ) -> None:
        if delay_steps < 0 or window_steps < 1:
            raise ValueError("delay_steps must be >= 0 and window_steps >= 1")
        if noise_sd > 0.0 and rng is None:
            raise ValueError("a noisy perception needs a random generator")
        self.delay_steps = delay_steps
        self.window_steps = window_steps
        self.noise_sd = noise_sd
        self._rng = rng
        self._samples: deque[float] = deque(maxlen=delay_steps + window_steps)

    def observe(self, sample: float) -> float | None:
        """Record this review's sample and return the perceived value (None: no report yet)."""
        if self.noise_sd > 0.0 and self._rng is not None:
            sample += self.noise_sd * float(self._rng.standard_normal())
        self._samples.append(sample)
        visible = len(self._samples) - self.delay_steps
        if visible <= 0:
            return None
        start = visible - self.window_steps
        start = start if start > 0 else 0
        # Before a full window has arrived the controller averages what it has.
        seen = [self._samples[i] for i in range(start, visible)]
        return sum(seen) / len(seen)
