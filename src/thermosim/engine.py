"""One replication: builds the SimPy environment, wires loops, plant and shocks, records series.

Owns the only ``simpy.Environment`` and the random streams of a replication. Reviews run every
``policy.review_weeks`` (just after the week turns), the plant works, and the week is booked just
before it ends; the recorded series are one row per week.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from thermosim.config.scenario import Scenario, Variant
from thermosim.control import Intervention, Loop, Perception, Playbook, Policy, Reference
from thermosim.plant.base import Decision, Plant
from thermosim.plant.sales.plant import BOOK_AT, REVIEW_AT, SalesPlant
from thermosim.plant.thermostat import ThermostatPlant
from thermosim.random_streams import Stream, named_stream
from thermosim.shocks import ShockSchedule, fire_one_offs

SHOCK_AT = 0.0015  # one-off shocks land after the review and before the week is planned
CONTROL_SERIES = ("reference", "perceived", "error", "output")
WARMUP_COUNTED = ("leads_in", "opportunities_won", "opportunities_lost")
LOG_CHANGE = 0.1  # a lasting lever moved by at least this much is logged as an intervention


@dataclass(frozen=True)
class Run:
    """The record of one replication of one variant.

    Attributes
    ----------
    series
        Weekly series by name, each a float array of length ``horizon_weeks``.
    interventions
        Every action taken, in time order.
    events
        SimPy events processed (for benchmarks).
    ledger
        Conservation counters of the sales plant (empty for the thermostat).
    """

    scenario: str
    variant: str
    seed: int
    replication: int
    series: dict[str, np.ndarray]
    interventions: tuple[Intervention, ...]
    events: int
    ledger: dict[str, float] = field(default_factory=dict)

    @property
    def weeks(self) -> np.ndarray:
        """Week numbers 0..horizon-1."""
        return np.arange(len(next(iter(self.series.values()))), dtype=float)


@dataclass
class _Controller:
    loop: Loop
    playbook: Playbook
    share: float  # share of the team steering with this loop
    imposed: float | None  # fixed reference for member metrics; None = the plant's target


def _fixed_reference(scenario: Scenario, variant: Variant, metric: str) -> float | None:
    """The reference of a loop on a ratio metric (margin, satisfaction); None = the target.

    Defaults when a variant names none: the plant's own gross margin and reference satisfaction.
    """
    plant = scenario.plant
    if metric not in ("margin", "satisfaction") or plant.kind != "sales":
        return None
    default = (
        plant.deals.gross_margin if metric == "margin" else plant.accounts.satisfaction_reference
    )
    return variant.member_targets.get(metric, default)


def _controllers(scenario: Scenario, variant: Variant, streams: Any) -> list[_Controller]:
    """Build one loop for the team, or one per member metric (fragmented steering)."""
    plant = scenario.plant
    members = variant.member_metrics
    if plant.kind == "thermostat":
        metrics: tuple[str, ...] = ("temperature",)
        scale: float | None = (
            plant.heater_lift_c
        )  # error per unit of heater range: gain = loop gain
    else:
        metrics = members or (variant.perception.metric,)
        scale = None  # relative to the reference
    r, pol, ref = variant.perception, variant.policy, variant.reference
    dt = pol.review_weeks
    result = []
    for metric in metrics:
        fixed = _fixed_reference(scenario, variant, metric)
        level = ref.level
        if members and metric == "revenue":
            level = variant.member_targets.get("revenue", ref.level)
        # Reporting noise is relative to the error scale: the target, or the heater range.
        # With the noise mechanism off, reports are exact too.
        if not scenario.mechanisms.noise:
            noise = 0.0
        elif scale is not None:
            noise = r.noise * scale
        elif fixed is not None:
            noise = r.noise * fixed
        else:
            noise = r.noise * level * plant.target_eur_per_week  # type: ignore[union-attr]
        perception = Perception(
            delay_steps=round(r.delay_weeks / dt),
            window_steps=max(1, round(r.window_weeks / dt)),
            noise_sd=noise,
            rng=streams(f"perception-{metric}").rng if noise > 0 else None,
        )
        policy = Policy(
            gain=pol.gain,
            integral_time_weeks=pol.integral_time_weeks,
            deadband=pol.deadband,
            control_limit_sigma=pol.control_limit_sigma,
        )
        reference = Reference(
            ref.kind, level, ref.raise_to, ref.raise_week, ref.ramp_weeks, ref.tau_goal_weeks
        )
        who = metric if members else "team"
        playbook = Playbook(
            variant.levers.repertoire,
            variant.levers.mode,
            variant.levers.threshold,
            variant.levers.base,
            metric,
            who,
        )
        loop = Loop(metric, reference, perception, policy, scale=scale)
        result.append(_Controller(loop, playbook, 1.0 / len(metrics), fixed))
    return result


class _Replication:
    """The wiring of one replication; ``run`` returns the Run."""

    def __init__(self, scenario: Scenario, variant: Variant, seed: int, replication: int) -> None:
        self.scenario = scenario
        self.variant = variant
        self.seed = seed
        self.replication = replication
        # Week 0 is where recording starts; a sales plant runs its warm-up at negative times.
        self.warmup = scenario.plant.warmup_weeks if scenario.plant.kind == "sales" else 0
        self.env = simpy.Environment(initial_time=-float(self.warmup))
        noisy = scenario.mechanisms.noise

        def streams(name: str) -> Stream:
            return named_stream(seed, replication, name, noisy)

        self.schedule = ShockSchedule(scenario.shocks)
        self.plant: Plant
        if scenario.plant.kind == "sales":
            sales = SalesPlant(
                self.env, scenario.plant, scenario.mechanisms, self.schedule, streams
            )
            self.env.process(fire_one_offs(self.env, self.schedule, sales.shock_one_off, SHOCK_AT))
            self.plant = sales
            self.sales: SalesPlant | None = sales
        else:
            self.plant = ThermostatPlant(
                self.env, scenario.plant, self.schedule, streams("process-noise")
            )
            self.sales = None
        self.controllers = _controllers(scenario, variant, streams)
        n = scenario.horizon_weeks
        self.rows: dict[str, np.ndarray] = {}
        self.control = {name: np.full(n, np.nan) for name in CONTROL_SERIES}
        self.log: list[Intervention] = []
        self._last_continuous: dict[tuple[str, str], float] = {}
        self.warmup_ledger: dict[str, float] = {}

    def _reviews(self) -> Generator[Any, Any, None]:
        dt = self.variant.policy.review_weeks
        yield self.env.timeout(self.warmup + REVIEW_AT)
        while True:
            self._review(self.env.now, dt)
            yield self.env.timeout(dt)

    def _review(self, now: float, dt: float) -> None:
        continuous: dict[str, float] = {}
        pushes: list[dict[str, float]] = []
        started: list[Intervention] = []
        outputs: list[float] = []
        main = None
        for c in self.controllers:
            sample = self.plant.sample(c.loop.metric)
            if sample is None:
                continue
            imposed = c.imposed if c.imposed is not None else self.plant.target(now)
            review = c.loop.review(now, sample, imposed, dt)
            main = main or (c, review)
            lasting, new = c.playbook.act(now, review.output)
            push = {lever: level * c.share for lever, level in lasting.items()}
            self._log_lasting(now, c.playbook.who, push)
            for lever, level in push.items():
                continuous[lever] = continuous.get(lever, 0.0) + level
            pushes.append(push)
            started.extend(new)
            # On the sales plant the output asks for overtime only as far as the policy says;
            # on the thermostat it is the heater power itself.
            outputs.append(
                review.output
                if self.sales is None
                else self.variant.policy.overtime_share * min(1.0, max(0.0, review.output))
            )
        if main is None:
            return
        started.extend(self._planned(now))
        _controller, review = main
        week = min(int(now), self.scenario.horizon_weeks - 1)
        for name, value in zip(
            CONTROL_SERIES,
            (review.reference, review.perceived, review.error, review.output),
            strict=True,
        ):
            self.control[name][week] = np.nan if value is None else value
        self.log.extend(started)
        self.plant.apply(
            Decision(
                week=now,
                continuous=continuous,
                pushes=pushes if len(self.controllers) > 1 else [],
                started=started,
                pressure=sum(outputs) / len(outputs),
                gap=review.error if review.perceived is not None else None,
                goal_shared=_shares_goal(self.variant),
            )
        )

    def _planned(self, now: float) -> list[Intervention]:
        """Levers pulled on the variant's calendar at this review, whatever the results."""
        return [
            Intervention(now, a.lever, a.intensity, "plan")
            for a in self.variant.levers.schedule
            if a.week <= now < a.week + a.weeks
        ]

    def _log_lasting(self, now: float, who: str, push: dict[str, float]) -> None:
        """Log a lasting lever when whoever sets it moves it noticeably."""
        for lever, level in push.items():
            key = (who, lever)
            if abs(level - self._last_continuous.get(key, 0.0)) >= LOG_CHANGE:
                self.log.append(Intervention(now, lever, level, who))
                self._last_continuous[key] = level

    def _recorder(self) -> Generator[Any, Any, None]:
        n = self.scenario.horizon_weeks
        if self.warmup == 0:
            self._snapshot()  # only the pre-filled pipeline came before week 0
        yield self.env.timeout(BOOK_AT)
        for week in range(-self.warmup, n):
            row = self.plant.close_week(float(week))
            if week < 0:  # warm-up weeks are booked (accumulators reset) but not recorded
                if week == -1:
                    self._snapshot()  # right after the last warm-up week was booked
                yield self.env.timeout(1.0)
                continue
            for name, value in row.items():
                if name not in self.rows:
                    self.rows[name] = np.zeros(n)
                self.rows[name][week] = value
            yield self.env.timeout(1.0)

    def _snapshot(self) -> None:
        """What the warm-up produced, so the recorded weeks reconcile with the ledger."""
        if self.sales is not None:
            ledger = self.sales.ledger
            self.warmup_ledger = {f"warmup_{k}": float(getattr(ledger, k)) for k in WARMUP_COUNTED}

    def run(self) -> Run:
        env = self.env
        self.plant.start()
        env.process(self._reviews())
        env.process(self._recorder())
        horizon = float(self.scenario.horizon_weeks)
        events = 0
        step = env.step
        while env.peek() < horizon:
            step()
            events += 1
        series = dict(self.rows)
        for name, values in self.control.items():
            series[name] = _fill_forward(values)
        ledger = {}
        if self.sales is not None:
            ledger = {
                k: float(getattr(self.sales.ledger, k))
                for k in self.sales.ledger.__dataclass_fields__
            }
            ledger["leads_open"] = float(sum(len(p.inbox) for p in self.sales.team))
            ledger.update(self.warmup_ledger)
            ledger["opportunities_open"] = float(sum(len(p.opportunities) for p in self.sales.team))
        return Run(
            self.scenario.name,
            self.variant.name,
            self.seed,
            self.replication,
            series,
            tuple(self.log),
            events,
            ledger,
        )


def _shares_goal(variant: Variant) -> bool:
    """Whether the variant's goal is shared with the team (a clear common set point)."""
    return variant.reference.shared and not variant.member_metrics


def _fill_forward(values: np.ndarray) -> np.ndarray:
    """Weeks without a review keep the last reviewed value (0 before the first review)."""
    out = values.copy()
    last = 0.0
    for i, v in enumerate(out):
        if np.isnan(v):
            out[i] = last
        else:
            last = v
    return out


def simulate(
    scenario: Scenario, variant: str, seed: int | None = None, replication: int = 0
) -> Run:
    """Run one replication of one variant.

    Parameters
    ----------
    scenario
        A validated scenario.
    variant
        Name of one of its variants.
    seed
        Seed of the random streams (default: the scenario's seed).
    replication
        Replication index; with the same seed, every variant meets the same luck in it.
    """
    chosen = scenario.variant(variant)
    return _Replication(
        scenario, chosen, scenario.seed if seed is None else seed, replication
    ).run()
