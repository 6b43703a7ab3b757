"""Exception hierarchy of thermosim: one root, subclasses of builtins.

The library raises; only the command line formats errors for people. A ScenarioError carries
every problem of a scenario as a `Problem` (where, which field, what is wrong, a hint), so the
command line can print, colour or count them without parsing text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A file with hundreds of mistakes is usually one systematic mistake; beyond this many lines the
# message says how many more there are (all of them stay available in ``problems``).
MAX_SHOWN = 200


class ThermosimError(Exception):
    """Root of every error thermosim raises on purpose.

    ``bad_input`` is True for errors the user can fix by asking differently (another file,
    option or value); the command line exits with 2 for those and with 1 for the rest.
    """

    bad_input: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a scenario file or override, located for the person who wrote it.

    Attributes
    ----------
    source
        The file as the user named it, or the override (``--set KEY=VALUE``).
    line, column
        1-based position as editors show it; None when the source has no lines (overrides).
    field
        Dotted path of the field in the YAML (``plant.people.team_size``); "" for the file.
    message
        What is wrong, in plain words (with "did you mean" where there is a close name).
    hint
        What is expected or how to fix it ("" when the message says it all).
    """

    source: str
    line: int | None
    column: int | None
    field: str
    message: str
    hint: str = ""

    @property
    def where(self) -> str:
        """``file:line:col`` (or just the source when there is no position)."""
        if self.line is None:
            return self.source
        return f"{self.source}:{self.line}:{self.column or 1}"

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        hint = ""
        if self.hint and self.message.endswith("?"):
            hint = f" {self.hint[0].upper()}{self.hint[1:]}"  # after "did you mean 'x'?"
        elif self.hint:
            hint = f"; {self.hint}"
        return f"{self.where}: {field}{self.message}{hint}"


class ScenarioError(ThermosimError, ValueError):
    """A scenario file or override is invalid (always bad input).

    Parameters
    ----------
    message
        Summary line (``file: N problems``).
    problems
        The problems, as `Problem` objects or as ready-made lines.
    source
        The file (or override) the problems come from, if known.

    Attributes
    ----------
    problems : list[str]
        Every problem as one formatted line: ``file:line:col: field.path: what is wrong; hint``.
    issues : list[Problem]
        The same problems, structured (lines given as text become a Problem without position).
    source : str
        As given.
    """

    bad_input = True

    def __init__(
        self,
        message: str,
        problems: Sequence[Problem | str] | None = None,
        source: str = "",
    ) -> None:
        self.issues = [
            p if isinstance(p, Problem) else Problem(source, None, None, "", p)
            for p in problems or ()
        ]
        self.problems = [str(p) for p in problems or ()]
        self.source = source
        self.summary = message
        shown = [f"  {p}" for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            shown.append(f"  ... and {len(self.problems) - MAX_SHOWN} more problems")
        super().__init__("\n".join([message, *shown]))

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[str, list[Problem], str]]:
        # Keep the structured problems when the error crosses a process boundary.
        return (type(self), (self.summary, self.issues, self.source))


class ResultsError(ThermosimError, OSError):
    """A results folder (or its figures) could not be written, or is not a results folder.

    ``bad_input`` is True when the user can fix it with another ``--out`` or folder (a file in
    the way, a folder that cannot exist or take files, a symbolic link), False for trouble while
    writing (a full disk). The message says what became of the previous results.
    """

    def __init__(self, message: str, bad_input: bool = False) -> None:
        super().__init__(message)
        self.bad_input = bad_input
