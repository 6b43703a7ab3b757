"""Scenario files written by thermosim: the resolved scenario (``show``) and a starter (``new``).

Owns turning a validated Scenario back into commented YAML that loads to the same Scenario, and
the commented starting file a trainer edits. Field comments come from the field descriptions.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from thermosim.config.base import NAME_PATTERN
from thermosim.config.fields import section
from thermosim.config.loader import load_scenario
from thermosim.config.scenario import Scenario
from thermosim.errors import ScenarioError

# The rule of Scenario.name: the name is also a folder and a file name.
NAME_RULE = re.compile(r"(?=.{1,80}$)" + NAME_PATTERN.removeprefix("^"))
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)\.\s+")
SCHEMA_LINE = "yaml-language-server: $schema={}"
DEFAULT_SCHEMA_REF = "thermosim.schema.json"
# Text values longer than this get their comment on the line above, not at the line's end.
_LONG_TEXT = 40
_COMMENT_WIDTH = 64
_MAX_COMMENT_COLUMN = 40


class _Representer(RoundTripRepresenter):
    """Floats exactly as Python writes them (repr round-trips), and None as ``null``."""


def _float(representer: RoundTripRepresenter, value: float) -> Any:
    # repr is the shortest text that reads back as the same double, and YAML 1.2 reads it as a
    # float (a scenario's numbers are finite); ruamel's own float output is made for
    # round-tripping its own scalars instead.
    return representer.represent_scalar("tag:yaml.org,2002:float", repr(value))


def _null(representer: RoundTripRepresenter, value: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


_Representer.add_representer(float, _float)
_Representer.add_representer(type(None), _null)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.width = 4096  # long texts stay on one line rather than fold with trailing blanks
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _node(value: Any, indent: int) -> Any:
    """A model, tuple or dict as ruamel nodes with field comments; scalars as they are.

    ``indent`` is the column the node's keys start at, for aligning the comments.
    """
    if isinstance(value, BaseModel):
        return _mapping(value, indent)
    if isinstance(value, tuple | list):
        # Items of a block list start two columns after its dash ("  - key: ...").
        seq = CommentedSeq([_node(item, indent + 4) for item in value])
        if not any(isinstance(item, BaseModel) for item in value):
            seq.fa.set_flow_style()  # a list of names reads best on one line
        return seq
    if isinstance(value, dict):
        flow = CommentedMap((k, _node(v, indent)) for k, v in value.items())
        flow.fa.set_flow_style()
        return flow
    return value


def first_sentence(text: str, limit: int) -> str:
    """The first sentence of ``text``, cut at a word boundary to at most ``limit`` characters."""
    # "e.g." and "i.e." end no sentence.
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".")
    if len(sentence) > limit:
        sentence = sentence[: limit - 3].rsplit(" ", 1)[0]
        if sentence.count("(") > sentence.count(")"):  # no half-open parenthesis
            sentence = sentence[: sentence.rindex("(")]
        sentence = sentence.rstrip(" ,;:") + "..."
    return sentence


def _mapping(model: BaseModel, indent: int) -> CommentedMap:
    node = CommentedMap()
    fields = section(type(model).__name__).fields()
    for doc in fields:
        node[doc.name] = _node(getattr(model, doc.name), indent + 2)
    # One comment column per mapping, just right of its longest short line.
    width = max(len(key) + 2 + len(_inline(value)) for key, value in node.items())
    column = indent + min(width, _MAX_COMMENT_COLUMN) + 2
    for doc in fields:
        comment = first_sentence(doc.description, _COMMENT_WIDTH)
        value = node[doc.name]
        if isinstance(value, str) and len(value) > _LONG_TEXT:
            node.yaml_set_comment_before_after_key(doc.name, before=comment, indent=indent)
        else:
            node.yaml_add_eol_comment(f"# {comment}", doc.name, column=column)
    return node


def _inline(value: Any) -> str:
    """Roughly the text of a value on its key's line (empty when it goes on lines below)."""
    if isinstance(value, CommentedMap | CommentedSeq):
        return json.dumps(value) if value.fa.flow_style() else ""
    if isinstance(value, str) and len(value) > _LONG_TEXT:
        return ""
    return json.dumps(value)


def dump_scenario(scenario: Scenario, *, schema: str | None = None) -> str:
    """The fully resolved scenario as commented YAML that loads back to an equal Scenario.

    Every field is written, defaults included, in the models' order (kind, name and preset
    first), each with a comment from its description. Variants are written in full; their
    ``preset`` is kept as a record of where they started, and applying it again changes
    nothing because every field it sets is written out.

    Parameters
    ----------
    scenario
        The scenario to write (after extends, presets and overrides).
    schema
        If given, a first line pointing editors at the JSON Schema at this path or URL.
    """
    root = _mapping(scenario, 0)
    header = [
        f"Scenario '{scenario.name}', fully resolved: every value written out, defaults, the",
        "base it extends and the presets of its variants included.",
    ]
    if schema:
        header = [SCHEMA_LINE.format(schema), *header]
    root.yaml_set_start_comment("\n".join(header))
    buffer = io.StringIO()
    _yaml().dump(root, buffer)
    return buffer.getvalue()


def _check_name(name: str, what: str) -> None:
    if not NAME_RULE.fullmatch(name):
        raise ScenarioError(
            f"'{name}' is not a valid {what}",
            [
                f"{what}: use 1 to 80 letters, digits, '_', '.' or '-' (no spaces, not starting "
                "with '.'), e.g. my-team"
            ],
            source=name,
        )


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML value that reads back as this string (quoted if it would not)."""
    # A name like 2024, true or null is valid but would read back as a number or a switch.
    plain = NAME_RULE.fullmatch(text) and YAML(typ="safe", pure=True).load(text) == text
    return text if plain else json.dumps(text, ensure_ascii=False)


def new_scenario_text(
    name: str, base: str | None = None, *, schema: str | None = DEFAULT_SCHEMA_REF
) -> str:
    """A commented scenario file to start from, valid as it is.

    Parameters
    ----------
    name
        The scenario's name (letters, digits, ``_``, ``.``, ``-``); also its results folder.
    base
        A shipped scenario name or a path (relative to where the file will be written) to
        extend; None gives a small complete file.
    schema
        Path or URL of the JSON Schema for the editor line at the top; None leaves it out.

    Raises
    ------
    ScenarioError
        If the name is not valid or the base cannot be loaded.
    """
    _check_name(name, "scenario name")
    head = [f"# {SCHEMA_LINE.format(schema)}", "#"] if schema else []
    if base is None:
        return "\n".join(head + _complete(name)) + "\n"
    resolved = load_scenario(base)  # fails early, with the loader's message, on a bad base
    return "\n".join(head + _extending(name, base, resolved)) + "\n"


_HOW_TO_USE = [
    "# Check it:     thermosim validate {file}",
    "# See it whole: thermosim show {file}      (every value, defaults filled in)",
    "# Run it:       thermosim run {file}",
    "# Every key, its unit and range: docs/scenarios.md, or your editor (see the first line;",
    "# thermosim schema -o thermosim.schema.json writes the schema next to this file).",
]


def _complete(name: str) -> list[str]:
    title = name.replace("-", " ").replace("_", " ").capitalize()
    file = f"{name}.yaml"
    return [
        f"# {name}: a scenario for thermosim.",
        "#",
        "# A scenario says which team to simulate (plant), what happens to it (shocks) and which",
        "# ways of steering to compare (variants). Every variant meets the same shocks and the",
        "# same luck, so differences in the results come from the way of steering alone.",
        "# Anything not written here keeps its default.",
        "#",
        *(line.format(file=file) for line in _HOW_TO_USE),
        f"name: {_yaml_scalar(name):<22} # also the name of the results folder",
        "title:                       # shown on figures and slides",
        f"  en: {json.dumps(title, ensure_ascii=False)}",
        f"  nl: {json.dumps(title, ensure_ascii=False)}",
        "description:",
        '  en: "What this scenario shows, in a sentence or two."',
        '  nl: "Wat dit scenario laat zien, in een of twee zinnen."',
        "horizon_weeks: 104           # two years, week by week",
        "replications: 30             # runs per variant: more runs, smoother averages",
        "seed: 42                     # the same seed gives the same luck, so the same results",
        "plant:",
        "  kind: sales                # a sales team in its market (or: thermostat)",
        "  people:",
        "    team_size: 10            # salespeople at the start",
        "shocks:                      # what happens to the team; leave out for an ordinary year",
        "  - kind: lost_account       # a key account leaves for good ...",
        "    week: 26                 # ... half way through the first year",
        "    count: 1",
        "variants:                    # the ways of steering compared, each from a preset",
        "  - name: reactive",
        "    preset: reactive         # reacts to last week's numbers with quick fixes",
        "  - name: steered",
        "    preset: steered          # a shared goal, the trend, lasting levers",
    ]


@dataclass(frozen=True)
class Example:
    """A commented-out change in a new file: what it does, and the YAML to un-comment."""

    note: str
    yaml: str


# Sales and thermostat bases get examples that fit their plant.
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "sales": (
        Example("A longer run: three years.", "horizon_weeks: 156"),
        Example(
            "A bigger team and larger deals; the rest of the plant stays as in the base.",
            "plant:\n  kind: sales\n  people:\n    team_size: 12\n"
            "  deals:\n    deal_value_eur: 30000",
        ),
        Example(
            "A shock. This list replaces the base's shocks: repeat those you want to keep.",
            "shocks:\n  - kind: lead_rate\n    week: 26\n    factor: 0.8\n    duration_weeks: 13",
        ),
        Example(
            "Other variants. This list replaces the base's variants. Any preset field can be "
            "changed: here the steered team reads a four-week trend instead of eight weeks.",
            "variants:\n  - name: reactive\n    preset: reactive\n"
            "  - name: steered-4w\n    preset: steered\n    perception:\n      window_weeks: 4",
        ),
    ),
    "thermostat": (
        Example("A longer run: two years.", "horizon_weeks: 104"),
        Example(
            "A colder place; the rest of the room stays as in the base.",
            "plant:\n  kind: thermostat\n  outside_c: 0",
        ),
        Example(
            "A cold snap. This list replaces the base's shocks: repeat those you want to keep.",
            "shocks:\n  - kind: outside_temperature\n    week: 10\n    delta_c: -8\n"
            "    duration_weeks: 4",
        ),
        Example(
            "Other variants. This list replaces the base's variants. Any preset field can be "
            "changed: here a thermostat that looks only once a week.",
            "variants:\n  - name: weekly\n    preset: steered\n"
            "    perception: {metric: temperature}\n    policy: {review_weeks: 1}\n"
            "    levers: {repertoire: []}",
        ),
    ),
}
EXAMPLES_MARKER = "# --- Examples: to use one, remove the '# ' in front of its YAML lines. ---"


def _extending(name: str, base: str, resolved: Scenario) -> list[str]:
    file = f"{name}.yaml"
    variants = ", ".join(v.name for v in resolved.variants)
    lines = [
        f"# {name}: starts from the scenario '{base}' and changes what is written below.",
        "#",
        f"# How it works: 'extends: {base}' takes every value of {base}, so this file says",
        f"# only what differs. {base} compares the variants {variants}.",
        "# - Sections (plant, mechanisms and the parts inside them) merge key by key: write",
        "#   only the values that change.",
        "# - Lists (shocks, variants, a lever repertoire) replace the base's list as a whole.",
        "# - To try a single change without a file, use --set instead, e.g.",
        f"#   thermosim run {base} --set horizon_weeks=52",
        "#",
        *(line.format(file=file) for line in _HOW_TO_USE),
        f"name: {_yaml_scalar(name)}",
        f"extends: {_yaml_scalar(base)}",
        "title:                       # shown on figures and slides",
        f"  en: {json.dumps(f'{resolved.title.en or base} ({name})', ensure_ascii=False)}",
        f"  nl: {json.dumps(f'{resolved.title.nl or base} ({name})', ensure_ascii=False)}",
        "description:",
        '  en: "What this scenario shows, in a sentence or two."',
        '  nl: "Wat dit scenario laat zien, in een of twee zinnen."',
        "",
        EXAMPLES_MARKER,
    ]
    for example in EXAMPLES[resolved.plant.kind]:
        lines.append("#")
        lines += [f"# {line}" for line in textwrap.wrap(example.note, 90)]
        lines += [f"# {line}" for line in example.yaml.splitlines()]
    return lines
