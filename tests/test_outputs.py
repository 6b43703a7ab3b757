"""Where deck and animate write (``-o``): a file with the right suffix, or a folder that gets the
default name; anything else exit 2 before anything is run, and never a stray temporary file."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation

from thermosim.cli import main
from thermosim.outputs import OutputError, output_file, write_whole

# The module shares the one small run with test_damaged_results (one xdist worker).
pytestmark = [pytest.mark.xdist_group("damaged")]

LONG = "a" * 300


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.exit_code, result.output


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# -- the rule, without writing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("talk.pptx", "talk.pptx"),
        ("slides/talk.PPTX", "slides/talk.PPTX"),
        ("slides/", "slides/talk.pptx"),
        ("/", "/talk.pptx"),  # the root is a folder like any other (writing there may fail)
        (".", "talk.pptx"),
    ],
)
def test_a_file_or_a_folder(given: str, expected: str) -> None:
    assert output_file(given, "talk.pptx", (".pptx",)) == Path(expected)


@pytest.mark.parametrize("given", ["talk.txt", "talk", "talk.pptx.bak", "", "   "])
def test_anything_else_is_refused_naming_the_suffix(given: str) -> None:
    with pytest.raises(OutputError, match=r"\.pptx"):
        output_file(given, "talk.pptx", (".pptx",))


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "talk.pptx"

    def refuse(path: Path) -> None:
        path.write_bytes(b"half")
        raise PermissionError(errno.EACCES, "Permission denied")

    with pytest.raises(
        OutputError, match=r"cannot write .*talk\.pptx: Permission denied"
    ) as caught:
        write_whole(target, refuse)
    assert caught.value.bad_input
    assert _files(tmp_path) == []

    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError) as caught:
        write_whole(target, full)
    assert not caught.value.bad_input, "a full disk is not fixed by another -o: exit 1"


# -- deck -------------------------------------------------------------------------------------


def test_deck_into_the_current_folder(
    small_results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = _invoke("deck", str(small_results), "-o", ".")
    assert code == 0, output
    assert _files(tmp_path) == ["talk.pptx"]  # no stray temporary
    assert len(Presentation(str(tmp_path / "talk.pptx")).slides) > 3


def test_deck_into_an_existing_folder(small_results: Path, tmp_path: Path) -> None:
    (tmp_path / "talks").mkdir()
    code, output = _invoke("deck", str(small_results), "-o", str(tmp_path / "talks"))
    assert code == 0, output
    assert _files(tmp_path) == ["talks", "talks/talk.pptx"]


def test_deck_into_a_new_folder_with_a_trailing_slash(small_results: Path, tmp_path: Path) -> None:
    code, output = _invoke("deck", str(small_results), "-o", f"{tmp_path}/newdir/")
    assert code == 0, output
    assert (tmp_path / "newdir").is_dir(), "not a file called newdir"
    assert _files(tmp_path) == ["newdir", "newdir/talk.pptx"]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("talk.txt", r"-o .*talk.txt: the name ends in .txt, not .pptx"),
        ("talk", r"has no suffix, not .pptx"),
        (f"{LONG}.pptx", r"-o: the name a+\.\.\. is 305 bytes long; .* at most 255"),
        ("notes.txt/", r"notes.txt is a file, not a folder"),
    ],
)
def test_deck_refuses_a_bad_output_before_running_anything(
    tmp_path: Path, output: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    runs = tmp_path / "runs"
    code, text = _invoke(
        "deck", "baseline", "-o", f"{tmp_path}/{output}", "--out", str(runs), "--reps", "1"
    )
    assert code == 2, text
    assert re.search(message, text), text
    assert not runs.exists(), "nothing is run for an output that cannot be written"
    assert _files(tmp_path) == ["notes.txt"]


def test_a_300_character_out_folder_is_exit_2(tmp_path: Path) -> None:
    code, text = _invoke("deck", "baseline", "-o", str(tmp_path / "t.pptx"), "--out", LONG)
    assert code == 2 and "--out: the name a" in text and "at most 255" in text, text
    code, text = _invoke("animate", "baseline", "--out", str(tmp_path / LONG))
    assert code == 2 and "at most 255" in text, text


def test_deck_help_says_where_a_folder_output_goes() -> None:
    code, text = _invoke("deck", "--help")
    assert code == 0 and "folder (existing, or ending in /) gets talk.pptx" in " ".join(
        text.split()
    )
    code, text = _invoke("animate", "--help")
    words = " ".join(text.split())
    assert "gets animation.<lang>.<format> in it" in words and "the suffix of -o" in words


# -- animate ----------------------------------------------------------------------------------


def test_animate_into_a_new_folder_with_a_trailing_slash(
    small_results: Path, tmp_path: Path
) -> None:
    code, output = _invoke(
        "animate", str(small_results), "-o", f"{tmp_path}/clips/", "--stride", "5"
    )
    assert code == 0, output
    assert _files(tmp_path) == ["clips", "clips/animation.en.gif"]
    with Image.open(tmp_path / "clips" / "animation.en.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames == 4  # 20 weeks, 5 a frame


def test_animate_into_an_existing_folder_follows_the_language(
    small_results: Path, tmp_path: Path
) -> None:
    code, output = _invoke(
        "animate", str(small_results), "-o", str(tmp_path), "--lang", "nl", "--stride", "10"
    )
    assert code == 0, output
    assert _files(tmp_path) == ["animation.nl.gif"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "anim.txt"], "the name ends in .txt, not .gif or .mp4"),
        (["-o", "anim"], "has no suffix, not .gif or .mp4"),
        (["-o", "anim.mp4", "--format", "gif"], "--format gif but -o"),
        (["-o", f"{LONG}.gif"], "at most 255"),
    ],
)
def test_animate_refuses_a_bad_output_before_running_anything(
    tmp_path: Path, args: list[str], message: str
) -> None:
    runs = tmp_path / "runs"
    rooted = [str(tmp_path / a) if a.startswith(("anim", "a" * 10)) else a for a in args]
    code, text = _invoke("animate", "baseline", *rooted, "--out", str(runs))
    assert code == 2 and message in text, text
    assert _files(tmp_path) == []


def test_the_format_follows_the_suffix_of_o(
    small_results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import thermosim.animate as animate_module

    monkeypatch.setattr(animate_module, "ffmpeg_path", lambda: None)
    code, text = _invoke("animate", str(small_results), "-o", str(tmp_path / "a.mp4"))
    assert code == 2 and "MP4 needs ffmpeg" in text, text  # .mp4 asked for MP4
    assert _files(tmp_path) == []
