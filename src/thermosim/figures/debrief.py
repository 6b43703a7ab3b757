"""The workshop debrief as slide figures: the room beside the policies, on the same market.

Owns the three figures of ``thermosim debrief``, in the slide style of the other families:
``debrief-revenue`` (every participant's 4-week revenue, thin and grey, against the target with
reacting, steering and doing nothing in their own colours), ``debrief-ranking`` (operating
profit of everyone, best on top, with the team's mean fatigue) and ``debrief-noise`` (per
participant, reactions that answered noise against those that followed a signal). Each takes a
debrief (``play.debrief.Debrief``; described here as the protocols ``Room`` and ``Player``, so
the figures depend on no layer above them) and returns a Figure; the words are this module's,
in English and Dutch, with the findings in the titles worked out from the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from thermosim.config.shocks import Shock as ShockSpec
from thermosim.figures.data import Shock, shock_marks
from thermosim.figures.labels import EuroFormatter, check_lang
from thermosim.figures.marks import place_labels, shade_shocks, week_axis
from thermosim.figures.style import (
    BLUE,
    INK,
    MUTED,
    PRESET_LOOKS,
    TARGET_LOOK,
    TEXT_PT,
    VERMILLION,
    LineLook,
    check_size,
    finish,
    line_handle,
    new_figure,
    slide_style,
)
from thermosim.numbers import euros, percent

PARTICIPANT_GREY = "#8C8C8C"
PARTICIPANT_LOOK = LineLook(PARTICIPANT_GREY, "-")
NAMES = ("debrief-revenue", "debrief-ranking", "debrief-noise")


class Player(Protocol):
    """A participant or a policy, as the figures read it (``play.debrief.Entry``)."""

    @property
    def key(self) -> str:
        """``p<id>`` or the preset."""

    @property
    def name(self) -> str:
        """The display name."""

    @property
    def kind(self) -> str:
        """``participant`` or ``policy``."""

    @property
    def kpis(self) -> Mapping[str, float]:
        """operating_profit, fatigue_mean, ..."""

    @property
    def target(self) -> Sequence[float]:
        """The weekly target."""

    @property
    def reactions(self) -> int:
        """Quick fixes started and overtime raised."""

    @property
    def on_noise(self) -> int:
        """Reactions with no signal before them."""

    @property
    def on_signal(self) -> int:
        """Reactions that followed a signal."""

    def revenue_4w(self) -> np.ndarray:
        """4-week average revenue."""


class Room(Protocol):
    """A workshop's debrief, as the figures read it (``play.debrief.Debrief``)."""

    @property
    def scenario(self) -> str:
        """The scenario's name."""

    @property
    def shock_specs(self) -> Sequence[ShockSpec]:
        """The scenario's shocks (marked on the time axis)."""

    @property
    def title_en(self) -> str:
        """Its English title."""

    @property
    def title_nl(self) -> str:
        """Its Dutch title."""

    @property
    def weeks(self) -> int:
        """Weeks played."""

    @property
    def seed(self) -> int:
        """The seed of the market."""

    @property
    def entries(self) -> Sequence[Player]:
        """Everyone, best operating profit first."""

    @property
    def participants(self) -> Sequence[Player]:
        """The participants, best operating profit first."""

    def policy(self, preset: str) -> Player:
        """The policy's entry."""


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "footer": "{title} ({scenario}) · workshop of {n} · {weeks} weeks · seed {seed}",
        "policy.reactive": "Reacting",
        "policy.steered": "Steering",
        "policy.open-loop": "Doing nothing",
        "participants": "Participants",
        "target": "Target",
        "axis.revenue": "Revenue per week\n(4-week average)",
        "axis.profit": "Operating profit",
        "axis.reactions": "Reactions (quick fixes, overtime)",
        "noise": "On noise",
        "signal": "On a signal",
        "fatigue": "fatigue {pct}",
        "revenue.beat": "{ahead} of {n} participants ended ahead of reacting, {beat} ahead of "
        "doing nothing",
        "ranking.top": "{best} earned most; doing nothing beat {beaten} of {n} participants",
        "noise.share": "{share} of the room's reactions answered noise",
        "noise.none": "Nobody reached for a quick fix or overtime",
    },
    "nl": {
        "footer": "{title} ({scenario}) · workshop met {n} · {weeks} weken · seed {seed}",
        "policy.reactive": "Reageren",
        "policy.steered": "Sturen",
        "policy.open-loop": "Niets doen",
        "participants": "Deelnemers",
        "target": "Target",
        "axis.revenue": "Omzet per week\n(gemiddelde over 4 weken)",
        "axis.profit": "Bedrijfsresultaat",
        "axis.reactions": "Reacties (pleisters, overwerk)",
        "noise": "Op ruis",
        "signal": "Op een signaal",
        "fatigue": "vermoeidheid {pct}",
        "revenue.beat": "{ahead} van {n} deelnemers eindigden voor op reageren, {beat} voor op "
        "niets doen",
        "ranking.top": "{best} verdiende het meest; niets doen versloeg {beaten} van {n} "
        "deelnemers",
        "noise.share": "{share} van de reacties in de zaal was reageren op ruis",
        "noise.none": "Niemand greep naar een pleister of overwerk",
    },
}


def say(key: str, lang: str, **fields: Any) -> str:
    """The words of these figures for ``key`` in ``lang``."""
    template = WORDS[check_lang(lang)][key]
    return template.format(**fields) if fields else template


def label(entry: Player, lang: str) -> str:
    """A participant's name, or a policy's name in words."""
    return say(f"policy.{entry.key}", lang) if entry.kind == "policy" else entry.name


def _footer(debrief: Room, lang: str) -> str:
    title = (debrief.title_nl if lang == "nl" else "") or debrief.title_en or debrief.scenario
    n = len(debrief.participants)
    return say(
        "footer",
        lang,
        title=title,
        scenario=debrief.scenario,
        n=n,
        weeks=debrief.weeks,
        seed=debrief.seed,
    )


def _profit(entry: Player) -> float:
    return entry.kpis["operating_profit"]


def draw_debrief_revenue(debrief: Room, lang: str = "en", size: str = "full") -> Figure:
    """Every participant's 4-week revenue against the target and the three policies."""
    check_lang(lang)
    check_size(size)
    people = debrief.participants
    reactive, nothing = debrief.policy("reactive"), debrief.policy("open-loop")
    ahead = sum(1 for p in people if _profit(p) > _profit(reactive))
    beat = sum(1 for p in people if _profit(p) > _profit(nothing))
    title = say("revenue.beat", lang, ahead=ahead, beat=beat, n=len(people))
    with slide_style():
        fig = new_figure(size)
        ax = fig.add_subplot()
        weeks = np.arange(debrief.weeks)
        for person in people:
            ax.plot(weeks, person.revenue_4w(), color=PARTICIPANT_GREY, linewidth=1.6, zorder=2)
        target = np.asarray(debrief.entries[0].target) if debrief.entries else weeks * 0.0
        ax.plot(weeks, target, linewidth=3.0, zorder=2.5, **TARGET_LOOK.line())
        handles: list[Any] = []
        labels: list[str] = []
        for preset in ("reactive", "steered", "open-loop"):
            look = PRESET_LOOKS[preset]
            ax.plot(
                weeks, debrief.policy(preset).revenue_4w(), linewidth=3.4, zorder=3, **look.line()
            )
            handles.append(line_handle(look))
            labels.append(say(f"policy.{preset}", lang))
        handles += [line_handle(PARTICIPANT_LOOK, 2.0), line_handle(TARGET_LOOK, 3.0)]
        labels += [say("participants", lang), say("target", lang)]
        week_axis(ax, max(debrief.weeks - 1, 1), lang, narrow=size == "half")
        ax.yaxis.set_major_formatter(EuroFormatter(lang))
        ax.set_ylabel(say("axis.revenue", lang))
        ax.set_ylim(bottom=0)
        finish(fig, title, _footer(debrief, lang), handles, labels)
        # The room's decisions answered these: the shocks stay visible in the debrief.
        marks = _Marks(shock_marks(debrief.shock_specs, debrief.weeks), debrief.weeks)
        place_labels(fig, ax, shade_shocks(ax, marks, lang), bottom=0.0)
    return fig


@dataclass(frozen=True)
class _Marks:
    """The debrief's shocks as ``marks.shade_shocks`` reads them."""

    shocks: tuple[Shock, ...]
    weeks: int


def _bar_color(entry: Player) -> str:
    return PRESET_LOOKS[entry.key].color if entry.kind == "policy" else PARTICIPANT_GREY


def draw_debrief_ranking(debrief: Room, lang: str = "en", size: str = "full") -> Figure:
    """Operating profit of everyone, best on top, with each team's mean fatigue."""
    check_lang(lang)
    check_size(size)
    entries = list(debrief.entries)
    people = debrief.participants
    nothing = _profit(debrief.policy("open-loop"))
    best = label(entries[0], lang) if entries else ""
    beaten = sum(1 for p in people if _profit(p) < nothing)
    title = say("ranking.top", lang, best=best, beaten=beaten, n=len(people))
    with slide_style():
        fig = new_figure(size)
        ax = fig.add_subplot()
        rows = np.arange(len(entries))[::-1]
        profits = [_profit(e) for e in entries]
        ax.barh(rows, profits, color=[_bar_color(e) for e in entries], height=0.7, zorder=2)
        ax.set_yticks(rows, [label(e, lang) for e in entries])
        span = max((abs(p) for p in profits), default=1.0) or 1.0
        for row, entry, profit in zip(rows, entries, profits, strict=True):
            fatigue = say("fatigue", lang, pct=percent(entry.kpis["fatigue_mean"], lang))
            ax.text(
                max(profit, 0.0) + 0.01 * span,
                row,
                f"{euros(profit, lang)} · {fatigue}",
                va="center",
                ha="left",
                fontsize=TEXT_PT * 0.8,
                color=INK,
            )
        ax.set_xlim(min(0.0, *profits) * 1.05, span * 1.45)
        ax.xaxis.set_major_formatter(EuroFormatter(lang))
        ax.set_xlabel(say("axis.profit", lang))
        ax.axvline(0.0, color=MUTED, linewidth=1.0)
        _fit_rows(ax, len(entries))
        finish(fig, title, _footer(debrief, lang))
    return fig


def _fit_rows(ax: Axes, count: int) -> None:
    """Smaller row labels when the room is large (a slide holds about 20 rows readably)."""
    if count > 14:
        ax.tick_params(axis="y", labelsize=max(9.0, TEXT_PT * 14 / count))


def draw_debrief_noise(debrief: Room, lang: str = "en", size: str = "full") -> Figure:
    """Per participant (and the reacting policy), reactions on noise and on a signal."""
    check_lang(lang)
    check_size(size)
    shown = [*debrief.participants, debrief.policy("reactive")]
    total = sum(e.reactions for e in debrief.participants)
    noise = sum(e.on_noise for e in debrief.participants)
    title = (
        say("noise.share", lang, share=percent(noise / total, lang))
        if total
        else say("noise.none", lang)
    )
    with slide_style():
        fig = new_figure(size)
        ax = fig.add_subplot()
        rows = np.arange(len(shown))[::-1]
        on_noise = [e.on_noise for e in shown]
        on_signal = [e.on_signal for e in shown]
        ax.barh(rows, on_noise, color=VERMILLION, height=0.7, zorder=2)
        ax.barh(rows, on_signal, left=on_noise, color=BLUE, height=0.7, zorder=2)
        ax.set_yticks(rows, [label(e, lang) for e in shown])
        most = max([e.reactions for e in shown] + [1])
        for row, entry in zip(rows, shown, strict=True):
            ax.text(
                entry.reactions + 0.01 * most,
                row,
                f"{entry.on_noise}/{entry.reactions}",
                va="center",
                ha="left",
                fontsize=TEXT_PT * 0.8,
                color=INK,
            )
        ax.set_xlim(0, most * 1.15)
        ax.set_xlabel(say("axis.reactions", lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _fit_rows(ax, len(shown))
        handles = [Patch(color=VERMILLION), Patch(color=BLUE)]
        finish(
            fig, title, _footer(debrief, lang), handles, [say("noise", lang), say("signal", lang)]
        )
    return fig


DRAW: dict[str, Callable[[Room, str, str], Figure]] = {
    "debrief-revenue": draw_debrief_revenue,
    "debrief-ranking": draw_debrief_ranking,
    "debrief-noise": draw_debrief_noise,
}


def write_debrief_figures(
    debrief: Room, folder: Path, lang: str = "en", formats: tuple[str, ...] = ("png",)
) -> list[Path]:
    """Draw the three figures into ``folder`` as ``<name>.<lang>.<format>``."""
    from thermosim.outputs import write_whole

    written = []
    for name, draw in DRAW.items():
        fig = draw(debrief, lang, "full")
        for fmt in formats:
            written.append(write_whole(folder / f"{name}.{lang}.{fmt}", fig.savefig))
    return written


__all__ = [
    "DRAW",
    "NAMES",
    "Player",
    "Room",
    "draw_debrief_noise",
    "draw_debrief_ranking",
    "draw_debrief_revenue",
    "write_debrief_figures",
]
