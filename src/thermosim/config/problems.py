"""Validation errors turned into problems a trainer understands, at the line they wrote.

Owns the wording of every validation problem (no pydantic jargon: "unknown key 'x'", "must be
at least 4, got 2"), the hints that go with them ("did you mean", allowed values, unit and range,
"use a decimal point"), where each one points in the file, and folding the side effects of one
mistake into one message (a misspelled key is not also reported as a missing field).
"""

from __future__ import annotations

import math
import re
from difflib import get_close_matches
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from thermosim.config.document import Document, YamlPath
from thermosim.config.fields import Spot, field_homes, locate, number_text
from thermosim.errors import Problem

MAX_LISTED = 12  # names listed in "allowed here: ..." before "and N more"

_DECIMAL_COMMA = re.compile(r"[+-]?\d+(?:\.\d{3})*,\d+")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+")
_PERCENT = re.compile(r"[+-]?\d+(?:[.,]\d+)?\s*%")
_WITH_UNIT = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*[^\d\s.,][^,]*")

_NUMBER_TYPES = frozenset(
    {
        "int_parsing",
        "int_type",
        "int_from_float",
        "int_parsing_size",
        "float_parsing",
        "float_type",
        "bool_parsing",
        "bool_type",
        "string_type",
    }
)
_BOUNDS = {
    "greater_than_equal": ("ge", "must be at least {}"),
    "greater_than": ("gt", "must be above {}"),
    "less_than_equal": ("le", "must be at most {}"),
    "less_than": ("lt", "must be below {}"),
}


def show(value: Any) -> str:
    """A value as the trainer wrote it in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, str):
        return f"'{value[:60]}...'" if len(value) > 60 else f"'{value}'"
    return str(value)


def did_you_mean(word: str, candidates: list[str]) -> str:
    """``did you mean 'x'?`` for the closest candidate, or "" when none is close."""
    close = get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def listing(names: list[str]) -> str:
    """``a, b, c`` (at most `MAX_LISTED`, then how many more)."""
    if len(names) <= MAX_LISTED:
        return ", ".join(names)
    return ", ".join(names[:MAX_LISTED]) + f" and {len(names) - MAX_LISTED} more"


def summary(text: str) -> str:
    """The start of a field's description: what it is, without sources and examples."""
    if text.startswith("For ") and ": " in text:
        text = text.split(": ", 1)[1]  # "For kind raised: multiple of ..." -> the meaning
    for stop in (" (", ". ", "; ", ": "):
        text = text.split(stop, 1)[0]
    text = text.rstrip(".")
    words = text.split()
    # "Weeks simulated" reads as part of the sentence; "Monte Carlo ..." keeps its capitals.
    if words and words[0][1:].islower() and not (len(words) > 1 and words[1][:1].isupper()):
        text = text[0].lower() + text[1:]
    return text


def expectation(spot: Spot) -> str:
    """What the field at ``spot`` expects, in words; empty when nothing useful can be said.

    ``weeks simulated: a whole number from 4 to 1040``; ``one of fixed, raised, eroding``.
    """
    if spot.choices:
        return "one of " + ", ".join(spot.choices)
    base = spot.type_words.removesuffix(" or null")
    if base not in ("a whole number", "a number"):
        return ""
    bounds = spot.range_words()
    text = f"{base} {bounds}" if bounds else base
    if spot.nullable:
        text += ", or null"
    what = summary(spot.own_description)
    if not what and not bounds:
        return ""  # "a number" alone repeats the message
    return f"{what}: {text}" if what else text


def number_hint(value: Any) -> str:
    """How to write a number that was written as text (``0,2``, ``25%``, ``10 weeks``)."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if _THOUSANDS.fullmatch(text):
        return f"write numbers without a thousands separator: {text.replace(',', '')}"
    if _DECIMAL_COMMA.fullmatch(text):
        return f"use a decimal point: {text.replace('.', '').replace(',', '.')}"
    if _PERCENT.fullmatch(text):
        share = float(text.rstrip("% ").replace(",", ".")) / 100
        return f"write a share as a fraction: {share:g}"
    match = _WITH_UNIT.fullmatch(text)
    if match:
        return f"write only the number: {match.group(1)} (the unit is in the field's name)"
    return ""


def validation_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """Every problem in ``exc`` as a located, worded Problem (side effects folded)."""
    errors = [e for e in exc.errors(include_url=False) if not _side_effect(e)]
    spots = [locate(tuple(e["loc"])) for e in errors]
    folded = _fold_missing(errors, spots)
    problems: list[Problem] = []
    for err, spot in zip(errors, spots, strict=True):
        if id(err) in folded:
            continue
        problems.extend(_problems_of(err, spot, doc))
    return list(dict.fromkeys(problems))


def _side_effect(err: ErrorDetails) -> bool:
    # A list whose items failed is also "too short after validation": the items are the news.
    if err["type"] == "too_short" and isinstance(err.get("input"), list | tuple):
        return len(err["input"]) >= int((err.get("ctx") or {}).get("min_length", 0))
    return False


def _fold_missing(errors: list[ErrorDetails], spots: list[Spot]) -> set[int]:
    """Ids of "missing" errors explained by a misspelled key next to them."""
    missing = {
        (spot.path[:-1], spot.path[-1]): id(err)
        for err, spot in zip(errors, spots, strict=True)
        if err["type"] == "missing"
    }
    folded: set[int] = set()
    for err, spot in zip(errors, spots, strict=True):
        if err["type"] != "extra_forbidden":
            continue
        close = get_close_matches(str(spot.path[-1]), spot.siblings, n=1)
        if close and (spot.path[:-1], close[0]) in missing:
            folded.add(missing[(spot.path[:-1], close[0])])
    return folded


def _problems_of(err: ErrorDetails, spot: Spot, doc: Document) -> list[Problem]:
    kind = err["type"]
    got = err.get("input")
    ctx = err.get("ctx") or {}
    path = spot.path
    if kind == "extra_forbidden":
        return [doc.problem(path, *_unknown_key(spot, doc), key=True)]
    if kind == "missing":
        name = str(path[-1])
        return [doc.problem(path, f"missing required field '{name}'", expectation(spot))]
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return [_bad_kind(kind, spot, got, doc)]
    if kind in _BOUNDS:
        bound, words = _BOUNDS[kind]
        message = words.format(number_text(ctx[bound])) + f", got {show(got)}"
        return [doc.problem(path, message, expectation(spot))]
    if kind == "finite_number":
        return [doc.problem(path, f"must be a finite number, got {show(got)}", expectation(spot))]
    if kind in _NUMBER_TYPES:
        hint = number_hint(got) or expectation(spot)
        return [doc.problem(path, f"expected {spot.type_words}, got {show(got)}", hint)]
    if kind == "literal_error":
        return [doc.problem(path, *_not_allowed(spot, got))]
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return [doc.problem(path, f"expected a mapping (key: value lines), got {show(got)}")]
    if kind in ("tuple_type", "list_type"):
        return [doc.problem(path, f"expected a list (lines starting with '- '), got {show(got)}")]
    if kind in ("too_short", "too_long"):
        return [doc.problem(path, _length(kind, ctx, got, spot))]
    if kind.startswith("string_"):
        return [doc.problem(path, _text(kind, ctx, got))]
    if kind in ("value_error", "assertion_error"):
        return _custom(str(err["msg"]), path, doc)
    return [doc.problem(path, str(err["msg"]))]


def _comma_in_flow(path: YamlPath, doc: Document) -> str:
    # In "{gain: 0,2}" the comma separates entries: gain is 0 and "2" becomes a key.
    parent: Any = doc.data
    try:
        for part in path[:-1]:
            parent = parent[part]
    except (KeyError, IndexError, TypeError):
        parent = None  # a place filled in by a preset: no neighbour to look at
    keys = list(parent) if isinstance(parent, dict) else []
    before = keys[keys.index(path[-1]) - 1] if path[-1] in keys[1:] else None
    value = parent.get(before) if before is not None else None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"a decimal comma? write {before}: {value}.{path[-1]}"
    return "a decimal comma? use a decimal point, e.g. 0.2"


def _not_allowed(spot: Spot, got: Any) -> tuple[str, str]:
    """``unknown lever 'x': did you mean 'y'?`` for names, ``'x' is not allowed`` for others."""
    allowed = ", ".join(spot.choices)
    hint = f"known: {allowed}" if spot.noun else f"one of {allowed}"
    if spot.noun and not isinstance(got, str):  # a name is text: say so, as for any text field
        return f"expected {spot.type_words}, got {show(got)}", hint
    close = did_you_mean(got, spot.choices) if isinstance(got, str) else ""
    message = f"unknown {spot.noun} {show(got)}" if spot.noun else f"{show(got)} is not allowed"
    return message + (f": {close}" if close else ""), hint


def _unknown_key(spot: Spot, doc: Document) -> tuple[str, str]:
    key = str(spot.path[-1])
    allowed = spot.siblings
    close = did_you_mean(key, allowed)
    if close:
        return f"unknown key '{key}': {close}", ""
    homes = field_homes().get(key)
    if homes:
        return f"unknown key '{key}' here", f"'{key}' belongs in {' or '.join(homes)}"
    if key.isdigit():
        return f"unknown key '{key}'", _comma_in_flow(spot.path, doc)
    return f"unknown key '{key}'", f"allowed here: {listing(allowed)}" if allowed else ""


def _bad_kind(kind: str, spot: Spot, got: Any, doc: Document) -> Problem:
    noun = spot.container.removesuffix("s") if isinstance(spot.path[-1], int) else spot.container
    known = list(spot.kinds)
    tag = got.get("kind") if isinstance(got, dict) else None
    if kind == "union_tag_not_found" or tag is None:
        return doc.problem(
            spot.path,
            f"missing 'kind' (which {noun} this is)",
            "one of " + ", ".join(known),
            key=True,
        )
    close = did_you_mean(str(tag), known)
    message = f"unknown {noun} kind {show(tag)}" + (f": {close}" if close else "")
    return doc.problem((*spot.path, "kind"), message, "known kinds: " + ", ".join(known))


def _length(kind: str, ctx: dict[str, Any], got: Any, spot: Spot) -> str:
    count = len(got) if isinstance(got, list | tuple | str) else 0
    noun = spot.container.removesuffix("s") or "item"
    if kind == "too_short":
        need = ctx.get("min_length", 1)
        return f"needs at least {need} {noun}{'s' if need != 1 else ''}, got {count}"
    most = ctx.get("max_length")
    return f"at most {most} {noun}s are allowed, got {count}"


def _text(kind: str, ctx: dict[str, Any], got: Any) -> str:
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters, got {len(str(got))}"
    if kind == "string_pattern_mismatch" and str(got).startswith("."):
        return f"{show(got)} may not start with '.': it is also the name of a folder"
    if kind == "string_pattern_mismatch":
        return f"{show(got)} may only use letters, digits, '-', '_' and '.' (no spaces)"
    return f"expected text, got {show(got)}"


def _custom(raw: str, path: YamlPath, doc: Document) -> list[Problem]:
    """A validator's own message, placed as precisely as the data allows."""
    message = raw.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if message.startswith("variant names must be unique"):
        return _duplicate_variants(doc) or [doc.problem(path, message)]
    return [doc.problem(path, message)]


def _duplicate_variants(doc: Document) -> list[Problem]:
    variants = doc.data.get("variants")
    first: dict[str, int] = {}
    problems = []
    for i, variant in enumerate(variants if isinstance(variants, list) else []):
        name = variant.get("name") if isinstance(variant, dict) else None
        if not isinstance(name, str):
            continue
        if name in first:
            earlier = doc.position(("variants", first[name], "name"))
            line = f" (line {earlier.line})" if earlier and earlier.line else ""
            message = f"variant name '{name}' is already used by variant {first[name]}{line}"
            problems.append(
                doc.problem(("variants", i, "name"), message, "variant names must be unique")
            )
        else:
            first[name] = i
    return problems
