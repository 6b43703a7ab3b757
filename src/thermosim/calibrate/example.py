"""The shipped example data: two years of a synthetic team, made by the model with known values.

Owns the example's known parameters (``TRUTH``: a team of 8 with its own market, deals, repeat
business, season and growth, managed by a reflex), the scenario that plays them, and the data
file written from one replication of it, in Dutch notation (semicolons, decimal commas,
dd-mm-yyyy dates, Dutch headers and action words), as a Dutch spreadsheet saves it. The file is
synthetic: it shows how calibration works and lets anyone check that the fit recovers what was
put in (docs/calibration.md has the table). ``thermosim calibrate --example`` names its path.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from thermosim.calibrate.params import scenario_data
from thermosim.config.scenario import Scenario
from thermosim.engine import Run, simulate
from thermosim.numbers import number

EXAMPLE_FILE = "example-team.csv"
# The known values (params.py names): a team of 20 in a market of 45 leads a week (averaged over
# the two years), one in four qualified opportunities won, deals of EUR 20k on average with a
# lognormal spread of 0.5, repeat business at 60% of the default customer base, a season of
# +-20% on leads, and leads growing 10% over the two years. About 4.5 deals are won a week.
TRUTH: Mapping[str, float] = {
    "lead_rate": 45.0,
    "win_probability": 0.25,
    "deal_mean": 20_000.0,
    "deal_sigma": 0.5,
    "repeat_scale": 0.6,
    "trend": 0.10,
    "season_sin": 0.0,
    "season_cos": 0.20,
}
TEAM_SIZE = 20
# What the team books in the long run without reacting (open-loop: EUR 125.9k a week, 12
# replications, seed 1), rounded: the model's calibrated-target rule.
TARGET_EUR_PER_WEEK = 125_000.0
WEEKS = 104
SEED = 2024
FIRST_MONDAY = dt.date(2023, 1, 2)
# The reflex of the team that made the data: the reactive preset (last week's number, gain 4,
# quick fixes in the article's order).
VARIANT: Mapping[str, Any] = {"name": "team", "preset": "reactive"}
DUTCH_ACTIONS: Mapping[str, str] = {
    "call_blitz": "belactie",
    "extra_reporting": "extra rapportage",
    "training_day": "training",
    "urgent_meeting": "spoedoverleg",
    "discount_push": "korting",
    "cut_improvement": "verbetertijd geschrapt",
    "coaching": "coaching",
    "pipeline_discipline": "pipeline opschonen",
    "account_care": "klantbezoek",
    "capacity_planning": "vacature",
}
HEADER = ("week", "omzet", "gewonnen", "leads", "fte", "target", "acties")


def truth_scenario(
    values: Mapping[str, float] = TRUTH,
    variant: Mapping[str, Any] = VARIANT,
    weeks: int = WEEKS,
    team_size: int = TEAM_SIZE,
    target: float = TARGET_EUR_PER_WEEK,
) -> Scenario:
    """The scenario that plays the known values (or others, for tests of recovery)."""
    data = scenario_data("example-team", values, team_size, target, weeks, [variant], SEED, 1)
    return Scenario.model_validate(data)


def team_run(scenario: Scenario, seed: int = SEED, replication: int = 0) -> Run:
    """One replication of the scenario's only variant: the weeks a real team would have lived."""
    return simulate(scenario, scenario.variants[0].name, seed, replication)


def weekly_actions(run: Run, weeks: int, dutch: bool = True) -> list[str]:
    """What management did each week, from the run's interventions log, as a person writes it."""
    per_week: list[list[str]] = [[] for _ in range(weeks)]
    for action in run.interventions:
        week = int(action.week)
        if 0 <= week < weeks and action.lever not in per_week[week]:
            per_week[week].append(action.lever)
    words = DUTCH_ACTIONS if dutch else {k: k for k in DUTCH_ACTIONS}
    return [", ".join(words[lever] for lever in levers) for levers in per_week]


def data_text(run: Run, target: float = TARGET_EUR_PER_WEEK, dutch: bool = True) -> str:
    """The run's weeks as a CSV file: Dutch notation by default, else English with commas."""
    s = run.series
    weeks = len(s["revenue"])
    actions = weekly_actions(run, weeks, dutch)
    lang = "nl" if dutch else "en"
    sep = ";" if dutch else ","
    out = io.StringIO()
    out.write(
        "# Synthetic example: made by thermosim's model with known parameters (see\n"
        "# docs/calibration.md), not a real team. Try: thermosim calibrate THIS_FILE\n"
    )
    header = (
        HEADER
        if dutch
        else ("week", "revenue", "deals_won", "new_leads", "headcount", "target", "actions")
    )
    out.write(sep.join(header) + "\n")
    for t in range(weeks):
        day = FIRST_MONDAY + dt.timedelta(weeks=t)
        date = day.strftime("%d-%m-%Y") if dutch else day.isoformat()
        cells = [
            date,
            number(float(s["revenue"][t]), lang, 2).replace("\u2212", "-"),
            str(int(s["won"][t])),
            str(int(s["leads"][t])),
            str(int(s["headcount"][t])),
            number(target, lang, 0),
            actions[t],
        ]
        if not dutch:
            cells = [f'"{c}"' if "," in c else c for c in cells]
        out.write(sep.join(cells) + "\n")
    return out.getvalue()


def example_path() -> Path:
    """Where the shipped example file is (installed with the scenarios, under ``data/``)."""
    return Path(str(resources.files("thermosim.scenarios"))).resolve() / "data" / EXAMPLE_FILE


def make_example() -> str:
    """The example file's text, made now from the model (the shipped file is this text)."""
    return data_text(team_run(truth_scenario()))
