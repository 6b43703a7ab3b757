"""The game API: one participant's replication, stepped round by round with their decisions.

Owns ``GameSetup`` (the game's scenario: the chosen scenario cut to the game's weeks, with the
participant's variant beside ``reactive``, ``steered`` and ``open-loop``, all on one seed and
replication, so every participant and every policy meets the same market: common random
numbers) and ``Game`` (``report``, ``step(decisions)``, ``result()``). The participant's variant
is the ``open-loop`` one: its loop perceives as the reactive manager does, its policy never acts,
and at every review the engine asks the game instead (``engine.DecisionSource``). A participant
who always holds course is therefore the ``open-loop`` run, and one who plays the reactive rule
is the ``reactive`` run, to the last bit.

SimPy runs a replication in one call, while a manager in a browser decides minutes later: each
game runs its replication in a thread of its own that waits at the first review of every round
for the next ``step``. Only one side runs at a time (they hand over through two queues), so the
game's state needs no lock, and the luck is the replication's whatever the timing.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from thermosim.config.scenario import Scenario, Variant
from thermosim.control.levers import SYMPTOMATIC, Intervention
from thermosim.control.loop import Review
from thermosim.engine import Run, simulate
from thermosim.errors import ThermosimError
from thermosim.plant.base import REVIEW_AT, Decision
from thermosim.play.decisions import Course, Decisions
from thermosim.play.report import Report, ReportPoint, make_report, news_between

PARTICIPANT = "participant"
COMPARED = ("reactive", "steered", "open-loop")  # the policies every participant is held against
DEFAULT_WEEKS = 26
AFTER_SHOCK_WEEKS = 13  # by default a game runs a quarter past its last shock
MAX_WEEKS = 260
MAX_ROUND_WEEKS = 13
STEP_TIMEOUT_S = 120.0  # a replication that has not reached its next review by then is stuck


class GameError(ThermosimError):
    """A game that cannot be set up or stepped as asked."""

    bad_input = True


class GameClosedError(Exception):
    """Raised in a game's thread to stop its replication when the game is closed."""


def default_weeks(scenario: Scenario) -> int:
    """26 weeks, or a quarter past the last shock when that is later (at most the horizon)."""
    last = max((s.week for s in scenario.shocks if s.kind != "seasonality"), default=0.0)
    wanted = max(DEFAULT_WEEKS, math.ceil(last) + AFTER_SHOCK_WEEKS)
    return min(wanted, max(scenario.horizon_weeks, DEFAULT_WEEKS))


def _compared_variant(scenario: Scenario, preset: str) -> Variant:
    """The scenario's own variant of ``preset`` (its overrides kept), else the plain preset."""
    for variant in scenario.variants:
        if variant.preset == preset or variant.name == preset:
            return variant.model_copy(update={"name": preset})
    return Variant.model_validate({"name": preset, "preset": preset})


@dataclass(frozen=True)
class GameSetup:
    """The market every participant of one game plays in.

    Attributes
    ----------
    scenario
        The game's scenario: horizon = the game's weeks; variants: ``participant`` and the
        ``COMPARED`` policies.
    round_weeks
        Weeks per round (the participant decides at the first review of each).
    seed, replication
        The random streams every participant and policy share.
    """

    scenario: Scenario
    round_weeks: int
    seed: int
    replication: int = 0

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        weeks: int | None = None,
        round_weeks: int = 1,
        seed: int | None = None,
    ) -> GameSetup:
        """Set a game up on ``scenario`` (a sales scenario); GameError when it cannot be."""
        if scenario.plant.kind != "sales":
            raise GameError(
                f"scenario '{scenario.name}' simulates a {scenario.plant.kind}; play needs a "
                "sales team (any scenario but thermostat)"
            )
        weeks = default_weeks(scenario) if weeks is None else weeks
        if not 4 <= weeks <= MAX_WEEKS:
            raise GameError(f"a game lasts 4 to {MAX_WEEKS} weeks, not {weeks}")
        if not 1 <= round_weeks <= min(MAX_ROUND_WEEKS, weeks):
            raise GameError(
                f"a round lasts 1 to {min(MAX_ROUND_WEEKS, weeks)} weeks, not {round_weeks}"
            )
        late = [s for s in scenario.shocks if s.week >= weeks]
        if late:
            first = min(s.week for s in late)
            raise GameError(
                f"scenario '{scenario.name}' has a shock in week {first:g}, after the game's "
                f"{weeks} weeks; play at least {math.ceil(first) + 1} weeks (--weeks)"
            )
        compared = {p: _compared_variant(scenario, p) for p in COMPARED}
        participant = compared["open-loop"].model_copy(update={"name": PARTICIPANT})
        if participant.policy.review_weeks != 1:
            raise GameError("play needs weekly reviews (policy.review_weeks: 1) for open-loop")
        game = scenario.model_copy(
            update={"horizon_weeks": weeks, "variants": (participant, *compared.values())}
        )
        return cls(game, round_weeks, scenario.seed if seed is None else seed)

    @property
    def weeks(self) -> int:
        """Weeks the game lasts."""
        return self.scenario.horizon_weeks

    @property
    def rounds(self) -> int:
        """Rounds the game has (the last one may be shorter)."""
        return -(-self.weeks // self.round_weeks)

    def round_week(self, round_: int) -> int:
        """The week round ``round_`` starts."""
        return round_ * self.round_weeks

    def comparisons(self) -> dict[str, Run]:
        """The ``COMPARED`` policies' runs on the game's random numbers."""
        return {p: simulate(self.scenario, p, self.seed, self.replication) for p in COMPARED}

    def to_json(self) -> dict[str, Any]:
        """The setup as JSON (a game folder keeps it, so a copy can be debriefed anywhere)."""
        return {
            "scenario": self.scenario.model_dump(mode="json"),
            "round_weeks": self.round_weeks,
            "seed": self.seed,
            "replication": self.replication,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GameSetup:
        """The setup ``to_json`` wrote."""
        return cls(
            Scenario.model_validate(data["scenario"]),
            int(data["round_weeks"]),
            int(data["seed"]),
            int(data["replication"]),
        )


# What the replication's thread hands back: the next round's report, the finished run, or the
# error that stopped it.
_Outcome = Report | Run | BaseException


class Game:
    """One participant's game: a report per round, ``step`` with their decisions, then the run.

    Parameters
    ----------
    setup
        The game's market (shared by every participant of one workshop).

    Notes
    -----
    Use it as a context manager, or call ``close``: a game left unfinished keeps a thread
    waiting for its next decision.
    """

    def __init__(self, setup: GameSetup) -> None:
        self.setup = setup
        variant = setup.scenario.variant(PARTICIPANT)
        self._delay_weeks = round(variant.perception.delay_weeks)
        self.course = Course()
        self.decided: list[Decisions] = []  # one per round played
        self.reports: list[Report] = []  # one per round reached
        self._history: list[ReportPoint] = []
        self._answers: queue.SimpleQueue[Decisions | None] = queue.SimpleQueue()
        self._outcomes: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        self._run: Run | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._simulate, name="thermosim-game", daemon=True)
        self._thread.start()
        self._receive()

    def __enter__(self) -> Game:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the participant's side -------------------------------------------------------------

    @property
    def round(self) -> int:
        """The round to decide next (``rounds`` once the game is over)."""
        return len(self.decided)

    @property
    def done(self) -> bool:
        """Whether every round has been played and the replication has run to its end."""
        return self._run is not None

    @property
    def report(self) -> Report:
        """The latest report (the round to decide, or the last one when done)."""
        return self.reports[-1]

    def step(self, decisions: Decisions) -> Report | None:
        """Take this round's decisions, run to the next round; its report (None: game over)."""
        if self._closed:
            raise GameError("this game is closed")
        if self.done:
            raise GameError(f"the game is over: all {self.setup.rounds} rounds are played")
        self.decided.append(decisions)
        self._answers.put(decisions)
        self._receive()
        return None if self.done else self.report

    def result(self) -> Run:
        """The participant's run, once every round is played."""
        if self._run is None:
            raise GameError(f"the game is not over: round {self.round + 1} is next")
        return self._run

    def close(self) -> None:
        """Stop the replication's thread (a finished game's has already stopped)."""
        if self._closed:
            return
        self._closed = True
        if self._thread.is_alive():
            self._answers.put(None)
            self._thread.join(timeout=5.0)

    def _receive(self) -> None:
        try:
            outcome = self._outcomes.get(timeout=STEP_TIMEOUT_S)
        except queue.Empty:
            raise GameError("the simulation did not reach the next round in time") from None
        if isinstance(outcome, Run):
            self._run = outcome
        elif isinstance(outcome, Report):
            self.reports.append(outcome)
        else:
            self._closed = True
            raise GameError(f"the simulation stopped: {outcome}") from outcome

    # --- the replication's side (its own thread) --------------------------------------------

    def _simulate(self) -> None:
        setup = self.setup
        try:
            run = simulate(
                setup.scenario, PARTICIPANT, setup.seed, setup.replication, decide=self._decide
            )
        except GameClosedError:
            return
        except BaseException as exc:  # handed over, raised again on the participant's side
            self._outcomes.put(exc)
            return
        self._outcomes.put(run)

    def _decide(
        self, review: Review, proposed: Decision, sample: Callable[[str], float | None]
    ) -> Decision:
        """At each review: wait for the round's decisions at its first week, else hold course."""
        week = round(proposed.week - REVIEW_AT)
        self._history.append(ReportPoint(week, review.perceived, review.reference))
        round_, first = divmod(week, self.setup.round_weeks)
        fixes: dict[str, float] = {}
        if first == 0 and round_ < self.setup.rounds:
            since = self.setup.round_week(round_ - 1) if round_ else -math.inf
            report = make_report(
                round_,
                self.setup.rounds,
                week,
                review,
                tuple(self._history),
                sample,
                news_between(self.setup.scenario, since, week),
                self.course,
                self._delay_weeks,
            )
            self._outcomes.put(report)
            answer = self._answers.get()
            if answer is None:
                raise GameClosedError
            self.course = self.course.after(answer)
            fixes = dict(answer.quick_fixes)
        # Quick fixes in the order of the lever menu, as a reflex reaches for them.
        started = [
            Intervention(proposed.week, lever, fixes[lever], "team")
            for lever in SYMPTOMATIC
            if lever in fixes
        ]
        return Decision(
            week=proposed.week,
            continuous={**proposed.continuous, **self.course.lasting},
            pushes=proposed.pushes,
            started=[*started, *proposed.started],
            pressure=self.course.overtime,
            gap=proposed.gap,
            goal_shared=proposed.goal_shared,
        )


def replay(setup: GameSetup, decisions: list[Decisions]) -> Game:
    """A game with ``decisions`` played, round after round (a resumed or debriefed game)."""
    if len(decisions) > setup.rounds:
        raise GameError(f"{len(decisions)} decisions for a game of {setup.rounds} rounds")
    game = Game(setup)
    try:
        for decided in decisions:
            game.step(decided)
    except BaseException:
        game.close()
        raise
    return game
