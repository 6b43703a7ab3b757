"""Safe reading of scenario files: limits, decoding, YAML syntax errors with hints.

Owns what a file must be before it is parsed (a regular file of at most `MAX_FILE_BYTES` of
UTF-8 text), the messages for YAML syntax errors (tabs, unclosed quotes, bad indentation), and
reading a file into a `Document`. ruamel.yaml parses the file into nodes, and `yaml_tree` turns
them into plain data, never constructing tagged objects.
"""

from __future__ import annotations

import stat
from pathlib import Path

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from thermosim.config.document import Document, file_error
from thermosim.config.yaml_tree import Parsed, build
from thermosim.errors import ScenarioError

# Shipped scenarios are a few kB. The pure-Python YAML parser needs about 4 s per MB, so the cap
# keeps even a pathological file answered within a second.
MAX_FILE_BYTES = 262_144
MAX_FILE_TEXT = "256 kB"

# What the parser was reading when the file ended, in words.
_UNCLOSED = (
    ("flow sequence", "the list opened with '[' here"),
    ("flow mapping", "the mapping opened with '{' here"),
    ("quoted scalar", "the quote opened here"),
)

# Phrases of the YAML parser and what a trainer can do about them.
_SYNTAX_HINTS = (
    (
        "cannot start any token",
        "check for a stray character; text starting with @ or ` needs quotes",
    ),
    (
        "mapping values are not allowed",
        "a line above may miss its ':' or be indented wrongly; "
        "text containing ': ' must be in quotes",
    ),
    ("expected <block end>", "the indentation of this line does not match the lines above"),
    ("could not find expected ':'", "every line in a mapping needs 'key: value'"),
    ("end of stream", "a quote or bracket is not closed"),
    ("expected ',' or", "a bracket or brace is not closed, or a comma is missing"),
)


def read_text(path: Path, source: str) -> str:
    """The text of a scenario file, or ScenarioError if it cannot be one."""
    try:
        info = path.stat()
    except OSError as exc:
        raise file_error(source, f"cannot read the file ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise file_error(source, "is a directory, not a scenario file", hint="name a .yaml file")
    if not stat.S_ISREG(info.st_mode):
        raise file_error(source, "not a regular file (a device, pipe or socket)")
    if info.st_size > MAX_FILE_BYTES:
        raise file_error(
            source,
            f"not a scenario file: {info.st_size / 1e6:.1f} MB",
            hint=f"scenario files are at most {MAX_FILE_TEXT}",
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise file_error(source, f"cannot read the file ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise file_error(source, f"not a scenario file: more than {MAX_FILE_TEXT}")
    return decode(raw, source)


def _line_col(data: bytes | str, offset: int) -> tuple[int, int]:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    return line, offset - (data.rfind(newline, 0, offset) + 1) + 1  # type: ignore[arg-type]


def decode(raw: bytes, source: str) -> str:
    """UTF-8 text of ``raw``; binary or differently encoded content is refused with a place."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise file_error(
            source, "not a UTF-8 text file: it is saved as UTF-16", hint="save it as UTF-8"
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(raw, nul)
        raise file_error(
            source, f"not a scenario file: binary content (a NUL byte at byte {nul})", line, col
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise file_error(
            source,
            f"not a UTF-8 text file: byte 0x{raw[exc.start]:02X} at byte offset {exc.start} "
            "is not UTF-8",
            line,
            col,
            hint="save the file as UTF-8 (e.g. 'Save as' > 'UTF-8' in your editor)",
        ) from None
    return text.removeprefix("\ufeff")


def _shown_char(character: object) -> str:
    code = character if isinstance(character, int) else ord(str(character)[:1] or "?")
    return f"U+{code:04X}"


def parse_yaml(text: str, source: str) -> Parsed:
    """Parse ``text`` (YAML 1.2) safely into plain data with positions.

    Raises
    ------
    ScenarioError
        For a syntax error, or any of the limits of `yaml_tree.build`.
    """
    try:
        return build(text, source)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, text, source) from None
    except ReaderError as exc:
        line, col = _line_col(text, exc.position)
        raise file_error(
            source,
            f"not valid YAML: the control character {_shown_char(exc.character)} is not allowed",
            line,
            col,
            "remove the control character",
        ) from None
    except YAMLError as exc:
        raise file_error(source, f"not valid YAML: {exc}") from None


def _syntax_error(exc: MarkedYAMLError, text: str, source: str) -> ScenarioError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    problem = str(exc.problem or exc.context or "")
    if "'\\t'" in problem:
        problem = "a tab character where YAML expects spaces"
    message = f"not valid YAML: {problem}"
    hint = next((h for phrase, h in _SYNTAX_HINTS if phrase in problem), "")
    context = exc.context_mark
    unclosed = next((w for phrase, w in _UNCLOSED if phrase in str(exc.context)), "")
    at_end = "end of stream" in problem or "<stream end>" in problem
    if unclosed and at_end and context is not None:
        # The end of the file is where the parser noticed; the opening is what to fix.
        line, col = context.line + 1, context.column + 1
        message, hint = f"not valid YAML: {unclosed} is never closed", ""
    elif exc.context and context is not None and context.line + 1 != line:
        message += f" ({exc.context} started at line {context.line + 1})"
    lines = text.splitlines()
    # A tab in the indentation of the problem line (or the line before) is the usual cause,
    # whatever the parser says about it.
    for n in (line, line - 1) if line else ():
        text_line = lines[n - 1] if 0 < n <= len(lines) else ""
        indent = text_line[: len(text_line) - len(text_line.lstrip(" \t"))]
        if "\t" in indent:
            line, col = n, indent.index("\t") + 1
            hint = "indent with spaces, not tabs"
            break
    return file_error(source, message, line, col, hint)


def read_document(path: Path, source: str) -> Document:
    """Read the scenario file at ``path`` (shown as ``source``) into a Document.

    Raises
    ------
    ScenarioError
        If the file cannot be a scenario: see `read_text` and `parse_yaml`; also when it is empty
        or its top level is not a mapping.
    """
    parsed = parse_yaml(read_text(path, source), source)
    if parsed.value is None:
        raise file_error(
            source,
            "the file is empty",
            1,
            1,
            hint="a scenario needs at least 'name:' and 'variants:' (or 'extends:')",
        )
    if not isinstance(parsed.value, dict):
        shown = repr(parsed.value)
        # Only the start: a file that is not a scenario (extends: /etc/passwd) is not echoed.
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        kind = "a list" if isinstance(parsed.value, list) else f"the value {shown}"
        at = parsed.values[()]
        raise file_error(
            source,
            f"a scenario must be a mapping of keys (name:, variants:, ...), not {kind}",
            at.line,
            at.column,
        )
    return Document(parsed.value, source, parsed.keys, parsed.values, parsed.problems, [source])
