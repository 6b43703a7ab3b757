"""Scenario loading and validation: presets, overrides, extends, and refusals with reasons."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

import thermosim
from thermosim import ScenarioError
from thermosim.config.fields import locate
from thermosim.config.presets import PRESETS, PresetName
from thermosim.config.scenario import MAX_SHOCKS
from thermosim.control.levers import LEVERS, LeverName


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


# --- names as types, and field-level limits (issue 11) -----------------------------------------


def test_lever_and_preset_names_are_the_types_of_the_fields() -> None:
    assert get_args(LeverName) == tuple(LEVERS)
    assert get_args(PresetName) == tuple(PRESETS)


def test_an_error_location_with_union_tags_is_the_path_written_in_yaml() -> None:
    people = locate(("plant", "sales", "people", "team_size"))
    assert people.path == ("plant", "people", "team_size")
    assert (people.unit, people.range_words()) == ("people", "from 1 to 10000")
    factor = locate(("shocks", 0, "lead_rate", "factor"))
    assert factor.path == ("shocks", 0, "factor") and factor.required
    assert locate(("plant",)).kinds.keys() == {"sales", "thermostat"}
    assert locate(("variants", 0, "preset")).noun == "preset"


def refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(ScenarioError) as info:
        thermosim.load_scenario(write(tmp_path, text))
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: t\nvariants:\n  - {name: a, reference: {kind: raised, raise_week: .nan}}\n",
            "s.yaml:3:53: variants.0.reference.raise_week: must be a finite number, got .nan",
        ),
        (
            "name: t\nvariants:\n  - name: a\n    members: [{metric: revenue, reference: .inf}]\n",
            "s.yaml:4:44: variants.0.members.0.reference: must be a finite number, got .inf",
        ),
        (
            MINIMAL + "plant: {kind: sales, people: {team_size: -.inf}}\n",
            "plant.people.team_size: must be a finite number, got -.inf; salespeople at the start",
        ),
        (MINIMAL + "horizon_weeks: .nan\n", "horizon_weeks: must be a finite number, got .nan"),
    ],
)
def test_nan_and_infinity_are_refused_at_their_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert expected in refusal(tmp_path, text)


@pytest.mark.parametrize(
    ("field", "minimum"),
    [
        ("plant.time.contracted_hours_per_week", "1"),
        ("plant.target_eur_per_week", "1"),
        ("plant.deals.cycle_weeks", "0.1"),
        ("plant.deals.deal_value_eur", "1"),
        ("plant.accounts.satisfaction_reference", "0.01"),
        ("plant.levers.call_blitz.hours_per_lead", "0.1"),
        ("variants.0.policy.review_weeks", "0.01"),
        ("variants.0.reference.level", "0.01"),
        ("shocks.0.period_weeks", "2"),
    ],
)
def test_a_denormal_is_refused_where_a_run_would_divide_by_it(
    tmp_path: Path, field: str, minimum: str
) -> None:
    # 5e-324 is above 0 but overflows (or makes NaN) in the plant: each such field has a
    # realistic positive minimum instead of an exclusive 0.
    *parents, key = field.split(".")
    value: object = {key: 5e-324}
    for part in reversed(parents):
        value = [value] if part.isdigit() else {part: value}
    assert isinstance(value, dict)
    text = "name: t\n"
    if "plant" in value:
        text += f"plant: {{kind: sales, {str(value['plant'])[1:-1]}}}\n"
    if "shocks" in value:
        text += "shocks: [{kind: seasonality, week: 1, period_weeks: 5e-324}]\n"
    if "variants" in value:
        text += f"variants: [{{name: a, {str(value['variants'][0])[1:-1]}}}]\n"
    else:
        text += "variants: [{name: a}]\n"
    assert f"{field}: must be at least {minimum}, got 5e-324" in refusal(tmp_path, text)


def test_a_review_every_nanosecond_is_refused_rather_than_run_for_ever(tmp_path: Path) -> None:
    text = "name: t\nvariants:\n  - {name: a, policy: {review_weeks: 1e-9}}\n"
    assert "must be at least 0.01, got 1e-09; weeks between reviews" in refusal(tmp_path, text)


def test_shocks_and_members_are_capped_with_a_message(tmp_path: Path) -> None:
    shock = "  - {kind: lead_rate, week: 1, factor: 0.9}\n"
    text = MINIMAL + "shocks:\n" + shock * (MAX_SHOCKS + 1)
    assert f"shocks: at most {MAX_SHOCKS} shocks are allowed, got {MAX_SHOCKS + 1}" in refusal(
        tmp_path, text
    )
    assert len(thermosim.load_scenario(write(tmp_path, MINIMAL + "shocks:\n" + shock * 50)).shocks)
    member = "      - {metric: revenue, reference: 1.0}\n"
    text = "name: t\nvariants:\n  - name: a\n    members:\n" + member * 21
    assert "variants.0.members: at most 20 members are allowed, got 21" in refusal(tmp_path, text)


@pytest.mark.parametrize("name", [".", "..", ".hidden"])
def test_a_name_is_no_dot_folder(tmp_path: Path, name: str) -> None:
    text = f"name: '{name}'\nvariants:\n  - {{name: a}}\n"
    assert f"name: '{name}' may not start with '.'" in refusal(tmp_path, text)
    text = f"name: t\nvariants:\n  - {{name: '{name}'}}\n"
    assert f"variants.0.name: '{name}' may not start with '.'" in refusal(tmp_path, text)


def test_a_plant_set_on_the_command_line_gets_the_default_kind(tmp_path: Path) -> None:
    scenario = thermosim.load_scenario(write(tmp_path, MINIMAL), ["plant.people.team_size=7"])
    assert scenario.plant.kind == "sales"
    assert scenario.plant.people.team_size == 7  # type: ignore[union-attr]
