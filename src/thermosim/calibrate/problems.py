"""Errors of calibration: a data file the reader refuses, and a fit that does not hold.

Owns the two ways ``thermosim calibrate`` stops on bad input. A ``DataError`` lists every
problem of a data file as a located ``Problem`` (file, row, column, what is wrong, a fix), as a
scenario file's problems are listed; a ``FitError`` says why the model could not be fitted to
data that were read fine. Both are bad input (exit 2): another file or option fixes them.
"""

from __future__ import annotations

from collections.abc import Sequence

from thermosim.errors import Problem, ScenarioError, ThermosimError

# Beyond this many problems of one kind (a whole column of text) the rest are summed up.
MAX_PER_KIND = 5


class DataError(ScenarioError):
    """A weekly data file cannot be read as it is; every problem with its row and column."""


class FitError(ThermosimError, ValueError):
    """The data were read, but the model cannot be fitted to them (nothing is written)."""

    bad_input = True


def data_error(source: str, problems: Sequence[Problem]) -> DataError:
    """One DataError for ``problems`` of ``source``, summary first (``file: N problems``)."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return DataError(f"{source}: {count} {noun}", list(problems), source=source)


def problem(
    source: str,
    message: str,
    hint: str = "",
    row: int | None = None,
    column: int | None = None,
    field: str = "",
) -> Problem:
    """A Problem at ``row`` and ``column`` (1-based, as a spreadsheet numbers them)."""
    return Problem(source, row, column, field, message, hint)


def capped(problems: list[Problem], what: str) -> list[Problem]:
    """At most `MAX_PER_KIND` problems of one kind; the rest as one line saying how many."""
    if len(problems) <= MAX_PER_KIND:
        return problems
    first = problems[0]
    rest = len(problems) - MAX_PER_KIND
    more = Problem(first.source, None, None, first.field, f"... and {rest} more rows with {what}")
    return [*problems[:MAX_PER_KIND], more]
