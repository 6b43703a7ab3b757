"""The thermostat teaching plant: a first-order room with bounded heaters (and coolers).

Owns the room's physics: ``tau * dT/dt = (T_out - T) + lift(power)``, integrated exactly between
the moments its inputs change (the power is held between reviews), so the room can be checked
against textbook first-order and P/PI behaviour. Time constant 0 means the room settles at once.
Positive power heats (``heater_lift_c`` per unit), negative power cools (``cooler_lift_c`` per
unit; none without a cooler). ``THERMOSTAT`` is its spec: the whole of what the engine knows of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import simpy

from thermosim import metrics
from thermosim.config.control import PolicyConfig
from thermosim.config.scenario import PLANT_METRICS
from thermosim.config.shocks import MechanismsConfig
from thermosim.config.thermostat import ThermostatPlantConfig
from thermosim.plant.base import Decision, PlantSpec, StreamFactory
from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Stream


class ThermostatPlant:
    """A room, its heaters (and coolers) and the weather.

    Parameters
    ----------
    env
        The SimPy environment (its clock is the room's clock, in weeks).
    cfg
        Room parameters.
    schedule
        Shocks (outside temperature, set-point changes).
    stream
        Random stream for process noise.
    """

    def __init__(
        self,
        env: simpy.Environment,
        cfg: ThermostatPlantConfig,
        schedule: ShockSchedule,
        stream: Stream,
    ) -> None:
        self.env = env
        self.cfg = cfg
        self.schedule = schedule
        self.stream = stream
        self.temperature_c = cfg.start_c
        self.power = 0.0
        self._time = 0.0  # time up to which the temperature is integrated

    def start(self) -> None:
        """The room needs no process of its own: it is integrated on demand."""

    def outside_c(self, week: float) -> float:
        """Outside temperature now, cold snaps included."""
        return self.cfg.outside_c + self.schedule.offset("outside_temperature", week)

    def _advance(self, until: float) -> float:
        """Temperature at ``until`` with the heater held, integrated in sub-steps."""
        cfg = self.cfg
        temp, t = self.temperature_c, self._time
        step = 1.0 / cfg.substeps_per_week
        while t < until - 1e-12:
            # Exact over each sub-step; sub-steps only so the weather can change inside a week.
            dt = min(step, until - t)
            settle = self.outside_c(t) + self.lift_c()
            decay = math.exp(-dt / cfg.time_constant_weeks) if cfg.time_constant_weeks > 0 else 0.0
            temp = settle + (temp - settle) * decay
            if cfg.process_noise_c > 0.0:
                temp += cfg.process_noise_c * math.sqrt(dt) * self.stream.normal()
            t += dt
        return temp

    def lift_c(self) -> float:
        """Equilibrium rise above outside (degC) at the current power; negative when cooling."""
        heating = max(self.power, 0.0)
        cooling = max(-self.power, 0.0)
        return self.cfg.heater_lift_c * heating - self.cfg.cooler_lift_c * cooling

    def _catch_up(self) -> None:
        now = self.env.now
        if now > self._time:
            self.temperature_c = self._advance(now)
            self._time = now

    def target(self, week: float) -> float:
        """The set temperature (degC), after any target_change shock."""
        return self.cfg.setpoint_c * self.schedule.factor("target_change", week)

    def sample(self, metric: str) -> float | None:
        """The room temperature now (the thermostat's sensor)."""
        if metric != "temperature":
            raise KeyError(f"the thermostat measures 'temperature', not '{metric}'")
        self._catch_up()
        return self.temperature_c

    def apply(self, decision: Decision) -> None:
        """Set the power from the controllers' total output.

        Each loop owns one heater (and one cooler) of full range and keeps its own output
        within -1..1, so n loops give a total power of -n..n: the room takes it as it comes, so
        loops pushing against each other show in the power. Without a cooler, asking for
        cooling does nothing.
        """
        self._catch_up()
        power = decision.pressure
        self.power = power if self.cfg.cooler_lift_c > 0.0 else max(0.0, power)

    def close_week(self, week: float) -> dict[str, float]:
        """The state at the end of the week (exactly at ``week + 1``)."""
        self._catch_up()
        end = week + 1.0
        temp = self._advance(end) if end > self._time else self.temperature_c
        if end > self._time:
            self.temperature_c, self._time = temp, end
        return {
            "temperature": temp,
            "target": self.target(week),
            "outside": self.outside_c(week),
            "heater": self.power,  # total power of every loop's unit; negative = cooling
        }


def build(
    env: simpy.Environment,
    cfg: ThermostatPlantConfig,
    mechanisms: MechanismsConfig,
    schedule: ShockSchedule,
    streams: StreamFactory,
) -> ThermostatPlant:
    """The room, its weather drawn from the ``process-noise`` stream."""
    return ThermostatPlant(env, cfg, schedule, streams("process-noise"))


def pressure(outputs: Sequence[float], policy: PolicyConfig) -> float:
    """The total power of the loops' heaters.

    Each loop owns one heater (and cooler) of full range, so the room gets their total power,
    within -n..n for n loops: a clip at one heater's range would hide loops escalating against
    each other.
    """
    heaters = float(len(outputs))
    return min(heaters, max(-heaters, sum(outputs)))


def noise_sd(
    cfg: ThermostatPlantConfig, noise: float, level: float, imposed: float | None
) -> float:
    """Reporting noise relative to the heater range, like the error."""
    return noise * cfg.heater_lift_c


def error_scale(cfg: ThermostatPlantConfig) -> float | None:
    """Every loop's error is normalised by the heater range, so ``gain`` is the loop gain."""
    return cfg.heater_lift_c


THERMOSTAT: PlantSpec[ThermostatPlantConfig, ThermostatPlant] = PlantSpec(
    kind="thermostat",
    metrics=PLANT_METRICS["thermostat"],
    build=build,
    required_series=metrics.REQUIRED_SERIES["thermostat"],
    primary_series=metrics.PRIMARY_SERIES["thermostat"],
    resting_series=metrics.RESTING_SERIES["thermostat"],
    kpis=partial(metrics.run_kpis, plant="thermostat"),
    pressure=pressure,
    noise_sd=noise_sd,
    error_scale=error_scale,
    figure_families=("revenue-vs-target", "scorecard", "control-loop", "recovery"),
)
