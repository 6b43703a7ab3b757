"""Serving a workshop: the game folder, the addresses to print, and uvicorn.

Owns where a new game's folder goes (``OUT/<scenario>-game-<date-time>``), how ``--resume``
finds one, which address participants join at (this machine's own for ``127.0.0.1``; the
room's network address when serving all interfaces), the QR code printed in the terminal, and
running the ASGI server (uvicorn, h11, one process) until Ctrl-C. The command line formats what
it returns; nothing here prints except the QR code it is asked for.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
import uvicorn

from thermosim.errors import ThermosimError
from thermosim.play.store import FILE
from thermosim.play.web import make_app
from thermosim.play.workshop import Workshop

ALL_INTERFACES = ("0.0.0.0", "::")
MAX_CONNECTIONS = 400  # more at once get 503: a room is a few dozen people


class ServeError(ThermosimError):
    """The server cannot start as asked (port taken, address not on this machine)."""

    bad_input = True


def new_folder(out: Path, scenario: str) -> Path:
    """A fresh game folder under ``out`` named after the scenario and the time."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = out / f"{scenario}-game-{stamp}"
    n = 2
    while folder.exists():
        folder = out / f"{scenario}-game-{stamp}-{n}"
        n += 1
    return folder


def find_game(game: str, out: Path) -> Path:
    """The game folder ``game`` names: a path, or a folder name under ``out``."""
    for candidate in (Path(game), out / game):
        if (candidate / FILE).is_file():
            return candidate
    raise ServeError(
        f"no game folder '{game}' (looked for {Path(game) / FILE} and {out / game / FILE}); "
        "give the folder `thermosim play` printed when it started"
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def room_address() -> str | None:
    """The address others on the network reach this machine at (None: offline)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        # No packet is sent: connecting a UDP socket only picks the outgoing interface.
        s.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never routed anywhere real
        address = str(s.getsockname()[0])
        if not address.startswith("127."):
            return address
    return None


@dataclass(frozen=True)
class Addresses:
    """Where the game answers: the join address, the trainer's page, and what to warn of."""

    join_url: str
    trainer_url: str
    exposed: str | None  # the address the room's network reaches the game at, when it can


def addresses(host: str, port: int, game_code: str) -> Addresses:
    """The join and trainer addresses of a server on ``host``:``port``."""
    if host in ALL_INTERFACES:
        shown = room_address() or "127.0.0.1"
        exposed: str | None = shown
    else:
        shown = host
        exposed = None if is_loopback(host) else host
    netloc = f"[{shown}]:{port}" if ":" in shown else f"{shown}:{port}"
    return Addresses(f"http://{netloc}/j/{game_code}", f"http://{netloc}/trainer", exposed)


def check_port(host: str, port: int) -> None:
    """ServeError when ``host``:``port`` cannot be listened on (taken, or not this machine's)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name != "nt":  # as uvicorn binds: a port in TIME_WAIT after a stop is free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in (98, 48, 10048):  # in use: Linux, macOS, Windows
                raise ServeError(
                    f"port {port} is in use (another thermosim play?); choose another with --port"
                ) from None
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def terminal_qr(url: str) -> str:
    """``url`` as a QR code drawn with block characters, for the terminal."""
    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()


class _Server(uvicorn.Server):
    """uvicorn's server, telling when it listens (so "ready" is printed when it is true)."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start listening, then say so."""
        await super().startup(sockets)
        if not self.should_exit:
            self.on_ready()


def serve(
    workshop: Workshop,
    host: str,
    port: int,
    join_url: str,
    on_ready: Callable[[], None],
    debug: bool = False,
) -> None:
    """Serve ``workshop`` until Ctrl-C (or SIGTERM), then close it; ``on_ready`` once listening."""
    app = make_app(workshop, join_url)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http="h11",
        loop="asyncio",
        lifespan="off",
        log_level="info" if debug else "warning",
        access_log=debug,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=5,
        server_header=False,
    )
    try:
        _Server(config, on_ready).run()
    finally:
        workshop.close()
