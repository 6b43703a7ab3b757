"""Where a presentation output goes (``-o``), and writing it there whole.

Owns the one rule ``deck`` and ``animate`` share for ``-o``: a path ending in an allowed suffix
is the file; an existing folder, or a path ending in ``/``, is a folder that gets the file under
its default name (``talk.pptx``, ``animation.<lang>.<format>``), created when missing; anything
else is an ``OutputError`` naming the allowed suffixes. ``write_whole`` writes to a hidden
temporary file beside the target and renames it into place: a failure leaves neither half a
file nor a stray temporary.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from thermosim.errors import ThermosimError

# The longest name (one part of a path) common file systems allow, in bytes.
MAX_NAME_BYTES = 255
# Errors no other -o would avoid: the disk, not the path, is the trouble.
_NOT_THE_PATH = {errno.ENOSPC, errno.EDQUOT, errno.EIO}


class OutputError(ThermosimError, ValueError):
    """An output cannot go where ``-o`` says (bad input, unless the disk is full)."""

    bad_input = True


def check_names(path: Path, option: str) -> None:
    """Raise OutputError when a name in ``path`` is longer than file systems allow.

    Checked before anything is run: the system would only say "File name too long" later.
    """
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > MAX_NAME_BYTES:
            raise OutputError(
                f"{option}: the name {part[:24]}... is {size} bytes long; file systems allow "
                f"at most {MAX_NAME_BYTES}: choose a shorter one"
            )


def output_file(
    given: str | os.PathLike[str], default_name: str, suffixes: Sequence[str], option: str = "-o"
) -> Path:
    """The file ``-o GIVEN`` means.

    Parameters
    ----------
    given
        As typed: ``talk.pptx`` (a file), ``slides/`` or an existing folder (the default name
        in it).
    default_name
        The file's name when ``given`` is a folder.
    suffixes
        Allowed endings of the file's name (``.pptx``; ``.gif``, ``.mp4``), lower case.

    Raises
    ------
    OutputError
        For an empty path, a name too long, a file where a folder is meant (``notes.txt/``) or
        a file name without an allowed suffix.
    """
    text = os.fspath(given)
    allowed = " or ".join(suffixes)
    if not text.strip():
        raise OutputError(f"{option} is empty: give a file ({allowed}) or a folder")
    path = Path(text)
    check_names(path, option)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:  # a path longer than the system allows, say
        raise OutputError(f"{option} {text[:60]}...: {exc.strerror or exc}") from None
    # Path() drops a trailing slash, which says "a folder" as clearly as an existing one does.
    if is_dir or text.endswith(("/", os.sep)):
        if exists and not is_dir:
            raise OutputError(f"{option} {text}: {path} is a file, not a folder")
        return path / default_name
    if path.suffix.lower() not in suffixes:
        ending = f"ends in {path.suffix}" if path.suffix else "has no suffix"
        raise OutputError(
            f"{option} {text}: the name {ending}, not {allowed}; end it in {allowed}, or give "
            f"a folder (ending in /) to write {default_name} into"
        )
    return path


def write_whole(target: Path, write: Callable[[Path], object]) -> Path:
    """Write ``target`` through ``write(temporary)`` and move it into place; returns ``target``.

    The temporary file keeps the target's suffix (Pillow and ffmpeg choose the format by it).

    Raises
    ------
    OutputError
        When the folder cannot be made or the file cannot be written; nothing is left behind.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot make the folder {target.parent}: {exc.strerror or exc}"
        ) from None
    if target.is_dir():
        raise OutputError(f"{target} is a folder; give a file name or another folder")
    temporary = target.with_name(f".{target.stem[:100]}.{uuid.uuid4().hex[:8]}.tmp{target.suffix}")
    try:
        write(temporary)
        os.replace(temporary, target)
    except OSError as exc:
        problem = OutputError(f"cannot write {target}: {exc.strerror or exc}")
        problem.bad_input = exc.errno not in _NOT_THE_PATH
        raise problem from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return target
