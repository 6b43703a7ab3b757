"""Opening the files of a results folder: the checks every file passes before it is read.

Owns ``DamagedResultsError`` (which file, what is wrong, how to make the folder again) and
``ResultsFiles``: the folder must be a folder holding every file of ``results.FILES``; each file
must be a regular file inside it (a link out of the folder is refused), no larger than a run
writes (``MAX_JSON_BYTES``, ``MAX_TABLE_BYTES``, or the limit a large run's tables are given:
a larger one is refused unread), UTF-8, and for a CSV file cut at a line end with every row as
wide as its header. A table is read a line at a time (``stream``), so however long it is,
reading it holds one line. What the files must hold is ``saved_check``'s.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shlex
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from thermosim.errors import ResultsError
from thermosim.results import FILES

# No file a run writes comes near these (the manifest and KPIs are kilobytes, 30 replications
# of two years a few MB); a larger file is refused before it is read, so a wrong folder or a
# sparse file cannot fill the memory.
MAX_JSON_BYTES = 16 * 2**20
MAX_TABLE_BYTES = 512 * 2**20
# No line thermosim writes comes near this; a longer one is refused before it is held whole.
MAX_LINE_BYTES = 2**20
MISSING: Any = object()  # a key absent from a JSON object (``describe`` says "missing")


class DamagedResultsError(ResultsError):
    """A results folder that cannot be read: which file, what is wrong and what to do.

    Always bad input (exit 2): the folder was damaged, edited, is not a results folder, or was
    written by a newer thermosim.

    Attributes
    ----------
    file
        The file (or folder) at fault.
    problem
        What is wrong with it, in plain words.
    hint
        What to do ("" when the problem says it all).
    """

    def __init__(self, file: Path, problem: str, hint: str = "") -> None:
        self.file, self.problem, self.hint = Path(file), problem, hint
        super().__init__(f"{file}: {problem}" + (f"; {hint}" if hint else ""), bad_input=True)

    def __reduce__(self) -> tuple[type[DamagedResultsError], tuple[Path, str, str]]:
        # OSError would pickle only the message; keep the three parts.
        return (type(self), (self.file, self.problem, self.hint))


Row = tuple[int, list[str]]  # a CSV row's cells and the line it ends on (for messages)


def rerun_hint(path: Path, scenario: str | None) -> str:
    """How to make the folder again: ``thermosim run NAME --out PARENT``."""
    out = "" if path.parent == Path("results") else f" --out {shlex.quote(str(path.parent))}"
    if scenario:
        return f"re-run it: thermosim run {shlex.quote(scenario)}{out}"
    return f"make one with: thermosim run SCENARIO{out}"


def describe(value: Any) -> str:
    """What a JSON value is, for a message (``the text 'two'``, ``a list``)."""
    if value is MISSING or value is None:
        return "missing" if value is MISSING else "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value if len(value) <= 40 else value[:37] + '...'!r}"
    return "a list" if isinstance(value, list) else "an object"


class _NotJsonError(ValueError):
    """NaN or Infinity: Python's json reads them, JSON (and thermosim) never writes them."""


def _no_constant(name: str) -> NoReturn:
    raise _NotJsonError(f"holds {name}, which is not a JSON number (thermosim never writes it)")


class ResultsFiles:
    """The files of one results folder, each read only after the checks above.

    ``hint`` says how to make the folder again (with its scenario's name, once known).
    """

    def __init__(self, path: Path, hint: str) -> None:
        self.path, self.hint = path, hint

    @classmethod
    def open(cls, path: Path) -> ResultsFiles:
        """The folder, once it is a folder holding every file (all missing ones named)."""
        generic = rerun_hint(path, None)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:  # a name too long, say
            raise DamagedResultsError(path, f"cannot be read ({exc.strerror})", generic) from None
        if not exists:
            raise DamagedResultsError(path, "does not exist", generic)
        if not is_dir:
            raise DamagedResultsError(path, "is a file, not a results folder", generic)
        missing = [n for n in FILES if not ((path / n).exists() or (path / n).is_symlink())]
        if len(missing) == len(FILES):
            raise DamagedResultsError(
                path, f"is not a results folder (it has none of {', '.join(FILES)})", generic
            )
        # A results folder that lost files: its name is its scenario's.
        folder = cls(path, rerun_hint(path, path.name))
        if missing:
            folder.fail("", f"is not a complete results folder: missing {', '.join(missing)}")
        # The figures are drawn into it: never through a link, never over a file.
        figures = path / "figures"
        if figures.is_symlink():
            folder.fail("figures", "is a symbolic link, not a folder of the results (remove it)")
        if figures.exists() and not figures.is_dir():
            folder.fail("figures", "is a file, not a folder (remove it)")
        return folder

    def fail(self, name: str, problem: str) -> NoReturn:
        """Raise the error of the file ``name`` ("" for the folder itself)."""
        raise DamagedResultsError(self.path / name if name else self.path, problem, self.hint)

    def checked(self, name: str, limit: int) -> Path:
        """The path of one file, once it is a regular file in the folder of at most ``limit``."""
        file = self.path / name
        try:
            info = file.lstat()
            # A link may point anywhere: a device, a huge file, another folder's results.
            target = file.resolve(strict=True) if stat.S_ISLNK(info.st_mode) else None
            if target is not None:
                info = target.stat()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links
            self.fail(name, f"cannot be read ({getattr(exc, 'strerror', None) or exc})")
        if target is not None and not target.is_relative_to(self.path.resolve()):
            self.fail(name, f"is a link to {target}, outside the results folder")
        if stat.S_ISDIR(info.st_mode):
            self.fail(name, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            self.fail(name, "is not a regular file (a device or a pipe, say)")
        if info.st_size > limit:
            self._too_big(name, limit)
        return file

    def _too_big(self, name: str, limit: int) -> NoReturn:
        self.fail(
            name, f"is larger than a run writes (more than {limit // 2**20} MB); it was not read"
        )

    def text(self, name: str, limit: int) -> str:
        """The whole text of one file, after checking it is a regular file of at most ``limit``."""
        file = self.checked(name, limit)
        try:
            with file.open("rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            self.fail(name, f"cannot be read ({exc.strerror or exc})")
        if len(data) > limit:  # it grew since
            self._too_big(name, limit)
        try:
            text = data.decode("utf-8-sig")  # a spreadsheet's byte-order mark is harmless
        except UnicodeDecodeError as exc:
            self.fail(name, f"is not UTF-8 text (byte {exc.start}); thermosim did not write it")
        if not text.strip():
            self.fail(name, "is empty")
        return text

    def json(self, name: str) -> Any:
        """The JSON value of one file (no NaN or Infinity, which thermosim never writes)."""
        text = self.text(name, MAX_JSON_BYTES)
        try:
            return json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            self.fail(name, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        except _NotJsonError as exc:
            self.fail(name, str(exc))
        except RecursionError:
            self.fail(name, "nests deeper than any JSON thermosim writes")
        except ValueError as exc:  # a number of thousands of digits, say
            self.fail(name, f"is not JSON thermosim wrote ({exc})"[:300])

    def rows(self, name: str, header: list[str] | None = None) -> tuple[list[str], list[Row]]:
        """Header and rows of a CSV file cut at a line end, every row as wide as its header."""
        text = self.text(name, MAX_TABLE_BYTES)
        if not text.endswith("\n"):
            self.fail(name, "ends in the middle of a line: the file was cut short")
        reader = csv.reader(io.StringIO(text))
        try:
            found = next(reader)
            rows = [(reader.line_num, cells) for cells in reader]
        except csv.Error as exc:
            self.fail(name, f"line {reader.line_num} is not CSV ({exc})")
        if header is not None and found != header:
            self.fail(name, f"its header is {','.join(found)[:80]!r}, not {','.join(header)!r}")
        for line, cells in rows:
            if len(cells) != len(found):
                self.fail(name, f"line {line} has {len(cells)} cells, the header {len(found)}")
        return found, rows

    def digest(self, name: str, limit: int) -> tuple[int, str]:
        """Size and SHA-256 of one file (read in chunks; nothing is parsed)."""
        file = self.checked(name, limit)
        try:
            with file.open("rb") as handle:
                found = hashlib.file_digest(handle, "sha256")
                size = handle.tell()
        except OSError as exc:
            self.fail(name, f"cannot be read ({exc.strerror or exc})")
        return size, found.hexdigest()

    def stream(
        self, name: str, header: list[str] | None = None, limit: int = MAX_TABLE_BYTES
    ) -> tuple[list[str], Iterator[Row]]:
        """As ``rows``, but the rows come as they are read: the file is never held whole.

        The checks of ``rows`` are made as the rows are read (a row too short or too long, a
        line that is not CSV, a byte that is not UTF-8), except the ones on the whole file,
        made first: it is not empty and ends at a line end.
        """
        file = self.checked(name, limit)
        try:
            with file.open("rb") as handle:
                size = handle.seek(0, io.SEEK_END)
                if size:
                    handle.seek(-1, io.SEEK_END)
                    last = handle.read(1)
        except OSError as exc:
            self.fail(name, f"cannot be read ({exc.strerror or exc})")
        if not size:
            self.fail(name, "is empty")
        if last != b"\n":
            self.fail(name, "ends in the middle of a line: the file was cut short")
        reader = csv.reader(self._lines(name, file, limit))
        try:
            found = next(reader, [])
        except csv.Error as exc:
            self.fail(name, f"line {reader.line_num} is not CSV ({exc})")
        if not any(cell.strip() for cell in found):
            self.fail(name, "is empty")
        if header is not None and found != header:
            self.fail(name, f"its header is {','.join(found)[:80]!r}, not {','.join(header)!r}")

        def rows() -> Iterator[Row]:
            try:
                for cells in reader:
                    if len(cells) != len(found):
                        line = reader.line_num
                        self.fail(
                            name, f"line {line} has {len(cells)} cells, the header {len(found)}"
                        )
                    yield reader.line_num, cells
            except csv.Error as exc:
                self.fail(name, f"line {reader.line_num} is not CSV ({exc})")

        return found, rows()

    def _lines(self, name: str, file: Path, limit: int) -> Iterator[str]:
        """The lines of ``file`` as text, one at a time, each checked to be UTF-8."""
        try:
            handle = file.open("rb")
        except OSError as exc:
            self.fail(name, f"cannot be read ({exc.strerror or exc})")
        read = 0
        with handle:
            while True:
                try:
                    raw = handle.readline(MAX_LINE_BYTES + 1)
                except OSError as exc:
                    self.fail(name, f"cannot be read ({exc.strerror or exc})")
                if not raw:
                    return
                if len(raw) > MAX_LINE_BYTES:
                    self.fail(name, "has a line longer than any thermosim writes")
                try:
                    # A spreadsheet's byte-order mark is harmless.
                    line = raw.decode("utf-8-sig" if read == 0 else "utf-8")
                except UnicodeDecodeError as exc:
                    self.fail(
                        name,
                        f"is not UTF-8 text (byte {read + exc.start}); thermosim did not write it",
                    )
                read += len(raw)
                if read > limit:  # it grew since
                    self._too_big(name, limit)
                yield line
