"""Every word a figure shows, in English and Dutch, and the number formats that go with them.

Owns the label catalogue ``LABELS`` (``{lang: {key: template}}``, the same keys and the same
``{placeholders}`` in both languages), ``text(key, lang, **fields)`` to fill a template, the
display names of variants, shocks, levers and hour uses, and (re-exported from
``figures.numbers``) the number formatter and the tick formatters. Dutch words follow the
article thermosim is built from: brandjes blussen, waan van de dag, de lat hoger leggen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from thermosim.figures.labels_en import EN
from thermosim.figures.labels_nl import NL
from thermosim.figures.numbers import (
    LANGS,
    DegreeFormatter,
    EuroFormatter,
    NumberFormatter,
    PercentFormatter,
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
    "LABELS",
    "LANGS",
    "DegreeFormatter",
    "EuroFormatter",
    "NumberFormatter",
    "PercentFormatter",
    "check_lang",
    "degrees",
    "duration",
    "euros",
    "hours",
    "join",
    "millions",
    "number",
    "percent",
    "period_text",
    "points",
    "sentence",
    "text",
    "variant_label",
    "week_label",
    "weeks_text",
]

LABELS: Mapping[str, Mapping[str, str]] = {"en": EN, "nl": NL}


def text(key: str, lang: str, **fields: Any) -> str:
    """The catalogue entry ``key`` in ``lang``, with ``{placeholders}`` filled from ``fields``.

    Raises
    ------
    KeyError
        When the key is not in the catalogue (a programming error, never user input).
    """
    template = LABELS[check_lang(lang)][key]
    return template.format(**fields) if fields else template


def sentence(words: str) -> str:
    """Capitalise the first letter only (keeps names like 'CV' or 'Q3' as written)."""
    return words[:1].upper() + words[1:]


def variant_label(name: str, lang: str, preset: str | None = None, *, inline: bool = False) -> str:
    """Display name of a variant: catalogue names for the known ones, else the name as written.

    ``inline`` gives the form used inside a sentence (catalogue names lower-cased, "reacting").
    """
    del preset  # a user's own name says more than the preset it starts from
    key = f"variant.{name}"
    if key in LABELS[check_lang(lang)]:
        label = text(key, lang)
        return label[:1].lower() + label[1:] if inline else label
    return name if inline else sentence(name)


def join(items: list[str], lang: str) -> str:
    """``a, b and c`` / ``a, b en c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {text('and', lang)} " + items[-1]


def week_label(week: float, lang: str) -> str:
    """``week 26`` (the same in both languages, numbers formatted per language)."""
    digits = 0 if float(week).is_integer() else 1
    return text("week", lang, week=number(week, lang, digits))


def weeks_text(n: float, lang: str) -> str:
    """``5 weeks`` / ``5 weken`` (``1 week`` in both)."""
    value = round(n)
    return text("weeks.one", lang) if value == 1 else text("weeks", lang, n=number(value, lang))


def period_text(weeks: int, lang: str) -> str:
    """A horizon as people say it: ``2 years`` / ``2 jaar``, ``a year``, or ``30 weeks``."""
    if weeks == 52:
        return text("period.year", lang)
    if weeks % 52 == 0:
        return text("period.years", lang, n=weeks // 52)
    return text("period.weeks", lang, n=weeks)
