"""Exception hierarchy of thermosim: one root, subclasses of builtins.

The library raises; only the command line formats errors for people.
"""

from __future__ import annotations


class ThermosimError(Exception):
    """Root of every error thermosim raises on purpose."""


class ScenarioError(ThermosimError, ValueError):
    """A scenario file or override is invalid.

    Parameters
    ----------
    message
        Summary line.
    problems
        One line per problem, each naming the field path, what is wrong and a hint.
    source
        The file (or override) the problems come from, if known.
    """

    def __init__(self, message: str, problems: list[str] | None = None, source: str = "") -> None:
        self.problems = list(problems or [])
        self.source = source
        detail = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{message}\n{detail}" if detail else message)


class SimulationError(ThermosimError, RuntimeError):
    """The engine met a state it cannot continue from (a bug, not bad input)."""
