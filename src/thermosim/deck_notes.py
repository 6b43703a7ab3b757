"""Speaker notes of the deck, in English and Dutch, from the KPIs.

Owns what the presenter reads under each slide: sentences that narrate the numbers of a results
folder (attainment, recovery weeks, fatigue, firefighting hours, ...), each value written by
``kpi_text.format_kpi``, as on the slides and in the console, and how a trainer can lead the
closing conversation with the team's own numbers. The words are ``deck_words``'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from thermosim.deck_words import listing as _list
from thermosim.deck_words import say
from thermosim.figures.data import Story
from thermosim.figures.labels import percent, sentence, text, variant_label, weeks_text
from thermosim.figures.numbers import number
from thermosim.figures.team import hour_shares
from thermosim.figures.waterfall import change_text, level_text, pick_kpi
from thermosim.kpi_text import format_kpi
from thermosim.metrics import is_censored
from thermosim.saved import SavedResults


def _mean(results: SavedResults, variant: str, kpi: str) -> float:
    return float(results.kpis[variant][kpi]["mean"])


def _value(results: SavedResults, variant: str, kpi: str, lang: str) -> str:
    """One variant's mean of ``kpi`` as every output writes it (``25%``, ``€ 1,2 mln``)."""
    return format_kpi(kpi, _mean(results, variant, kpi), lang)


def _each(results: SavedResults, lang: str, kpi: str) -> str:
    """``Reacting 25%, steering 3%``: one KPI for every variant."""
    parts = [
        f"{variant_label(v, lang, inline=True)} {_value(results, v, kpi, lang)}"
        for v in results.kpis
    ]
    return _list(parts, lang)


def title_notes(all_results: Sequence[SavedResults], lang: str) -> str:
    """Notes of the title slide: what is compared, how many replications."""
    first = all_results[0]
    approaches = _list([variant_label(v, lang, inline=True) for v in first.kpis], lang)
    scenarios = _list([r.title(lang) for r in all_results], lang)
    return say(
        "notes.title",
        lang,
        approaches=approaches,
        scenarios=scenarios,
        reps=first.reps,
        seed=first.seed,
    )


def loop_notes(results: SavedResults, lang: str) -> str:
    """Notes of the control-loop slide: each variant's settings in words."""
    details = []
    for v in results.scenario.variants:
        policy, perception, levers = v.policy, v.perception, v.levers
        integral = policy.integral_time_weeks
        memory = (
            say("notes.memory", lang, weeks=number(integral, lang))
            if integral
            else say("notes.nomemory", lang)
        )
        used = [str(x).replace("_", " ") for x in levers.repertoire]
        details.append(
            say(
                "notes.loop.variant",
                lang,
                name=variant_label(v.name, lang),
                delay=_span(float(perception.delay_weeks), lang),
                window=_span(float(perception.window_weeks), lang),
                gain=number(policy.gain, lang, 1),
                memory=memory,
                levers=_list(used, lang) if used else say("uses.none", lang),
            )
        )
    return say("notes.loop", lang, details=" ".join(details))


def _span(weeks: float, lang: str) -> str:
    """``1 week``, ``8 weeks``, or ``0,25 weken`` for the thermostat's short intervals."""
    if weeks.is_integer():
        return weeks_text(weeks, lang)
    return say("period.weeks", lang, n=number(weeks, lang, 2))


def _revenue_notes(results: SavedResults, lang: str) -> str:
    attained = [
        say(
            "notes.attainment",
            lang,
            name=variant_label(v, lang, inline=True),
            value=_value(results, v, "attainment", lang),
        )
        for v in results.kpis
    ]
    swings = _each(results, lang, "revenue_cv")
    period = say("period.weeks", lang, n=results.weeks)
    return say("notes.revenue", lang, period=period, list=_list(attained, lang), swings=swings)


def _recovery_notes(results: SavedResults, lang: str) -> str:
    parts = []
    for v in results.kpis:
        if "recovery_weeks" not in results.kpis[v]:
            continue
        value = _mean(results, v, "recovery_weeks")
        censored = is_censored(results.kpis[v], "recovery_weeks")
        key = "notes.censored" if censored else "notes.recovered" if value > 0 else "notes.stayed"
        name = variant_label(v, lang, inline=True)
        parts.append(say(key, lang, name=name, weeks=number(value, lang)))
    return say("notes.recovery", lang, list=_list(parts, lang)) if parts else ""


def figure_notes(results: SavedResults, name: str, lang: str) -> str:
    """Notes for one key figure: the numbers that figure shows."""
    if results.plant == "thermostat":
        gap = _each(results, lang, "mean_abs_error_c")
        swing = _each(results, lang, "swing_c")
        extra = _recovery_notes(results, lang) if name == "recovery" else ""
        return " ".join(
            p for p in (say("notes.temperature", lang, gap=gap, swing=swing), extra) if p
        )
    if name == "recovery":
        return _recovery_notes(results, lang) or _revenue_notes(results, lang)
    if name == "firefighting":
        fire = _each(results, lang, "firefighting_hours")
        fixes = _each(results, lang, "interventions")
        return say("notes.firefighting", lang, list=fire, fixes=fixes)
    if name == "team-health":
        fatigue = _each(results, lang, "fatigue_mean")
        left = _each(results, lang, "attrition")
        return say("notes.health", lang, fatigue=fatigue, left=left)
    if name == "time-allocation":
        shares = hour_shares(Story.of(results))

        def use(kind: str) -> str:
            return _list(
                [
                    f"{variant_label(v, lang, inline=True)} {percent(shares[v][kind], lang)}"
                    for v in results.variants
                ],
                lang,
            )

        return say("notes.time", lang, selling=use("selling"), fire=use("firefighting"))
    return " ".join(p for p in (_revenue_notes(results, lang), _recovery_notes(results, lang)) if p)


def scorecard_notes(all_results: Sequence[SavedResults], lang: str) -> str:
    """Notes of the scorecard: what the money is, then one sentence per scenario."""
    lines = []
    money = False
    for results in all_results:
        title = results.name
        if results.plant != "sales":
            lines.append(figure_notes(results, "scorecard", lang))
            continue
        money = True
        scores = [
            say(
                "notes.score",
                lang,
                name=variant_label(v, lang, inline=True),
                attainment=_value(results, v, "attainment", lang),
                fatigue=_value(results, v, "fatigue_mean", lang),
                hours=_value(results, v, "firefighting_hours", lang),
                profit=_value(results, v, "operating_profit", lang),
                gross=_value(results, v, "gross_profit", lang),
            )
            for v in results.kpis
        ]
        lines.append(say("notes.scorecard", lang, title=title, list="; ".join(scores)))
    if money:  # what the money is, once, before the scenarios' numbers
        lines.insert(0, say("notes.money", lang))
    lines.append(say("notes.marked", lang))
    return "\n".join(lines)


def chart_notes(results: SavedResults, lang: str) -> str:
    """Notes of the native chart slide."""
    profit = _each(results, lang, "operating_profit")
    head = say("notes.chart", lang, reps=results.reps, profit=profit)
    return f"{head} {_revenue_notes(results, lang)}"


def waterfall_notes(data: Mapping[str, Any], lang: str, kpi: str | None = None) -> str:
    """Notes of the waterfall slide: each step's contribution, the largest, the references.

    ``data`` is an ``explain.json``; ``kpi`` defaults to the one its waterfall shows.
    """
    kpi = pick_kpi(data, kpi)
    steps = list(data["steps"])
    means = [float(s["contribution"][kpi]["mean"]) for s in steps]
    names = [step_words(s, lang) for s in steps]
    rungs = [float(r["kpis"][kpi]) for r in data["rungs"]]
    references = {str(r["name"]): float(r["kpis"][kpi]) for r in data.get("references") or []}
    largest = max(range(len(steps)), key=lambda i: abs(means[i])) if steps else None
    parts = [
        say("notes.step", lang, step=name, amount=change_text(kpi, mean, lang))
        for name, mean in zip(names, means, strict=True)
    ]
    missing = float("nan")
    return say(
        "notes.waterfall",
        lang,
        start=variant_label(str(data["start"]), lang, inline=True),
        end=variant_label(str(data["end"]), lang, inline=True),
        reps=data.get("replications"),
        kpi=sentence(text(f"waterfall.kpi.{kpi}", lang)),
        start_value=level_text(kpi, rungs[0], lang),
        steps="; ".join(parts),
        end_value=level_text(kpi, rungs[-1], lang),
        total=change_text(kpi, float(data["total"][kpi]["mean"]), lang),
        largest=names[largest] if largest is not None else "-",
        amount=change_text(kpi, means[largest], lang) if largest is not None else "-",
        open_loop=level_text(kpi, references.get("open-loop", missing), lang),
        invest=level_text(kpi, references.get("invest-without-feedback", missing), lang),
    )


def step_words(step: Mapping[str, Any], lang: str) -> str:
    """A step in a sentence ("the lever menu"), or its label when the catalogue lacks it."""
    key = "waterfall.step." + str(step.get("name", "")).replace(" ", "-")
    try:
        return text(key, lang)
    except KeyError:
        label = str((step.get("label") or {}).get(lang) or step.get("name", ""))
        return label[:1].lower() + label[1:]
