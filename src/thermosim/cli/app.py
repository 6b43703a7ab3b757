"""The command group, its shared options, and the one place errors become messages.

Owns the exit codes of every command: 0 done, 1 an internal error (one line; the traceback only
with --debug), 2 bad input (a message naming the file, line, field and a suggestion), 128 + the
signal when stopped (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP), after the same clean-up and a one-line
message. No bad input gives a traceback. The commands live in the sibling modules and use
``guarded``, ``fail`` and ``stopped`` from here.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from thermosim import __version__
from thermosim.errors import ThermosimError
from thermosim.experiment import default_workers
from thermosim.interrupts import Interrupted, stop_on_signals

EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 1, 2, 130
FORMATS = ("png", "svg", "pdf")
F = TypeVar("F", bound=Callable[..., Any])


def use_color() -> bool:
    """Whether to colour the console output: a terminal, and NO_COLOR not set."""
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def fail(message: str, code: int) -> NoReturn:
    """Print ``error: message`` to stderr and exit with ``code``."""
    # No terminal left to tell (SIGHUP): the exit code still says it.
    with contextlib.suppress(OSError):
        click.echo(f"error: {message}", err=True)
    sys.exit(code)


def stopped(exc: KeyboardInterrupt, folder: Path | None = None, what: str = "results") -> NoReturn:
    """Exit 128 + the signal, saying truthfully what became of ``folder`` (``what`` is in it)."""
    stop = exc if isinstance(exc, Interrupted) else Interrupted.of(exc)
    text = "interrupted" + ("" if stop.signum == signal.SIGINT else f" by {stop.name}")
    if stop.written is not None:
        text += f" after the new {what} were complete: they are in {stop.written}"
    elif folder is not None:
        # The swap puts the old folder back on any stop, so "as it was" is the truth.
        text += f": no {what} were written" + (
            f"; {folder} is as it was" if folder.exists() else ""
        )
    fail(text, stop.exit_code)


def guarded(command: F) -> F:
    """Turn library errors into messages and exit codes; tracebacks only with --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            # SIGTERM and SIGHUP stop a command as Ctrl-C does: the same clean-up on the way out.
            with stop_on_signals():
                return command(*args, **kwargs)
        except ThermosimError as exc:
            fail(str(exc), EXIT_BAD_INPUT if exc.bad_input else EXIT_INTERNAL)
        except KeyboardInterrupt as exc:
            stopped(exc)
        except BrokenPipeError:
            # The reader (e.g. `| head`) has gone: stop quietly, as command-line tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:
            if debug:
                traceback.print_exc()
            hint = "" if debug else " (run again with --debug for the traceback)"
            fail(f"internal error: {type(exc).__name__}: {exc}{hint}", EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} is not a figure format; use one or more of "
            f"{', '.join(FORMATS)}, separated by commas (e.g. png,pdf)"
        )
    return chosen


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thermosim")
def main() -> None:
    """Simulate a sales team as a control loop: reacting versus steering toward a goal.

    \b
    Examples:
      thermosim list
      thermosim run lost-key-account
      thermosim run my-team.yaml --reps 100 --set variants.1.policy.gain=0.5
    """


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["en", "nl"]),
    envvar="THERMOSIM_LANG",
    default="en",
    show_default=True,
    help="Language of figures and texts (also THERMOSIM_LANG).",
)


QUIET_OPTION = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
DEBUG_OPTION = click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")

FORMAT_OPTION = click.option(
    "--format",
    "formats",
    default="png",
    show_default=True,
    callback=_formats,
    help="Figure formats, comma separated: png, svg, pdf.",
)


def experiment_options(out_help: str) -> Callable[[F], F]:
    """The options of every command that runs an experiment.

    ``--reps``, ``--seed``, ``--workers``, ``--out`` and ``--set``: ``run`` and ``explain`` share
    them, so they cannot drift apart; only the help of ``--out`` differs.
    """
    options = (
        click.option(
            "--reps", type=click.IntRange(1, 100_000), help="Replications (default: the file's)."
        ),
        click.option(
            "--seed", type=click.IntRange(0, 2**63 - 1), help="Seed (default: the file's)."
        ),
        click.option(
            "--workers",
            type=click.IntRange(1, 1024),
            default=None,
            help="Worker processes (default and most: all cores). Results are identical for any "
            "number.",
        ),
        click.option(
            "--out",
            type=click.Path(path_type=Path),
            default=Path("results"),
            show_default=True,
            help=out_help,
        ),
        click.option(
            "--set",
            "overrides",
            multiple=True,
            metavar="KEY=VALUE",
            help="Change one field, e.g. --set horizon_weeks=52 --set variants.1.policy.gain=0.3.",
        ),
    )

    def apply(command: F) -> F:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def workers_for(asked: int | None, quiet: bool = False) -> int:
    """``--workers``, or all cores; more than the usable cores only slows down: a note, then all."""
    cores = default_workers()
    if asked is None:
        return cores
    if asked > cores and not quiet:
        with contextlib.suppress(OSError):
            click.echo(
                f"note: --workers {asked} is more than the {cores} usable cores; using {cores}",
                err=True,
            )
    return min(asked, cores)


def warm_up(module: str, workers: int) -> None:
    """Import ``module`` on a thread while ``workers`` worker processes simulate.

    The parent only waits for their results then, and importing matplotlib (about a second)
    would otherwise come after the last replication, before the first figure. With one worker
    the simulation runs in this process, which the import would only slow down. A failed import
    is left to the real one, which says what is wrong.
    """
    if workers < 2:
        return

    def load() -> None:
        with contextlib.suppress(Exception):
            importlib.import_module(module)

    threading.Thread(target=load, name=f"import {module}", daemon=True).start()


def draw_figures(
    folder: Path, lang: str, formats: tuple[str, ...], size: str = "full", workers: int = 1
) -> list[Path]:
    """Draw the figures of a results folder on ``workers`` processes."""
    # Imported here: matplotlib is slow to import and only needed when drawing.
    from thermosim.figures import write_figures

    return write_figures(folder, lang=lang, formats=formats, size=size, workers=workers)
