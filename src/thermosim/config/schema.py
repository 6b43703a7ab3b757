"""JSON Schema of scenario files, for completion and checks in an editor while a trainer types.

Owns the translation of the scenario models into a draft 2020-12 schema (descriptions with units,
ranges, choices, shocks and plants chosen by ``kind``, the loader's ``extends`` key) and the
writing of the generated files: ``thermosim.schema.json`` and ``docs/scenarios.md``. Regenerate
both with ``python -m thermosim.config.schema`` from the repository root.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from thermosim.config.fields import NO_UNIT, Spot, all_sections, scenario_schema
from thermosim.config.loader import shipped_names

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
# Words pydantic writes that are for thermosim, not for an editor: titles repeat the key in title
# case (editors would show them instead of the description); a noun names values in messages.
_NOT_FOR_EDITORS = ("title", "noun")


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file as a trainer writes it.

    Every property carries its description and unit, ranges and choices, and
    ``additionalProperties: false`` so an editor marks a misspelt key. A file with ``extends``
    may leave out anything its base gives; a variant needs only its ``name``.
    """
    schema = copy.deepcopy(scenario_schema())
    defs: dict[str, Any] = schema.pop("$defs")
    for spot in all_sections():
        name = spot.body["title"]
        _document(schema if name == "Scenario" else defs[name], spot)

    properties = schema["properties"]
    # The pydantic "discriminator" keyword is OpenAPI, not JSON Schema; the const `kind` of each
    # branch discriminates. The plant uses anyOf: a file that extends a base may leave its kind
    # to the base, and then matches whichever plant its keys fit.
    plant = properties["plant"]
    plant.pop("discriminator")
    plant["anyOf"] = plant.pop("oneOf")
    plant.pop("default")  # a whole plant, which an editor would paste in on completion
    properties["shocks"]["items"].pop("discriminator")

    properties = {"name": properties["name"], "extends": {**_EXTENDS}, **properties}
    properties["extends"]["examples"] = shipped_names()
    required = schema.pop("required")
    return {
        "$schema": DIALECT,
        "title": "thermosim scenario file",
        "description": schema["description"]
        + " Fields, units and defaults: docs/scenarios.md; the resolved file: thermosim show.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        # Without extends the file must be complete; with it, the base fills in what is missing.
        "if": {"required": ["extends"]},
        "else": {"required": required, "properties": {"plant": {"required": ["kind"]}}},
        "$defs": defs,
    }


def _document(body: dict[str, Any], spot: Spot) -> None:
    """Give every property of ``body`` its description and unit, in reading order."""
    body.pop("title", None)
    body["description"] = spot.description
    ordered: dict[str, Any] = {}
    for field in spot.fields():
        prop = _tidy(body["properties"][field.name])
        unit = field.unit
        prop.pop("unit", None)
        if unit != NO_UNIT:  # a keyword editors ignore, for tools that read units
            prop["description"] = f"{field.description} Unit: {unit}."
            prop["unit"] = unit
        else:
            prop["description"] = field.description
        ordered[field.name] = prop
    body["properties"] = ordered


def _tidy(node: Any) -> Any:
    """``node`` without the keys that are not for editors, at every depth."""
    if isinstance(node, dict):
        for key in _NOT_FOR_EDITORS:
            node.pop(key, None)
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)
    return node


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
