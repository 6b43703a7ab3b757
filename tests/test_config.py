"""Scenario loading and validation: presets, overrides, extends, and refusals with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

import thermosim
from thermosim import ScenarioError
from thermosim.config.presets import PRESETS


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = "name: t\nvariants:\n  - {name: a, preset: reactive}\n"


def test_every_shipped_scenario_loads_and_has_both_languages() -> None:
    names = thermosim.shipped_names()
    assert len(names) >= 11
    for name in names:
        scenario = thermosim.load_scenario(name)
        assert scenario.name == name
        assert scenario.title.en and scenario.title.nl, name
        assert scenario.replications >= 30, name


def test_preset_fields_can_be_overridden_one_by_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name: t\nvariants:\n  - {name: a, preset: steered, policy: {gain: 0.3}}\n",
    )
    variant = thermosim.load_scenario(path).variants[0]
    assert variant.policy.gain == 0.3
    # Everything not overridden still comes from the preset.
    steered = PRESETS["steered"]
    assert variant.policy.integral_time_weeks == steered["policy"]["integral_time_weeks"]
    assert variant.perception.window_weeks == steered["perception"]["window_weeks"]
    assert variant.levers.mode == "continuous"


def test_extends_merges_mappings_and_replaces_lists(tmp_path: Path) -> None:
    write(
        tmp_path,
        MINIMAL + "horizon_weeks: 52\nplant: {kind: sales, people: {team_size: 7}}\n",
        "base.yaml",
    )
    path = write(
        tmp_path,
        "name: child\nextends: base.yaml\nplant: {kind: sales, deals: {cycle_weeks: 4}}\n"
        "variants:\n  - {name: b, preset: steered}\n",
    )
    scenario = thermosim.load_scenario(path)
    assert scenario.horizon_weeks == 52  # inherited
    assert scenario.plant.people.team_size == 7  # nested mapping merged
    assert scenario.plant.deals.cycle_weeks == 4  # and extended
    assert [v.name for v in scenario.variants] == ["b"]  # list replaced


def test_shipped_base_by_name(tmp_path: Path) -> None:
    path = write(tmp_path, "name: mine\nextends: lost-key-account\n")
    scenario = thermosim.load_scenario(path)
    assert scenario.shocks[0].kind == "lost_account"


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (
            MINIMAL + "horizon_weks: 10\n",
            "horizon_weks",
            "unknown key 'horizon_weks': did you mean 'horizon_weeks'?",
        ),
        (MINIMAL + "horizon_weeks: ten\n", "horizon_weeks", "expected a whole number, got 'ten'"),
        (MINIMAL + "horizon_weeks: 2\n", "horizon_weeks", "must be at least 4, got 2"),
        (
            MINIMAL + "plant: {kind: sales, people: {team_size: -3}}\n",
            "plant.people.team_size",
            "must be at least 1, got -3",
        ),
        (
            MINIMAL + "plant: {kind: sales, deals: {win_probability: 1.5}}\n",
            "plant.deals.win_probability",
            "must be at most 1, got 1.5",
        ),
        (
            "name: t\nvariants:\n  - {name: a, preset: reactiv}\n",
            "variants.0.preset",
            "did you mean 'reactive'",
        ),
        (
            "name: t\nvariants:\n  - {name: a, preset: steered, policy: {gian: 1}}\n",
            "variants.0.policy.gian",
            "unknown key 'gian': did you mean 'gain'?",
        ),
        (
            "name: t\nvariants:\n  - {name: a, levers: {repertoire: [call_blits]}}\n",
            "variants.0.levers.repertoire.0",
            "did you mean 'call_blitz'",
        ),
        (MINIMAL + "shocks:\n  - {kind: lost_acount, week: 3}\n", "shocks.0", "lost_account"),
        (
            MINIMAL + "shocks:\n  - {kind: lead_rate, week: 3}\n",
            "shocks.0.factor",
            "missing required field 'factor'",
        ),
        (
            "name: t\nvariants:\n  - {name: a, preset: reactive}\n  - {name: a, preset: steered}\n",
            "variants.1.name",
            "variant name 'a' is already used by variant 0 (line 3); variant names must be unique",
        ),
        (
            MINIMAL + "shocks:\n  - {kind: outside_temperature, week: 3, delta_c: -5}\n",
            "shocks.0.kind",
            "does not apply to the sales plant",
        ),
    ],
)
def test_bad_fields_are_refused_with_field_and_expectation(
    tmp_path: Path, text: str, field: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        thermosim.load_scenario(path)
    message = str(info.value)
    assert str(path) in message
    assert field in message
    assert expected in message


def test_all_problems_of_a_file_are_listed_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "horizon_weeks: 1\nseed: -1\nreplications: 0\n")
    with pytest.raises(ScenarioError, match="3 problem") as info:
        thermosim.load_scenario(path)
    assert {p.field for p in info.value.issues} == {
        "horizon_weeks",
        "seed",
        "replications",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_broken_files_are_refused(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ScenarioError, match=expected):
        thermosim.load_scenario(write(tmp_path, text))


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match="not a UTF-8 text file"):
        thermosim.load_scenario(path)


def test_extends_cycle_and_missing_base_show_the_chain(tmp_path: Path) -> None:
    write(tmp_path, "name: a\nextends: b.yaml\n", "a.yaml")
    write(tmp_path, "name: b\nextends: a.yaml\n", "b.yaml")
    with pytest.raises(ScenarioError, match="cycle") as info:
        thermosim.load_scenario(tmp_path / "a.yaml")
    assert "a.yaml -> " in str(info.value) and "b.yaml" in str(info.value)
    missing = write(tmp_path, "name: c\nextends: nowhere.yaml\n", "c.yaml")
    with pytest.raises(ScenarioError, match="no scenario file or shipped scenario called"):
        thermosim.load_scenario(missing)


def test_unknown_shipped_name_suggests_the_closest() -> None:
    with pytest.raises(ScenarioError, match="did you mean 'baseline'"):
        thermosim.load_scenario("baselin")


def test_scenario_is_frozen() -> None:
    scenario = thermosim.load_scenario("baseline")
    with pytest.raises(ValueError, match="frozen"):
        scenario.horizon_weeks = 10  # type: ignore[misc]
