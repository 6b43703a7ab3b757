"""``thermosim play`` and ``thermosim debrief`` on the command line: help and refusals.

A refused start serves nothing and leaves no game folder behind. (The server itself runs in
``test_play_store`` and ``test_play_browser``.)
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from thermosim.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_both_commands_have_help_with_examples() -> None:
    for command in ("play", "debrief"):
        code, text = run(command, "--help")
        assert code == 0 and "Examples:" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "give a SCENARIO"),
        (("thermostat",), "needs a sales team"),
        (("lost-key-account", "--weeks", "20"), "play at least 27 weeks"),
        (("baseline", "--resume", "x"), "give no SCENARIO with it"),
        (("--resume", "nowhere"), "no game folder 'nowhere'"),
        (("no-such-scenario",), "no-such-scenario"),
    ],
)
def test_a_start_that_cannot_work_is_refused_with_the_reason(
    tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    code, text = run("play", *args, "--out", str(tmp_path))
    assert code == 2 and words in text
    assert list(tmp_path.iterdir()) == []


def test_a_port_in_use_is_named(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, text = run("play", "baseline", "--port", port, "--out", str(tmp_path))
    assert code == 2 and f"port {port} is in use" in text
    assert list(tmp_path.iterdir()) == []


def test_debrief_needs_a_game_folder(tmp_path: Path) -> None:
    code, text = run("debrief", str(tmp_path))
    assert code == 2 and "no game in" in text


def test_serving_the_room_names_the_address_it_exposes() -> None:
    from thermosim.play.server import addresses, is_loopback

    local = addresses("127.0.0.1", 8000, "ABCDE")
    assert local.join_url == "http://127.0.0.1:8000/j/ABCDE" and local.exposed is None
    room = addresses("0.0.0.0", 8080, "ABCDE")
    assert room.exposed is not None and room.join_url.endswith(":8080/j/ABCDE")
    assert is_loopback("::1") and not is_loopback("192.168.1.20")
