"""Numbers as a slide shows them: the shared number formats and the matching tick formatters.

Owns the matplotlib tick formatters (one decimal count per axis, the language's separators,
euros in millions once an axis reaches a million). The number formats themselves (``number``,
``percent``, ``euros``, ``hours``, ``degrees``, ``duration``) live in ``thermosim.numbers``,
which has no matplotlib, and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.ticker import Formatter

from thermosim.numbers import (
    LANGS,
    MINUS,
    check_lang,
    degrees,
    duration,
    euros,
    hours,
    millions,
    number,
    percent,
    points,
)

__all__ = [
    "LANGS",
    "MINUS",
    "DegreeFormatter",
    "EuroFormatter",
    "NumberFormatter",
    "PercentFormatter",
    "check_lang",
    "degrees",
    "duration",
    "euros",
    "hours",
    "millions",
    "number",
    "percent",
    "points",
]


def _decimals_for(locs: Sequence[float], scale: float, most: int = 2) -> int:
    """Fewest decimals that write every tick location (divided by ``scale``) exactly."""
    for digits in range(most + 1):
        if all(abs(round(x / scale, digits) - x / scale) < 1e-9 * max(1.0, abs(x)) for x in locs):
            return digits
    return most


class _SlideFormatter(Formatter):
    """Base of the tick formatters: one decimal count for the whole axis."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Remember every tick of the axis (matplotlib calls this before formatting)."""
        self.ticks = [float(v) for v in locs]

    def _digits(self, scale: float) -> int:
        return _decimals_for(self.ticks, scale)


class NumberFormatter(_SlideFormatter):
    """Plain numbers with the language's separators."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``."""
        return number(x, self.lang, self._digits(1.0))


class PercentFormatter(_SlideFormatter):
    """Fractions as percentages (0.97 -> ``97%``)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``."""
        return number(100 * x, self.lang, _decimals_for([100 * v for v in self.ticks], 1)) + "%"


class EuroFormatter(_SlideFormatter):
    """Euro amounts; the whole axis in millions once any tick reaches a million."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``."""
        locs = self.ticks or [x]
        if x == 0:
            return "€0" if self.lang == "en" else "€ 0"
        if max(abs(v) for v in locs) >= 1e6:
            return millions(x, self.lang, self._digits(1e6))
        return euros(x, self.lang)


class DegreeFormatter(_SlideFormatter):
    """Temperatures (``20 °C``)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``."""
        return degrees(x, self.lang, self._digits(1.0))
