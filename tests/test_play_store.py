"""The game folder: what is stored, when, and a server killed mid-round that resumes.

The kill test runs ``thermosim play`` for real (uvicorn on a free port), decides over HTTP,
kills the process with SIGKILL (no clean-up at all), resumes with ``--resume`` and checks that
no decision was lost or doubled.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conftest import make_scenario
from thermosim.play.game import GameSetup
from thermosim.play.store import FILE, Store, StoreError, digest
from thermosim.play.workshop import Workshop, WorkshopError


def small_setup() -> GameSetup:
    scenario = make_scenario("reactive", plant={"warmup_weeks": 6})
    return GameSetup.of(scenario, weeks=8, round_weeks=2)


def test_the_database_is_written_ahead_and_keeps_tokens_as_digests(tmp_path: Path) -> None:
    room = Workshop.create(tmp_path / "g", small_setup())
    _, token = room.join("Anna", "en")
    db = sqlite3.connect(tmp_path / "g" / FILE)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        stored = db.execute("SELECT token_sha256, name FROM participants").fetchall()
        assert stored == [(digest(token), "Anna")] and token not in str(stored)
    finally:
        db.close()
    room.close()


def test_a_decision_is_stored_before_it_is_played_and_never_twice(tmp_path: Path) -> None:
    room = Workshop.create(tmp_path / "g", small_setup())
    seat, _ = room.join("Anna", "en")
    room.start()
    from thermosim.play.decisions import HOLD

    room.decide(seat.id, 0, HOLD)
    # Read from a second connection: committed, not just in this process's transaction.
    other = Store.open(tmp_path / "g")
    assert [(d.round, d.choices) for d in other.decisions()] == [(0, {"hold": True})]
    with pytest.raises(StoreError, match="already decided"):
        room.store.add_decisions([(seat.id, 0, {"hold": True}, False), (seat.id, 1, {}, False)])
    assert len(other.decisions()) == 1  # the batch with a double in it left nothing behind
    with pytest.raises(WorkshopError, match="round 1 is not yours"):
        room.decide(seat.id, 0, HOLD)
    assert [a for _, a, _ in other.actions()] == ["start"]
    other.close()
    room.close()


def test_a_folder_without_a_game_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no game in"):
        Store.open(tmp_path)
    (tmp_path / FILE).write_text("not a database")
    with pytest.raises(StoreError, match="not a readable game database"):
        Store.open(tmp_path)
    room = Workshop.create(tmp_path / "g", small_setup())
    room.close()
    with pytest.raises(StoreError, match="already holds a game"):
        Workshop.create(tmp_path / "g", small_setup())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(args: list[str]) -> tuple[subprocess.Popen[str], dict[str, str]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "thermosim", "play", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("ready in"):
            break
    printed = "".join(lines)
    found = {
        key: m.group(1)
        for key, pattern in (
            ("join", r"join at\s+(\S+)"),
            ("code", r"game code\s+(\S+)"),
            ("trainer", r"trainer code\s+(\S+)"),
            ("folder", r"game folder\s+(.+)"),
        )
        if (m := re.search(pattern, printed))
    }
    assert len(found) == 4, printed
    return proc, found


def _call(base: str, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + path,
        data=data,
        headers={"content-type": "application/json", "accept": "application/json", **headers},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


@pytest.mark.slow  # two real servers started: about 10 s on two busy cores
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_server_resumes_with_no_decision_lost_or_doubled(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = ["baseline", "--weeks", "8", "--set", "plant.warmup_weeks=6", "--port", str(port)]
    proc, found = start_server([*args, "--out", str(tmp_path)])
    try:
        assert _call(base, "/trainer/login", {"code": found["trainer"]}) == {"trainer": True}
        tokens = [_call(base, "/join", {"code": found["code"], "name": n})["token"] for n in "ABC"]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        login_request = urllib.request.Request(
            base + "/trainer/login",
            data=json.dumps({"code": found["trainer"]}).encode(),
            headers={"content-type": "application/json"},
        )
        with opener.open(login_request), opener.open(base + "/trainer/start", data=b""):
            pass
        for token in tokens[:2]:  # A and B decide round 1; C is still thinking
            auth = {"authorization": f"Bearer {token}"}
            answer = _call(base, "/play", {"round": 0, "quick_fixes": {"call_blitz": 1}}, **auth)
            assert answer["state"] == "waiting"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
    folder = found["folder"].strip()
    proc, again = start_server(["--resume", folder, "--port", str(port)])
    try:
        assert again["code"] == found["code"] and again["trainer"] == found["trainer"]
        states = [_call(base, "/api/me", authorization=f"Bearer {t}")["state"] for t in tokens]
        assert states == ["waiting", "waiting", "decide"]
        auth = {"authorization": f"Bearer {tokens[2]}"}
        assert _call(base, "/play", {"round": 0, "hold": True}, **auth)["state"] == "waiting"
        with pytest.raises(urllib.error.HTTPError) as refused:
            _call(base, "/play", {"round": 0, "hold": True}, **auth)
        assert refused.value.code == 409
        refused.value.close()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        if proc.stdout is not None:
            proc.stdout.close()
    store = Store.open(Path(folder))
    try:
        rounds = [(d.participant, d.round, d.auto) for d in store.decisions()]
    finally:
        store.close()
    assert rounds == [(1, 0, False), (2, 0, False), (3, 0, False)]
