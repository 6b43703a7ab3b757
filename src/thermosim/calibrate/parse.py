"""Cells as people type them: numbers in English or Dutch notation, weeks as dates or numbers.

Owns reading one cell: a number written ``1,234.56`` or ``1.234,56`` (the file's decimal mark
decided once, from the values that can only be read one way), with or without a euro sign or
spaces between thousands; a week written as a date (``dd-mm-yyyy``, ``dd/mm/yyyy``, ISO
``yyyy-mm-dd``), an ISO week (``2024-W05``) or a plain week number. Every function returns a
value or raises ``CellError`` with what was expected; the reader adds the row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

# Unambiguous notations: a decimal mark followed by other than three digits, or both marks.
_DUTCH = re.compile(r"[-+]?\d{1,3}(\.\d{3})+,\d*|[-+]?\d+,(\d{1,2}|\d{4,})")
_ENGLISH = re.compile(r"[-+]?\d{1,3}(,\d{3})+\.\d*|[-+]?\d+\.(\d{1,2}|\d{4,})")
_PLAIN = re.compile(r"[-+]?\d+(\.\d+)?")
_CURRENCY = re.compile(r"(?i)€|\beur\b|\beuro\b")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_WEEK = re.compile(r"(?i)(\d{4})-?w(\d{1,2})(?:-?\d)?")
_WEEK_NUMBER = re.compile(r"(?i)(?:wk|week)?\s*(\d{1,4})")


class CellError(ValueError):
    """A cell that is not what its column needs; the message says what was expected."""


def decimal_mark(samples: Iterable[str], default: str) -> str:
    """The decimal mark of a file's numbers: ``,`` or ``.``.

    Decided by the values that can be read only one way (``1.234,5``, ``12,50`` are Dutch;
    ``1,234.5``, ``12.50`` English); when none can, ``default`` (``,`` for a file separated by
    semicolons, as Dutch spreadsheets save them). ``1.234`` alone is then 1234 in a Dutch file.

    Raises
    ------
    CellError
        When the file writes numbers both ways (names one of each).
    """
    dutch = english = None
    for raw in samples:
        text = _SPACES.sub("", _CURRENCY.sub("", raw))
        if dutch is None and _DUTCH.fullmatch(text):
            dutch = raw
        if english is None and _ENGLISH.fullmatch(text):
            english = raw
    if dutch is not None and english is not None:
        raise CellError(
            f"numbers are written both ways: '{dutch}' (decimal comma) and '{english}' "
            "(decimal point); write them one way"
        )
    if dutch is not None:
        return ","
    if english is not None:
        return "."
    return default


def number(value: object, mark: str) -> float:
    """A cell as a number (``mark`` is the file's decimal mark).

    Raises
    ------
    CellError
        For empty cells, text that is not a number, and booleans.
    """
    if isinstance(value, bool):
        raise CellError(f"expected a number, got {value}")
    if isinstance(value, int | float):
        return float(value)
    text = _SPACES.sub("", _CURRENCY.sub("", str(value)))
    if not text:
        raise CellError("empty")
    # Thousands separators go, the decimal mark becomes a point.
    text = text.replace(".", "").replace(",", ".") if mark == "," else text.replace(",", "")
    if not _PLAIN.fullmatch(text):
        example = "1.234,56" if mark == "," else "1,234.56"
        raise CellError(f"not a number: '{value}' (numbers in this file look like {example})")
    return float(text)


WeekValue = tuple[str, int]  # ("date", days since 0001-01-01) or ("number", week number)


def week(value: object) -> WeekValue:
    """A week cell as a date (its ordinal day) or a week number.

    Dates are day first (``31-12-2024``, ``31/12/2024``) or ISO (``2024-12-31``); an ISO week
    (``2024-W52``) is read as the Monday of that week; a whole number is a week number.

    Raises
    ------
    CellError
        For anything else, or an impossible date, naming the formats that are read.
    """
    if isinstance(value, dt.datetime | dt.date):
        return "date", value.toordinal()
    if isinstance(value, bool):
        raise CellError(f"expected a date or a week number, got {value}")
    if isinstance(value, int | float):
        if float(value).is_integer() and value >= 0:
            return "number", int(value)
        raise CellError(f"expected a whole week number, got {value:g}")
    text = str(value).strip()
    if not text:
        raise CellError("empty")
    formats = "dd-mm-yyyy, yyyy-mm-dd, 2024-W05 or a week number"
    try:
        if m := _ISO_DATE.fullmatch(text):
            year, month, day = (int(g) for g in m.groups())
            return "date", dt.date(year, month, day).toordinal()
        if m := _DAY_FIRST.fullmatch(text):
            day, month, year = (int(g) for g in m.groups())
            if month > 12 and day <= 12:
                raise CellError(
                    f"'{text}' reads as month {month}: dates are day first (dd-mm-yyyy); "
                    "write them as yyyy-mm-dd to be sure"
                )
            return "date", dt.date(year, month, day).toordinal()
        if m := _ISO_WEEK.fullmatch(text):
            year, number_ = int(m.group(1)), int(m.group(2))
            return "date", dt.date.fromisocalendar(year, number_, 1).toordinal()
    except ValueError as exc:
        if isinstance(exc, CellError):
            raise
        raise CellError(f"'{text}' is not a date ({exc}); expected {formats}") from None
    if m := _WEEK_NUMBER.fullmatch(text):
        return "number", int(m.group(1))
    raise CellError(f"'{text}' is not a date or a week number; expected {formats}")


def week_label(kind: str, value: int) -> str:
    """How a week is shown in messages and reports: the ISO date, or ``week N``."""
    if kind == "date":
        return dt.date.fromordinal(value).isoformat()
    return f"week {value}"
