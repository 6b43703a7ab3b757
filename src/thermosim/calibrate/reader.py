"""Weekly results of a real team, read from a CSV or Excel file into checked weekly series.

Owns turning a table (``tables.py``) into ``WeeklyData``: which column is which
(``columns.py``), each cell as a number or a week (``parse.py``), and the checks that make the
series fit for a fit: no negative or non-numeric figures, no week twice, weeks in order, at
least `MIN_WEEKS` of them, and no missing weeks unless asked (``allow_gaps``; the gaps are then
listed, never filled in). Every problem names the file, the row and the column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thermosim.calibrate.columns import match_columns, parse_mappings
from thermosim.calibrate.parse import CellError, decimal_mark, number, week, week_label
from thermosim.calibrate.problems import capped, data_error, problem
from thermosim.calibrate.tables import Table, read_table
from thermosim.errors import Problem

# Half a year: three sales cycles of eight weeks and enough weeks to tell the level of weekly
# revenue within about 10% (with a week-to-week spread of 40-50% of the mean, as the default
# team has, the standard error of a 26-week mean is about 9%).
MIN_WEEKS = 26
NUMERIC = ("revenue", "deals_won", "new_leads", "headcount", "target")
FloatArray = np.ndarray


@dataclass(frozen=True)
class WeeklyData:
    """A team's weekly figures, one slot per week from the first to the last (gaps are NaN).

    Attributes
    ----------
    source
        The file as the user named it.
    labels
        Each week as shown in reports (the ISO date, or ``week N``).
    present
        Whether the file has the week (False only for gaps, with ``allow_gaps``).
    revenue, deals_won, new_leads, headcount, target
        Weekly figures; the optional ones are None when the file has no such column.
    actions
        What management did each week, as written (``""``: nothing), or None without a column.
    rows
        The row in the file of each week (0 for a gap).
    columns
        ``{field: header}`` of the columns used.
    notes
        What the reader decided on its own (decimal mark, separator, sorting, gaps, ignored
        columns), for the report.
    """

    source: str
    labels: tuple[str, ...]
    present: np.ndarray
    revenue: FloatArray
    deals_won: FloatArray | None
    new_leads: FloatArray | None
    headcount: FloatArray | None
    target: FloatArray | None
    actions: tuple[str, ...] | None
    rows: tuple[int, ...]
    columns: Mapping[str, str]
    notes: tuple[str, ...]

    @property
    def weeks(self) -> int:
        """Weeks spanned, gaps included."""
        return len(self.labels)

    @property
    def gaps(self) -> list[int]:
        """Indices of the weeks the file does not have."""
        return [int(i) for i in np.flatnonzero(~self.present)]


def read_weekly(
    path: str | Path,
    columns: Sequence[str] = (),
    *,
    allow_gaps: bool = False,
    min_weeks: int = MIN_WEEKS,
) -> WeeklyData:
    """Read a team's weekly results.

    Parameters
    ----------
    path
        A ``.csv`` (comma, semicolon or tab separated) or ``.xlsx`` file, one row per week.
    columns
        ``FIELD=HEADER`` mappings for headers the reader does not know
        (``revenue=Bookings``).
    allow_gaps
        Accept missing weeks: they stay missing (the fit uses the weeks present) and are listed
        in ``notes``. Without it a gap is an error naming the rows around it.
    min_weeks
        Fewest weeks a fit needs.

    Raises
    ------
    DataError
        Listing every problem with its file, row, column and a fix.
    """
    path = Path(path)
    source = str(path)
    mappings = parse_mappings(columns, source)
    table = read_table(path, source)
    chosen = match_columns(table.headers, mappings, source, table.header_row)
    return _Assembler(table, chosen).assemble(allow_gaps, min_weeks)


class _Assembler:
    """Cells of the chosen columns into checked weekly series."""

    def __init__(self, table: Table, chosen: dict[str, int]) -> None:
        self.table = table
        self.chosen = chosen
        self.source = table.source
        self.problems: list[Problem] = []
        self.notes = list(table.notes)

    def _cell(self, cells: list[Any], field: str) -> Any:
        index = self.chosen[field]
        return cells[index] if index < len(cells) else ""

    def _at(self, row: int, field: str, message: str, hint: str = "") -> Problem:
        index = self.chosen[field]
        header = self.table.headers[index]
        return problem(self.source, message, hint, row=row, column=index + 1, field=header)

    def assemble(self, allow_gaps: bool, min_weeks: int) -> WeeklyData:
        table = self.table
        ignored = [
            h for i, h in enumerate(table.headers) if h.strip() and i not in self.chosen.values()
        ]
        if ignored:
            self.notes.append("ignored columns: " + ", ".join(f"'{h}'" for h in ignored))
        weeks = self._weeks()
        values = {f: self._numbers(f) for f in NUMERIC if f in self.chosen}
        if self.problems:
            raise data_error(self.source, self.problems)
        order, index, kind = self._order(weeks)
        if self.problems:
            raise data_error(self.source, self.problems)
        n = int(index[-1]) + 1
        present = np.zeros(n, dtype=bool)
        present[index] = True
        self._check_gaps(present, index, order, weeks, allow_gaps)
        if int(present.sum()) < min_weeks:
            self.problems.append(
                problem(
                    self.source,
                    f"{int(present.sum())} weeks: too few to fit; at least {min_weeks} are "
                    f"needed (half a year: several sales cycles, and enough weeks to pin the "
                    "level of weekly revenue within about 10%)",
                    "add earlier weeks if you have them",
                )
            )
        if self.problems:
            raise data_error(self.source, self.problems)
        first = weeks[order[0]][1]
        step = 7 if kind == "date" else 1
        labels = tuple(week_label(kind, first + step * i) for i in range(n))
        rows = np.zeros(n, dtype=int)
        rows[index] = [table.rows[i][0] for i in order]

        def dense(field: str) -> FloatArray | None:
            if field not in values:
                return None
            out = np.full(n, np.nan)
            out[index] = np.asarray(values[field])[order]
            return out

        actions = None
        if "actions" in self.chosen:
            texts = [str(self._cell(table.rows[i][1], "actions")).strip() for i in order]
            dense_actions = [""] * n
            for slot, text in zip(index, texts, strict=True):
                dense_actions[int(slot)] = text
            actions = tuple(dense_actions)
        revenue = dense("revenue")
        assert revenue is not None
        return WeeklyData(
            self.source,
            labels,
            present,
            revenue,
            dense("deals_won"),
            dense("new_leads"),
            dense("headcount"),
            dense("target"),
            actions,
            tuple(int(r) for r in rows),
            {f: table.headers[i] for f, i in self.chosen.items()},
            tuple(self.notes),
        )

    def _weeks(self) -> list[tuple[str, int]]:
        found: list[tuple[str, int]] = []
        bad: list[Problem] = []
        for row, cells in self.table.rows:
            try:
                found.append(week(self._cell(cells, "week")))
            except CellError as exc:
                bad.append(self._at(row, "week", f"week: {exc}"))
                found.append(("number", -1))
        self.problems += capped(bad, "unreadable weeks")
        kinds = {k for k, _ in found if _ >= 0}
        if len(kinds) > 1 and not bad:
            first = found[0][0]
            row = next(
                r for (r, _), (k, _v) in zip(self.table.rows, found, strict=True) if k != first
            )
            self.problems.append(
                self._at(row, "week", "dates and week numbers are mixed", "use one of the two")
            )
        return found

    def _numbers(self, field: str) -> list[float]:
        default = "," if self.table.separator == ";" else "."
        cells = [self._cell(cells, field) for _, cells in self.table.rows]
        try:
            mark = decimal_mark((c for c in cells if isinstance(c, str)), default)
        except CellError as exc:
            self.problems.append(self._at(self.table.header_row, field, str(exc)))
            return []
        if mark != "." and field == "revenue":
            self.notes.append("numbers read with a decimal comma (1.234,56)")
        out: list[float] = []
        bad: list[Problem] = []
        for (row, _), cell in zip(self.table.rows, cells, strict=True):
            try:
                value = number(cell, mark)
            except CellError as exc:
                fix = "write 0 if there was nothing" if str(exc) == "empty" else ""
                bad.append(self._at(row, field, str(exc), fix))
                out.append(np.nan)
                continue
            if value < 0:
                bad.append(self._at(row, field, f"negative: {cell}", "weekly figures are >= 0"))
            elif field == "headcount" and value == 0:
                bad.append(self._at(row, field, "0 people", "headcount is at least 1"))
            out.append(value)
        self.problems += capped(bad, f"bad {field}")
        return out

    def _order(self, weeks: list[tuple[str, int]]) -> tuple[list[int], np.ndarray, str]:
        """Rows in time order and each one's week index from the first week."""
        kind = weeks[0][0]
        rows = [r for r, _ in self.table.rows]
        if kind == "date":
            order = sorted(range(len(weeks)), key=lambda i: weeks[i][1])
            if order != list(range(len(weeks))):
                self.notes.append("rows sorted by date")
            first = weeks[order[0]][1]
            index = []
            for i in order:
                days = weeks[i][1] - first
                if days % 7:
                    self.problems.append(
                        self._at(
                            rows[i],
                            "week",
                            f"{week_label(*weeks[i])} is {days} days after the first week "
                            f"({week_label(*weeks[order[0]])}), not a whole number of weeks",
                            "date every row on the same weekday (e.g. each week's Monday)",
                        )
                    )
                index.append(days // 7)
        else:
            order = list(range(len(weeks)))
            index, offset, last = [], 0, None
            for i in order:
                value = weeks[i][1]
                if last is not None and value + offset < last:
                    if last - offset >= 52 and value <= 2:
                        offset += last - offset  # a new year: week 1 follows week 52 (or 53)
                    else:
                        self.problems.append(
                            self._at(
                                rows[i],
                                "week",
                                f"week {value} comes after week {last - offset}",
                                "put the rows in time order, or use dates",
                            )
                        )
                index.append(value + offset)
                last = value + offset
            base = min(index)
            index = [v - base for v in index]
        seen: dict[int, int] = {}
        for i, slot in zip(order, index, strict=True):
            if slot in seen:
                self.problems.append(
                    self._at(
                        rows[i],
                        "week",
                        f"{week_label(*weeks[i])} again (also in row {seen[slot]})",
                        "one row per week: add the two rows up or remove one",
                    )
                )
            seen.setdefault(slot, rows[i])
        return order, np.asarray(index, dtype=int), kind

    def _check_gaps(
        self,
        present: np.ndarray,
        index: np.ndarray,
        order: list[int],
        weeks: list[tuple[str, int]],
        allow_gaps: bool,
    ) -> None:
        missing = np.flatnonzero(~present)
        if missing.size == 0:
            return
        kind, first = weeks[order[0]]
        step = 7 if kind == "date" else 1
        names = [week_label(kind, first + step * int(i)) for i in missing]
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        if allow_gaps:
            self.notes.append(f"{len(names)} missing weeks left out of the fit: {shown}")
            return
        rows = [r for r, _ in self.table.rows]
        after = int(np.searchsorted(index, missing[0])) - 1
        row = rows[order[after]]
        self.problems.append(
            self._at(
                row,
                "week",
                f"{len(names)} weeks missing after this row: {shown}",
                "add them (0 if nothing was booked), or pass --allow-gaps to fit on the weeks "
                "you have (the gaps are listed in the report, not filled in)",
            )
        )
