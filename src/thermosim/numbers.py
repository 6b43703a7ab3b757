"""Numbers as people read them, in English or Dutch, without the locale module (pure text).

Owns the number formats every output shares: thousands separators and decimal marks (en
``1,234.5``, nl ``1.234,5``), euro amounts (en ``€85k`` / ``€1.2M``, nl ``€ 85.000`` /
``€ 1,2 mln``), percentages (``97%``), hours, degrees and durations (``8 wk``, ``2 d``). No
matplotlib here, so the console can use it; ``figures.numbers`` adds the tick formatters. The
locale module is not used: it depends on what the machine has installed and is process-wide.
"""

from __future__ import annotations

import math

LANGS: tuple[str, ...] = ("en", "nl")
MINUS = "\u2212"  # a real minus sign: a hyphen looks too short next to digits on a slide


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a language the figures speak, else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def number(value: float, lang: str, digits: int = 0) -> str:
    """A number with the language's thousands separator and decimal mark.

    Examples: ``number(3584.8, "en") == "3,585"``, ``number(3584.8, "nl") == "3.585"``,
    ``number(0.25, "nl", 2) == "0,25"``; negative numbers get a real minus sign.
    """
    if not math.isfinite(value):
        return "n/a" if lang == "en" else "n.v.t."
    text = f"{abs(value):,.{digits}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    # "-0" after rounding is shown as 0.
    negative = value < 0 and any(c not in "0.," for c in text)
    return (MINUS if negative else "") + text


def percent(fraction: float, lang: str, digits: int = 0) -> str:
    """A fraction as a percentage: ``percent(0.972, "en") == "97%"``."""
    return number(100 * fraction, lang, digits) + "%"


def points(fraction: float, lang: str, digits: int = 0) -> str:
    """A difference of two fractions in percentage points, unsigned: ``"15"``."""
    return number(100 * abs(fraction), lang, digits)


def _euro_digits(size: float) -> int:
    # Two significant digits are what a room remembers: €1.2M, €0.45M, €12M.
    if size >= 10:
        return 0
    if size >= 0.995:
        return 1
    return 2


def _signed(body: str, negative: bool, lang: str) -> str:
    # English puts the sign before the euro sign (−€0.4M), Dutch after it (€ −0,4 mln).
    if not negative:
        return body
    return MINUS + body if lang == "en" else body.replace("€ ", "€ " + MINUS, 1)


def millions(value: float, lang: str, digits: int) -> str:
    """A euro amount in millions with fixed decimals: ``€1.25M`` / ``€ 1,25 mln``."""
    text = number(abs(value) / 1e6, lang, digits)
    body = f"€{text}M" if lang == "en" else f"€ {text} mln"
    return _signed(body, value < 0 and text.strip("0.,") != "", lang)


def euros(value: float, lang: str) -> str:
    """A euro amount, short: en ``€85k``, ``€1.2M``; nl ``€ 85.000``, ``€ 1,2 mln``.

    Amounts under a million: English in thousands (``€85k``), Dutch in full with a thousands
    point (``€ 85.000``, as Dutch slides write money), rounded to whole thousands from €10,000
    on. From a million: two significant digits (``€1.2M`` / ``€ 1,2 mln``, ``€12M``).
    """
    if not math.isfinite(value):
        return number(value, lang)
    size = abs(value)
    if size >= 999_500:  # from here on thousands would round to "€1,000k"
        return millions(value, lang, _euro_digits(size / 1e6))
    if lang == "en":
        text = number(size / 1e3, "en") + "k" if size >= 1e3 else number(size, "en")
        body = f"€{text}"
    else:
        text = number(round(size, -3) if size >= 1e4 else size, "nl")
        body = f"€ {text}"
    return _signed(body, value < 0 and text.strip("0.,k") != "", lang)


def hours(value: float, lang: str) -> str:
    """Whole hours with a unit: en ``3,585 h``, nl ``3.585 uur``."""
    return number(value, lang) + (" h" if lang == "en" else " uur")


def degrees(value: float, lang: str, digits: int = 1) -> str:
    """A temperature or temperature difference: ``7.4 °C`` / ``7,4 °C``."""
    return number(value, lang, digits) + " °C"


def duration(weeks: float, lang: str) -> str:
    """A duration given in weeks, in the unit a person would say: ``8 wk``, ``2 d``, ``8 h``."""
    if weeks >= 1 or weeks <= 0:
        digits = 0 if float(weeks).is_integer() else 1
        return f"{number(weeks, lang, digits)} wk"
    days = weeks * 7
    if days >= 1:
        digits = 0 if round(days, 1).is_integer() else 1
        return f"{number(days, lang, digits)} d"
    unit = "h" if lang == "en" else "u"
    return f"{number(days * 24, lang)} {unit}"
