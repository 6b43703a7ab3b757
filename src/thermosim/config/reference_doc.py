"""The scenario-file reference (``docs/scenarios.md``), generated from the models.

Owns the words around the tables (``extends``, presets, overrides, the editor line) and the table
of every section: key, type, unit, default, range and description, in the models' order. The
field texts themselves live with the fields (``Field(description=...)``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from thermosim.config.fielddoc import (
    FieldDoc,
    doc_of,
    literal_values,
    ordered_fields,
    range_text,
    type_text,
)
from thermosim.config.presets import PRESETS
from thermosim.config.scenario import Scenario, Variant

GENERATED_BY = "python -m thermosim.config.schema"


@dataclass
class _Section:
    """One table of the reference: the fields of one model, at one or more places in a file."""

    labels: list[str]
    model: type[BaseModel]
    fields: list[FieldDoc]
    note: str = ""
    children: list[_Section] = field(default_factory=list)


def _child_path(path: str, doc: FieldDoc) -> str:
    child = f"{path}.{doc.name}" if path else doc.name
    return f"{child}[]" if type_text(doc.info.annotation).startswith("list") else child


def _sections(
    model: type[BaseModel],
    path: str,
    seen: dict[type[BaseModel], _Section],
    kind: str = "",
) -> _Section:
    """The table of ``model`` at ``path`` and, below it, the tables of the sections it holds."""
    label = f"`{path}`" if path else "Top level"
    if kind:
        label += f" with `kind: {kind}`"
    section = _Section([label], model, ordered_fields(model))
    seen[model] = section
    for doc in section.fields:
        models = doc.sections
        child = _child_path(path, doc)
        if len(models) == 1:
            if models[0] in seen:  # title and description share one table
                seen[models[0]].labels.append(f"`{child}`")
            else:
                section.children.append(_sections(models[0], child, seen))
        elif models:
            section.children.extend(_union(models, child, seen))
    return section


def _union(
    models: tuple[type[BaseModel], ...], path: str, seen: dict[type[BaseModel], _Section]
) -> Iterator[_Section]:
    """Tables for items chosen by ``kind``: the fields every kind shares once, then each kind."""
    common = [
        doc
        for doc in ordered_fields(models[0])
        if doc.name != "kind"
        and all(
            doc.name in m.model_fields
            and m.model_fields[doc.name].description == doc.info.description
            for m in models
        )
    ]
    names = {doc.name for doc in common}
    if common:
        yield _Section([f"`{path}`"], models[0], common, note="Fields of every kind:")
    for model in models:
        kind = literal_values(model.model_fields["kind"].annotation)[0]
        section = _sections(model, path, seen, kind=kind)
        section.fields = [doc for doc in section.fields if doc.name not in names]
        section.note = doc_of(model)
        if common:
            section.note += " Plus the fields of every kind above."
        yield section


def _flatten(section: _Section) -> Iterator[_Section]:
    yield section
    for child in section.children:
        yield from _flatten(child)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def yaml_text(value: Any) -> str:
    """A value as a trainer would write it in YAML."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value or '""'
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _default_cell(doc: FieldDoc) -> str:
    if doc.required:
        # Shock kinds are the value that chooses the table, so they are never "optional".
        return "required"
    if doc.sections:
        return "see below"
    return f"`{yaml_text(doc.default)}`"


def field_table(fields: list[FieldDoc], extra: list[str] | None = None) -> list[str]:
    """A Markdown table of ``fields``: key, type, unit, default, range, description."""
    lines = [
        "| key | type | unit | default | range | description |",
        "|---|---|---|---|---|---|",
    ]
    for doc in fields:
        cells = [
            f"`{doc.name}`",
            doc.type_text,
            doc.unit,
            _default_cell(doc),
            range_text(doc.info),
            doc.description,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines + (extra or [])


def _preset_table() -> list[str]:
    parts = ("reference", "perception", "policy", "levers")
    lines = [
        "| preset | " + " | ".join(parts) + " | other |",
        "|---|" + "---|" * (len(parts) + 1),
    ]
    for name, preset in PRESETS.items():
        cells = [f"`{name}`"]
        for part in parts:
            values = preset.get(part, {})
            cells.append(", ".join(f"{k}: {yaml_text(v)}" for k, v in values.items()))
        other = {k: v for k, v in preset.items() if k not in parts}
        cells.append(", ".join(f"{k}: {yaml_text(v)}" for k, v in other.items()))
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


_INTRO = """\
# Scenario files: the reference

<!-- Generated by `{generated_by}` from the models in src/thermosim/config/.
     Do not edit by hand: change the field descriptions and regenerate. -->

A scenario file is a YAML file that says which team and market to simulate (the `plant`), what
happens to them (the `shocks`) and which ways of steering to compare (the `variants`). Every
variant meets the same shocks and the same luck, so differences in the results come from the way
of steering alone.

```sh
thermosim new my-team --from baseline   # a commented file that starts from a shipped scenario
thermosim new my-team                   # a small complete file
thermosim validate my-team.yaml         # every problem, with line and column
thermosim show my-team.yaml             # the file with everything filled in
thermosim run my-team.yaml
```

## Help from your editor

The first line of every shipped scenario is

```yaml
# yaml-language-server: $schema=../thermosim.schema.json
```

An editor with the YAML language server (in VS Code: the YAML extension by Red Hat) reads that
line and then completes keys, shows the description and unit of each field, and marks misspelt
keys and values out of range while you type. The path is relative to the scenario file; write the
schema anywhere with `thermosim schema -o thermosim.schema.json`. For thermosim the line is a
comment: it changes nothing in the simulation.

## `extends`: start from another scenario

`extends: baseline` takes every value of the scenario `baseline`; the file then says only what
differs. The base is a shipped name (see `thermosim list`) or a path relative to the file, and may
itself extend another file.

- Mappings merge key by key: `plant: {{kind: sales, people: {{team_size: 12}}}}` changes the team
  size and keeps every other plant value of the base.
- Lists are replaced as a whole: `shocks`, `variants`, `levers.repertoire`. To add a shock to a
  base that has one, write both.
- Write `kind` in every `plant` you give (`sales` or `thermostat`), also in a file that extends.

## Presets: named strategies

A variant names a preset and may override any of its fields one by one, e.g.
`{{name: gentle, preset: steered, policy: {{gain: 0.3}}}}`. A field the preset does not set keeps
the default in the tables below. `thermosim show` writes every variant out in full.

{presets}

## Overrides on the command line

`thermosim run` and `thermosim show` take `--set KEY=VALUE` (repeatable) to change one value
without editing the file: KEY is a dotted path as in the headings below, VALUE is read as a YAML
value, e.g. `--set horizon_weeks=52` or `--set plant.people.team_size=6`. The overrides are
checked like the file itself.

## Writing values

- Numbers take a decimal point: `0.2`, not `0,2`. `null` means "none" where a field allows it.
- Every value outside its range, every unknown key and every unknown name (preset, lever, shock
  kind) is an error naming the file, line and field.
- Units are in the key (`_weeks`, `_eur`, `_c` for degrees Celsius) and in the unit column.
  Fractions are written as 0.25, not 25%.
- Defaults marked "assumed" in a description are plausible B2B values: replace them with your
  own team's.

## Fields
"""


def reference_markdown() -> str:
    """The text of ``docs/scenarios.md``: the intro and one table per section of a scenario."""
    text = _INTRO.format(generated_by=GENERATED_BY, presets="\n".join(_preset_table()))
    lines = [text.rstrip("\n")]
    root = _sections(Scenario, "", {})
    extends_row = [
        "| `extends` | text | - | (none) | a shipped name or a relative path | Scenario this "
        "file starts from (see above); read by the loader, not part of the resolved scenario. |"
    ]
    for section in _flatten(root):
        lines += ["", f"### {', '.join(section.labels)}", ""]
        if section.model is not Scenario:
            note = section.note or doc_of(section.model)
            if section.model is Variant:
                note += (
                    " The defaults below hold for a variant without a preset; with a preset, "
                    "the preset's values hold and any field written here overrides them."
                )
            lines += [note, ""]
        if section.fields:
            extra = extends_row if section.model is Scenario else None
            lines += field_table(section.fields, extra)
        else:
            lines.append("No fields of its own.")
    return "\n".join(lines) + "\n"


def write_reference(path: str | Path) -> Path:
    """Write the scenario-file reference to ``path`` (folders created) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(reference_markdown(), encoding="utf-8")
    return target
