"""The workshop debrief: noise or signal, the rankings, and ``thermosim debrief``'s files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import make_scenario
from thermosim.cli import main
from thermosim.control.levers import Intervention
from thermosim.engine import Run
from thermosim.play.debrief import (
    D2,
    actions_of,
    debrief_folder,
    make_debrief,
    signal_at,
    weekly_sigma,
)
from thermosim.play.decisions import HOLD, Decisions
from thermosim.play.game import GameSetup
from thermosim.play.workshop import Workshop

TARGET = 100.0


def test_the_weekly_spread_is_the_average_moving_range_over_d2() -> None:
    assert weekly_sigma([90.0, 110.0, 90.0, 110.0]) == pytest.approx(20.0 / D2)
    # A one-off step moves one moving range only: the spread barely notices a shock.
    step = [100.0, 104.0] * 10 + [70.0, 74.0] * 10
    assert weekly_sigma(step) == pytest.approx((38 * 4 + 34) / 39 / D2)
    assert weekly_sigma([5.0]) == 0.0


@pytest.mark.parametrize(
    ("reports", "signal"),
    [
        ([100, 95, 104, 97], False),  # ordinary weeks: noise
        ([100, 100, 100, 60], True),  # one report more than 3 sigma below target
        ([80, 79, 81, 80], True),  # four reports averaging more than 1.5 sigma below
        ([99] * 8, True),  # eight in a row below target: a run
        ([99] * 7 + [101], False),
    ],
)
def test_a_signal_is_what_a_process_chart_would_call_one(
    reports: list[float], signal: bool
) -> None:
    sigma = 10.0
    revenue = np.array([*reports, 0.0, 0.0])
    target = np.full(revenue.size, TARGET)
    # Decided at week len(reports) + 1: the latest report is the week before last.
    assert signal_at(revenue, target, len(reports) + 1, sigma) is signal


def test_before_any_report_there_is_nothing_to_answer() -> None:
    revenue, target = np.zeros(5), np.full(5, TARGET)
    assert not signal_at(revenue, target, 1, 10.0)
    assert signal_at(revenue, target, 2, 10.0)


def _run(revenue: list[float], interventions: list[Intervention], pressure: list[float]) -> Run:
    n = len(revenue)
    series = {"revenue": np.array(revenue), "target": np.full(n, TARGET)}
    series["pressure"] = np.array(pressure)
    return Run("s", "v", 1, 0, series, tuple(interventions), 0)


def test_actions_are_reactions_or_investments_each_judged_by_the_reports_before() -> None:
    revenue = [100.0, 100.0, 100.0, 40.0, 100.0, 100.0, 100.0, 100.0]
    log = [
        Intervention(1.001, "call_blitz", 1.0),  # nothing reported yet: noise
        Intervention(5.001, "discount_push", 0.5),  # after the 40 of week 3: a signal
        Intervention(2.001, "coaching", 0.3),  # a lasting lever raised: an investment
        Intervention(6.001, "coaching", 0.1),  # lowered: no action
    ]
    pressure = [0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.5, 1.0]
    actions = actions_of(_run(revenue, log, pressure), sigma=10.0)
    assert [(a.week, a.what, a.kind, a.signal) for a in actions] == [
        (1, "call_blitz", "reaction", False),
        (2, "coaching", "investment", False),
        (5, "discount_push", "reaction", True),
        (5, "overtime", "reaction", True),
        (7, "overtime", "reaction", False),
    ]


@pytest.fixture(scope="module")
def finished_game(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A game of two participants: one held course, one reached for quick fixes."""
    scenario = make_scenario("reactive", "steered", plant={"warmup_weeks": 6})
    folder = tmp_path_factory.mktemp("debrief") / "game"
    room = Workshop.create(folder, GameSetup.of(scenario, weeks=12, round_weeks=2))
    holder, _ = room.join("Hold", "en")
    fixer, _ = room.join("Fix", "nl")
    room.start()
    room.decide(fixer.id, 0, Decisions({"call_blitz": 1.0, "urgent_meeting": 1.0}, {}, 0.8))
    room.next_round()
    room.decide(fixer.id, 1, Decisions({"discount_push": 1.0}))
    room.decide(holder.id, 1, HOLD)
    room.close()  # stopped mid-game: the debrief holds course for the rounds not played
    return folder


def test_the_debrief_of_a_folder_ranks_everyone_on_the_same_market(finished_game: Path) -> None:
    debrief = debrief_folder(finished_game)
    names = {e.name: e for e in debrief.entries}
    assert set(names) == {"Hold", "Fix", "reactive", "steered", "open-loop"}
    hold, nothing = names["Hold"], debrief.policy("open-loop")
    assert hold.kpis == nothing.kpis and hold.revenue == nothing.revenue
    # A tie shares its place, and the participant is listed before the policy.
    assert hold.profit_rank == nothing.profit_rank and hold.health_rank == nothing.health_rank
    order = [e.name for e in debrief.entries]
    assert order.index("Hold") == order.index("open-loop") - 1
    assert [e.profit_rank for e in debrief.entries] == sorted(
        e.profit_rank for e in debrief.entries
    )
    fix = names["Fix"]
    assert fix.reactions == 4 and fix.on_noise + fix.on_signal == 4  # 3 fixes, overtime once
    assert hold.reactions == 0 and debrief.sigma_eur > 0
    data = debrief.to_json()
    assert json.loads(json.dumps(data))["entries"][0]["profit_rank"] == 1


def test_a_hand_made_debrief_needs_only_runs(finished_game: Path) -> None:
    setup = GameSetup.of(make_scenario("reactive", plant={"warmup_weeks": 6}), weeks=8)
    debrief = make_debrief(setup, [], setup.comparisons())
    assert [e.kind for e in debrief.entries] == ["policy"] * 3 and not debrief.participants


@pytest.mark.slow  # draws three slide figures and writes a deck: a few seconds
def test_thermosim_debrief_writes_figures_a_deck_with_notes_and_the_numbers(
    finished_game: Path,
) -> None:
    from pptx import Presentation

    result = CliRunner().invoke(main, ["debrief", str(finished_game), "--lang", "nl"])
    assert result.exit_code == 0, result.output
    folder = finished_game / "debrief"
    for name in ("debrief-revenue", "debrief-ranking", "debrief-noise"):
        assert (folder / "figures" / f"{name}.nl.png").stat().st_size > 10_000
    deck = Presentation(str(folder / "debrief.nl.pptx"))
    slides = list(deck.slides)
    assert len(slides) == 5
    titles = [s.shapes.title.text for s in slides]
    assert titles[0].startswith("Nabespreking") and titles[-1] == "Vragen aan de zaal"
    notes = [s.notes_slide.notes_text_frame.text for s in slides]
    assert re.search(r"Fix \d/4", notes[3]) and "Hold 0/0" in notes[3]
    assert "dezelfde toevalsgetallen" in notes[0]
    saved = json.loads((folder / "debrief.json").read_text(encoding="utf-8"))
    assert {e["name"] for e in saved["entries"]} >= {"Hold", "Fix"}


@pytest.mark.slow  # three figures in two languages
def test_the_figures_say_their_finding_in_both_languages(finished_game: Path) -> None:
    from thermosim.figures.debrief import DRAW

    debrief = debrief_folder(finished_game)
    for lang, words in (("en", "participants"), ("nl", "deelnemers")):
        revenue = DRAW["debrief-revenue"](debrief, lang, "full")
        assert words in revenue._suptitle.get_text()  # type: ignore[union-attr]
        noise = DRAW["debrief-noise"](debrief, lang, "full")
        assert "%" in noise._suptitle.get_text()  # type: ignore[union-attr]
        ranking = DRAW["debrief-ranking"](debrief, lang, "full")
        labels = [t.get_text() for t in ranking.axes[0].get_yticklabels()]
        assert "Hold" in labels and "Fix" in labels


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_debrief_chart_marks_the_shock_the_room_answered(lang: str) -> None:
    import thermosim
    from thermosim.figures.debrief import draw_debrief_revenue
    from thermosim.figures.labels import text

    def shock_texts(name: str) -> list[str]:
        setup = GameSetup.of(thermosim.load_scenario(name), weeks=30)
        fig = draw_debrief_revenue(make_debrief(setup, [], setup.comparisons()), lang)
        return [t.get_text() for t in fig.axes[0].texts]

    lost = text("shock.lost_account", lang)
    assert shock_texts("lost-key-account") == [lost]  # the key account leaves in week 26
    assert shock_texts("baseline") == []  # no shock, nothing marked
    # The shocks are the scenario's, not part of debrief.json.
    setup = GameSetup.of(thermosim.load_scenario("lost-key-account"), weeks=30)
    debrief = make_debrief(setup, [], setup.comparisons())
    assert [s.kind for s in debrief.shock_specs] == ["lost_account"]
    assert "shock_specs" not in debrief.to_json()
