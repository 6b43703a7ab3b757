"""Reading scenario files: YAML, ``extends``, validation into a frozen Scenario.

Owns where shipped scenarios are found, how a file's base is merged in, and the translation of
validation problems into one ScenarioError that names the file and every field at fault.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from thermosim.config.scenario import Scenario, deep_merge
from thermosim.errors import ScenarioError

MAX_EXTENDS_DEPTH = 8


def shipped_dir() -> Path:
    """Folder of the scenarios shipped with thermosim."""
    return Path(str(resources.files("thermosim.scenarios")))


def shipped_names() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


def resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """Turn a shipped scenario name or a path into the file to read."""
    candidate = Path(name_or_path)
    if relative_to is not None and not candidate.is_absolute():
        near = relative_to.parent / candidate
        if near.is_file() or near.with_suffix(".yaml").is_file():
            return near if near.is_file() else near.with_suffix(".yaml")
    if candidate.is_file():
        return candidate
    shipped = shipped_dir() / f"{candidate.name.removesuffix('.yaml')}.yaml"
    if candidate.suffix in ("", ".yaml") and shipped.is_file():
        return shipped
    from difflib import get_close_matches

    close = get_close_matches(str(name_or_path), shipped_names(), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise ScenarioError(
        f"no scenario file or shipped scenario called '{name_or_path}'{hint}",
        [f"shipped scenarios: {', '.join(shipped_names())}"],
        source=str(name_or_path),
    )


def _read_mapping(path: Path) -> dict[str, Any]:
    yaml = YAML(typ="safe", pure=True)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text)
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{path}: not a UTF-8 text file ({exc.reason})", source=str(path)
        ) from None
    except YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML", [str(exc)], source=str(path)) from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})", source=str(path)) from None
    if data is None:
        raise ScenarioError(f"{path}: the file is empty", source=str(path))
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: a scenario must be a mapping of keys (name:, variants:, ...), "
            f"not a {type(data).__name__}",
            source=str(path),
        )
    return data


def load_raw(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read ``path`` and merge its ``extends`` chain (bases first), without validating."""
    path = path.resolve()
    if path in chain:
        shown = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(f"{path}: extends forms a cycle", [shown], source=str(path))
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            f"{path}: extends is nested deeper than {MAX_EXTENDS_DEPTH} files", source=str(path)
        )
    data = _read_mapping(path)
    base_name = data.pop("extends", None)
    if base_name is None:
        return data
    if not isinstance(base_name, str):
        raise ScenarioError(f"{path}: extends must be a scenario name or a relative path")
    base = load_raw(resolve_path(base_name, relative_to=path), (*chain, path))
    return deep_merge(base, data)


def format_validation_error(exc: ValidationError, source: str) -> list[str]:
    """One line per problem: ``field.path: message (got: value)``."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"] if not str(part).startswith("function-"))
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got: {got!r})"
        lines.append(f"{loc or '<top>'}: {err['msg']}{shown}")
    return lines


def validate(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a merged mapping into a Scenario, or raise ScenarioError listing all problems."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = format_validation_error(exc, source)
        raise ScenarioError(f"{source}: {len(problems)} problem(s)", problems, source) from None


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a scenario from a file path or a shipped name, resolving ``extends``.

    Raises
    ------
    ScenarioError
        For a missing file, broken YAML, or any invalid field (all listed).
    """
    path = resolve_path(name_or_path)
    return validate(load_raw(path), str(path))
