"""Reading scenarios: where files are found, ``extends``, overrides, validation.

Owns where shipped scenarios are found, resolving a file's ``extends`` chain (a shipped name or
a path relative to the file; cycles and missing bases shown with the chain), and the one entry
point that turns a name or path plus ``--set`` overrides into a frozen Scenario or one
ScenarioError listing every problem with its file, line and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from thermosim.config.document import Document, file_error, merge, scenario_error
from thermosim.config.overrides import apply_overrides
from thermosim.config.problems import show, validation_problems
from thermosim.config.scenario import Scenario
from thermosim.config.yaml_io import read_document
from thermosim.errors import Problem, ScenarioError

MAX_EXTENDS_DEPTH = 8


def shipped_dir() -> Path:
    """Folder of the scenarios shipped with thermosim (symbolic links resolved)."""
    return Path(str(resources.files("thermosim.scenarios"))).resolve()


def shipped_names() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


def resolve_path(name_or_path: str | Path) -> Path:
    """Turn a scenario named on the command line (a path or a shipped name) into the file to read.

    A path as given wins, then a shipped name. Something that exists but is not a file (a
    directory) is returned, so that reading it says what it is.

    Raises
    ------
    ScenarioError
        When nothing matches, with the closest name as a suggestion.
    """
    candidate = Path(name_or_path)
    try:
        if candidate.is_file():
            return candidate
        shipped = _shipped(str(name_or_path))
        if shipped is not None:
            return shipped
        if candidate.exists():
            return candidate
    except OSError as exc:  # a name the system refuses (too long, ...): say so, briefly
        shown = str(name_or_path)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise file_error(shown, f"cannot read the file ({exc.strerror})") from None
    raise _not_found(str(name_or_path), shipped_names())


def _shipped(name: str) -> Path | None:
    path = shipped_dir() / f"{Path(name).name.removesuffix('.yaml')}.yaml"
    return path if Path(name).suffix in ("", ".yaml") and path.is_file() else None


def _not_found(name: str, names: list[str]) -> ScenarioError:
    close = get_close_matches(name, names, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    message = f"no scenario file or shipped scenario called '{name}'{hint}"
    problem = Problem(name, None, None, "", message, f"shipped scenarios: {', '.join(names)}")
    return ScenarioError(f"{name}: 1 problem", [problem], source=name)


def base_path(name: str, child: Path, root: Path) -> Path:
    """The file an ``extends: name`` in ``child`` names: next to it, or a shipped scenario.

    A base is read only from the folder tree of the file named on the command line (``root``,
    symbolic links resolved) or from the shipped scenarios (which extend each other): a
    scenario file cannot make thermosim read files elsewhere (``extends: /etc/passwd``).

    Raises
    ------
    ScenarioError
        For an absolute path, a path leaving ``root``, or a name that matches nothing.
    """
    outside = (
        f"'{name}' is outside this scenario's folder {root}",
        "name a shipped scenario or a file in this folder (copy the base next to it)",
    )
    if Path(name).is_absolute():
        raise _RefusedBaseError(*outside)
    near = child.parent / name
    for option in (near, near.with_suffix(".yaml")):
        if option.exists():
            if not any(option.resolve().is_relative_to(r) for r in (root, shipped_dir())):
                raise _RefusedBaseError(*outside)
            if option.is_file() or option == near:
                return option
    shipped = _shipped(name)
    if shipped is not None:
        return shipped
    names = shipped_names() + sorted(p.name for p in child.parent.glob("*.yaml"))
    raise _not_found(name, names)


class _RefusedBaseError(Exception):
    """A base that may not be read, with the message and hint for the trainer."""


def _extends_problem(doc: Document, message: str, hint: str = "") -> ScenarioError:
    problem = doc.problem(("extends",), message, hint)
    return scenario_error(doc.source, [*doc.problems, problem], doc.sources)


def read_with_bases(path: Path, chain: tuple[tuple[Path, str], ...] = ()) -> Document:
    """Read ``path`` and merge its ``extends`` chain (bases first), without validating.

    Raises
    ------
    ScenarioError
        For an unreadable file (this one or a base), a missing base, a cycle or a chain deeper
        than `MAX_EXTENDS_DEPTH`; together with the problems found so far.
    """
    source = str(path)
    doc = read_document(path, source)
    if "extends" not in doc.data:
        return doc
    base_name = doc.data.pop("extends")
    if not isinstance(base_name, str) or not base_name.strip():
        raise _extends_problem(
            doc,
            f"expected the name of a shipped scenario or a relative path, got {show(base_name)}",
        )
    root = chain[0][0].parent if chain else path.resolve().parent
    try:
        base = base_path(base_name, path, root)
    except _RefusedBaseError as exc:
        raise _extends_problem(doc, *exc.args) from None
    except ScenarioError as exc:
        issue = exc.issues[0]
        raise _extends_problem(doc, issue.message, issue.hint) from None
    here = (path.resolve(), source)
    seen = [*chain, here]
    if base.resolve() in [p for p, _ in seen]:
        shown = " -> ".join([*(s for _, s in seen), str(base)])
        raise _extends_problem(doc, f"extends forms a cycle: {shown}", "remove one of the links")
    if len(seen) > MAX_EXTENDS_DEPTH:
        shown = " -> ".join(s for _, s in seen)
        raise _extends_problem(
            doc, f"extends is nested deeper than {MAX_EXTENDS_DEPTH} files: {shown}"
        )
    try:
        merged_base = read_with_bases(base, tuple(seen))
    except ScenarioError as exc:
        # Name the file the user asked for in the summary; the problems name the base.
        raise scenario_error(doc.source, [*doc.problems, *exc.issues], doc.sources) from None
    for table in (doc.keys, doc.values):
        table.pop(("extends",), None)
    return merge(merged_base, doc)


def load_document(name_or_path: str | Path, overrides: Sequence[str] = ()) -> Document:
    """The resolved scenario data (after ``extends`` and overrides) with positions, unvalidated.

    Raises
    ------
    ScenarioError
        When a file cannot be read or the ``extends`` chain is broken. Problems that do not stop
        the reading (duplicate keys, tags, overrides that do not apply) are in ``problems`` of
        the result and are raised by `validate_document`.
    """
    if isinstance(overrides, str):
        overrides = (overrides,)  # one override given bare, not its characters one by one
    return apply_overrides(read_with_bases(resolve_path(name_or_path)), overrides)


def validate_document(doc: Document) -> Scenario:
    """Validate ``doc`` into a Scenario, or raise one ScenarioError with all its problems."""
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        problems = [*doc.problems, *validation_problems(exc, doc)]
        raise scenario_error(doc.source, problems, doc.sources) from None
    if doc.problems:
        raise scenario_error(doc.source, doc.problems, doc.sources)
    return scenario


def load_scenario(name_or_path: str | Path, overrides: Sequence[str] = ()) -> Scenario:
    """Load a scenario from a file path or a shipped name, resolving ``extends`` and overrides.

    Parameters
    ----------
    name_or_path
        A path to a YAML file, or the name of a shipped scenario (``lost-key-account``).
    overrides
        ``KEY=VALUE`` strings applied after ``extends``, in order: a dotted path with list
        indices (``variants.1.policy.gain=0.3``) and a YAML scalar or flow list as value.

    Raises
    ------
    ScenarioError
        For a missing or unreadable file, broken YAML, a broken ``extends`` chain, an override
        that does not apply, or any invalid field; all problems of the scenario at once, each
        with file, line, column and field path (see `thermosim.errors.Problem`).
    """
    return validate_document(load_document(name_or_path, overrides))
