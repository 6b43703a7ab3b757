"""What each scenario field means to a reader: order, description, unit, type, default and range.

Owns the walk over the scenario models shared by the JSON Schema, the reference doc and
``thermosim show``, so all three say the same words about every field.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from thermosim.config.presets import PRESETS
from thermosim.control.levers import LEVERS

# Keys that say what an item is come first, so a reader (and an editor's completion) meets the
# discriminator or the name before the details; everything else keeps its declaration order.
LEADING_KEYS = ("kind", "name", "preset")

NO_UNIT = "-"
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)\.\s+")

# Units by field name where the name alone does not say it. Checked before the suffix rules.
_UNITS_BY_NAME: dict[str, str] = {
    "replications": "runs",
    "seed": NO_UNIT,
    "fix_time_cost": "x (multiplier)",
    "factor": "x (multiplier)",
    "amplitude": "fraction of the lead rate",
    "lead_rate_per_week": "leads/week",
    "referral_strength": "x per unit of satisfaction",
    "qualification_hours_per_lead": "hours/lead",
    "opportunity_hours": "hours",
    "rushed_qualification": "fraction",
    "deal_value_sigma": "lognormal sigma",
    "gross_margin": "fraction of revenue",
    "max_discount": "fraction of the price",
    "discount_win_lift": "x per unit of discount",
    "accounts": "accounts",
    "key_accounts": "accounts",
    "order_rate_per_week": "orders/account/week",
    "key_order_rate_per_week": "orders/account/week",
    "satisfaction_start": "index 0-1",
    "satisfaction_reference": "index 0-1",
    "team_size": "people",
    "max_team_size": "people",
    "fatigue_per_overtime_hour": "fatigue per hour/week",
    "fatigue_per_interruption": "fatigue per fix",
    "fatigue_effectiveness_loss": "fraction",
    "motivation_start": "index 0-1",
    "clarity_motivation": "motivation (0-1)",
    "miss_motivation": "motivation (0-1)",
    "change_motivation": "motivation per change",
    "skill_start": "x standard skill",
    "coaching_gain": "skill (1 = standard)",
    "improvement_gain": "skill (1 = standard)",
    "training_bump": "skill (1 = standard)",
    "training_floor": "fraction of the bump",
    "ramp_start": "fraction of full productivity",
    "substeps_per_week": "steps/week",
    "salary_eur_per_year": "EUR/year",
    "recruiting_eur_per_hire": "EUR per hire",
    "overtime_pay_factor": "x hourly employer cost",
    "training_fee_eur_per_day": "EUR per team day",
    "coaching_eur_per_person_week": "EUR/person/week",
    "hours_per_lead": "hours/lead",
    "lead_quality": "x a normal lead",
    "hours": "hours/person",
    "wait_penalty": "win chance per unit of discount",
    "screening_accuracy": "fraction of drops",
    "screened_share": "fraction of leads",
    "from_selling_share": "fraction of coaching hours",
    "extra_share": "x planned care hours",
    "admin_hours": "hours/person/week",
    "rushed_close_win_loss": "fraction of the win chance",
    "coordination_hours": "hours per unit of push",
    "miss_tolerance": "relative shortfall",
    "time_quality_elasticity": "exponent",
    "overtime_share": "fraction of max overtime per unit of output",
    "intensity": "intensity (-1 to 1)",
    "level": "x target",
    "raise_to": "x target",
    "gain": "pressure per unit of relative error",
    "deadband": "relative error",
    "control_limit_sigma": "standard deviations",
    "threshold": "pressure (0-1)",
    "base": "intensity (0-1)",
    "output_min": "pressure (-1 to 0)",
}

# Units by model and field, for names that mean different things in different sections.
_UNITS_BY_MODEL_FIELD: dict[tuple[str, str], str] = {
    ("LostAccountShock", "count"): "key accounts",
    ("PeopleLeaveShock", "count"): "people",
    ("CallBlitzPrice", "selling_share"): "fraction of selling hours",
    ("PlannedAction", "week"): "week number",
    ("PerceptionConfig", "noise"): "sd, x target (sales) or heater range",
    ("MemberLoop", "reference"): "x target (revenue), fraction, or degC",
}

# Suffixes that carry a unit by the naming rule of architecture.md (units in names).
_UNITS_BY_SUFFIX: tuple[tuple[str, str], ...] = (
    ("_eur_per_week", "EUR/week"),
    ("_hours_per_week", "hours/week"),
    ("_per_year", "fraction/year"),
    ("_weeks", "weeks"),
    ("_week", "week number"),
    ("_eur", "EUR"),
    ("_c", "degC"),
    ("_share", "fraction of contracted hours"),
    ("_probability", "probability (0-1)"),
)


# Names checked by validators rather than by the type (so pydantic's schema sees plain text):
# the choices an editor may offer, by model and field.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("Variant", "preset"): tuple(PRESETS),
    ("LeversConfig", "repertoire"): tuple(LEVERS),
}


@dataclass(frozen=True)
class FieldDoc:
    """One field of one scenario model, as a reader sees it."""

    model: type[BaseModel]
    name: str
    info: FieldInfo

    @property
    def description(self) -> str:
        """The field's description, or the docstring of the section or item it holds."""
        return description_of(self.model, self.name)

    @property
    def unit(self) -> str:
        """Unit of the field (``-`` for text, choices, switches and sections)."""
        return unit_of(self.model, self.name)

    @property
    def choices(self) -> tuple[str, ...]:
        """Names the field (or its items, or its keys) must be one of; empty = any."""
        return CHOICES.get((self.model.__name__, self.name), ())

    @property
    def type_text(self) -> str:
        """The type in words, with the names a validator accepts."""
        plain = type_text(self.info.annotation)
        if not self.choices:
            return plain
        choices = ", ".join(f"`{c}`" for c in self.choices)
        if plain.startswith("list of"):
            return f"list of: {choices}"
        if plain.startswith("mapping of"):
            return f"mapping of ({choices}) to number"
        return f"one of {choices}" + (", or `null`" if "null" in plain else "")

    @property
    def required(self) -> bool:
        """Whether a complete scenario must give the field."""
        return self.info.is_required()

    @property
    def default(self) -> Any:
        """The default as written in the model (a factory is called); ``None`` if required."""
        if self.required:
            return None
        return self.info.get_default(call_default_factory=True, validated_data={})

    @property
    def sections(self) -> tuple[type[BaseModel], ...]:
        """Models the field holds (a section, a list of items, or a union by ``kind``)."""
        return nested_models(self.info.annotation)


def ordered_fields(model: type[BaseModel]) -> list[FieldDoc]:
    """Fields of ``model``: identifying keys (kind, name, preset) first, then declared order."""
    names = list(model.model_fields)
    names.sort(key=lambda n: LEADING_KEYS.index(n) if n in LEADING_KEYS else len(LEADING_KEYS))
    return [FieldDoc(model, n, model.model_fields[n]) for n in names]


def nested_models(annotation: Any) -> tuple[type[BaseModel], ...]:
    """Pydantic models inside an annotation (through Annotated, unions, tuples, optionals)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation,)
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        for model in nested_models(arg):
            if model not in found:
                found.append(model)
    return tuple(found)


def all_models(root: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """``root`` and every model reachable from its fields, each once, depth first."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
        if model in seen:
            return
        seen.append(model)
        yield model
        for field in ordered_fields(model):
            for nested in field.sections:
                yield from visit(nested)

    yield from visit(root)


def doc_of(model: type[BaseModel]) -> str:
    """The first paragraph of a model's docstring, on one line."""
    text = (model.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(text.split())


def description_of(model: type[BaseModel], name: str) -> str:
    """What a field means: its own description, else what the model it holds is about."""
    info = model.model_fields[name]
    if info.description:
        return info.description
    if name == "kind":
        kinds = literal_values(info.annotation)
        if len(kinds) == 1:
            return f"{kinds[0]}: {doc_of(model)}"
    nested = nested_models(info.annotation)
    if len(nested) == 1:
        return doc_of(nested[0])
    raise LookupError(f"{model.__name__}.{name} has no description")


def unit_of(model: type[BaseModel], name: str) -> str:
    """The unit of a field: by model and name, by name, by its type, then by its suffix."""
    annotation = model.model_fields[name].annotation
    if nested_models(annotation):
        return NO_UNIT
    unit = _UNITS_BY_MODEL_FIELD.get((model.__name__, name)) or _UNITS_BY_NAME.get(name)
    if unit:
        return unit
    if _is_textual(annotation):
        return NO_UNIT
    for suffix, suffix_unit in _UNITS_BY_SUFFIX:
        if name.endswith(suffix) or name == suffix.removeprefix("_"):
            return suffix_unit
    # A new numeric field must say its unit here rather than be documented without one.
    raise LookupError(f"no unit known for {model.__name__}.{name}; add it in fielddoc.py")


def _is_textual(annotation: Any) -> bool:
    """Text, switches, choices and lists of them: values without a unit."""
    if annotation in (str, bool) or get_origin(annotation) is Literal:
        return True
    origin = get_origin(annotation)
    if origin in (tuple, Union, types.UnionType, Annotated):
        args = [a for a in get_args(annotation) if a is not Ellipsis and a is not type(None)]
        return bool(args) and all(_is_textual(a) for a in args)
    return False


def literal_values(annotation: Any) -> tuple[Any, ...]:
    """The values of a Literal annotation (empty for anything else)."""
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def type_text(annotation: Any) -> str:
    """A type in words a trainer reads: number, integer, text, one of ..., list of ..."""
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "section"
    simple = {bool: "true/false", int: "integer", float: "number", str: "text"}
    if annotation in simple:
        return simple[annotation]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return "one of " + ", ".join(f"`{v}`" for v in args)
    if origin is Annotated:
        return type_text(args[0])
    if origin in (Union, types.UnionType):
        models = nested_models(annotation)
        if models and len(models) == len(args):
            return "section, chosen by `kind`"
        return " or ".join(type_text(a) for a in args)
    if origin is tuple:
        item = type_text(args[0])
        return "list of " + ("items, chosen by `kind`" if "`kind`" in item else item)
    if origin is dict:
        return f"mapping of {type_text(args[0])} to {type_text(args[1])}"
    raise LookupError(f"no words for the type {annotation!r}")


def number_text(value: float) -> str:
    """A bound as a trainer would type it (no exponent, no trailing .0)."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def range_text(info: FieldInfo) -> str:
    """The allowed range of a field in words (empty when any value of its type will do)."""
    bounds: dict[str, float] = {}
    parts: list[str] = []
    for item in info.metadata:
        for key in ("ge", "gt", "le", "lt"):
            if isinstance(getattr(item, key, None), int | float):
                bounds[key] = getattr(item, key)
        if getattr(item, "pattern", None):
            parts.append("letters, digits, `_`, `.` and `-`")
    low = (
        number_text(bounds["ge"])
        if "ge" in bounds
        else f"above {number_text(bounds['gt'])}"
        if "gt" in bounds
        else ""
    )
    high = (
        number_text(bounds["le"])
        if "le" in bounds
        else f"below {number_text(bounds['lt'])}"
        if "lt" in bounds
        else ""
    )
    if low and high:
        parts.insert(0, f"{low} to {high}" if "ge" in bounds else f"{low}, up to {high}")
    elif low:
        parts.insert(0, low if "gt" in bounds else f"{low} or more")
    elif high:
        parts.insert(0, f"up to {high}")
    lengths = _lengths(info)
    if lengths:
        noun = "characters" if info.annotation is str else "items"
        parts.insert(0, f"{lengths} {noun}")
    return "; ".join(parts)


def _lengths(info: FieldInfo) -> str:
    low = next((m.min_length for m in info.metadata if isinstance(m, at.MinLen)), None)
    high = next((m.max_length for m in info.metadata if isinstance(m, at.MaxLen)), None)
    if high is None:
        return "" if low is None else f"at least {low}"
    return f"{low or 0} to {high}"


def first_sentence(text: str, limit: int = 72) -> str:
    """The first sentence of ``text``, cut at a word boundary to at most ``limit`` characters."""
    # "e.g." and "i.e." end no sentence.
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".")
    if len(sentence) > limit:
        sentence = sentence[: limit - 3].rsplit(" ", 1)[0]
        if sentence.count("(") > sentence.count(")"):  # no half-open parenthesis
            sentence = sentence[: sentence.rindex("(")]
        sentence = sentence.rstrip(" ,;:") + "..."
    return sentence
