"""The closing slide: begin with insight, in three questions, with the simulation's numbers.

Owns the talk's close after the source article's: where are we really, where do we want to go,
what keeps us stuck in the daily rush. Under each question one line of the talk's own numbers
(the first sales scenario: the reflex's attainment and firefighting hours, what steering reaches
and at what fatigue, and what keeps the team stuck: the largest step of ``explain`` where the
folder has one, else the quick fixes each approach starts), and in the notes how a trainer can
lead that conversation with the team's own numbers. Values are ``kpi_text.format_kpi``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from thermosim.deck_notes import step_words
from thermosim.deck_text import Para
from thermosim.deck_words import say
from thermosim.figures.data import Story
from thermosim.figures.waterfall import change_text, pick_kpi
from thermosim.kpi_text import format_kpi

QUESTIONS = ("deck.closing.q1", "deck.closing.q2", "deck.closing.q3")


@dataclass(frozen=True)
class Closing:
    """The closing slide's title, paragraphs and speaker notes."""

    title: str
    paras: list[Para]
    notes: str


def _value(story: Story, variant: str, kpi: str, lang: str) -> str:
    return format_kpi(kpi, story.kpi(variant, kpi), lang)


def _largest_step(data: Mapping[str, Any], lang: str) -> tuple[str, str] | None:
    steps = list(data.get("steps") or [])
    if not steps:
        return None
    kpi = pick_kpi(data, None)
    means = [float(s["contribution"][kpi]["mean"]) for s in steps]
    largest = max(range(len(steps)), key=lambda i: abs(means[i]))
    return step_words(steps[largest], lang), change_text(kpi, means[largest], lang)


def pair(story: Story) -> tuple[str, str]:
    """The reflex and steering of a story: by preset, else the first and the best attainment."""
    names = list(story.variants)
    presets = {v: story.spec(v).preset for v in names}
    best = max(names, key=lambda v: story.kpi(v, "attainment"))
    b = next((v for v in names if presets[v] == "steered"), best)
    others = [v for v in names if v != b]
    a = next((v for v in others if presets[v] == "reactive"), others[0])
    return a, b


def answers(story: Story, lang: str, explained: Mapping[str, Any] | None) -> list[str]:
    """One line of the simulation's numbers under each question (a sales story, 2+ approaches)."""
    a, b = pair(story)
    now = say(
        "deck.closing.a1",
        lang,
        a=story.label(a, lang, inline=True),
        attainment=_value(story, a, "attainment", lang),
        hours=_value(story, a, "firefighting_hours", lang),
    )
    goal = say(
        "deck.closing.a2",
        lang,
        b=story.label(b, lang),
        attainment=_value(story, b, "attainment", lang),
        fatigue=_value(story, b, "fatigue_mean", lang),
        fatigue_a=_value(story, a, "fatigue_mean", lang),
    )
    step = _largest_step(explained, lang) if explained else None
    if step is not None:
        stuck = say("deck.closing.a3.step", lang, step=step[0], amount=step[1])
    else:
        stuck = say(
            "deck.closing.a3.fixes",
            lang,
            a=story.label(a, lang),
            fixes=_value(story, a, "interventions", lang),
            b=story.label(b, lang, inline=True),
            fixes_b=_value(story, b, "interventions", lang),
        )
    return [now, goal, stuck]


def closing(
    stories: Sequence[Story], lang: str, explained: Mapping[str, Mapping[str, Any]]
) -> Closing:
    """The closing slide of a talk over ``stories``.

    ``explained`` maps a scenario's name to its ``explain.json`` (where the folder has one).
    """
    told = next((s for s in stories if s.sales and len(s.variants) > 1), None)
    lines = answers(told, lang, explained.get(told.results.name)) if told else []
    paras: list[Para] = []
    for i, key in enumerate(QUESTIONS):
        paras.append(Para(say(key, lang), 0, bold=True))
        if lines:
            paras.append(Para(lines[i], 1))
    if lines:
        words = say("notes.closing", lang, now=lines[0], goal=lines[1], stuck=lines[2])
    else:
        words = say("notes.closing.plain", lang)
    return Closing(say("deck.closing.title", lang), paras, words)
