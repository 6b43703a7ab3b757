"""The game folder's database: every join, decision and trainer action, committed when it happens.

Owns the SQLite file ``game.sqlite`` in a game folder (stdlib ``sqlite3``, write-ahead log,
``synchronous=FULL``): the game's setup and codes, the participants (their tokens only as
SHA-256 digests), one decision per participant and round, and a log of the trainer's actions,
each with a UTC timestamp. Every write is committed before the caller acknowledges it, so a
server killed at any moment resumes with nothing lost or doubled; the folder can be copied and
debriefed elsewhere. One connection per store, used under the store's lock.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from thermosim.errors import ThermosimError

FILE = "game.sqlite"
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS participants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    token_sha256 TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    joined_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
    participant INTEGER NOT NULL REFERENCES participants(id),
    round INTEGER NOT NULL,
    choices TEXT NOT NULL,
    auto INTEGER NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (participant, round)
);
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


class StoreError(ThermosimError):
    """A game folder that cannot be opened or does not hold a game."""

    bad_input = True


def digest(token: str) -> str:
    """The SHA-256 of a token, as stored (a copied folder gives no one's seat away)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now_utc() -> str:
    """The current time as ISO 8601 in UTC, to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Seat:
    """A participant as stored."""

    id: int
    name: str
    lang: str
    joined_at: str


@dataclass(frozen=True)
class StoredDecision:
    """One decision as stored: its round, the choices (``Decisions.to_json``), when, by whom."""

    participant: int
    round: int
    choices: dict[str, Any]
    auto: bool
    decided_at: str


class Store:
    """The database of one game folder.

    Parameters
    ----------
    folder
        The game folder; ``game.sqlite`` is created in it by ``create``.
    """

    def __init__(self, folder: Path, connection: sqlite3.Connection) -> None:
        self.folder = folder
        self._db = connection
        self._lock = threading.Lock()

    @classmethod
    def create(cls, folder: Path, meta: dict[str, Any]) -> Store:
        """A new game folder with its database and ``meta`` (JSON values) written."""
        path = folder / FILE
        if path.exists():
            raise StoreError(f"{folder} already holds a game; resume it with --resume {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        store = cls(folder, _connect(path))
        with store._write() as db:
            db.executescript(SCHEMA)
            rows = {"schema_version": SCHEMA_VERSION, "created_at": now_utc(), **meta}
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in rows.items()],
            )
        return store

    @classmethod
    def open(cls, folder: Path) -> Store:
        """The game in ``folder`` (StoreError when there is none)."""
        path = folder / FILE
        if not path.is_file():
            raise StoreError(f"no game in {folder} (it has no {FILE})")
        try:
            store = cls(folder, _connect(path))
            version = store.meta().get("schema_version")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a readable game database: {exc}") from None
        if version != SCHEMA_VERSION:
            raise StoreError(f"{path} has schema version {version}; this thermosim reads 1")
        return store

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed on leaving (rolled back on an error), under the lock."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
            except BaseException:
                self._db.rollback()
                raise
            self._db.commit()

    # --- reading ----------------------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        """Every meta value (JSON decoded)."""
        with self._lock:
            rows = self._db.execute("SELECT key, value FROM meta").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def seats(self) -> list[Seat]:
        """Every participant, in the order they joined."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, name, lang, joined_at FROM participants ORDER BY id"
            ).fetchall()
        return [Seat(*row) for row in rows]

    def seat_of(self, token: str) -> Seat | None:
        """The participant holding ``token`` (None: no one)."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, name, lang, joined_at FROM participants WHERE token_sha256 = ?",
                (digest(token),),
            ).fetchone()
        return None if row is None else Seat(*row)

    def decisions(self) -> list[StoredDecision]:
        """Every decision, by participant and round."""
        with self._lock:
            rows = self._db.execute(
                "SELECT participant, round, choices, auto, decided_at FROM decisions "
                "ORDER BY participant, round"
            ).fetchall()
        return [StoredDecision(p, r, json.loads(c), bool(a), at) for p, r, c, a, at in rows]

    def actions(self) -> list[tuple[str, str, dict[str, Any]]]:
        """The trainer's actions: (when, what, detail), in order."""
        with self._lock:
            rows = self._db.execute("SELECT at, action, detail FROM actions ORDER BY id").fetchall()
        return [(at, action, json.loads(detail)) for at, action, detail in rows]

    # --- writing (each committed before it returns) -----------------------------------------

    def add_seat(self, name: str, name_key: str, token: str, lang: str) -> Seat:
        """Store a new participant; StoreError when the name is taken."""
        at = now_utc()
        try:
            with self._write() as db:
                cursor = db.execute(
                    "INSERT INTO participants (name, name_key, token_sha256, lang, joined_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (name, name_key, digest(token), lang, at),
                )
        except sqlite3.IntegrityError:
            raise StoreError(f"the name '{name}' is taken") from None
        assert cursor.lastrowid is not None
        return Seat(cursor.lastrowid, name, lang, at)

    def add_decisions(self, rows: list[tuple[int, int, dict[str, Any], bool]]) -> None:
        """Store decisions ``(participant, round, choices, auto)`` in one transaction.

        StoreError when any of them is already stored: then none is (nothing doubled).
        """
        at = now_utc()
        try:
            with self._write() as db:
                db.executemany(
                    "INSERT INTO decisions (participant, round, choices, auto, decided_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(p, r, json.dumps(c), int(a), at) for p, r, c, a in rows],
                )
        except sqlite3.IntegrityError:
            raise StoreError("that round is already decided") from None

    def record(self, action: str, detail: dict[str, Any], meta: dict[str, Any]) -> None:
        """Log a trainer's action and set the meta values it changes, in one transaction."""
        with self._write() as db:
            db.execute(
                "INSERT INTO actions (at, action, detail) VALUES (?, ?, ?)",
                (now_utc(), action, json.dumps(detail)),
            )
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(k, json.dumps(v)) for k, v in meta.items()],
            )


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit off by hand (isolation_level None), so every transaction is an explicit
    # BEGIN ... COMMIT; the web layer's threads share the connection under the store's lock.
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    db.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk before it returns, even if the laptop loses power.
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    return db
