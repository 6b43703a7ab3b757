"""Command line: ``thermosim list`` and ``thermosim run`` (data and KPI table).

Owns turning commands into library calls and library errors into messages for people: bad input
exits with code 2 and a message, never a traceback. The results folder and figures come with
later commands; ``run`` prints the KPI table.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from thermosim import __version__
from thermosim.config import load_scenario, shipped_names
from thermosim.errors import ScenarioError, ThermosimError
from thermosim.experiment import default_workers, run_experiment
from thermosim.metrics import HEADLINE_KPIS

EXIT_BAD_INPUT = 2


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thermosim")
def main() -> None:
    """Simulate a sales team as a control loop: reacting versus steering toward a goal.

    \b
    Examples:
      thermosim list
      thermosim run lost-key-account --reps 30
    """


@main.command("list")
def list_scenarios() -> None:
    """List the shipped scenarios.

    \b
    Example:
      thermosim list
    """
    for name in shipped_names():
        scenario = load_scenario(name)
        click.echo(f"{name:22s} {scenario.title.en}")


@main.command()
@click.argument("scenario")
@click.option("--reps", type=click.IntRange(1, 100_000), help="Replications (default: file's).")
@click.option("--seed", type=click.IntRange(0), help="Seed (default: the scenario's).")
@click.option(
    "--workers", type=click.IntRange(1, 512), default=None, help="Processes (default: all cores)."
)
def run(scenario: str, reps: int | None, seed: int | None, workers: int | None) -> None:
    """Run every variant of SCENARIO (a file or a shipped name) and print the KPIs.

    \b
    Example:
      thermosim run lost-key-account --reps 30 --seed 7
    """
    try:
        loaded = load_scenario(scenario)
    except ScenarioError as exc:
        _fail(str(exc))
    try:
        experiment = run_experiment(loaded, reps, seed, workers or default_workers())
    except ThermosimError as exc:
        _fail(str(exc), code=1)
    variants = list(experiment.kpis)
    click.echo(f"{loaded.name}: {experiment.replications} replications, seed {experiment.seed}")
    click.echo(f"{'kpi (mean)':22s}" + "".join(f"{v:>16s}" for v in variants))
    first = experiment.kpis[variants[0]]
    for kpi in [k for k in HEADLINE_KPIS if k in first] + [
        k for k in first if k not in HEADLINE_KPIS
    ]:
        row = "".join(f"{experiment.kpis[v][kpi]['mean']:16.3f}" for v in variants)
        click.echo(f"{kpi:22s}{row}")


if __name__ == "__main__":
    main()
