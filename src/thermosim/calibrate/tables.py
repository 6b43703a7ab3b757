"""A data file as a table of cells: CSV (comma, semicolon or tab separated) or Excel (XLSX).

Owns opening the file a trainer gives: its kind by suffix, its text encoding (UTF-8, with or
without a byte-order mark, else Windows-1252 as Dutch Excel saves CSV), the separator of a CSV,
comment lines (``#``) above the header, and the first worksheet of a workbook. Cells keep their
row number in the file, so every later message can name it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thermosim.calibrate.problems import data_error, problem

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
# Enough to tell the separator; a file is read whole afterwards.
_SNIFF_CHARS = 64_000
# A trainer's file has a few hundred weeks; this many rows is a wrong file, not a team.
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Table:
    """The cells of a data file below its header row.

    Attributes
    ----------
    headers
        The header row's cells as text.
    header_row
        Its row number in the file (1-based).
    rows
        ``(row number, cells)`` for every non-empty row below it.
    separator
        The CSV separator (``""`` for a workbook).
    notes
        What the reader decided on its own (encoding, comment lines skipped), for the report.
    """

    source: str
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    separator: str = ""
    notes: list[str] = field(default_factory=list)


def read_table(path: Path, source: str) -> Table:
    """Read ``path`` (named ``source`` in messages) as a table.

    Raises
    ------
    DataError
        For a missing or unreadable file, an unknown suffix, an empty file or sheet, or a file
        with more than `MAX_ROWS` rows.
    """
    suffix = path.suffix.lower()
    if path.is_dir():
        raise data_error(
            source, [problem(source, "is a folder, not a file", "give a .csv or .xlsx file")]
        )
    if suffix not in SUFFIXES:
        raise data_error(
            source,
            [
                problem(
                    source,
                    f"cannot read a '{suffix or 'suffix-less'}' file",
                    "give a .csv or .xlsx file (save the sheet as CSV or Excel workbook)",
                )
            ],
        )
    try:
        if suffix in (".xlsx", ".xlsm"):
            table = _read_xlsx(path, source)
        else:
            table = _read_csv(path.read_bytes(), source)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise data_error(source, [problem(source, f"cannot read the file ({reason})")]) from None
    if not table.rows:
        raise data_error(
            source,
            [problem(source, "no rows below the header", "one row per week", row=table.header_row)],
        )
    if len(table.rows) > MAX_ROWS:
        raise data_error(
            source,
            [problem(source, f"{len(table.rows)} rows: more than {MAX_ROWS} weeks is not a team")],
        )
    return table


def _decode(data: bytes, source: str) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page: Windows-1252 in the Netherlands.
        return data.decode("cp1252", errors="replace"), [
            f"{source} is not UTF-8; read as Windows-1252 (as Excel saves CSV on Windows)"
        ]


def _read_csv(data: bytes, source: str) -> Table:
    text, notes = _decode(data, source)
    lines = text.splitlines()
    skipped = 0
    while skipped < len(lines) and (
        not lines[skipped].strip() or lines[skipped].lstrip().startswith("#")
    ):
        skipped += 1
    if skipped == len(lines):
        raise data_error(source, [problem(source, "the file is empty", "one row per week")])
    if skipped:
        notes.append(f"skipped {skipped} comment or empty lines above the header")
    body = "\n".join(lines[skipped:])
    separator = _separator(lines[skipped], body[:_SNIFF_CHARS])
    reader = csv.reader(io.StringIO(body), delimiter=separator)
    rows: list[tuple[int, list[Any]]] = []
    headers: list[str] = []
    header_row = skipped + 1
    for offset, cells in enumerate(reader):
        number = skipped + 1 + offset  # a quoted line break would shift this; rare in tables
        if offset == 0:
            headers = [c.strip() for c in cells]
            continue
        if any(c.strip() for c in cells) and not cells[0].lstrip().startswith("#"):
            rows.append((number, [c.strip() for c in cells]))
    return Table(source, headers, header_row, rows, separator, notes)


def _separator(header: str, sample: str) -> str:
    """The separator: the one of ``;``, tab and ``,`` that splits the header most consistently."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {sep: header.count(sep) for sep in (";", "\t", ",")}
        return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _read_xlsx(path: Path, source: str) -> Table:
    # openpyxl ships no type hints (types-openpyxl is not a dependency).
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    try:
        # data_only: the values Excel last computed, not the formulas.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, IsADirectoryError):
            raise
        raise data_error(
            source,
            [problem(source, "not an Excel workbook that can be read", "save it as .xlsx or .csv")],
        ) from None
    except Exception as exc:  # a damaged zip file raises zipfile.BadZipFile, among others
        raise data_error(
            source,
            [problem(source, f"not a readable Excel workbook ({type(exc).__name__})")],
        ) from None
    try:
        sheet = book.worksheets[0]
        notes = [f"read the first sheet, '{sheet.title}'"] if len(book.worksheets) > 1 else []
        headers: list[str] = []
        header_row = 0
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else v for v in values]
            if not any(str(c).strip() for c in cells):
                continue
            if not headers:
                headers, header_row = [str(c).strip() for c in cells], number
                continue
            rows.append((number, [c.strip() if isinstance(c, str) else c for c in cells]))
            if len(rows) > MAX_ROWS:
                break
    finally:
        book.close()
    if not headers:
        raise data_error(source, [problem(source, "the first sheet is empty", "one row per week")])
    return Table(source, headers, header_row, rows, "", notes)
