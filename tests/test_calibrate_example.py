"""The shipped example data: made by the model from known values, and diagnosed back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from thermosim.calibrate import read_weekly
from thermosim.calibrate.diagnose import diagnose
from thermosim.calibrate.example import (
    EXAMPLE_FILE,
    TARGET_EUR_PER_WEEK,
    TEAM_SIZE,
    example_path,
    make_example,
)

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_example_is_what_the_model_makes_from_the_known_values() -> None:
    shipped = (ROOT / "scenarios" / "data" / EXAMPLE_FILE).read_text(encoding="utf-8")
    assert shipped == make_example(), "regenerate: thermosim.calibrate.example.make_example()"
    assert shipped.startswith("# Synthetic example: made by thermosim's model")
    assert example_path().read_text(encoding="utf-8") == shipped


def test_the_example_reads_as_two_dutch_years_of_a_reflex_team() -> None:
    data = read_weekly(example_path())
    assert data.weeks == 104 and data.present.all()
    assert data.headcount is not None and data.headcount[:13].max() == TEAM_SIZE
    assert data.target is not None and np.all(data.target == TARGET_EUR_PER_WEEK)
    assert data.columns["revenue"] == "omzet" and data.columns["actions"] == "acties"
    found = diagnose(data.revenue, data.target, data.present, data.actions, season=True)
    rule = found.rule
    assert rule is not None and rule.mode == "episodic"
    assert (rule.window_weeks, rule.delay_weeks, rule.mismatches) == (1, 1, 0)
    assert rule.trigger == pytest.approx(0.05)
    # A noise-only market around its season and trend: every action answered noise.
    assert found.noise_share > 0.9
