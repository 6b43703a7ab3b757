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

from thermosim.config.fields import Spot, section
from thermosim.config.presets import PRESETS

GENERATED_BY = "python -m thermosim.config.schema"
_TYPES = {"integer": "integer", "number": "number", "boolean": "true/false", "string": "text"}


@dataclass
class _Table:
    """One table of the reference: the fields of one model, at one or more places in a file."""

    labels: list[str]
    model: str
    fields: list[Spot]
    note: str = ""
    children: list[_Table] = field(default_factory=list)


def _tables(model: str, path: str, seen: dict[str, _Table], kind: str = "") -> _Table:
    """The table of ``model`` at ``path`` and, below it, the tables of the sections it holds."""
    label = (f"`{path}`" if path else "Top level") + (f" with `kind: {kind}`" if kind else "")
    table = _Table([label], model, section(model).fields())
    seen[model] = table
    for spot in table.fields:
        models = spot.models
        child = f"{path}.{spot.name}" if path else spot.name
        child += "[]" if spot.shape == "seq" else ""
        if len(models) == 1 and models[0] in seen:  # title and description share one table
            seen[models[0]].labels.append(f"`{child}`")
        elif len(models) == 1:
            table.children.append(_tables(models[0], child, seen))
        elif models:
            table.children.extend(_kinds(spot.item if spot.shape == "seq" else spot, child, seen))
    return table


def _kinds(spot: Spot, path: str, seen: dict[str, _Table]) -> Iterator[_Table]:
    """Tables for items chosen by ``kind``: the fields every kind shares once, then each kind."""
    models = dict(zip(spot.kinds, spot.models, strict=True))
    first, *others = (section(model) for model in models.values())
    words = {f.name: f.own_description for f in first.fields() if f.name != "kind"}
    for other in others:
        words = {k: v for k, v in words.items() if k in other.keys}
        words = {k: v for k, v in words.items() if other.child(k).own_description == v}
    common = [f for f in first.fields() if f.name in words]
    if common:
        yield _Table([f"`{path}`"], spot.models[0], common, note="Fields of every kind:")
    for kind, model in models.items():
        table = _tables(model, path, seen, kind=kind)
        table.fields = [f for f in table.fields if f.name not in words]
        table.note = section(model).description
        if common:
            table.note += " Plus the fields of every kind above."
        yield table


def _flatten(table: _Table) -> Iterator[_Table]:
    yield table
    for child in table.children:
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


def type_cell(spot: Spot) -> str:
    """The type in the reference's words: number, section, one of `a`, `b`, list of ..."""
    if spot.shape in ("model", "union"):
        return "section" + (", chosen by `kind`" if spot.shape == "union" else "")
    if spot.shape == "seq" and spot.item.shape == "union":
        return "list of items, chosen by `kind`"
    if spot.shape == "seq" and spot.item.choices:
        return "list of: " + ", ".join(f"`{c}`" for c in spot.item.choices)
    if spot.shape in ("seq", "map"):
        return (
            f"{'list of' if spot.shape == 'seq' else 'mapping of text to'} {type_cell(spot.item)}"
        )
    if spot.choices:
        text = "one of " + ", ".join(f"`{c}`" for c in spot.choices)
    else:
        text = " or ".join(_TYPES[m["type"]] for m in spot.options)
    return text + (" or null" if spot.nullable else "")


def range_cell(spot: Spot) -> str:
    """The range column: the lengths, the numbers and the pattern a value must keep to."""
    parts = [spot.lengths, spot.range_words(table=True)]
    if any("pattern" in option for option in spot.options):
        parts.append("letters, digits, `_`, `.` and `-`, not starting with `.`")
    return "; ".join(part for part in parts if part)


def _default_cell(spot: Spot) -> str:
    if spot.required:
        # Shock kinds are the value that chooses the table, so they are never "optional".
        return "required"
    return "see below" if spot.models else f"`{yaml_text(spot.default)}`"


def field_table(fields: list[Spot], extra: list[str] | None = None) -> list[str]:
    """A Markdown table of ``fields``: key, type, unit, default, range, description."""
    lines = [
        "| key | type | unit | default | range | description |",
        "|---|---|---|---|---|---|",
    ]
    for spot in fields:
        cells = [
            f"`{spot.name}`",
            type_cell(spot),
            spot.unit,
            _default_cell(spot),
            range_cell(spot),
            spot.description,
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
    root = _tables("Scenario", "", {})
    extends_row = [
        "| `extends` | text | - | (none) | a shipped name or a relative path | Scenario this "
        "file starts from (see above); read by the loader, not part of the resolved scenario. |"
    ]
    for table in _flatten(root):
        lines += ["", f"### {', '.join(table.labels)}", ""]
        if table.model != "Scenario":
            note = table.note or section(table.model).description
            if table.model == "Variant":
                note += (
                    " The defaults below hold for a variant without a preset; with a preset, "
                    "the preset's values hold and any field written here overrides them."
                )
            lines += [note, ""]
        if table.fields:
            lines += field_table(table.fields, extends_row if table.model == "Scenario" else None)
        else:
            lines.append("No fields of its own.")
    return "\n".join(lines) + "\n"


def write_reference(path: str | Path) -> Path:
    """Write the scenario-file reference to ``path`` (folders created) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(reference_markdown(), encoding="utf-8")
    return target
