"""JSON Schema of scenario files, for completion and checks in an editor while a trainer types.

Owns the translation of the scenario models into a draft 2020-12 schema (descriptions with units,
ranges, choices, shocks and plants chosen by ``kind``, the loader's ``extends`` key) and the
writing of the generated files: ``thermosim.schema.json`` and ``docs/scenarios.md``. Regenerate
both with ``python -m thermosim.config.schema`` from the repository root.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from thermosim.config.fielddoc import CHOICES, NO_UNIT, all_models, doc_of, ordered_fields
from thermosim.config.loader import shipped_names
from thermosim.config.scenario import Scenario

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "thermosim.schema.json"
REFERENCE_FILE = "docs/scenarios.md"
REGENERATE = "python -m thermosim.config.schema"

_EXTENDS = {
    "type": "string",
    "minLength": 1,
    "description": "Scenario this file starts from: a shipped name or a path relative to this "
    "file. Mappings merge key by key; lists (shocks, variants) replace the base's as a whole.",
}


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file as a trainer writes it.

    Every property carries its description and unit, ranges and choices, and
    ``additionalProperties: false`` so an editor marks a misspelt key. A file with ``extends``
    may leave out anything its base gives; a variant needs only its ``name``.
    """
    schema = Scenario.model_json_schema(mode="validation")
    defs: dict[str, Any] = schema.pop("$defs")
    models = {model.__name__: model for model in all_models(Scenario)}
    for name, body in defs.items():
        _document(body, models[name])
    _document(schema, Scenario)

    properties = schema["properties"]
    for (model_name, field_name), choices in CHOICES.items():
        _offer(defs[model_name]["properties"][field_name], choices)
    # The pydantic "discriminator" keyword is OpenAPI, not JSON Schema; the const `kind` of each
    # branch discriminates. The plant uses anyOf: a file that extends a base may leave its kind
    # to the base, and then matches whichever plant its keys fit.
    plant = properties["plant"]
    plant.pop("discriminator")
    plant["anyOf"] = plant.pop("oneOf")
    properties["shocks"]["items"].pop("discriminator")

    properties = {"name": properties["name"], "extends": {**_EXTENDS}, **properties}
    properties["extends"]["examples"] = shipped_names()
    required = schema.pop("required")
    return {
        "$schema": DIALECT,
        "title": "thermosim scenario file",
        "description": doc_of(Scenario)
        + " Fields, units and defaults: docs/scenarios.md; the resolved file: thermosim show.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        # Without extends the file must be complete; with it, the base fills in what is missing.
        "if": {"required": ["extends"]},
        "else": {"required": required, "properties": {"plant": {"required": ["kind"]}}},
        "$defs": defs,
    }


def _document(body: dict[str, Any], model: type[BaseModel]) -> None:
    """Give every property of ``body`` its description and unit, in reading order."""
    body.pop("title", None)
    body["description"] = doc_of(model)
    properties = body["properties"]
    ordered: dict[str, Any] = {}
    for field in ordered_fields(model):
        prop = properties[field.name]
        _drop_titles(prop)
        unit = "" if field.unit == NO_UNIT else f" Unit: {field.unit}."
        prop["description"] = field.description + unit
        ordered[field.name] = prop
    body["properties"] = ordered


def _offer(prop: dict[str, Any], choices: tuple[str, ...]) -> None:
    """List the names a validator accepts, so an editor offers them and marks anything else."""
    # pydantic sees these as plain text (a validator checks them), so its schema has no enum.
    enum = {"enum": list(choices)}
    if prop.get("type") == "array":
        prop["items"] = enum
    elif prop.get("type") == "object":
        prop["propertyNames"] = enum  # the engine reads these keys by name; others are typos
    else:
        prop["anyOf"] = [enum, {"type": "null"}]


def _drop_titles(node: Any) -> None:
    # pydantic's titles repeat the key in title case; editors would show them instead of the
    # description.
    if isinstance(node, dict):
        node.pop("title", None)
        for value in node.values():
            _drop_titles(value)
    elif isinstance(node, list):
        for value in node:
            _drop_titles(value)


def schema_text() -> str:
    """The schema as the text of ``thermosim.schema.json`` (stable key order, final newline)."""
    return json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: str | Path) -> Path:
    """Write the JSON Schema of scenario files to ``path`` and return the path."""
    target = Path(path)
    target.write_text(schema_text(), encoding="utf-8")
    return target


def write_generated(root: str | Path) -> list[Path]:
    """Rewrite the generated files of a source checkout: the schema and the reference doc."""
    from thermosim.config.reference_doc import write_reference

    base = Path(root)
    return [write_schema(base / SCHEMA_FILE), write_reference(base / REFERENCE_FILE)]


def main(argv: list[str] | None = None) -> int:
    """Regenerate the schema and the reference doc in the repository root (default: cwd)."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    if not (root / "pyproject.toml").is_file() or not (root / "scenarios").is_dir():
        print(f"{root.resolve()} is not the thermosim repository root", file=sys.stderr)
        return 2
    for path in write_generated(root):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
