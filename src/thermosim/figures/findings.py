"""Titles that state the finding, computed from the KPIs and the drawn data.

Owns when a difference counts (``ALIKE``: below it the title says the approaches do about the
same, the honest counter-case), how variants are ranked and named in a sentence (any number of
variants, ties, recoveries that never happen within the run), and the sentence of each figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from thermosim.figures.data import Story
from thermosim.figures.labels import (
    euros,
    join,
    number,
    percent,
    period_text,
    sentence,
    text,
    weeks_text,
)
from thermosim.kpi_text import format_kpi
from thermosim.metrics import is_censored, kpi_spec

# Differences smaller than these are "about the same" on a slide (in the KPI's own unit).
ALIKE: Mapping[str, float] = {
    "attainment": 0.02,  # 2 percentage points of target
    "revenue_cv": 0.03,
    "recovery_weeks": 2.0,
    "fatigue_mean": 0.03,
    "motivation_end": 0.05,
    "firefighting_share": 0.01,  # of paid hours
    "selling_share": 0.02,
    "gross_profit": 0.03,  # relative to the larger
    # Relative to the larger gross profit, the money at stake: operating profit is a small
    # difference of large sums and may be near zero, where its own size is no scale.
    "operating_profit": 0.03,
    "gap_share": 0.02,  # end gap relative to the total target
    "mean_abs_error_c": 0.3,
    "swing_c": 0.5,
    "overshoot_c": 0.3,
    "heater_mean": 0.03,
}


def steering_last(story: Story, names: Sequence[str]) -> tuple[str, str]:
    """The pair for "here A does as well as B": the reflex-like variant first, steering second."""
    calm = [v for v in names if story.spec(v).preset == "steered"]
    other = [v for v in names if v not in calm]
    ordered = other + calm if other and calm else list(names)
    return ordered[0], ordered[1]


def ranked(
    story: Story,
    lang: str,
    values: Mapping[str, float],
    *,
    higher_is_better: bool,
    alike: float,
    show: Callable[[float], str],
    template: str,
    detail: str,
    lead: str = "best",
) -> str:
    """A ranking sentence, or the "about the same" sentence when the spread is within ``alike``.

    ``lead`` says who opens the sentence: the ``best`` or the ``worst`` variant; the others
    follow in order as "label value".
    """
    names = [v for v in story.variants if np.isfinite(values.get(v, np.nan))]
    if len(names) < 2:
        only = names[0] if names else story.variants[0]
        return sentence(f"{story.label(only, lang)}: {show(values.get(only, np.nan))}")
    spread = max(values[v] for v in names) - min(values[v] for v in names)
    if spread <= alike:
        middle = float(np.mean([values[v] for v in names]))
        return sentence(same(story, lang, names, detail, show(middle)))
    best_first = sorted(names, key=lambda v: -values[v] if higher_is_better else values[v])
    order = best_first if lead == "best" else best_first[::-1]
    rest = ", ".join(f"{story.label(v, lang, inline=True)} {show(values[v])}" for v in order[1:])
    fields = {
        lead: story.label(order[0], lang),
        f"{lead}_value": show(values[order[0]]),
        "rest": rest,
    }
    return sentence(text(template, lang, **fields))


def same(story: Story, lang: str, names: Sequence[str], detail: str, value: str) -> str:
    """The "here reacting does as well as steering: both ..." sentence ("all ..." for 3+).

    Not capitalised: it may follow a shock's name ("Cold snap: here ...").
    """
    if len(names) == 2:
        a, b = steering_last(story, names)
        words = text(detail + ".detail", lang, value=value)
        found = text(
            "find.same",
            lang,
            a=story.label(a, lang, inline=True),
            b=story.label(b, lang, inline=True),
            detail=words,
        )
    else:
        found = text("find.all_same", lang, detail=text(detail + ".detail_all", lang, value=value))
    return found[:1].lower() + found[1:]


def revenue(story: Story, lang: str) -> str:
    """Attainment over the run (sales) or the temperature swing (thermostat)."""
    kpi = "attainment" if story.sales else "swing_c"
    return ranked(
        story,
        lang,
        {v: story.kpi(v, kpi) for v in story.variants},
        higher_is_better=bool(kpi_spec(kpi).higher_is_better),
        alike=ALIKE[kpi],
        show=lambda x: format_kpi(kpi, x, lang),
        template="find.revenue" if story.sales else "find.temperature",
        detail="find.revenue" if story.sales else "find.temperature",
    )


def gap_text(value: float, lang: str, scale: float) -> str:
    """``€1.3M ahead`` / ``€ 1,3 mln achter`` / ``on target`` (within 0.5% of ``scale``)."""
    if abs(value) < 0.005 * scale:
        return text("gap.even", lang)
    key = "gap.ahead" if value > 0 else "gap.behind"
    return text(key, lang, amount=euros(abs(value), lang))


def gap(story: Story, lang: str, ends: Mapping[str, float], total_target: float) -> str:
    """Where each variant ends, cumulatively, against the target."""
    period = period_text(story.weeks, lang)
    names = list(story.variants)
    spread = max(ends.values()) - min(ends.values())
    if spread <= ALIKE["gap_share"] * total_target:
        # Not one team's number: the rough middle, to one significant digit ("about €400k").
        middle = float(np.mean(list(ends.values())))
        rough = float(f"{middle:.1g}") if middle else 0.0
        return sentence(same(story, lang, names, "find.gap", gap_text(rough, lang, total_target)))
    order = sorted(names, key=lambda v: -ends[v])
    rest = ", ".join(
        f"{story.label(v, lang, inline=True)} {gap_text(ends[v], lang, total_target)}"
        for v in order[1:]
    )
    return sentence(
        text(
            "find.gap",
            lang,
            period=period,
            best=story.label(order[0], lang, inline=True),
            best_value=gap_text(ends[order[0]], lang, total_target),
            rest=rest,
        )
    )


def hours_text(value: float, lang: str) -> str:
    """``3,585 hours`` / ``3.585 uur``."""
    if round(value) == 1:
        return text("hours.one", lang)
    return text("hours", lang, n=number(value, lang))


def firefighting(story: Story, lang: str) -> str:
    """Hours lost to quick fixes (or to pulling the levers against each other)."""
    values = {v: story.kpi(v, "firefighting_hours") for v in story.variants}
    paid = {v: story.total(v, "hours_paid", "rep_mean") for v in values}
    shares = {v: values[v] / paid[v] if paid[v] > 0 else 0.0 for v in values}
    worst = max(values, key=lambda v: values[v])
    if values[worst] < 0.5:
        return sentence(text("find.fire.none", lang))
    if max(shares.values()) - min(shares.values()) <= ALIKE["firefighting_share"]:
        return sentence(
            text(
                "find.fire.small",
                lang,
                value=hours_text(values[worst], lang),
                period=period_text(story.weeks, lang),
            )
        )
    fixes = story.kpi(worst, "interventions")
    template = "find.fire" if fixes > 0 else "find.fire.coordination"
    return ranked(
        story,
        lang,
        values,
        higher_is_better=False,
        alike=-1.0,
        show=lambda x: hours_text(x, lang),
        template=template,
        detail="find.fire",
        lead="worst",
    )


def health(story: Story, lang: str) -> str:
    """Fatigue if it differs, else motivation at the end, else "the team stays fresh"."""
    fatigue = {v: story.kpi(v, "fatigue_mean") for v in story.variants}
    motivation = {v: story.kpi(v, "motivation_end") for v in story.variants}
    # The measure that differs most, each against what counts as a difference for it.
    tired = (max(fatigue.values()) - min(fatigue.values())) / ALIKE["fatigue_mean"]
    drained = (max(motivation.values()) - min(motivation.values())) / ALIKE["motivation_end"]
    if max(tired, drained) <= 1.0:
        return sentence(same(story, lang, story.variants, "find.health", ""))
    kpi, values, template = (
        ("fatigue_mean", fatigue, "find.fatigue")
        if tired >= drained
        else ("motivation_end", motivation, "find.motivation")
    )
    return ranked(
        story,
        lang,
        values,
        higher_is_better=bool(kpi_spec(kpi).higher_is_better),
        alike=-1.0,
        show=lambda x: format_kpi(kpi, x, lang),
        template=template,
        detail="find.health",
        lead="worst",
    )


def time_use(story: Story, lang: str, shares: Mapping[str, Mapping[str, float]]) -> str:
    """Share of hours lost to firefighting if it differs, else the selling share."""
    fire = {v: shares[v]["firefighting"] for v in story.variants}
    selling = {v: shares[v]["selling"] for v in story.variants}

    def show(x: float) -> str:
        return percent(x, lang, 1 if 0 < x < 0.02 else 0)

    if max(fire.values()) - min(fire.values()) > ALIKE["firefighting_share"]:
        return ranked(
            story,
            lang,
            fire,
            higher_is_better=False,
            alike=-1.0,
            show=show,
            template="find.time.fire",
            detail="find.time",
            lead="worst",
        )
    if max(selling.values()) - min(selling.values()) > ALIKE["selling_share"]:
        return ranked(
            story,
            lang,
            selling,
            higher_is_better=True,
            alike=-1.0,
            show=show,
            template="find.time.selling",
            detail="find.time",
        )
    return sentence(same(story, lang, story.variants, "find.time", ""))


def recovery_phrase(weeks: float, censored: bool, lang: str, rest: bool = False) -> str:
    """``in 5 weeks`` / ``stays on target`` / ``not within 78 weeks``."""
    if censored:
        return text("recovery.never", lang, weeks=weeks_text(weeks, lang))
    if weeks <= 0:
        return text("recovery.stays", lang)
    return text("recovery.back" if rest else "recovery.in", lang, weeks=weeks_text(weeks, lang))


def recovery_alike(weeks: Sequence[float]) -> bool:
    """Recovery times a room would call the same: within a week, or within 15% of the longer."""
    spread = max(weeks) - min(weeks)
    return spread <= max(1.0, 0.15 * max(weeks))


def recovery(story: Story, lang: str, index: int, shock_label: str | None = None) -> str:
    """Weeks to recover from shock ``index`` (0-based, in scenario order), per variant.

    Recovery is the KPI's: the first week from which the median 4-week revenue is within 5%
    of target four weeks running. Zero weeks means within the band from the shock on: the team
    absorbs the first hit (it may still sag later; the figure shows that).
    """
    suffix = "" if index == 0 else f"_{index + 1}"
    key = "recovery_weeks" + suffix
    weeks = {v: story.kpi(v, key) for v in story.variants}
    censored = {v: is_censored(story.results.kpis.get(v, {}), key) for v in story.variants}
    names = [v for v in story.variants if np.isfinite(weeks[v])]
    left = story.weeks - story.shocks_recoverable()[index].week
    fixed_words = True  # the finding opens with a catalogue word, not a variant's name
    if not names or all(censored[v] for v in names):
        finding = text("find.recovery.none", lang, weeks=number(left, lang))
    elif all(weeks[v] <= 0 and not censored[v] for v in names):
        finding = text("find.recovery.all_stay", lang)
    elif (
        not any(censored[v] for v in names)
        and min(weeks[v] for v in names) > 0
        and (recovery_alike([weeks[v] for v in names]))
    ):
        middle = float(np.mean([weeks[v] for v in names]))
        finding = same(story, lang, names, "find.recovery", weeks_text(middle, lang))
    else:
        fixed_words = False
        order = sorted(names, key=lambda v: (censored[v], weeks[v]))
        # Variants with the same outcome share it: "reacting and fragmented not back within".
        groups: dict[str, list[str]] = {}
        for v in order[1:]:
            phrase = recovery_phrase(weeks[v], censored[v], lang, rest=True)
            groups.setdefault(phrase, []).append(story.label(v, lang, inline=True))
        rest = ", ".join(f"{join(who, lang)} {phrase}" for phrase, who in groups.items())
        first = story.label(order[0], lang, inline=shock_label is not None)
        if weeks[order[0]] <= 0:
            finding = text("find.recovery.stays", lang, best=first, rest=rest)
        else:
            phrase = recovery_phrase(weeks[order[0]], False, lang)
            finding = text("find.recovery", lang, best=first, best_value=phrase, rest=rest)
    if shock_label:
        finding = finding[:1].lower() + finding[1:] if fixed_words else finding
        finding = text("find.recovery.shock", lang, shock=sentence(shock_label), finding=finding)
    return sentence(finding)


def loop(story: Story, lang: str, parts: Sequence[str], listed: int = 3) -> str:
    """Which settings of the loop differ between the variants (named when at most ``listed``)."""
    if not parts:
        return sentence(text("find.loop.same", lang))
    if len(parts) > listed:
        # A long list does not fit a title; the diagram names every difference.
        return sentence(text("find.loop.many", lang, n=len(parts)))
    words = [text(f"part.{p}", lang) for p in parts]
    return sentence(text("find.loop", lang, parts=join(words, lang)))


def scorecard(story: Story, lang: str, wins: Mapping[str, int], alike: int, n: int) -> str:
    """How many measures each variant does better on (2 variants: spelled out; else best)."""
    names = list(story.variants)
    if len(names) == 2:
        a, b = steering_last(story, names)
        lead, other = (b, a) if wins[b] >= wins[a] else (a, b)
        if wins[lead] == n:
            return sentence(text("find.score.all", lang, best=story.label(lead, lang), n=n))
        if wins[lead] - wins[other] <= 0 or wins[lead] <= 1:
            detail = text("find.score.detail", lang, better=wins[a], worse=wins[b], alike=alike)
            if alike == n:
                detail = text("find.score.detail_all", lang, n=n)
            return sentence(
                text(
                    "find.same",
                    lang,
                    a=story.label(a, lang, inline=True),
                    b=story.label(b, lang, inline=True),
                    detail=detail,
                )
            )
        if wins[other] == 0:
            return sentence(
                text(
                    "find.score.most_none", lang, best=story.label(lead, lang), wins=wins[lead], n=n
                )
            )
        return sentence(
            text(
                "find.score.most",
                lang,
                best=story.label(lead, lang),
                wins=wins[lead],
                n=n,
                other=story.label(other, lang, inline=True),
                other_wins=wins[other],
            )
        )
    lead = max(names, key=lambda v: wins[v])
    if wins[lead] == 0:  # on every measure the best two are too close to call
        return sentence(text("find.score.none", lang, n=n))
    return sentence(
        text("find.score.ranking", lang, best=story.label(lead, lang), wins=wins[lead], n=n)
    )


def waterfall(
    steps: Sequence[str],
    means: Sequence[float],
    total: float,
    scale: float,
    lang: str,
    *,
    kpi_words: str,
    show: Callable[[float], str],
) -> str:
    """The step that contributes most to the difference, and how much.

    "Most of the difference" when it moves the KPI the same way as the whole difference and
    by at least half of it; "the largest part" when less; when it works against the whole
    difference (or there is none), the title says so and gives the total.

    Parameters
    ----------
    steps
        The steps in a sentence ("the lever menu"), in ladder order.
    means
        Each step's mean contribution.
    total
        The whole difference (end - start).
    scale
        The size of the KPI itself (below ``1e-9`` of it a change is none).
    kpi_words
        The KPI in a sentence ("operating profit").
    show
        Writes a signed change ("+€440k").
    """
    tiny = 1e-9 * abs(scale)
    if not steps or max(abs(m) for m in means) <= tiny:
        return sentence(text("waterfall.find.none", lang, kpi=kpi_words))
    largest = max(range(len(steps)), key=lambda i: abs(means[i]))
    amount, step = means[largest], steps[largest]
    with_total = abs(total) > tiny and (amount > 0) == (total > 0)
    if with_total and abs(amount) >= 0.5 * abs(total):
        return sentence(text("waterfall.find.most", lang, step=step, amount=show(amount)))
    if with_total:
        return sentence(text("waterfall.find.largest", lang, step=step, amount=show(amount)))
    return sentence(
        text(
            "waterfall.find.against",
            lang,
            step=step,
            kpi=kpi_words,
            amount=show(amount),
            total=show(total),
        )
    )
