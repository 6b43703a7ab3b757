"""Base model of every scenario section: strict, frozen, documented fields.

Owns the pydantic conventions of scenario files: unknown keys fail (``extra="forbid"``), models are
immutable once validated, numbers are finite, and every field carries its description and unit
where it is declared (``json_schema_extra=unit(...)`` unless its name ends in a unit, see
``fields.py``). A quantity a run divides by gets a realistic positive minimum (0.1 week, an hour,
a euro) rather than "above 0", which 5e-324 passes before it overflows the run. A check that
spans fields reports each problem at the field to change (`located_problems`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
)
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError, core_schema

# Where a problem sits below the model that finds it: field names and list indices.
Loc = tuple[str | int, ...]

# Scenario and variant names are folder and file names: no spaces or slashes, and no leading dot
# (".", ".." and hidden folders).
NAME_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"


class Section(BaseModel):
    """A strict, frozen part of a scenario."""

    # NaN and infinity pass no range check a run relies on, so no field takes them.
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )


def unit(text: str) -> dict[str, Any]:
    """The unit of a field whose name does not say it: ``json_schema_extra=unit("EUR/year")``."""
    return {"unit": text}


def noun(word: str) -> dict[str, Any]:
    """What one value of a field of names is called in messages (``unknown lever 'x'``)."""
    return {"noun": word}


@dataclass(frozen=True)
class AtMost:
    """At most ``limit`` items, checked after the items themselves.

    pydantic's ``max_length`` stops at the first item too many, so a long list of mistakes would
    hide all but one; checked afterwards, every bad item is reported, and a long list of good
    items gets the usual "at most N ... are allowed". The schema carries ``maxItems``.
    """

    limit: int

    def _check(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        if len(items) > self.limit:
            raise PydanticCustomError("too_long", "too long", {"max_length": self.limit})
        return items

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(schema), "maxItems": self.limit}


def located_problems(model: str, problems: list[tuple[Loc, str, Any]]) -> ValidationError:
    """One validation error holding each ``(location, message, value)`` at its own field.

    Raised from a model validator, pydantic keeps the locations (prefixed with the model's own),
    so a check across fields can point at the field to change rather than at the whole model.
    """
    return ValidationError.from_exception_data(
        model,
        [
            InitErrorDetails(type=PydanticCustomError("value_error", message), loc=loc, input=value)
            for loc, message, value in problems
        ],
    )
