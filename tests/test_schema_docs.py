"""JSON Schema, scenario reference, `show` output and `new` files: generated from the models,
kept in step with them, and readable back by the loader."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from ruamel.yaml import YAML

import thermosim
from thermosim import Scenario, ScenarioError
from thermosim.config import PRESETS, Variant
from thermosim.config.dump import EXAMPLES, EXAMPLES_MARKER, dump_scenario, new_scenario_text
from thermosim.config.fields import Spot, all_sections, section
from thermosim.config.loader import shipped_dir
from thermosim.config.reference_doc import reference_markdown
from thermosim.config.schema import (
    REFERENCE_FILE,
    REGENERATE,
    SCHEMA_FILE,
    main,
    scenario_json_schema,
    schema_text,
)
from thermosim.control.levers import LEVERS

# One xdist worker runs this module, so its shared fixtures/caches are computed once.
pytestmark = [pytest.mark.xdist_group("schema_docs")]

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = thermosim.shipped_names()
SCHEMA_LINE = "# yaml-language-server: $schema=../thermosim.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = scenario_json_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def plain(text: str) -> Any:
    """YAML text as plain Python data, as an editor's schema check sees it."""
    return YAML(typ="safe", pure=True).load(text)


def all_errors(errors: Iterator[ValidationError]) -> list[ValidationError]:
    """Errors with the errors of every branch of a oneOf/anyOf they hold."""
    found = []
    for error in errors:
        found.append(error)
        found.extend(all_errors(iter(error.context or [])))
    return found


def messages(validator: Draft202012Validator, data: Any) -> list[str]:
    return [e.message for e in all_errors(validator.iter_errors(data))]


MINIMAL: dict[str, Any] = {"name": "t", "variants": [{"name": "a", "preset": "reactive"}]}


# --- the schema -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_schema_accepts_every_shipped_scenario(validator: Draft202012Validator, name: str) -> None:
    data = plain((shipped_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    assert messages(validator, data) == []


@pytest.mark.parametrize(
    ("data", "typo"),
    [
        ({**MINIMAL, "horizon_week": 52}, "horizon_week"),
        ({**MINIMAL, "plant": {"kind": "sales", "people": {"team_sise": 4}}}, "team_sise"),
        ({"name": "t", "variants": [{"name": "a", "policy": {"gian": 2}}]}, "gian"),
        ({**MINIMAL, "shocks": [{"kind": "lost_account", "week": 3, "cont": 2}]}, "cont"),
    ],
)
def test_schema_rejects_a_misspelt_key(
    validator: Draft202012Validator, data: dict[str, Any], typo: str
) -> None:
    found = messages(validator, data)
    assert any(f"'{typo}' was unexpected" in m for m in found), found


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**MINIMAL, "horizon_weeks": 2}, "2 is less than the minimum of 4"),
        (
            {**MINIMAL, "plant": {"kind": "sales", "deals": {"win_probability": 1.5}}},
            "1.5 is greater than the maximum of 1",
        ),
        (
            {"name": "t", "variants": [{"name": "a", "perception": {"window_weeks": 0}}]},
            "0 is less than or equal to the minimum of 0",
        ),
    ],
)
def test_schema_rejects_a_number_out_of_range(
    validator: Draft202012Validator, data: dict[str, Any], expected: str
) -> None:
    assert expected in messages(validator, data)


def test_schema_knows_presets_levers_shock_kinds_and_metrics(
    validator: Draft202012Validator,
) -> None:
    assert messages(validator, {"name": "t", "variants": [{"name": "a", "preset": "steerd"}]})
    lever = {"name": "a", "levers": {"repertoire": ["coaching", "cold_calling"]}}
    assert messages(validator, {"name": "t", "variants": [lever]})
    assert messages(validator, {**MINIMAL, "shocks": [{"kind": "lost_acount", "week": 3}]})
    members = {"name": "a", "members": [{"metric": "revnue", "reference": 1.1}]}
    assert messages(validator, {"name": "t", "variants": [members]})
    # ... and accepts them when spelt right.
    good = {
        "name": "a",
        "preset": "steered",
        "levers": {"repertoire": ["coaching"]},
        "members": [{"metric": "revenue", "reference": 1.1, "gain": 3}],
    }
    assert messages(validator, {"name": "t", "variants": [good]}) == []


def test_a_variant_needs_only_its_name(validator: Draft202012Validator) -> None:
    partial = {"name": "t", "variants": [{"name": "a", "policy": {"gain": 0.3}}]}
    assert messages(validator, partial) == []
    nameless = {"name": "t", "variants": [{"preset": "steered"}]}
    assert "'name' is a required property" in messages(validator, nameless)


def test_a_file_that_extends_may_leave_out_what_its_base_gives(
    validator: Draft202012Validator,
) -> None:
    child = {"extends": "baseline", "plant": {"people": {"team_size": 6}}}
    assert messages(validator, child) == []
    alone = {"plant": {"people": {"team_size": 6}}}
    found = messages(validator, alone)
    # Without a base, the file must be whole: a name, variants, and the plant's kind.
    assert "'name' is a required property" in found
    assert "'variants' is a required property" in found
    assert "'kind' is a required property" in found


def _objects(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{path}/{i}")


def test_every_property_is_described_and_every_object_is_closed() -> None:
    schema = scenario_json_schema()
    objects = [(p, o) for p, o in _objects(schema) if not p.endswith("/else")]
    assert len(objects) >= 20  # the scenario and each of its sections, plants and shock kinds
    for path, obj in objects:
        assert obj.get("additionalProperties") is False, path
        for key, prop in obj["properties"].items():
            assert prop.get("description"), f"{path}/{key}"
    hours = schema["$defs"]["TimeConfig"]["properties"]["contracted_hours_per_week"]
    assert hours["description"].endswith("Unit: hours/week.")


def test_schema_carries_units_and_the_names_of_levers_and_presets() -> None:
    defs = scenario_json_schema()["$defs"]
    repertoire = defs["LeversConfig"]["properties"]["repertoire"]
    assert repertoire["items"]["enum"] == list(LEVERS)
    assert defs["PlannedAction"]["properties"]["lever"]["enum"] == list(LEVERS)
    assert defs["Variant"]["properties"]["preset"]["anyOf"][0]["enum"] == list(PRESETS)
    salary = defs["CostsConfig"]["properties"]["salary_eur_per_year"]
    assert salary["unit"] == "EUR/year" and salary["description"].endswith("Unit: EUR/year.")
    assert defs["TimeConfig"]["properties"]["contracted_hours_per_week"]["unit"] == "hours/week"
    assert "unit" not in defs["MechanismsConfig"]["properties"]["noise"]  # a switch: no unit


def test_a_number_without_a_unit_fails_loudly() -> None:
    owner = {"title": "X", "properties": {"y": {"type": "number"}, "y_weeks": {"type": "number"}}}
    assert Spot(("y_weeks",), {"type": "number"}, owner, "X").unit == "weeks"  # by its name
    with pytest.raises(LookupError, match=r"no unit known for X\.y:"):
        _ = Spot(("y",), {"type": "number"}, owner, "X").unit


def test_schema_file_is_up_to_date() -> None:
    committed = (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), (
        f"{SCHEMA_FILE} is out of date with the models: run `{REGENERATE}` from the repository "
        "root and commit the result"
    )


# --- the reference doc ------------------------------------------------------------------------


def test_reference_doc_is_up_to_date() -> None:
    committed = (ROOT / REFERENCE_FILE).read_text(encoding="utf-8")
    assert committed == reference_markdown(), (
        f"{REFERENCE_FILE} is out of date with the models: run `{REGENERATE}` from the "
        "repository root and commit the result"
    )


# Units a trainer can read off the key itself (architecture.md: units in names).
SUFFIX_UNITS = {"_weeks": "weeks", "_eur": "EUR", "_c": "degC", "_per_week": "/week"}


def test_every_field_appears_in_the_reference_with_its_unit() -> None:
    rows: dict[str, list[list[str]]] = {}
    for line in reference_markdown().splitlines():
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if line.startswith("| `") and len(cells) == 6:
            rows.setdefault(cells[0].strip("`"), []).append(cells)
    fields = [spot for model in all_sections() for spot in model.fields()]
    assert len(fields) > 100
    for doc in fields:
        units = [row[2] for row in rows.get(doc.name, [])]
        where = f"{doc.model}.{doc.name}"
        assert doc.unit in units, f"{where} missing, or without its unit"
        for suffix, unit in SUFFIX_UNITS.items():
            if doc.name.endswith(suffix):
                assert any(unit in u for u in units), (where, units)
    assert "extends" in rows
    for preset in PRESETS:
        assert f"| `{preset}` |" in reference_markdown()


def test_regenerating_writes_both_files(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 2  # not a repository root: nothing written
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "scenarios").mkdir()
    assert main([str(tmp_path)]) == 0
    assert json.loads((tmp_path / SCHEMA_FILE).read_text()) == scenario_json_schema()
    assert (tmp_path / REFERENCE_FILE).read_text(encoding="utf-8") == reference_markdown()


# --- show: the resolved scenario as YAML -------------------------------------------------------


def load_text(tmp_path: Path, text: str, name: str = "s.yaml") -> Scenario:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return thermosim.load_scenario(path)


@pytest.mark.parametrize("name", SHIPPED)
def test_dump_round_trips_every_shipped_scenario(tmp_path: Path, name: str) -> None:
    scenario = thermosim.load_scenario(name)
    text = dump_scenario(scenario)
    assert load_text(tmp_path, text) == scenario
    assert "extends" not in plain(text)
    # Every key has a comment, at the end of its line or on the line above.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^\s*(- )?[a-z_]+:", line):
            assert " # " in line or lines[i - 1].lstrip().startswith("#"), line


def test_dump_writes_every_field_in_model_order(tmp_path: Path) -> None:
    scenario = thermosim.load_scenario("lost-key-account")
    data = plain(dump_scenario(scenario))
    assert list(data) == [d.name for d in section("Scenario").fields()]
    assert next(iter(data["shocks"][0])) == "kind"
    variant = data["variants"][1]
    assert list(variant)[:2] == ["name", "preset"]
    # Fully resolved: the preset's values are written out, so the variant needs no preset.
    without_preset = {k: v for k, v in variant.items() if k != "preset"}
    resolved = Variant.model_validate(without_preset)
    assert resolved == scenario.variants[1].model_copy(update={"preset": None})
    assert variant["perception"]["window_weeks"] == 8  # from the steered preset


def test_dump_keeps_floats_exact(tmp_path: Path, small_scenario: Callable[..., Scenario]) -> None:
    awkward = small_scenario(
        "steered",
        plant={
            "deals": {"win_probability": 1 / 3, "deal_value_eur": 123456.78901234567},
            "people": {"fatigue_per_overtime_hour": 1.5e-7},
        },
        variants=[{"name": "a", "preset": "steered", "perception": {"noise": 0.1 + 0.2}}],
    )
    back = load_text(tmp_path, dump_scenario(awkward))
    assert back == awkward
    assert back.variants[0].perception.noise == 0.30000000000000004


def test_dump_quotes_names_that_look_like_numbers(
    tmp_path: Path, small_scenario: Callable[..., Scenario]
) -> None:
    scenario = small_scenario(name="2024", variants=[{"name": "1.0"}, {"name": "null"}])
    text = dump_scenario(scenario)
    assert load_text(tmp_path, text) == scenario


def test_dump_can_point_editors_at_the_schema() -> None:
    text = dump_scenario(thermosim.load_scenario("baseline"), schema="../thermosim.schema.json")
    assert text.splitlines()[0] == SCHEMA_LINE


# --- new: a file to start from -------------------------------------------------------------------


def test_new_file_without_base_is_complete_and_valid(tmp_path: Path) -> None:
    text = new_scenario_text("my-team", None)
    scenario = load_text(tmp_path, text)
    assert scenario.name == "my-team"
    assert [v.name for v in scenario.variants] == ["reactive", "steered"]
    assert len(scenario.shocks) == 1
    assert scenario.title.en and scenario.title.nl
    assert text.splitlines()[0] == "# yaml-language-server: $schema=thermosim.schema.json"


@pytest.mark.parametrize(
    "base", ["baseline", "lost-key-account", "when-reacting-works", "thermostat"]
)
def test_new_file_from_a_base_and_each_example_are_valid(tmp_path: Path, base: str) -> None:
    text = new_scenario_text("mine", base)
    scenario = load_text(tmp_path, text)
    base_scenario = thermosim.load_scenario(base)
    assert scenario.name == "mine"
    assert scenario.variants == base_scenario.variants  # everything not written is the base's
    assert scenario.plant == base_scenario.plant
    assert EXAMPLES_MARKER in text
    for example in EXAMPLES[base_scenario.plant.kind]:
        commented = "\n".join(f"# {line}" for line in example.yaml.splitlines())
        assert commented in text
        # Un-commenting the example gives a valid file that differs from the base.
        changed = load_text(tmp_path, text.replace(commented, example.yaml), "changed.yaml")
        assert changed != scenario, example.note


@pytest.mark.parametrize("name", ["2024", "true", "null", "1e3", "a.b_c-d"])
def test_new_file_keeps_any_valid_name_a_name(tmp_path: Path, name: str) -> None:
    assert load_text(tmp_path, new_scenario_text(name, None)).name == name
    assert load_text(tmp_path, new_scenario_text(name, "baseline")).name == name


def test_new_file_from_a_path_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ours.yaml").write_text(
        "name: ours\nextends: baseline\nhorizon_weeks: 52\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    text = new_scenario_text("mine", "ours.yaml", schema=None)
    assert text.startswith("# mine: starts from the scenario 'ours.yaml'")
    assert load_text(tmp_path, text, "mine.yaml").horizon_weeks == 52


@pytest.mark.parametrize("name", ["my team", "", "a/b", "x" * 81, "weird:name", "ok\n"])
def test_new_refuses_an_invalid_name(name: str) -> None:
    with pytest.raises(ScenarioError, match="not a valid scenario name"):
        new_scenario_text(name, None)


@pytest.mark.parametrize("name", [".", "..", ".hidden"])
def test_new_refuses_a_name_that_is_a_dot_folder(name: str) -> None:
    with pytest.raises(ScenarioError, match=r"not starting with '\.'"):
        new_scenario_text(name, None)


def test_new_refuses_an_unknown_base() -> None:
    with pytest.raises(ScenarioError, match="basline"):
        new_scenario_text("mine", "basline")


# --- shipped scenario files ----------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_file_points_editors_at_the_schema_and_explains_itself(name: str) -> None:
    text = (shipped_dir() / f"{name}.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == SCHEMA_LINE
    header = [line for line in lines[1:] if line.startswith("#")][:3]
    assert sum(len(line) for line in header) > 60, "a header in plain words comes first"
    data = plain(text)
    for part in ("title", "description"):
        assert data[part]["en"] and data[part]["nl"], (name, part)
