"""The debrief: every participant beside the policies, on the same random numbers.

Owns what the trainer's debrief shows and ``thermosim debrief`` draws: each participant's and
each policy's (``reactive``, ``steered``, ``open-loop``) weekly revenue against the target, a
ranking on operating profit and one on team health, and per participant how many actions
answered noise rather than a signal. Pure numbers (numpy); the pages and figures draw them.

Noise or signal is judged as a process behaviour chart (XmR; Wheeler, *Understanding
Variation*, 1993) would: the normal weekly spread is the ``open-loop`` team's (no actions, the
same luck), estimated from its average moving range (sigma = mean |week-to-week change| /
1.128, which a one-off shock barely moves). A reaction (a quick fix started, overtime raised)
answered a signal when the reports before it showed one by the chart's usual rules: the latest
report more than three sigma below the target, the mean of the last four more than 1.5 sigma
(three standard errors of a 4-week mean), or the last eight all below the target (a run);
otherwise it answered noise. Raising a lasting lever is counted apart, as an investment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from thermosim.config.shocks import Shock
from thermosim.control.levers import SYMPTOMATIC
from thermosim.engine import LOG_CHANGE, Run
from thermosim.metrics import rolling_mean, run_kpis
from thermosim.play.decisions import HOLD, Decisions, decisions_from_json
from thermosim.play.game import COMPARED, GameSetup, replay
from thermosim.play.store import Store

KPIS = (
    "operating_profit",
    "attainment",
    "revenue_total",
    "fatigue_mean",
    "motivation_end",
    "attrition",
    "firefighting_hours",
)
D2 = 1.128  # mean moving range of two normal draws, in standard deviations (XmR charts)
WEEK_LIMIT_SIGMA = 3.0  # a single week's report beyond this is a signal
TREND_LIMIT_SIGMA = 1.5  # the 4-week mean beyond this (three of its standard errors) is one too
TREND_WEEKS = 4
RUN_WEEKS = 8  # this many reports in a row below the target is a signal too (a run)
REPORT_DELAY_WEEKS = 1  # the weekly report shows the week before last (the presets' delay)
FILE = "debrief.json"


@dataclass(frozen=True)
class Action:
    """One action: its week, what (a lever or ``overtime``), its kind, and if a signal came first.

    ``kind``: ``reaction`` for quick fixes and overtime, ``investment`` for a lasting lever raised.
    """

    week: int
    what: str
    kind: Literal["reaction", "investment"]
    signal: bool


@dataclass(frozen=True)
class Entry:
    """A participant or a policy in the debrief.

    Attributes
    ----------
    key, name, kind
        ``p<id>`` or the preset; the display name (a policy's is its preset); which of the two.
    kpis
        ``KPIS`` of the run.
    revenue, target
        Weekly series.
    actions
        Quick fixes started, lasting levers raised, overtime raised (by at least 0.1).
    profit_rank, health_rank
        1 = best operating profit; 1 = healthiest team (lowest mean fatigue, then fewest
        leavers, then highest motivation).
    """

    key: str
    name: str
    kind: Literal["participant", "policy"]
    kpis: dict[str, float]
    revenue: tuple[float, ...]
    target: tuple[float, ...]
    actions: tuple[Action, ...]
    profit_rank: int = 0
    health_rank: int = 0

    @property
    def reactions(self) -> int:
        """Quick fixes started and overtime raised."""
        return sum(1 for a in self.actions if a.kind == "reaction")

    @property
    def on_noise(self) -> int:
        """Reactions with no signal in the reports."""
        return sum(1 for a in self.actions if a.kind == "reaction" and not a.signal)

    @property
    def on_signal(self) -> int:
        """Reactions that followed a signal."""
        return sum(1 for a in self.actions if a.kind == "reaction" and a.signal)

    @property
    def investments(self) -> int:
        """Lasting levers raised."""
        return sum(1 for a in self.actions if a.kind == "investment")

    def revenue_4w(self) -> np.ndarray:
        """4-week average revenue (what the figures draw)."""
        return rolling_mean(np.asarray(self.revenue), TREND_WEEKS)


@dataclass(frozen=True)
class Debrief:
    """The whole debrief of one game."""

    scenario: str
    title_en: str
    title_nl: str
    weeks: int
    round_weeks: int
    seed: int
    sigma_eur: float  # the normal weekly spread (one standard deviation of weekly revenue)
    entries: tuple[Entry, ...]  # by profit rank
    # The scenario's shocks, for the figures to mark (not in debrief.json: the scenario has them)
    shock_specs: tuple[Shock, ...] = field(default=(), compare=False)

    @property
    def participants(self) -> tuple[Entry, ...]:
        """The participants' entries, by profit rank."""
        return tuple(e for e in self.entries if e.kind == "participant")

    def policy(self, preset: str) -> Entry:
        """The entry of a policy (``COMPARED``)."""
        return next(e for e in self.entries if e.kind == "policy" and e.key == preset)

    def to_json(self) -> dict[str, Any]:
        """Everything as JSON (``debrief.json`` in the game folder)."""
        data = asdict(self)
        del data["shock_specs"]
        for entry, raw in zip(self.entries, data["entries"], strict=True):
            raw["reactions"], raw["investments"] = entry.reactions, entry.investments
            raw["on_noise"], raw["on_signal"] = entry.on_noise, entry.on_signal
        return data


def weekly_sigma(revenue: npt.ArrayLike) -> float:
    """The normal weekly spread: average moving range / d2 (0 for fewer than two weeks)."""
    values = np.asarray(revenue, dtype=float)
    if values.size < 2:
        return 0.0
    return float(np.mean(np.abs(np.diff(values))) / D2)


def signal_at(revenue: np.ndarray, target: np.ndarray, week: int, sigma: float) -> bool:
    """Whether the reports seen at ``week`` showed a signal (module docstring).

    Each report is held against its own week's target (a new target is no signal by itself).
    """
    last = week - 1 - REPORT_DELAY_WEEKS  # the week the latest report covers
    if last < 0:
        return False  # no report recorded yet: nothing to answer
    short = target[: last + 1] - revenue[: last + 1]  # each report's shortfall
    if short[-1] > WEEK_LIMIT_SIGMA * sigma:
        return True
    recent = short[-TREND_WEEKS:]
    if recent.size == TREND_WEEKS and float(recent.mean()) > TREND_LIMIT_SIGMA * sigma:
        return True
    run = short[-RUN_WEEKS:]
    return run.size == RUN_WEEKS and bool(np.all(run > 0.0))


def actions_of(run: Run, sigma: float) -> tuple[Action, ...]:
    """The run's actions, each judged noise or signal by the reports before it."""
    revenue, target = run.series["revenue"], run.series["target"]
    found: list[tuple[int, str, Literal["reaction", "investment"]]] = []
    levels: dict[str, float] = {}
    for item in run.interventions:
        week = math.floor(item.week)
        if item.lever in SYMPTOMATIC:
            found.append((week, item.lever, "reaction"))
            continue
        # A lasting lever is logged when moved noticeably; only a raise is an action taken.
        if item.intensity - levels.get(item.lever, 0.0) >= LOG_CHANGE - 1e-12:
            found.append((week, item.lever, "investment"))
        levels[item.lever] = item.intensity
    pressure = run.series["pressure"]
    previous = 0.0
    for week, level in enumerate(pressure):
        if level - previous >= LOG_CHANGE - 1e-12:
            found.append((week, "overtime", "reaction"))
        previous = float(level)
    found.sort()
    return tuple(
        Action(w, what, kind, signal_at(revenue, target, w, sigma)) for w, what, kind in found
    )


def _entry(
    key: str, name: str, kind: Literal["participant", "policy"], run: Run, sigma: float
) -> Entry:
    kpis = run_kpis(run.series, plant="sales")
    return Entry(
        key,
        name,
        kind,
        {k: float(kpis[k]) for k in KPIS},
        tuple(float(x) for x in run.series["revenue"]),
        tuple(float(x) for x in run.series["target"]),
        actions_of(run, sigma),
    )


def _ranks(entries: list[Entry], key: Callable[[Entry], tuple[float, ...]]) -> dict[str, int]:
    """Competition ranks (1, 1, 3): equal results share a place."""
    ordered = sorted(entries, key=key)
    ranks: dict[str, int] = {}
    for i, entry in enumerate(ordered):
        same = i > 0 and key(entry) == key(ordered[i - 1])
        ranks[entry.key] = ranks[ordered[i - 1].key] if same else i + 1
    return ranks


def _ranked(entries: list[Entry]) -> tuple[Entry, ...]:
    """By operating profit, best first; team health: lowest fatigue, fewest leavers, motivation."""
    profit = _ranks(entries, lambda e: (-e.kpis["operating_profit"],))
    health = _ranks(
        entries,
        lambda e: (e.kpis["fatigue_mean"], e.kpis["attrition"], -e.kpis["motivation_end"]),
    )
    ranked = [replace(e, profit_rank=profit[e.key], health_rank=health[e.key]) for e in entries]
    # Participants before a policy they tie with: the room's own results come first.
    return tuple(sorted(ranked, key=lambda e: (e.profit_rank, e.kind != "participant")))


def make_debrief(
    setup: GameSetup, participants: Sequence[tuple[int, str, Run]], policies: dict[str, Run]
) -> Debrief:
    """The debrief of finished runs: ``participants`` as (id, name, run), ``policies`` by preset."""
    sigma = weekly_sigma(policies["open-loop"].series["revenue"])
    entries = [_entry(f"p{i}", name, "participant", run, sigma) for i, name, run in participants]
    entries += [_entry(p, p, "policy", policies[p], sigma) for p in COMPARED]
    scenario = setup.scenario
    return Debrief(
        scenario.name,
        scenario.title.en,
        scenario.title.nl,
        setup.weeks,
        setup.round_weeks,
        setup.seed,
        sigma,
        _ranked(entries),
        tuple(scenario.shocks),
    )


def debrief_folder(folder: Path) -> Debrief:
    """The debrief of the game in ``folder``: every decision replayed, rounds not played held."""
    store = Store.open(folder)
    try:
        setup = GameSetup.from_json(store.meta()["setup"])
        decided: dict[int, list[Decisions]] = {}
        for stored in store.decisions():
            decided.setdefault(stored.participant, []).append(decisions_from_json(stored.choices))
        runs = []
        for seat in store.seats():
            played = decided.get(seat.id, [])
            game = replay(setup, played)
            try:
                while not game.done:  # a game debriefed before its end: the rest held
                    game.step(HOLD)
                runs.append((seat.id, seat.name, game.result()))
            finally:
                game.close()
    finally:
        store.close()
    return make_debrief(setup, runs, setup.comparisons())
