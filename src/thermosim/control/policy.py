"""Policy: turns a normalised error into a control output (PI with a dead band).

Owns the decision rule of the design: proportional gain, optional integral action with
symmetric anti-windup (the integral term clamped to the output range), and a dead band or
Shewhart-style control limit (act on a signal, not on noise).
"""

from __future__ import annotations

import math
from collections import deque


class Policy:
    """A proportional-integral controller with a dead band and bounded output.

    The error is normalised by the loop (relative to the target on the sales plant, to the heater
    range on the thermostat), so ``gain`` is the loop gain and has no unit.

    Parameters
    ----------
    gain
        Proportional gain (output per unit of normalised error).
    integral_time_weeks
        Integral time Ti; None means no integral action (a pure P controller).
    deadband
        Errors smaller than this (normalised) are treated as zero; larger ones are reduced by it,
        so the output stays continuous.
    control_limit_sigma
        If set, the dead band is at least this many standard deviations of the recent errors.
    limit_window
        Number of recent errors used to estimate that standard deviation.
    output_min, output_max
        Bounds of the output. A negative ``output_min`` lets the controller ease off (below the
        standing intensity of continuous levers) or cool when it is ahead of its reference.

    Notes
    -----
    Anti-windup clamps the integral term to what the output range can use: ``gain * integral``
    stays within ``[output_min, output_max]``, and the integral keeps integrating every review
    within those limits (integrator clamping; Astrom & Hagglund, *Advanced PID Control*, 2006).
    It is symmetric: a long shortfall stores at most a full output's worth of memory, and the
    first reviews ahead of the reference start unwinding it, whatever the proportional part
    does; a long lead does the same toward ``output_min``. Chosen over back-calculation because
    it needs no tracking time constant (a tuning knob without a source here) and over
    conditional integration, which froze the integral whenever the output sat below
    ``output_min`` with a negative error, so a positive integral could never unwind while the
    team was ahead. With ``gain`` 0 the output is 0 whatever the integral, so it is held at 0.
    """

    def __init__(
        self,
        gain: float,
        integral_time_weeks: float | None = None,
        deadband: float = 0.0,
        control_limit_sigma: float | None = None,
        limit_window: int = 13,
        output_min: float = 0.0,
        output_max: float = 1.0,
    ) -> None:
        self.gain = gain
        self.integral_time_weeks = integral_time_weeks
        self.deadband = deadband
        self.control_limit_sigma = control_limit_sigma
        self.output_min = output_min
        self.output_max = output_max
        self.integral = 0.0
        self._recent: deque[float] = deque(maxlen=max(2, limit_window))

    def threshold(self) -> float:
        """The current dead band: the fixed one or the control limit, whichever is wider."""
        if self.control_limit_sigma is None or len(self._recent) < 2:
            return self.deadband
        n = len(self._recent)
        mean = sum(self._recent) / n
        var = sum([(e - mean) ** 2 for e in self._recent]) / (n - 1)
        limit = self.control_limit_sigma * math.sqrt(var)
        return limit if limit > self.deadband else self.deadband  # max(deadband, limit)

    def update(self, error: float, dt_weeks: float) -> float:
        """Return the output for this review's (normalised) error."""
        band = self.threshold()
        self._recent.append(error)
        effective = 0.0 if abs(error) <= band else error - math.copysign(band, error)
        if self.integral_time_weeks is not None and self.integral_time_weeks > 0.0:
            low, high = self.integral_limits()
            step = effective * dt_weeks / self.integral_time_weeks
            # min(high, max(low, x)) and below written out (the same, to the bit): every review
            integral = self.integral + step
            integral = integral if integral > low else low
            self.integral = integral if integral < high else high
        raw_output = self.gain * (effective + self.integral)
        output = raw_output if raw_output > self.output_min else self.output_min
        return output if output < self.output_max else self.output_max

    def integral_limits(self) -> tuple[float, float]:
        """The range of the integral whose term ``gain * integral`` the output can still use."""
        if self.gain <= 0.0:
            return 0.0, 0.0
        return self.output_min / self.gain, self.output_max / self.gain
