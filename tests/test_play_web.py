"""The workshop's web layer through Starlette's TestClient: pages, rules, refusals, resume.

Every refusal is checked to change nothing: the stored decisions and each game's round are the
same before and after a bad request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import make_scenario
from thermosim.play.game import GameSetup
from thermosim.play.guard import MAX_BODY_BYTES
from thermosim.play.web import make_app
from thermosim.play.workshop import Workshop

BASE = "http://127.0.0.1:8000"
LOCAL = ("127.0.0.1", 50000)  # loopback: not rate limited
JSON = {"accept": "application/json"}


@pytest.fixture(scope="module")
def setup() -> GameSetup:
    scenario = make_scenario(
        "reactive", shocks=[{"kind": "lost_account", "week": 3}], plant={"warmup_weeks": 6}
    )
    return GameSetup.of(scenario, weeks=8, round_weeks=2)


@pytest.fixture
def workshop(tmp_path: Path, setup: GameSetup) -> Iterator[Workshop]:
    room = Workshop.create(tmp_path / "game", setup)
    yield room
    room.close()


def client(workshop: Workshop, host: tuple[str, int] = LOCAL) -> TestClient:
    app = make_app(workshop, f"{BASE}/j/{workshop.game_code}")
    return TestClient(app, base_url=BASE, client=host, follow_redirects=False)


def trainer(workshop: Workshop) -> TestClient:
    t = client(workshop)
    assert t.post("/trainer/login", data={"code": workshop.trainer_code}).status_code == 303
    return t


def join(workshop: Workshop, name: str, lang: str = "en") -> TestClient:
    c = client(workshop)
    r = c.post("/join", data={"code": workshop.game_code, "name": name, "lang": lang})
    assert r.status_code == 303 and r.headers["location"] == "/play"
    return c


def snapshot(workshop: Workshop) -> tuple[list[tuple[int, int]], list[int]]:
    """What a refused request must not change: stored decisions and every game's round."""
    stored = [(d.participant, d.round) for d in workshop.store.decisions()]
    return stored, [g.round for g in workshop.games.values()]


def test_a_participant_joins_plays_two_rounds_and_a_reload_keeps_the_place(
    workshop: Workshop,
) -> None:
    anna = join(workshop, "Anna", "nl")
    page = anna.get("/play")
    assert page.status_code == 200 and "Wachten tot de trainer" in page.text
    boss = trainer(workshop)
    assert "Anna" in boss.get("/trainer").text
    assert boss.post("/trainer/start").status_code == 303
    page = anna.get("/play")
    assert "Ronde 1 van 4" in page.text and 'name="fix"' in page.text
    form = {"round": "1", "action": "decide", "fix": ["call_blitz"], "fix_call_blitz": "75"}
    form |= {"lasting_coaching": "30", "overtime": "0"}
    assert anna.post("/play", data=form).status_code == 303
    waiting = anna.get("/play").text
    assert "Besluit genoteerd" in waiting and "Belactie 75%" in waiting
    assert anna.get("/play").text == waiting  # a reload is the same page, nothing lost
    boss.post("/trainer/next")
    page = anna.get("/play").text
    assert "Ronde 2 van 4" in page and "Coaching: 30%" in page
    assert anna.post("/play", data={"round": "2", "action": "hold"}).status_code == 303
    stored = workshop.store.decisions()
    assert [(d.round, d.choices, d.auto) for d in stored] == [
        (0, {"quick_fixes": {"call_blitz": 0.75}, "lasting": {"coaching": 0.3}}, False),
        (1, {"hold": True}, False),
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT.*\+00:00", d.decided_at) for d in stored)


def test_json_clients_join_and_decide_with_a_bearer_token(workshop: Workshop) -> None:
    api = client(workshop)
    r = api.post("/join", json={"code": workshop.game_code, "name": "Bo", "lang": "en"})
    assert r.status_code == 201
    token = r.json()["token"]
    api.cookies.clear()
    auth = {"authorization": f"Bearer {token}"}
    assert api.get("/api/me", headers=auth).json()["state"] == "lobby"
    trainer(workshop).post("/trainer/start")
    me = api.get("/api/me", headers=auth).json()
    assert me["state"] == "decide" and me["report"]["week"] == 0
    r = api.post("/play", json={"round": 0, "overtime": 0.5}, headers=auth)
    assert r.status_code == 200 and r.json()["state"] == "waiting"
    assert workshop.games[1].course.overtime == 0.5


def test_bad_decisions_get_a_clear_4xx_and_change_nothing(workshop: Workshop) -> None:
    api = client(workshop)
    token = api.post("/join", json={"code": workshop.game_code, "name": "Cy"}).json()["token"]
    auth = {"authorization": f"Bearer {token}"}
    early = api.post("/play", json={"round": 0, "hold": True}, headers=auth)
    assert early.status_code == 409 and "not started" in early.json()["error"]
    trainer(workshop).post("/trainer/start")
    before = snapshot(workshop)
    bad = [
        ({"round": 0, "quick_fixes": {"free_lunch": 1}}, 422, "not one of the quick fixes"),
        ({"round": 0, "quick_fixes": {"call_blitz": 7}}, 422, "above 0 to 1"),
        ({"round": 0, "lasting": {"coaching": "lots"}}, 422, "must be a number"),
        ({"round": 3, "hold": True}, 409, "not yours to decide now"),
        ({"round": 0, "participant": 2, "hold": True}, 422, "unknown field"),
    ]
    for sent, status, words in bad:
        r = api.post("/play", json=sent, headers=auth)
        assert (r.status_code, words in r.json()["error"]) == (status, True), sent
    malformed = api.post(
        "/play", content=b'{"round": 0,', headers={**auth, "content-type": "application/json"}
    )
    assert malformed.status_code == 400 and "not valid JSON" in malformed.json()["error"]
    listed = api.post("/play", json=[1, 2], headers=auth)
    assert listed.status_code == 400
    form = api.post("/play", data={"round": "1", "action": "decide", "overtime": "500"})
    assert form.status_code == 422 and "overtime must be from 0 to 100%" in form.text
    assert snapshot(workshop) == before
    assert api.post("/play", json={"round": 0, "hold": True}, headers=auth).status_code == 200
    again = api.post("/play", json={"round": 0, "hold": True}, headers=auth)
    assert again.status_code == 409  # one decision per round: a repeat is refused, not doubled
    assert len(workshop.store.decisions()) == 1


def test_tokens_decide_who_acts(workshop: Workshop) -> None:
    anna, bo = join(workshop, "Anna"), join(workshop, "Bo")
    trainer(workshop).post("/trainer/start")
    stranger = client(workshop)
    assert stranger.get("/api/me").status_code == 401
    assert stranger.get("/play").headers["location"] == "/"
    wrong = {"authorization": "Bearer not-a-token"}
    assert stranger.post("/play", json={"round": 0, "hold": True}, headers=wrong).status_code == 401
    assert anna.post("/play", data={"round": "1", "action": "hold"}).status_code == 303
    # Each acts only for themselves: Bo's round is untouched by Anna's decision.
    assert [g.round for g in workshop.games.values()] == [1, 0]
    assert bo.get("/api/me", headers=JSON).json()["name"] == "Bo"
    token = workshop.store.seats()[0]
    assert token.name == "Anna"
    raw = (workshop.store.folder / "game.sqlite").read_bytes()
    assert anna.cookies.get(f"seat_{workshop.game_code}", "").encode() not in raw


def test_only_the_trainer_runs_the_game(workshop: Workshop) -> None:
    anna = join(workshop, "Anna")
    for action in ("start", "next", "self-paced", "finish"):
        assert anna.post(f"/trainer/{action}").status_code == 403
    assert anna.get("/trainer/debrief").status_code == 403
    assert anna.get("/trainer/qr.svg").status_code == 403
    assert anna.get("/trainer").text.count('type="password"') == 1  # the code form, not the room
    wrong = client(workshop).post("/trainer/login", data={"code": "WRONG"})
    assert wrong.status_code == 403
    assert workshop.phase == "lobby"
    boss = trainer(workshop)
    assert boss.get("/trainer/qr.svg").text.startswith("<svg")
    assert boss.get("/trainer/debrief").status_code == 409  # not before the end
    assert boss.post("/trainer/fly").status_code == 404


def test_wrong_codes_are_counted_and_then_refused(workshop: Workshop) -> None:
    guesser = client(workshop, ("10.0.0.9", 4000))
    codes = [guesser.post("/join", data={"code": "AAAAA", "name": f"g{i}"}) for i in range(10)]
    assert {r.status_code for r in codes} == {403}
    right = guesser.post("/join", data={"code": workshop.game_code, "name": "late"})
    assert right.status_code == 429  # blocked for a while, even with the right code
    assert (
        client(workshop)
        .post("/join", data={"code": workshop.game_code, "name": "other"})
        .status_code
        == 303
    )


def test_names_and_languages_are_checked(workshop: Workshop) -> None:
    join(workshop, "Anna")
    c = client(workshop)
    code = workshop.game_code
    cases = [
        ({"code": code, "name": " anna "}, 409, "taken"),
        ({"code": code, "name": ""}, 422, "display name"),
        ({"code": code, "name": "x" * 31}, 422, "at most 30"),
        ({"code": code, "name": "Bo", "lang": "fr"}, 422, "language"),
        ({"code": code, "name": "Bo", "role": "trainer"}, 400, "unknown field"),
    ]
    for form, status, words in cases:
        r = c.post("/join", json=form)
        assert (r.status_code, words in r.json()["error"]) == (status, True), form
    assert [s.name for s in workshop.store.seats()] == ["Anna"]


def test_oversized_bodies_and_floods_are_refused_without_stopping_the_game(
    workshop: Workshop,
) -> None:
    anna = join(workshop, "Anna")
    huge = anna.post("/play", content=b"x" * (MAX_BODY_BYTES + 1))
    assert huge.status_code == 413

    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"y" * 1024

    assert anna.post("/play", content=chunks()).status_code == 413  # no length sent
    flooder = client(workshop, ("10.0.0.7", 4000))
    statuses = [flooder.get("/").status_code for _ in range(60)]
    assert statuses[0] == 200 and 429 in statuses
    assert anna.get("/play").status_code == 200  # everyone else carries on


def test_pages_carry_safe_headers_and_refuse_other_sites(workshop: Workshop) -> None:
    anna = join(workshop, "Anna")
    page = anna.get("/play")
    assert page.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    foreign = anna.post("/play", data={"round": "1"}, headers={"origin": "http://evil.test"})
    assert foreign.status_code == 403
    assert client(workshop).get("/static/style.css").status_code == 200


def test_self_paced_play_and_a_late_joiner_who_holds_until_the_open_round(
    workshop: Workshop,
) -> None:
    anna = join(workshop, "Anna")
    boss = trainer(workshop)
    boss.post("/trainer/start")
    boss.post("/trainer/next")  # Anna did not decide round 1: she held course
    late = join(workshop, "Late")
    assert late.get("/api/me", headers=JSON).json()["round"] == 1
    boss.post("/trainer/self-paced")
    for r in (2, 3):
        assert anna.post("/play", data={"round": str(r), "action": "hold"}).status_code == 303
    assert anna.get("/api/me", headers=JSON).json()["round"] == 3
    boss.post("/trainer/trainer-paced")
    status = boss.get("/trainer/status").json()
    assert status["opened"] == 4 and not status["self_paced"]
    auto = [(d.participant, d.round, d.auto) for d in workshop.store.decisions()]
    assert (1, 0, True) in auto and (2, 0, True) in auto and (1, 1, False) in auto


def test_the_debrief_puts_everyone_beside_the_policies(workshop: Workshop) -> None:
    anna, bo = join(workshop, "Anna"), join(workshop, "Bo")
    boss = trainer(workshop)
    boss.post("/trainer/start")
    anna.post("/play", data={"round": "1", "action": "decide", "fix": ["discount_push"]})
    boss.post("/trainer/finish")
    assert workshop.phase == "finished"
    page = boss.get("/trainer/debrief?lang=nl").text
    for words in ("Anna", "Bo", "Reageren (beleid)", "Sturen (beleid)", "Niets doen (beleid)"):
        assert words in page
    data = boss.get("/trainer/debrief", headers=JSON).json()
    names = [e["name"] for e in data["entries"]]
    assert sorted(names) == ["Anna", "Bo", "open-loop", "reactive", "steered"]
    bo_entry = next(e for e in data["entries"] if e["name"] == "Bo")
    nothing = next(e for e in data["entries"] if e["name"] == "open-loop")
    assert bo_entry["kpis"] == nothing["kpis"]  # held course all game: doing nothing, exactly
    assert "Game over" in anna.get("/play?lang=en").text
    assert bo.post("/play", json={"round": 3, "hold": True}).status_code == 409


def test_a_restarted_server_carries_on_where_it_was(tmp_path: Path, setup: GameSetup) -> None:
    room = Workshop.create(tmp_path / "game", setup)
    anna = join(room, "Anna")
    trainer(room).post("/trainer/start")
    anna.post("/play", data={"round": "1", "action": "decide", "fix": ["training_day"]})
    report = room.games[1].report
    cookies = dict(anna.cookies)
    room.close()
    again = Workshop.resume(tmp_path / "game")
    try:
        assert (again.phase, again.opened, again.game_code) == ("playing", 1, room.game_code)
        assert again.games[1].round == 1 and again.games[1].report == report
        back = client(again)
        back.cookies.update(cookies)
        assert back.get("/api/me", headers=JSON).json()["state"] == "waiting"
        trainer(again).post("/trainer/next")
        assert back.post("/play", data={"round": "2", "action": "hold"}).status_code == 303
        assert [d.round for d in again.store.decisions()] == [0, 1]
    finally:
        again.close()


def test_pages_switch_language(workshop: Workshop) -> None:
    c = client(workshop)
    assert "Join the game" in c.get("/").text
    assert "Doe mee" in c.get("/?lang=nl").text
    assert "Doe mee" in c.get("/").text  # the choice is kept in a cookie
    assert "Doe mee" in client(workshop).get("/", headers={"accept-language": "nl-NL"}).text
