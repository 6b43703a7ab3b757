"""The command line: click commands, and the only place that turns errors into messages.

Owns the commands of interface.md, their options and help texts, and the exit codes: 0 done,
1 an internal error (one line; the traceback only with --debug), 2 bad input (a message naming
the file, line, field and a suggestion), 130 interrupted. No bad input gives a traceback.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from thermosim import __version__
from thermosim.config import load_scenario, shipped_names
from thermosim.console import Progress, summary_table
from thermosim.errors import ScenarioError, ThermosimError
from thermosim.experiment import default_workers, run_experiment
from thermosim.results import ResultsError, write_results

EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 1, 2, 130
FORMATS = ("png", "svg", "pdf")
F = TypeVar("F", bound=Callable[..., Any])


def _use_color() -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _guarded(command: F) -> F:
    """Turn library errors into messages and exit codes; tracebacks only with --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            _fail(str(exc), EXIT_BAD_INPUT)
        except ResultsError as exc:
            _fail(str(exc), EXIT_BAD_INPUT if exc.bad_input else EXIT_INTERNAL)
        except ThermosimError as exc:
            _fail(str(exc), EXIT_INTERNAL)
        except KeyboardInterrupt:
            _fail("interrupted: no results were written", EXIT_INTERRUPTED)
        except Exception as exc:
            if debug:
                traceback.print_exc()
            hint = "" if debug else " (run again with --debug for the traceback)"
            _fail(f"internal error: {type(exc).__name__}: {exc}{hint}", EXIT_INTERNAL)

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
    r"""Simulate a sales team as a control loop: reacting versus steering toward a goal.

    \b
    Examples:
      thermosim list
      thermosim run lost-key-account
      thermosim run my-team.yaml --reps 100 --set variants.1.policy.gain=0.5
    """


@main.command("list")
def list_scenarios() -> None:
    r"""List the shipped scenarios: name and title.

    \b
    Example:
      thermosim list
    """
    for name in shipped_names():
        scenario = load_scenario(name)
        click.echo(f"{name:22s} {scenario.title.en}")


@main.command()
@click.argument("scenario")
@click.option("--reps", type=click.IntRange(1, 100_000), help="Replications (default: the file's).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Seed (default: the file's).")
@click.option(
    "--workers",
    type=click.IntRange(1, 1024),
    default=None,
    help="Worker processes (default: all cores). Results are identical for any number.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Folder the results folder <scenario>/ is written into.",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change one field, e.g. --set horizon_weeks=52 --set variants.1.policy.gain=0.3.",
)
@click.option(
    "--format",
    "formats",
    default="png",
    show_default=True,
    callback=_formats,
    help="Figure formats, comma separated: png, svg, pdf.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "nl"]),
    envvar="THERMOSIM_LANG",
    default="en",
    show_default=True,
    help="Language of figures and texts (also THERMOSIM_LANG).",
)
@click.option("--no-figures", is_flag=True, help="Write data only.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@_guarded
def run(
    scenario: str,
    reps: int | None,
    seed: int | None,
    workers: int | None,
    out: Path,
    overrides: tuple[str, ...],
    formats: tuple[str, ...],
    lang: str,
    no_figures: bool,
    quiet: bool,
    debug: bool,
) -> None:
    r"""Run every variant of SCENARIO and write the results folder.

    SCENARIO is a scenario file or the name of a shipped scenario (see `thermosim list`).
    The results go to OUT/<scenario name>/, replaced as a whole only when complete.

    \b
    Examples:
      thermosim run lost-key-account
      thermosim run lost-key-account --reps 100 --seed 7 --out talk/
      thermosim run baseline --set plant.people.team_size=6 --quiet
    """
    loaded = load_scenario(scenario, overrides)
    progress = None
    if not quiet and sys.stderr.isatty():
        progress = Progress(sys.stderr, f"{loaded.name}")
    try:
        experiment = run_experiment(loaded, reps, seed, workers or default_workers(), progress)
    finally:
        if progress is not None:
            progress.close()
    folder = write_results(experiment, out)
    # Figures come with the figures command; until then a run writes data only.
    del formats, lang, no_figures
    if quiet:
        return
    title = f"{loaded.name}: {experiment.replications} replications, seed {experiment.seed}"
    click.echo(click.style(title, bold=True) if _use_color() else title)
    for line in summary_table(experiment.kpis, loaded.plant.kind):
        click.echo(line)
    click.echo(f"results: {folder}")


if __name__ == "__main__":
    main()
