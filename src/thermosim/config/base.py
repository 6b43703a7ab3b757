"""Base model of every scenario section: strict, frozen, documented fields.

Owns the pydantic conventions of scenario files: unknown keys fail (``extra="forbid"``), models are
immutable once validated, and every field carries its unit and source in its description.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A strict, frozen part of a scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
