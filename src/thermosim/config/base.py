"""Base model of every scenario section: strict, frozen, documented fields.

Owns the pydantic conventions of scenario files: unknown keys fail (``extra="forbid"``), models are
immutable once validated, and every field carries its unit and source in its description. A
check that spans fields reports each problem at the field to change (`located_problems`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

# Where a problem sits below the model that finds it: field names and list indices.
Loc = tuple[str | int, ...]


class Section(BaseModel):
    """A strict, frozen part of a scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


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
