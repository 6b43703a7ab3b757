"""KPI values as people read them: one function for the console, slides, deck and notes.

Owns how a KPI's value or a difference between two values is written, from the KPI's kind in
the catalogue (``metrics.KPIS``): shares, 0-1 indices and ratios as percent (differences in
points), money in euros (per week where it is a weekly amount), weeks (a censored recovery as
``> 40 wk``), hours, counts and degrees, in English or Dutch. ``plain`` gives the same text in
ASCII for a terminal that may not print ``€``, ``°`` or a real minus sign. No matplotlib here.
"""

from __future__ import annotations

import math

from thermosim.metrics import kpi_spec
from thermosim.numbers import MINUS, check_lang, degrees, euros, hours, number, percent

# The few unit words a KPI's value carries, per language.
UNITS: dict[str, dict[str, str]] = {
    "en": {"points": "pts", "weeks": "wk", "per_week": "/wk"},
    "nl": {"points": "ptn", "weeks": "wk", "per_week": "/wk"},
}
PERCENT_KINDS = frozenset({"share", "index", "ratio"})


def _count(value: float, lang: str) -> str:
    # A mean over replications of a few things keeps a decimal (2.3 people left), many do not.
    whole = abs(value) >= 10 or float(round(value, 1)).is_integer()
    return number(value, lang, 0 if whole else 1)


def _level(kind: str, value: float, lang: str, censored: bool) -> str:
    units = UNITS[lang]
    if kind in PERCENT_KINDS:
        return percent(value, lang)
    if kind == "money":
        return euros(value, lang)
    if kind == "money_per_week":
        return euros(value, lang) + units["per_week"]
    if kind == "weeks":
        return ("> " if censored else "") + f"{number(value, lang)} {units['weeks']}"
    if kind == "hours":
        return hours(value, lang)
    if kind == "count":
        return _count(value, lang)
    if kind == "degrees":
        return degrees(value, lang)
    raise ValueError(f"unknown KPI kind {kind!r}")


def _change(kind: str, delta: float, lang: str) -> str:
    if kind in PERCENT_KINDS:
        points = 100 * delta
        digits = 1 if abs(points) < 10 else 0
        words = f"{number(points, lang, digits)} {UNITS[lang]['points']}"
    else:
        words = _level(kind, delta, lang, censored=False)
    if delta > 0 and any(c in "123456789" for c in words):
        # Dutch writes the sign after the euro sign (€ −0,4 mln), so the plus goes there too.
        return words.replace("€ ", "€ +", 1) if words.startswith("€ ") else "+" + words
    return words


def _ascii(words: str) -> str:
    return (
        words.replace("€ ", "EUR ").replace("€", "EUR ").replace(MINUS, "-").replace("°C", "degC")
    )


def format_kpi(
    name: str,
    value: float,
    lang: str,
    *,
    censored: bool = False,
    signed: bool = False,
    plain: bool = False,
) -> str:
    """A KPI's value (or, with ``signed``, a difference of two values) in ``lang``.

    Parameters
    ----------
    name
        The KPI (``recovery_weeks_2`` is written like ``recovery_weeks``).
    value
        The value in the KPI's own unit (a fraction for shares: 0.88 is ``88%``).
    lang
        ``en`` or ``nl``.
    censored
        The value is a lower bound (a recovery not seen within the run): ``> 40 wk``.
    signed
        ``value`` is a difference: always signed, shares in points (``+9.4 pts``).
    plain
        ASCII only (``EUR 4.1M``, ``-3 pts``), for a terminal.

    Examples
    --------
    ``format_kpi("fatigue_mean", 0.234, "en") == "23%"``,
    ``format_kpi("operating_profit", 1.3e6, "nl") == "€ 1,3 mln"``,
    ``format_kpi("recovery_weeks", 40, "en", censored=True) == "> 40 wk"``.

    Raises
    ------
    KeyError
        When the KPI has no entry in ``metrics.KPIS``.
    """
    check_lang(lang)
    kind = kpi_spec(name).kind
    if not math.isfinite(value):
        words = number(value, lang)
    elif signed:
        words = _change(kind, value, lang)
    else:
        words = _level(kind, value, lang, censored and kpi_spec(name).censorable)
    return _ascii(words) if plain else words
