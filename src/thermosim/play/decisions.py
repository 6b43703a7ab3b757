"""A participant's decisions for one round, and the course they leave standing.

Owns what a manager may do at a review in ``thermosim play`` and how it is checked: start quick
fixes (the symptomatic levers) at an intensity, set lasting levers (the fundamental ones) to a
level that stays until changed, ask for overtime (a standing request, like pressure), or hold
course (change nothing). Anything else is refused with a ``DecisionError`` before it touches a
game, so a bad request changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from thermosim.control.levers import FUNDAMENTAL, SYMPTOMATIC
from thermosim.errors import ThermosimError

# The keys a decision may have (JSON, and the database's copy of every decision).
KEYS = frozenset({"round", "hold", "quick_fixes", "lasting", "overtime"})


class DecisionError(ThermosimError, ValueError):
    """A decision that cannot be taken as sent (unknown lever, intensity out of range, ...)."""

    bad_input = True


@dataclass(frozen=True)
class Decisions:
    """What a participant decides at the start of a round.

    Attributes
    ----------
    quick_fixes
        Symptomatic lever -> intensity in (0, 1]: started now, running for the lever's own
        duration (a training day: the week; a call blitz: two weeks).
    lasting
        Fundamental lever -> level in [0, 1], held until changed (levers not named keep theirs).
    overtime
        Share of the plant's maximum overtime asked for, in [0, 1], held until changed; None
        keeps the current request.
    """

    quick_fixes: Mapping[str, float] = field(default_factory=dict)
    lasting: Mapping[str, float] = field(default_factory=dict)
    overtime: float | None = None

    @property
    def holds_course(self) -> bool:
        """Whether nothing changes: no quick fix, no lasting lever, no overtime named."""
        return not self.quick_fixes and not self.lasting and self.overtime is None

    def to_json(self) -> dict[str, Any]:
        """The decisions as plain JSON values (the database's copy)."""
        if self.holds_course:
            return {"hold": True}
        data: dict[str, Any] = {}
        if self.quick_fixes:
            data["quick_fixes"] = dict(self.quick_fixes)
        if self.lasting:
            data["lasting"] = dict(self.lasting)
        if self.overtime is not None:
            data["overtime"] = self.overtime
        return data


HOLD = Decisions()


@dataclass(frozen=True)
class Course:
    """The standing settings a manager has chosen so far (what "hold course" keeps)."""

    lasting: Mapping[str, float] = field(default_factory=dict)
    overtime: float = 0.0

    def after(self, decisions: Decisions) -> Course:
        """The course once ``decisions`` are taken."""
        lasting = {**self.lasting, **decisions.lasting}
        overtime = self.overtime if decisions.overtime is None else decisions.overtime
        return Course(lasting, overtime)


def _number(value: Any, what: str, low: float, high: float, *, low_open: bool = False) -> float:
    # bool is an int in Python: true/false is not an intensity.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DecisionError(f"{what} must be a number from {low:g} to {high:g}, got {value!r}")
    number = float(value)
    too_low = number <= low if low_open else number < low
    if not math.isfinite(number) or too_low or number > high:
        bound = f"above {low:g}" if low_open else f"from {low:g}"
        raise DecisionError(f"{what} must be {bound} to {high:g}, got {value!r}")
    return number


def _levers(value: Any, known: tuple[str, ...], what: str, low_open: bool) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise DecisionError(f"{what} must map lever names to intensities, got {value!r}")
    levers: dict[str, float] = {}
    for name, level in value.items():
        if name not in known:
            raise DecisionError(f"'{name}' is not one of the {what}; they are: {', '.join(known)}")
        levers[name] = _number(level, f"{what} '{name}'", 0.0, 1.0, low_open=low_open)
    return levers


def parse_decisions(data: Any) -> tuple[int, Decisions]:
    """Check a decision as sent (JSON-like) and return its round and the decisions.

    ``{"round": 3, "hold": true}`` holds course; otherwise any of ``quick_fixes`` (symptomatic
    lever -> intensity in (0, 1]), ``lasting`` (fundamental lever -> level in [0, 1]) and
    ``overtime`` (0 to 1). Raises ``DecisionError`` naming the first problem.
    """
    if not isinstance(data, Mapping):
        raise DecisionError("a decision must be an object with a round and what to do")
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise DecisionError(
            f"unknown field(s) {', '.join(unknown)}; a decision has {', '.join(sorted(KEYS))}"
        )
    round_ = data.get("round")
    if isinstance(round_, bool) or not isinstance(round_, int) or round_ < 0:
        raise DecisionError(f"round must be a whole number from 0, got {round_!r}")
    hold = data.get("hold", False)
    if not isinstance(hold, bool):
        raise DecisionError(f"hold must be true or false, got {hold!r}")
    fixes = _levers(data.get("quick_fixes", {}), SYMPTOMATIC, "quick fixes", True)
    lasting = _levers(data.get("lasting", {}), FUNDAMENTAL, "lasting levers", False)
    overtime_value = data.get("overtime")
    overtime = None if overtime_value is None else _number(overtime_value, "overtime", 0.0, 1.0)
    decisions = Decisions(fixes, lasting, overtime)
    if hold and not decisions.holds_course:
        raise DecisionError("hold course means changing nothing; send either hold or levers")
    return round_, decisions


def decisions_from_json(data: Mapping[str, Any]) -> Decisions:
    """Decisions from their stored JSON copy (``Decisions.to_json``), checked again."""
    return parse_decisions({**data, "round": 0})[1]
