"""People dynamics: fatigue, motivation, skill, productivity ramp and attrition risk.

Owns the weekly update rules of one salesperson's state, as small pure functions so that each
mechanism can be read, tested and switched off on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from thermosim.config.sales import PeopleConfig
from thermosim.plant.sales.state import Person

REST_FATIGUE = 0.1  # fatigue of a rested team: attrition is at its base rate here
REST_MOTIVATION = 0.7  # motivation at which attrition is at its base rate
EFFORT_BASE, EFFORT_PER_MOTIVATION = 0.79, 0.3  # discretionary effort: 1.0 at motivation 0.7
RECOVERY_CUTOFF_HOURS = 10.0  # no recovery at this many hours above the sustainable week
FATIGUE_MOTIVATION_LOSS = 0.3  # motivation lost per unit of fatigue above rest (assumed)
ATTRITION_FATIGUE, ATTRITION_DEMOTIVATION = 3.0, 2.0  # log-hazard per unit above rest (assumed)
TRAINING_CAP = 0.15  # most lasting skill one-day trainings can add up to (assumed)


def unit(x: float) -> float:
    """``x`` clipped to [0, 1]: ``min(1.0, max(0.0, x))`` to the bit, without the builtins' cost.

    (The builtins parse their keyword arguments on every call; this runs every person-week.)
    """
    x = x if x > 0.0 else 0.0
    return x if x < 1.0 else 1.0


def approach(value: float, goal: float, tau_weeks: float) -> float:
    """Move ``value`` one week toward ``goal`` with time constant ``tau_weeks`` (exact, stable).

    ``1 - exp(-1/tau)`` instead of ``1/tau`` keeps short time constants from overshooting.
    """
    return goal + (value - goal) * math.exp(-1.0 / tau_weeks)


@dataclass(frozen=True, slots=True)
class Keep:
    """``exp(-1 / tau)`` of each time constant: the share of a gap that one week leaves.

    Worked out once per replication, so the weekly update of each person needs no ``exp``.
    """

    motivation: float
    capability: float
    training: float

    @classmethod
    def of(cls, cfg: PeopleConfig) -> Keep:
        """The factors of ``cfg``'s time constants."""
        return cls(
            math.exp(-1.0 / cfg.motivation_weeks),
            math.exp(-1.0 / cfg.capability_weeks),
            math.exp(-1.0 / cfg.training_weeks),
        )


def ramp(person: Person, week: float, cfg: PeopleConfig) -> float:
    """Productivity of a (new) hire: from ramp_start to 1 over ramp_weeks, linearly."""
    if cfg.ramp_weeks <= 0.0:
        return 1.0
    tenure = week - person.hired_week
    if tenure >= cfg.ramp_weeks:
        return 1.0
    return cfg.ramp_start + (1.0 - cfg.ramp_start) * max(0.0, tenure) / cfg.ramp_weeks


def effectiveness(person: Person, week: float, cfg: PeopleConfig) -> float:
    """Output per selling hour relative to a rested, motivated, fully ramped person."""
    # Discretionary effort follows motivation (1.0 at the rest level 0.7).
    effort = EFFORT_BASE + EFFORT_PER_MOTIVATION * person.motivation
    tired = 1.0 - cfg.fatigue_effectiveness_loss * person.fatigue
    return ramp(person, week, cfg) * effort * tired


def update_fatigue(
    fatigue: float, hours_worked: float, interruptions: float, sustainable: float, cfg: PeopleConfig
) -> float:
    """Fatigue rises with overload and interruptions, and recovers at a sustainable load."""
    return next_fatigue(fatigue, *fatigue_drivers(hours_worked, interruptions, sustainable, cfg))


def fatigue_drivers(
    hours_worked: float, interruptions: float, sustainable: float, cfg: PeopleConfig
) -> tuple[float, float]:
    """The rise and recovery of fatigue in a week (the same for everyone working these hours)."""
    # ``max`` and ``min`` of two numbers written out (the same, to the bit): this runs weekly.
    overload = hours_worked - sustainable
    overload = overload if overload > 0.0 else 0.0
    rise = cfg.fatigue_per_overtime_hour * overload + cfg.fatigue_per_interruption * interruptions
    # Recovery needs slack: none at 10 hours over the sustainable level.
    slack = 1.0 - overload / RECOVERY_CUTOFF_HOURS
    slack = slack if slack > 0.0 else 0.0
    recovery = slack * (1.0 - math.exp(-1.0 / cfg.fatigue_recovery_weeks))
    return (rise if rise < 1.0 else 1.0), recovery


def next_fatigue(fatigue: float, rise: float, recovery: float) -> float:
    """One person's fatigue after a week with these drivers (``fatigue_drivers``)."""
    fatigue += (1.0 - fatigue) * rise - fatigue * recovery
    return unit(fatigue)


def update_motivation(
    motivation: float,
    fatigue: float,
    miss_share: float,
    changes: float,
    progress_on_shared_goal: bool,
    cfg: PeopleConfig,
) -> float:
    """Motivation moves toward a level set by progress, misses, changes of direction, fatigue.

    Parameters
    ----------
    miss_share
        Share of recent reviews declared a miss (0..1).
    changes
        Changes of direction the team met this week (fixes started, shared levers moved).
    progress_on_shared_goal
        True when the team shares its goal and sees itself on or moving toward it.
    """
    level = team_motivation_level(miss_share, changes, progress_on_shared_goal, cfg)
    return next_motivation(motivation, fatigue, level, math.exp(-1.0 / cfg.motivation_weeks))


def team_motivation_level(
    miss_share: float, changes: float, progress_on_shared_goal: bool, cfg: PeopleConfig
) -> float:
    """What the team's progress, misses and changes of direction make motivation move toward."""
    level = cfg.motivation_start
    if progress_on_shared_goal:
        level += cfg.clarity_motivation
    level -= cfg.miss_motivation * miss_share
    level -= cfg.change_motivation * changes
    return level


def next_motivation(motivation: float, fatigue: float, team_level: float, keep: float) -> float:
    """One person's motivation after a week: toward the team's level, lowered by their fatigue.

    ``keep`` is ``exp(-1 / motivation_weeks)`` (``Keep``).
    """
    tired = fatigue - REST_FATIGUE
    level = unit(team_level - FATIGUE_MOTIVATION_LOSS * (tired if tired > 0.0 else 0.0))
    return unit(level + (motivation - level) * keep)


def update_skill(
    person: Person,
    coaching_level: float,
    improvement_level: float,
    training: float,
    fading: bool,
    cfg: PeopleConfig,
) -> None:
    """Move lasting capability toward its target; add and fade training bumps.

    Parameters
    ----------
    coaching_level
        Coaching hours this week relative to the standard 10% of contracted hours.
    improvement_level
        Improvement hours relative to the reserved share (1 = as reserved, 0 = cut).
    training
        Intensity of a training day this week (0 = none).
    fading
        Whether the bump fades to its floor (the ``fading_fixes`` mechanism).
    """
    target = capability_target(coaching_level, improvement_level, cfg)
    grow_skill(person, target, training, fading, Keep.of(cfg), cfg)


def capability_target(coaching_level: float, improvement_level: float, cfg: PeopleConfig) -> float:
    """The capability this week's coaching and improvement time build toward."""
    # ``max`` and ``min`` of two numbers written out (the same, to the bit): this runs weekly.
    coaching = coaching_level if coaching_level < 1.5 else 1.5
    improvement = improvement_level if improvement_level < 1.5 else 1.5
    target = (
        cfg.skill_start + cfg.coaching_gain * coaching + cfg.improvement_gain * (improvement - 1.0)
    )
    # Cutting improvement erodes skill, but never below a tenth of where the team started.
    floor = 0.1 * cfg.skill_start
    return target if target > floor else floor


def grow_skill(
    person: Person, target: float, training: float, fading: bool, keep: Keep, cfg: PeopleConfig
) -> None:
    """One person's week of ``update_skill``, toward ``capability_target``."""
    person.capability = target + (person.capability - target) * keep.capability
    if fading:
        # retention = floor + (1 - floor) * exp(-t / tau): earlier bumps fade by one more week
        # before this week's training (if any) adds a fresh one, used from next week on.
        person.training_bump *= keep.training
    if training > 0.0:
        grow_skill_by_training(person, training, fading, cfg)


def grow_skill_by_training(
    person: Person, training: float, fading: bool, cfg: PeopleConfig
) -> None:
    """A training day of intensity ``training``: a lasting part and (fading) a bump."""
    bump = cfg.training_bump * training
    lasting = bump if not fading else bump * cfg.training_floor
    # Diminishing returns: one-day trainings can only teach so much (TRAINING_CAP in all).
    room = max(0.0, 1.0 - person.trained / TRAINING_CAP)
    person.trained += lasting * room
    person.training_bump += bump - lasting


@dataclass(slots=True)  # not frozen: made every week, and frozen ones are slow to make
class PeopleWeek:
    """What drives everyone's week alike: the plan's fatigue drivers, capability and training.

    Worked out once per moment (``work.share_week``) for ``live_week``.
    """

    fatigue_rise: float  # ``fatigue_drivers``
    fatigue_recovery: float
    capability_target: float  # ``capability_target``
    training: float  # intensity of this week's training day (0 = none)
    tiring: bool  # the fatigue mechanism is on
    fading: bool  # the fading-fixes mechanism is on
    attrition_base: float  # chance of leaving in a week at rest: ``attrition_per_year / 52``


def live_week(
    person: Person, drivers: PeopleWeek, team_level: float, keep: Keep, cfg: PeopleConfig
) -> float:
    """One person's week of the rules above; returns their chance of leaving now.

    ``next_fatigue`` (when tiring), ``next_motivation`` toward ``team_level``, ``grow_skill``
    and ``attrition_hazard``, in that order and to the bit, written out in one function: it
    runs for every person every week, and the calls cost more than the arithmetic.
    """
    fatigue = person.fatigue
    if drivers.tiring:
        fatigue += (1.0 - fatigue) * drivers.fatigue_rise - fatigue * drivers.fatigue_recovery
        fatigue = fatigue if fatigue > 0.0 else 0.0
        fatigue = fatigue if fatigue < 1.0 else 1.0
        person.fatigue = fatigue
    tired = fatigue - REST_FATIGUE
    level = team_level - FATIGUE_MOTIVATION_LOSS * (tired if tired > 0.0 else 0.0)
    level = level if level > 0.0 else 0.0
    level = level if level < 1.0 else 1.0
    motivation = level + (person.motivation - level) * keep.motivation
    motivation = motivation if motivation > 0.0 else 0.0
    motivation = motivation if motivation < 1.0 else 1.0
    person.motivation = motivation
    target = drivers.capability_target
    person.capability = target + (person.capability - target) * keep.capability
    if drivers.fading:
        person.training_bump *= keep.training
    if drivers.training > 0.0:
        grow_skill_by_training(person, drivers.training, drivers.fading, cfg)
    low = REST_MOTIVATION - motivation
    stress = ATTRITION_FATIGUE * (tired if tired > 0.0 else 0.0)
    stress += ATTRITION_DEMOTIVATION * (low if low > 0.0 else 0.0)
    hazard = drivers.attrition_base * math.exp(stress)
    return hazard if hazard < 1.0 else 1.0


def attrition_hazard(person: Person, cfg: PeopleConfig) -> float:
    """Weekly chance of leaving: the base rate, raised by fatigue and low motivation."""
    base = cfg.attrition_per_year / 52.0
    tired = person.fatigue - REST_FATIGUE
    low = REST_MOTIVATION - person.motivation
    stress = ATTRITION_FATIGUE * (tired if tired > 0.0 else 0.0)
    stress += ATTRITION_DEMOTIVATION * (low if low > 0.0 else 0.0)
    hazard = base * math.exp(stress)
    return hazard if hazard < 1.0 else 1.0
