"""One replication: builds the SimPy environment, wires loops, plant and shocks, records series.

Owns the only ``simpy.Environment`` and the random streams of a replication. Reviews run every
``policy.review_weeks`` (just after the week turns), the plant works, and the week is booked just
before it ends; the recorded series are one row per week. It knows a plant only through its
``PlantSpec`` (``plant/registry.py``) and the ``Plant`` protocol.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import simpy

from thermosim.config.scenario import Scenario, Variant
from thermosim.control import Intervention, Loop, Perception, Playbook, Policy, Reference
from thermosim.control.loop import Review
from thermosim.plant.base import BOOK_AT, REVIEW_AT, Decision, Plant, PlantSpec
from thermosim.plant.registry import plant_spec
from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Stream, named_stream

CONTROL_SERIES = ("reference", "perceived", "error", "output")
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
        The plant's conservation counters (``PlantSpec.ledger``; empty for the thermostat).
    """

    scenario: str
    variant: str
    seed: int
    replication: int
    series: dict[str, np.ndarray]
    interventions: tuple[Intervention, ...]
    events: int
    ledger: dict[str, float] = field(default_factory=dict)


@dataclass
class _Controller:
    loop: Loop
    playbook: Playbook
    share: float  # share of the team steering with this loop
    imposed: float | None  # the loop's own fixed reference (plant units); None = the plant's target


@dataclass(frozen=True)
class _LoopSpec:
    """What sets one loop apart: its metric, where its reference sits, its gain and its name."""

    metric: str
    level: float  # multiple of the imposed reference
    imposed: float | None  # a fixed reference in plant units; None = the plant's target
    gain: float
    who: str  # ``team``, or the member's label in the interventions log


def _loop_specs(spec: PlantSpec[Any, Any], scenario: Scenario, variant: Variant) -> list[_LoopSpec]:
    """One spec for the team's loop, or one per member loop (each with its own reference).

    The team's loop reads the plant's first metric unless told otherwise, and aims at the
    plant's fixed reference on it (a ratio), or at the target. A member's reference on one of
    the plant's ``relative_metrics`` (revenue) is a multiple of the imposed target, so a new
    target moves it; on any other metric (a ratio, a temperature) it is the member's own value.
    """
    if not variant.members:
        metric = variant.perception.metric or spec.metrics[0]
        fixed = spec.reference_for(scenario.plant, metric)
        return [_LoopSpec(metric, variant.reference.level, fixed, variant.policy.gain, "team")]
    metrics = [m.metric for m in variant.members]
    specs = []
    for i, member in enumerate(variant.members):
        # Members sharing a metric are told apart in the log by their number on it.
        nth = metrics[: i + 1].count(member.metric)
        who = member.metric if metrics.count(member.metric) == 1 else f"{member.metric}-{nth}"
        gain = variant.policy.gain if member.gain is None else member.gain
        if member.metric in spec.relative_metrics:
            specs.append(_LoopSpec(member.metric, member.reference, None, gain, who))
        else:
            specs.append(_LoopSpec(member.metric, 1.0, member.reference, gain, who))
    return specs


def _controllers(
    plant_type: PlantSpec[Any, Any], scenario: Scenario, variant: Variant, streams: Any
) -> list[_Controller]:
    """Build one loop for the team, or one per member loop (fragmented steering).

    The loops' error is relative to their reference, or divided by the plant's error scale
    (the thermostat's heater range, so that ``gain`` is the loop gain).
    """
    plant = scenario.plant
    scale = plant_type.error_scale(plant)  # None: relative
    r, pol, ref = variant.perception, variant.policy, variant.reference
    dt = pol.review_weeks
    specs = _loop_specs(plant_type, scenario, variant)
    result = []
    for spec in specs:
        # Reporting noise is relative to the error scale: the reference, or the heater range.
        # With the noise mechanism off, reports are exact too.
        if not scenario.mechanisms.noise:
            noise = 0.0
        else:
            noise = plant_type.noise_sd(plant, r.noise, spec.level, spec.imposed)
        # Each member's reports carry their own noise; the team's (and a member alone on a
        # metric) keep the stream named after the metric.
        stream = spec.metric if spec.who in ("team", spec.metric) else spec.who
        perception = Perception(
            delay_steps=round(r.delay_weeks / dt),
            window_steps=max(1, round(r.window_weeks / dt)),
            noise_sd=noise,
            rng=streams(f"perception-{stream}").rng if noise > 0 else None,
        )
        policy = Policy(
            gain=spec.gain,
            integral_time_weeks=pol.integral_time_weeks,
            deadband=pol.deadband,
            control_limit_sigma=pol.control_limit_sigma,
            output_min=pol.output_min,
        )
        reference = Reference(
            ref.kind, spec.level, ref.raise_to, ref.raise_week, ref.ramp_weeks, ref.tau_goal_weeks
        )
        playbook = Playbook(
            variant.levers.repertoire,
            variant.levers.mode,
            variant.levers.threshold,
            variant.levers.base,
            spec.metric,
            spec.who,
        )
        loop = Loop(spec.metric, reference, perception, policy, scale=scale)
        result.append(_Controller(loop, playbook, 1.0 / len(specs), spec.imposed))
    return result


# (weeks done, weeks in all) of one replication, warm-up included.
WeekCallback = Callable[[int, int], None]
# Someone other than the variant's policy decides at each review (a workshop participant,
# ``thermosim.play``): given what the team's report shows, what the policy would have done and
# a look at the week just booked (the plant's ``sample``), it returns the decision the plant
# takes. The random streams are the variant's either way, so the luck stays common.
DecisionSource = Callable[[Review, Decision, Callable[[str], float | None]], Decision]


class _Replication:
    """The wiring of one replication; ``run`` returns the Run."""

    def __init__(
        self,
        scenario: Scenario,
        variant: Variant,
        seed: int,
        replication: int,
        on_week: WeekCallback | None = None,
        decide: DecisionSource | None = None,
    ) -> None:
        self.scenario = scenario
        self.on_week = on_week
        self.decide = decide
        self.variant = variant
        self.seed = seed
        self.replication = replication
        self.spec = spec = plant_spec(scenario.plant.kind)
        # Week 0 is where recording starts; a plant with a warm-up runs it at negative times.
        self.warmup = spec.warmup_weeks(scenario.plant)
        self.env = simpy.Environment(initial_time=-float(self.warmup))
        noisy = scenario.mechanisms.noise

        def streams(name: str) -> Stream:
            return named_stream(seed, replication, name, noisy)

        self.schedule = ShockSchedule(scenario.shocks)
        self.plant: Plant = spec.build(
            self.env, scenario.plant, scenario.mechanisms, self.schedule, streams
        )
        self.controllers = _controllers(spec, scenario, variant, streams)
        n = scenario.horizon_weeks
        self.rows: list[dict[str, float]] = []  # the recorded weeks' rows so far
        # The main loop's review, week by week (NaN: no review that week); lists while running,
        # since setting one item of a list is quicker than of an array.
        self.control: dict[str, list[float]] = {name: [math.nan] * n for name in CONTROL_SERIES}
        self._goal_shared = _shares_goal(variant)
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
        outputs: list[float] = []  # each loop's output, for the plant's pressure
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
            outputs.append(review.output)
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
            self.control[name][week] = math.nan if value is None else value
        decision = Decision(
            week=now,
            continuous=continuous,
            pushes=pushes if len(self.controllers) > 1 else [],
            started=started,
            pressure=self.spec.pressure(outputs, self.variant.policy),
            gap=review.error if review.perceived is not None else None,
            goal_shared=self._goal_shared,
        )
        if self.decide is not None:
            decision = self.decide(review, decision, self.plant.sample)
            self._log_lasting(now, "team", decision.continuous)
        self.log.extend(decision.started)
        self.plant.apply(decision)

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
        # Each week's row is kept as the plant returns it (a fresh dict every week).
        n = self.scenario.horizon_weeks
        if self.warmup == 0:
            self._snapshot()  # only the pre-filled pipeline came before week 0
        yield self.env.timeout(BOOK_AT)
        on_week = self.on_week
        for week in range(-self.warmup, n):
            row = self.plant.close_week(float(week))
            if on_week is not None:
                on_week(week + self.warmup + 1, n + self.warmup)
            if week < 0:  # warm-up weeks are booked (accumulators reset) but not recorded
                if week == -1:
                    self._snapshot()  # right after the last warm-up week was booked
                yield self.env.timeout(1.0)
                continue
            self.rows.append(row)  # week by week, from week 0 (turned into series at the end)
            yield self.env.timeout(1.0)

    def _snapshot(self) -> None:
        """What the warm-up produced, so the recorded weeks reconcile with the ledger."""
        self.warmup_ledger = self.spec.warmup_ledger(self.plant)

    def run(self) -> Run:
        env = self.env
        self.plant.start()
        env.process(self._reviews())
        env.process(self._recorder())
        horizon = float(self.scenario.horizon_weeks)
        # The end of the run is on the calendar (and never processed), so a process that looks
        # ahead to the next event (``env.peek``) never acts past it.
        env.timeout(horizon - env.now)
        events = 0
        step = env.step
        while env.peek() < horizon:
            step()
            events += 1
        series = _series(self.rows, self.scenario.horizon_weeks)
        for name, values in self.control.items():
            series[name] = _fill_forward(np.array(values))
        ledger = self.spec.ledger(self.plant)
        ledger.update(self.warmup_ledger)
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


def _series(rows: list[dict[str, float]], n: int) -> dict[str, np.ndarray]:
    """The recorded rows as one array of ``n`` weeks per name, in order of first appearance.

    A name missing from a row (or a week without a row) is 0 that week.
    """
    names = list(dict.fromkeys(chain.from_iterable(rows)))
    series = {}
    if len(names) > 1 and all(len(row) == len(names) for row in rows):
        # Every row has every name (the usual case): one table, each row read in C.
        get = itemgetter(*names)
        table = np.array([get(row) for row in rows], dtype=float)
        for i, name in enumerate(names):
            series[name] = values = np.zeros(n)  # its own array, whatever is kept of the rest
            values[: len(rows)] = table[:, i]
        return series
    for name in names:
        series[name] = values = np.zeros(n)
        values[: len(rows)] = [row.get(name, 0.0) for row in rows]
    return series


def _shares_goal(variant: Variant) -> bool:
    """Whether the variant's goal is shared with the team (a clear common set point)."""
    return variant.reference.shared and not variant.members


def _fill_forward(values: np.ndarray) -> np.ndarray:
    """Weeks without a review keep the last reviewed value (0 before the first review)."""
    reviewed = ~np.isnan(values)
    # For each week, the index of the last reviewed week up to it (-1: none yet).
    last = np.maximum.accumulate(np.where(reviewed, np.arange(len(values)), -1))
    return np.where(last >= 0, values[np.maximum(last, 0)], 0.0)


def simulate(
    scenario: Scenario,
    variant: str,
    seed: int | None = None,
    replication: int = 0,
    on_week: WeekCallback | None = None,
    decide: DecisionSource | None = None,
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
    on_week
        Called with (weeks done, weeks in all) as each week is booked, warm-up included, so
        progress moves within a long replication (a team of thousands). It only observes.
    decide
        Consulted at every review instead of the variant's policy (``DecisionSource``); the
        variant's loop still perceives, so the report it is given is the variant's own.
    """
    chosen = scenario.variant(variant)
    seed = scenario.seed if seed is None else seed
    return _Replication(scenario, chosen, seed, replication, on_week, decide).run()
