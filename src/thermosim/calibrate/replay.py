"""The reaction rule that fits a team's actions: its weeks replayed through the control core.

Owns the search for ``Rule``: every candidate (report delay, report window, gain, dead band,
integral time, control limit, in the playbook's mode) reads the team's own weekly revenue
through the very ``Loop`` and ``Playbook`` the simulation uses, week by week as a review would,
and says in which weeks it would have acted; the candidate that disagrees with the actions
column in the fewest weeks wins (ties, which the data cannot break: the one closest to the preset
of its kind). A reflex acts when the gap is beyond
``deadband + threshold / gain``: which weeks it acts in fixes only that trigger, not how it
splits into gain and dead band, so a reflex keeps the reactive preset's gain unless a smaller
trigger needs more.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from thermosim.config.presets import PRESETS
from thermosim.control import Loop, Perception, Playbook, Policy, Reference
from thermosim.engine import LOG_CHANGE

Mode = Literal["episodic", "continuous"]
_REFLEX = PRESETS["reactive"]
_STEER = PRESETS["steered"]
REFLEX_GAIN: float = _REFLEX["policy"]["gain"]
REFLEX_THRESHOLD: float = _REFLEX["levers"]["threshold"]
STEER_BASE: float = _STEER["levers"]["base"]

DELAYS = (0, 1, 2)
WINDOWS = (1, 2, 3, 4, 6, 8, 13)
# Shortfalls (relative to the target) at which a reflex acts.
TRIGGERS = (0.0125, 0.025, 0.05, 0.075, 0.10, 0.15, 0.20, 0.30)
STEER_WINDOWS = (1, 2, 4, 8, 13)
STEER_GAINS = (1.0, 2.0, 4.0)
STEER_INTEGRALS: tuple[float | None, ...] = (None, 8.0, 16.0)
STEER_BANDS = (0.0, 0.02)
STEER_LIMITS: tuple[float | None, ...] = (None, 1.0)
FIRST_SCORED = 4  # from this week on every candidate has had a report (delay 2 at most)


@dataclass(frozen=True)
class Rule:
    """A reaction rule of the control core, in the terms of a scenario variant."""

    mode: Mode
    delay_weeks: int
    window_weeks: int
    gain: float
    deadband: float
    integral_time_weeks: float | None = None
    control_limit_sigma: float | None = None
    repertoire: tuple[str, ...] = ()
    mismatches: int = 0
    scored_weeks: int = 0
    hits: int = 0  # weeks with an action the rule also acts in
    action_weeks: int = 0
    quiet_hits: int = 0  # weeks without an action the rule also leaves alone

    @property
    def trigger(self) -> float:
        """For a reflex: the shortfall (fraction of the target) beyond which it acts."""
        return self.deadband + REFLEX_THRESHOLD / self.gain if self.gain > 0 else float("inf")

    def variant(self, name: str) -> dict[str, Any]:
        """The scenario variant that plays this rule (on the matching preset)."""
        preset = "reactive" if self.mode == "episodic" else "steered"
        policy: dict[str, Any] = {"gain": self.gain, "deadband": self.deadband}
        if self.mode == "continuous":
            policy["integral_time_weeks"] = self.integral_time_weeks
            policy["control_limit_sigma"] = self.control_limit_sigma
        variant: dict[str, Any] = {
            "name": name,
            "preset": preset,
            "perception": {"delay_weeks": self.delay_weeks, "window_weeks": self.window_weeks},
            "policy": policy,
        }
        if self.repertoire:
            variant["levers"] = {"repertoire": list(self.repertoire)}
        return variant


def reflex_gain_band(trigger: float) -> tuple[float, float]:
    """Gain and dead band of a reflex acting beyond ``trigger``: the preset's gain if it can."""
    if trigger >= REFLEX_THRESHOLD / REFLEX_GAIN:
        return REFLEX_GAIN, trigger - REFLEX_THRESHOLD / REFLEX_GAIN
    return REFLEX_THRESHOLD / trigger, 0.0


def predicted_actions(
    revenue: np.ndarray, target: np.ndarray, rule: Rule, repertoire: Sequence[str]
) -> np.ndarray:
    """Weeks (bool per week) in which ``rule`` acts, reviewing each week as the engine does.

    The review of week t sees revenue up to week t-1 (booked at the end of that week), as the
    simulation's review at the start of week t does; a week missing from the file gives no
    report (the review then reads the last one it had).
    """
    levers = tuple(repertoire) or (("call_blitz",) if rule.mode == "episodic" else ("coaching",))
    perception = Perception(delay_steps=rule.delay_weeks, window_steps=rule.window_weeks)
    policy = Policy(
        gain=rule.gain,
        integral_time_weeks=rule.integral_time_weeks,
        deadband=rule.deadband,
        control_limit_sigma=rule.control_limit_sigma,
    )
    loop = Loop("revenue", Reference("fixed"), perception, policy)
    base = STEER_BASE if rule.mode == "continuous" else 0.0
    playbook = Playbook(levers, rule.mode, REFLEX_THRESHOLD, base)
    acts = np.zeros(len(revenue), dtype=bool)
    last_level = 0.0
    sample = float("nan")
    for t in range(1, len(revenue)):
        if np.isfinite(revenue[t - 1]):
            sample = float(revenue[t - 1])
        if not np.isfinite(sample):
            continue
        review = loop.review(float(t), sample, float(target[t]), 1.0)
        lasting, started = playbook.act(float(t), review.output)
        if rule.mode == "episodic":
            acts[t] = bool(started)
        else:
            level = next(iter(lasting.values()), 0.0)
            if abs(level - last_level) >= LOG_CHANGE:  # as the engine logs a lasting lever
                acts[t] = True
                last_level = level
    return acts


def _errors(revenue: np.ndarray, target: np.ndarray, delay: int, window: int) -> list[float | None]:
    """Each review's relative error, as a ``Loop`` with a fixed reference computes it.

    None where there is no report yet. One perception's errors serve every policy tried on it.
    """
    perception = Perception(delay_steps=delay, window_steps=window)
    errors: list[float | None] = [None]
    sample = float("nan")
    for t in range(1, len(revenue)):
        if np.isfinite(revenue[t - 1]):
            sample = float(revenue[t - 1])
        if not np.isfinite(sample):
            errors.append(None)
            continue
        perceived = perception.observe(sample)
        ref = float(target[t])
        errors.append(None if perceived is None else (ref - perceived) / abs(ref))
    return errors


def _acts(errors: list[float | None], rule: Rule) -> np.ndarray:
    """Weeks ``rule``'s policy acts in, given its perception's errors (see `predicted_actions`)."""
    policy = Policy(
        gain=rule.gain,
        integral_time_weeks=rule.integral_time_weeks,
        deadband=rule.deadband,
        control_limit_sigma=rule.control_limit_sigma,
    )
    acts = np.zeros(len(errors), dtype=bool)
    last_level = 0.0
    episodic = rule.mode == "episodic"
    for t in range(1, len(errors)):
        error = errors[t]
        output = policy.update(0.0 if error is None else error, 1.0)
        if episodic:
            acts[t] = output > REFLEX_THRESHOLD
        elif abs(STEER_BASE + output - last_level) >= LOG_CHANGE:
            acts[t] = True
            last_level = STEER_BASE + output
    return acts


def _score(rule: Rule, predicted: np.ndarray, observed: np.ndarray, scored: np.ndarray) -> Rule:
    p, o = predicted[scored], observed[scored]
    return Rule(
        **{
            **rule.__dict__,
            "mismatches": int(np.sum(p != o)),
            "scored_weeks": int(scored.sum()),
            "hits": int(np.sum(p & o)),
            "action_weeks": int(o.sum()),
            "quiet_hits": int(np.sum(~p & ~o)),
        }
    )


def _distance(rule: Rule) -> float:
    """How far a rule is from the preset of its kind (for ties the data cannot break)."""
    preset = _REFLEX if rule.mode == "episodic" else _STEER
    perception, policy = preset["perception"], preset["policy"]
    integral = policy.get("integral_time_weeks") or 0.0
    limit = policy.get("control_limit_sigma") or 0.0
    return float(
        abs(rule.window_weeks - perception["window_weeks"]) / 4
        + abs(rule.delay_weeks - perception["delay_weeks"])
        + abs(rule.trigger - (policy["deadband"] + REFLEX_THRESHOLD / policy["gain"]))
        * 20
        * (rule.mode == "episodic")
        + (
            abs(rule.gain - policy["gain"])
            + abs((rule.integral_time_weeks or 0.0) - integral) / 4
            + abs((rule.control_limit_sigma or 0.0) - limit)
            + abs(rule.deadband - policy["deadband"]) * 20
        )
        * (rule.mode == "continuous")
    )


def candidates(mode: Mode, repertoire: Sequence[str]) -> list[Rule]:
    """Every candidate rule of ``mode``, simplest first (ties keep the first)."""
    levers = tuple(repertoire)
    found: list[Rule] = []
    if mode == "episodic":
        for delay, window, trigger in itertools.product(DELAYS, WINDOWS, TRIGGERS):
            gain, band = reflex_gain_band(trigger)
            found.append(Rule("episodic", delay, window, gain, band, repertoire=levers))
        return found
    grid = itertools.product(
        STEER_LIMITS, STEER_INTEGRALS, STEER_BANDS, STEER_GAINS, DELAYS, STEER_WINDOWS
    )
    for limit, integral, band, gain, delay, window in grid:
        found.append(
            Rule("continuous", delay, window, gain, band, integral, limit, repertoire=levers)
        )
    return found


def fit_rule(
    revenue: np.ndarray,
    target: np.ndarray,
    observed: np.ndarray,
    present: np.ndarray,
    modes: Sequence[Mode],
    repertoire: Sequence[str],
) -> Rule:
    """The candidate rule of ``modes`` whose acting weeks agree best with ``observed``.

    Parameters
    ----------
    revenue, target
        The team's weekly revenue and target (NaN revenue for a missing week).
    observed
        Whether management acted, per week.
    present
        Weeks the file has (only they are scored).
    modes
        Playbook modes to try (both when the actions name no lever).
    repertoire
        The levers the actions name, in order of first use.
    """
    scored = present.copy()
    scored[:FIRST_SCORED] = False
    found: list[Rule] = []
    for mode in modes:
        errors = {
            (d, w): _errors(revenue, target, d, w)
            for d in DELAYS
            for w in (WINDOWS if mode == "episodic" else STEER_WINDOWS)
        }
        for rule in candidates(mode, repertoire):
            predicted = _acts(errors[(rule.delay_weeks, rule.window_weeks)], rule)
            found.append(_score(rule, predicted, observed, scored))
    fewest = min(rule.mismatches for rule in found)
    # Rules that act in exactly the same weeks cannot be told apart by the data: take the one
    # closest to the preset of its kind (a reflex triggers at 5% short unless the weeks say
    # otherwise).
    return min((r for r in found if r.mismatches == fewest), key=_distance)
