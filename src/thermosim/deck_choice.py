"""What the talk shows: the figures that differ most per scenario, and the talk's headlines.

Owns how much each figure's measure differs between the approaches, counted in differences
that matter on a slide (``findings.ALIKE``: a spread of 2 counts twice as much as one that just
matters), which two or three figures a scenario's part of the talk shows (the largest
differences, in the order a story is told), and the findings of the slides that are not a
figure's: the talk's headline (who does better in how many scenarios), the agenda's (where the
approaches' attainment differs most) and each scenario's (its scorecard's finding).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from thermosim.deck_words import say
from thermosim.figures.data import Story
from thermosim.figures.findings import ALIKE
from thermosim.figures.labels import degrees, points
from thermosim.figures.scorecard import score_finding, score_rows, wins
from thermosim.figures.team import hour_shares
from thermosim.kpi_text import UNITS
from thermosim.metrics import is_censored

# The order a scenario's story is told in; the loop and the scorecard have slides of their own,
# and cumulative-gap tells the revenue story again (the native chart shows that one too).
TALK_ORDER = ("revenue-vs-target", "recovery", "firefighting", "team-health", "time-allocation")
FEWEST, MOST = 2, 3
MATTERS = 1.0  # a third figure is shown only when its difference matters on a slide


def _spread(values: Mapping[str, float]) -> float:
    finite = [v for v in values.values() if np.isfinite(v)]
    return max(finite) - min(finite) if len(finite) > 1 else 0.0


def differences(story: Story) -> dict[str, float]:
    """Per candidate figure, the spread of its measure over the approaches, in ``ALIKE`` units.

    revenue-vs-target: attainment (the thermostat: swing); recovery: weeks to recover from the
    first shock; firefighting: hours against the paid hours; team-health: fatigue or motivation
    at the end, whichever differs more; time-allocation: the share of hours spent selling.
    """
    names = story.variants

    def kpi(name: str) -> dict[str, float]:
        return {v: story.kpi(v, name) for v in names}

    found: dict[str, float] = {}
    if story.sales:
        found["revenue-vs-target"] = _spread(kpi("attainment")) / ALIKE["attainment"]
    else:
        found["revenue-vs-target"] = _spread(kpi("swing_c")) / ALIKE["swing_c"]
    if story.shocks_recoverable():
        weeks = kpi("recovery_weeks")
        score = _spread(weeks) / ALIKE["recovery_weeks"]
        censored = {is_censored(story.results.kpis.get(v, {}), "recovery_weeks") for v in names}
        # One approach back within the run and another not is a difference of kind.
        found["recovery"] = score + (2.0 if len(censored) > 1 else 0.0)
    if story.sales:
        paid = float(np.mean([story.total(v, "hours_paid", "rep_mean") for v in names]))
        hours = _spread(kpi("firefighting_hours"))
        found["firefighting"] = hours / (ALIKE["firefighting_share"] * paid) if paid > 0 else 0.0
        found["team-health"] = max(
            _spread(kpi("fatigue_mean")) / ALIKE["fatigue_mean"],
            _spread(kpi("motivation_end")) / ALIKE["motivation_end"],
        )
        shares = hour_shares(story)
        selling = {v: shares[v]["selling"] for v in names}
        found["time-allocation"] = _spread(selling) / ALIKE["selling_share"]
    return found


def key_figures(story: Story, available: Sequence[str]) -> list[str]:
    """The two or three figures whose measures differ most, in the order of ``TALK_ORDER``.

    Two always (when there are two to show); a third when its difference matters on a slide.
    """
    scores = {k: v for k, v in differences(story).items() if k in available}
    ranked = sorted(scores, key=lambda k: (-scores[k], TALK_ORDER.index(k)))
    chosen = ranked[:FEWEST] + [k for k in ranked[FEWEST:MOST] if scores[k] >= MATTERS]
    return [k for k in TALK_ORDER if k in chosen]


def scenario_finding(story: Story, lang: str) -> str:
    """A scenario's headline: its scorecard's finding."""
    return score_finding(story, score_rows(story, lang), lang)


def leader(story: Story, lang: str) -> str | None:
    """The label of the approach that does better on the most scorecard rows (None on a tie)."""
    counted = wins(story, score_rows(story, lang))
    best = max(counted.values())
    top = [v for v, n in counted.items() if n == best]
    return story.label(top[0], lang) if len(top) == 1 and best > 0 else None


def headline(stories: Sequence[Story], lang: str) -> str:
    """The talk's headline: one scenario's finding, or who does better in how many."""
    if len(stories) == 1:
        return scenario_finding(stories[0], lang)
    leaders = [leader(s, lang) for s in stories]
    counts = {name: leaders.count(name) for name in leaders if name is not None}
    n = len(stories)
    if not counts:
        return say("deck.headline.none", lang, n=n)
    best = max(counts, key=lambda name: counts[name])
    if counts[best] == n:
        return say("deck.headline.all", lang, best=best, n=n)
    return say("deck.headline.most", lang, best=best, wins=counts[best], n=n)


def agenda_title(stories: Sequence[Story], lang: str) -> str:
    """The agenda's finding: the scenario where the approaches' attainment differs most.

    Attainment is the one measure every sales scenario shares (in points, as the scorecard
    writes a difference); a talk without a sales scenario compares the thermostat's swing.
    """
    sales = [s for s in stories if s.sales]
    kpi = "attainment" if sales else "swing_c"
    told = sales or list(stories)
    spread = {i: _spread({v: s.kpi(v, kpi) for v in s.variants}) for i, s in enumerate(told)}
    best = max(spread, key=lambda i: spread[i])
    values = [told[best].kpi(v, kpi) for v in told[best].variants]
    if sales:
        shown = [round(100 * x) for x in values if np.isfinite(x)]
        amount = f"{points((max(shown) - min(shown)) / 100, lang)} {UNITS[lang]['points']}"
        key = "deck.agenda.title"
    else:
        amount, key = degrees(spread[best], lang), "deck.agenda.title.swing"
    return say(key, lang, title=told[best].title(lang), amount=amount)
