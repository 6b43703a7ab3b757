"""The room's rules: who plays, which round is open, and what each participant may see.

Owns a workshop: the game code and trainer code, joining (a name and a token per participant),
the phases (lobby, playing, finished), trainer-paced rounds (the trainer opens the next one;
whoever has not decided holds course) or self-paced play, and each participant's ``Game``.
Every change is committed to the game folder's ``Store`` before it is applied and acknowledged,
and ``resume`` replays the stored decisions, so a restarted server carries on where it was.
Nothing here knows HTTP: the web layer turns these calls and errors into pages and statuses.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from thermosim.errors import ThermosimError
from thermosim.play.decisions import HOLD, Decisions, decisions_from_json
from thermosim.play.game import Game, GameSetup, replay
from thermosim.play.report import Report
from thermosim.play.store import Seat, Store, StoreError

Phase = Literal["lobby", "playing", "finished"]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: read off a projector
GAME_CODE_LENGTH, TRAINER_CODE_LENGTH = 5, 8
MAX_SEATS = 200
MAX_NAME = 30
LANGS = ("en", "nl")


class WorkshopError(ThermosimError):
    """A request the room's rules refuse; ``status`` is the HTTP status the web layer sends."""

    bad_input = True

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def new_code(length: int) -> str:
    """A random code of ``length`` characters from ``CODE_ALPHABET``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def name_key(name: str) -> str:
    """What makes two display names the same (case, accents and spacing aside)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(folded.split())


def clean_name(name: str) -> str:
    """A display name as shown, or WorkshopError (422) when it cannot be one."""
    shown = " ".join(unicodedata.normalize("NFKC", name).split())
    if not shown:
        raise WorkshopError("choose a display name", 422)
    if len(shown) > MAX_NAME:
        raise WorkshopError(f"a display name has at most {MAX_NAME} characters", 422)
    if any(unicodedata.category(c).startswith("C") for c in shown):
        raise WorkshopError("a display name cannot hold control characters", 422)
    return shown


@dataclass
class _Ticket:
    """A checked decision waiting for its commit; ``error`` when the commit refused it."""

    seat_id: int
    round: int
    decisions: Decisions
    error: WorkshopError | None = None


@dataclass(frozen=True)
class SeatView:
    """What one participant's page shows.

    ``state``: ``lobby`` (waiting for the start), ``decide`` (the report of ``round``),
    ``waiting`` (decided, waiting for the trainer to open the next round) or ``over``.
    """

    seat: Seat
    state: Literal["lobby", "decide", "waiting", "over"]
    round: int
    rounds: int
    report: Report | None
    last_decision: Decisions | None


@dataclass(frozen=True)
class SeatStatus:
    """One participant as the trainer sees them: their round and whether they decided it."""

    seat: Seat
    round: int
    decided_open_round: bool


@dataclass(frozen=True)
class Status:
    """The room as the trainer sees it."""

    phase: Phase
    self_paced: bool
    opened: int
    rounds: int
    seats: tuple[SeatStatus, ...]


class Workshop:
    """One game in the room, persisted in its folder.

    Use ``create`` for a new game and ``resume`` for one whose server stopped.
    """

    def __init__(self, store: Store, setup: GameSetup, meta: dict[str, Any]) -> None:
        self.store = store
        self.setup = setup
        self.game_code: str = meta["game_code"]
        self.trainer_code: str = meta["trainer_code"]
        self._secret: str = meta["secret"]
        self.phase: Phase = meta.get("phase", "lobby")
        self.opened: int = int(meta.get("opened", 0))
        self.self_paced: bool = bool(meta.get("self_paced", False))
        self.games: dict[int, Game] = {}
        self.seats: dict[int, Seat] = {}
        # Two locks, always taken in this order: _writing (one writer to the folder and the
        # games at a time) and _lock (the room's state, held briefly by every page).
        self._writing = threading.Lock()
        self._lock = threading.RLock()
        self._pending: list[_Ticket] = []  # checked decisions waiting for the next commit
        self._deciding: set[int] = set()  # seats with a decision waiting or being committed

    @classmethod
    def create(cls, folder: Path, setup: GameSetup) -> Workshop:
        """A new game in ``folder`` (created), with fresh codes."""
        meta = {
            "setup": setup.to_json(),
            "game_code": new_code(GAME_CODE_LENGTH),
            "trainer_code": new_code(TRAINER_CODE_LENGTH),
            "secret": secrets.token_hex(32),
            "phase": "lobby",
            "opened": 0,
            "self_paced": False,
        }
        return cls(Store.create(folder, meta), setup, meta)

    @classmethod
    def resume(cls, folder: Path) -> Workshop:
        """The game in ``folder``, every stored decision replayed."""
        store = Store.open(folder)
        meta = store.meta()
        workshop = cls(store, GameSetup.from_json(meta["setup"]), meta)
        played: dict[int, list[Decisions]] = {}
        for stored in store.decisions():
            played.setdefault(stored.participant, []).append(decisions_from_json(stored.choices))
        for seat in store.seats():
            workshop.seats[seat.id] = seat
            workshop.games[seat.id] = replay(workshop.setup, played.get(seat.id, []))
        return workshop

    def close(self) -> None:
        """Stop every game's thread and close the database."""
        with self._writing, self._lock:
            for game in self.games.values():
                game.close()
            self.store.close()

    # --- codes ------------------------------------------------------------------------------

    def trainer_pass(self) -> str:
        """The value of the trainer's cookie (derived from the game's secret)."""
        return hmac.new(self._secret.encode(), b"trainer", "sha256").hexdigest()

    def is_trainer_code(self, code: str) -> bool:
        """Whether ``code`` is the trainer code (case and spaces aside)."""
        given = "".join(code.split()).upper()
        return hmac.compare_digest(given.encode(), self.trainer_code.encode())

    def is_trainer_pass(self, value: str) -> bool:
        """Whether ``value`` is the trainer's cookie."""
        return hmac.compare_digest(value.encode(), self.trainer_pass().encode())

    def is_game_code(self, code: str) -> bool:
        """Whether ``code`` is the game code (case and spaces aside)."""
        given = "".join(code.split()).upper()
        return hmac.compare_digest(given.encode(), self.game_code.encode())

    # --- participants -----------------------------------------------------------------------

    def join(self, name: str, lang: str) -> tuple[Seat, str]:
        """Seat a participant; their token (shown once: the page keeps it in a cookie)."""
        shown = clean_name(name)
        if lang not in LANGS:
            raise WorkshopError(f"language must be one of {', '.join(LANGS)}", 422)
        with self._writing, self._lock:
            self._flush()
            if self.phase == "finished":
                raise WorkshopError("this game is over")
            if len(self.seats) >= MAX_SEATS:
                raise WorkshopError(f"the game is full ({MAX_SEATS} participants)", 403)
            if any(name_key(s.name) == name_key(shown) for s in self.seats.values()):
                raise WorkshopError(f"the name '{shown}' is taken; choose another")
            token = secrets.token_urlsafe(32)
            seat = self.store.add_seat(shown, name_key(shown), token, lang)
            game = Game(self.setup)
            self.seats[seat.id], self.games[seat.id] = seat, game
            # A late joiner takes over a team that held course until the open round.
            if self.phase == "playing" and not self.self_paced:
                self._hold(seat.id, self.opened - 2)  # every round before the open one
            return seat, token

    def seat_of(self, token: str) -> Seat | None:
        """The participant holding ``token``."""
        if not token:
            return None
        seat = self.store.seat_of(token)
        return seat if seat is not None and seat.id in self.seats else None

    def decide(self, seat_id: int, round_: int, decisions: Decisions) -> None:
        """Take a participant's decisions for ``round_``: stored (committed), then played.

        Decisions sent at once share one commit (a group commit: one write to disk for the
        lot), so a room deciding together does not queue behind one disk write each.
        """
        with self._lock:
            self._check(seat_id, round_)
            ticket = _Ticket(seat_id, round_, decisions)
            self._pending.append(ticket)
            self._deciding.add(seat_id)
        with self._writing:
            self._flush()
        if ticket.error is not None:
            raise ticket.error

    def _check(self, seat_id: int, round_: int) -> None:
        """WorkshopError unless ``seat_id`` may decide ``round_`` now."""
        game = self.games[seat_id]
        if self.phase != "playing":
            raise WorkshopError(
                "the game has not started yet" if self.phase == "lobby" else "the game is over"
            )
        if seat_id in self._deciding:
            raise WorkshopError("your decision for this round is being recorded")
        if round_ != game.round:
            raise WorkshopError(
                f"round {round_ + 1} is not yours to decide now; you are at round {game.round + 1}"
                if game.round < self.setup.rounds
                else "you have played every round"
            )
        if not self.self_paced and round_ >= self.opened:
            raise WorkshopError(f"round {round_ + 1} is not open yet")

    def _flush(self) -> None:
        """Commit every waiting decision in one transaction, then play them (under _writing)."""
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return
        try:
            # The disk write, outside the state lock: pages keep answering meanwhile.
            self.store.add_decisions(
                [(t.seat_id, t.round, t.decisions.to_json(), False) for t in batch]
            )
        except StoreError as exc:
            for ticket in batch:
                ticket.error = WorkshopError(str(exc))
        else:
            with self._lock:
                for ticket in batch:
                    self.games[ticket.seat_id].step(ticket.decisions)
        finally:
            with self._lock:
                self._deciding.difference_update(t.seat_id for t in batch)

    def view(self, seat_id: int) -> SeatView:
        """What the participant's page shows now."""
        with self._lock:
            seat, game = self.seats[seat_id], self.games[seat_id]
            rounds = self.setup.rounds
            last = game.decided[-1] if game.decided else None
            if self.phase == "lobby":
                state: Literal["lobby", "decide", "waiting", "over"] = "lobby"
            elif game.done or self.phase == "finished":
                state = "over"
            elif self.self_paced or game.round < self.opened:
                state = "decide"
            else:
                state = "waiting"
            index = len(game.reports) - 1
            if self.phase == "playing" and not self.self_paced:
                # Until the trainer opens the next round, its report is not shown yet.
                index = min(index, game.round, self.opened - 1)
            report = game.reports[index]
            return SeatView(seat, state, game.round, rounds, report, last)

    # --- the trainer ------------------------------------------------------------------------

    def start(self) -> None:
        """Open the first round."""
        with self._writing, self._lock:
            self._flush()
            if self.phase != "lobby":
                raise WorkshopError("the game has already started")
            self._set("start", {}, phase="playing", opened=1)

    def next_round(self) -> None:
        """Close the open round (whoever has not decided holds course) and open the next.

        After the last round the game is over.
        """
        with self._writing, self._lock:
            self._flush()
            if self.phase != "playing":
                raise WorkshopError("there is no round to close: the game is not being played")
            closing = self.opened - 1
            self._hold_everyone(closing)
            if self.opened < self.setup.rounds:
                self._set("next_round", {"opened": self.opened + 1}, opened=self.opened + 1)
            else:
                self._set("finish", {"after_round": closing}, phase="finished")

    def set_self_paced(self, on: bool) -> None:
        """Let everyone play at their own pace, or go back to rounds the trainer opens."""
        with self._writing, self._lock:
            self._flush()
            if self.phase == "finished":
                raise WorkshopError("the game is over")
            # Back to the trainer's pace: the open round is the one the furthest player is at.
            furthest = max((g.round for g in self.games.values()), default=0)
            opened = self.opened if on else max(self.opened, min(furthest + 1, self.setup.rounds))
            self._set("pace", {"self_paced": on}, self_paced=on, opened=opened)

    def finish(self) -> None:
        """End the game: every round not decided holds course."""
        with self._writing, self._lock:
            self._flush()
            if self.phase == "finished":
                raise WorkshopError("the game is already over")
            self._hold_everyone(self.setup.rounds - 1)
            self._set("finish", {}, phase="finished", opened=self.setup.rounds)

    def status(self) -> Status:
        """Who has joined, where each is, and who has decided the open round."""
        with self._lock:
            seats = tuple(
                SeatStatus(seat, self.games[i].round, self.games[i].round >= self.opened)
                for i, seat in self.seats.items()
            )
            return Status(self.phase, self.self_paced, self.opened, self.setup.rounds, seats)

    def _set(self, action: str, detail: dict[str, Any], **meta: Any) -> None:
        self.store.record(action, detail, meta)
        for key, value in meta.items():
            setattr(self, key, value)

    def _hold(self, seat_id: int, last_round: int) -> None:
        """Hold course for ``seat_id`` up to and including ``last_round``."""
        self._hold_many([seat_id], last_round)

    def _hold_everyone(self, last_round: int) -> None:
        self._hold_many(list(self.games), last_round)

    def _hold_many(self, seat_ids: list[int], last_round: int) -> None:
        """Store hold-course decisions for every round up to ``last_round``, then play them."""
        rows = [
            (i, r, HOLD.to_json(), True)
            for i in seat_ids
            for r in range(self.games[i].round, min(last_round, self.setup.rounds - 1) + 1)
        ]
        if not rows:
            return
        self.store.add_decisions(rows)
        for i, _round, _choices, _auto in rows:
            self.games[i].step(HOLD)
