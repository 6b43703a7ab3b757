"""``play`` (a workshop in the browser) and ``debrief`` (its slides and deck, from the folder)."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import click

from thermosim.cli.app import (
    DEBUG_OPTION,
    EXIT_BAD_INPUT,
    LANG_OPTION,
    fail,
    guarded,
    main,
    use_color,
)


def _say(label: str, value: str) -> None:
    head = f"{label:<14}"
    click.echo((click.style(head, bold=True) if use_color() else head) + value)


@main.command()
@click.argument("scenario", required=False)
@click.option(
    "--weeks",
    type=click.IntRange(4, 260),
    default=None,
    help="Weeks the game lasts (default: 26, or a quarter past the scenario's last shock).",
)
@click.option(
    "--round-weeks",
    type=click.IntRange(1, 13),
    default=1,
    show_default=True,
    help="Weeks per round: participants decide at the start of each.",
)
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Seed (default: the file's).")
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change one field of the scenario, e.g. --set plant.people.team_size=6.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Folder the game folder <scenario>-game-<date-time>/ is made in.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets the room's network join (a warning says so).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--resume",
    "resume",
    metavar="GAME",
    help="Carry on the game in this folder (as printed at its start), every decision kept.",
)
@click.option("--debug", is_flag=True, help="Log every request; tracebacks of internal errors.")
@guarded
def play(
    scenario: str | None,
    weeks: int | None,
    round_weeks: int,
    seed: int | None,
    overrides: tuple[str, ...],
    out: Path,
    host: str,
    port: int,
    resume: str | None,
    debug: bool,
) -> None:
    """Let a room play the sales manager in the browser, on SCENARIO's market.

    Starts a web server on this machine and prints the join address, a QR code and a short
    game code for the participants, and the trainer's page with its trainer code. Every
    participant plays the same market (same shocks, same random numbers); at the end the
    trainer's page shows the debrief beside reacting, steering and doing nothing. Everything
    is kept in a game folder as it happens: stop with Ctrl-C, carry on with --resume.

    \b
    Examples:
      thermosim play lost-key-account
      thermosim play baseline --weeks 26 --round-weeks 2
      thermosim play market-downturn --host 0.0.0.0 --port 8080
      thermosim play --resume results/lost-key-account-game-20250301-093000
    """
    from thermosim.play.game import GameSetup
    from thermosim.play.server import (
        addresses,
        check_port,
        find_game,
        new_folder,
        serve,
        terminal_qr,
    )
    from thermosim.play.workshop import Workshop

    started = time.perf_counter()
    if resume is not None:
        if scenario is not None or overrides or weeks is not None or seed is not None:
            fail("--resume carries on a game as it was; give no SCENARIO with it", EXIT_BAD_INPUT)
        check_port(host, port)
        folder = find_game(resume, out)
        workshop = Workshop.resume(folder)
    else:
        if scenario is None:
            fail("give a SCENARIO to play (see `thermosim list`) or --resume GAME", EXIT_BAD_INPUT)
        from thermosim.config import load_scenario

        setup = GameSetup.of(load_scenario(scenario, overrides), weeks, round_weeks, seed)
        check_port(host, port)
        folder = new_folder(out, setup.scenario.name)
        workshop = Workshop.create(folder, setup)
    where = addresses(host, port, workshop.game_code)
    setup = workshop.setup
    # A console that cannot show block characters (a legacy Windows code page) goes without.
    with contextlib.suppress(UnicodeEncodeError):
        click.echo(terminal_qr(where.join_url))
    _say("game", f"{setup.scenario.name}: {setup.rounds} rounds of {setup.round_weeks} week(s)")
    _say("join at", where.join_url)
    _say("game code", workshop.game_code)
    _say("trainer page", where.trainer_url)
    _say("trainer code", workshop.trainer_code)
    _say("game folder", str(folder))
    if where.exposed is not None:
        click.echo(
            f"warning: serving on {host}: anyone on this network can reach the game at "
            f"{where.exposed}:{port}; the game code and trainer code keep them out of its "
            "controls. Without --host only this machine can.",
            err=True,
        )

    def ready() -> None:
        seconds = time.perf_counter() - started
        click.echo(f"ready in {seconds:.1f} s; Ctrl-C stops the server (nothing is lost)")

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a server ends
        serve(workshop, host, port, where.join_url, ready, debug)
    click.echo(f"stopped; carry on with: thermosim play --resume {folder}")
    click.echo(f"debrief later with: thermosim debrief {folder}")


@main.command()
@click.argument("game", type=click.Path(path_type=Path))
@LANG_OPTION
@DEBUG_OPTION
@guarded
def debrief(game: Path, lang: str, debug: bool) -> None:
    """Write the debrief of the game in GAME: slide figures and a deck with speaker notes.

    GAME is the game folder `thermosim play` printed (a copy works too). Rounds nobody played
    count as holding course. Writes GAME/debrief/: figures/*.<lang>.png, debrief.<lang>.pptx
    and debrief.json.

    \b
    Examples:
      thermosim debrief results/lost-key-account-game-20250301-093000
      thermosim debrief my-copy-of-the-game --lang nl
    """
    from thermosim.play.deck import write_debrief

    written = write_debrief(game, lang)
    for path in written:
        click.echo(str(path))
