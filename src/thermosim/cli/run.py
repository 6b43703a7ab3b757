"""``run`` (simulate every variant, write the results folder) and ``figures`` (redraw one)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from thermosim.atomic import check_writable
from thermosim.cli.app import (
    DEBUG_OPTION,
    EXIT_BAD_INPUT,
    FORMAT_OPTION,
    LANG_OPTION,
    QUIET_OPTION,
    draw_figures,
    experiment_options,
    fail,
    guarded,
    main,
    stopped,
    use_color,
    warm_up,
    workers_for,
)
from thermosim.config import load_scenario
from thermosim.console import Progress, summary_table
from thermosim.results import run_and_write


@main.command()
@click.argument("scenario")
@experiment_options("Folder the results folder <scenario>/ is written into.")
@FORMAT_OPTION
@LANG_OPTION
@click.option("--no-figures", is_flag=True, help="Write data only.")
@QUIET_OPTION
@DEBUG_OPTION
@guarded
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
    """Run every variant of SCENARIO and write the results folder.

    SCENARIO is a scenario file or the name of a shipped scenario (see `thermosim list`).
    The results go to OUT/<scenario name>/, replaced as a whole only when complete.

    \b
    Examples:
      thermosim run lost-key-account
      thermosim run lost-key-account --reps 100 --seed 7 --out talk/
      thermosim run baseline --set plant.people.team_size=6 --quiet
    """
    loaded = load_scenario(scenario, overrides)
    check_writable(out)  # a folder that cannot take the results is told before simulating
    progress = None
    if not quiet and sys.stderr.isatty():
        progress = Progress(sys.stderr, f"{loaded.name}")
    target = out / loaded.name
    count = workers_for(workers, quiet)
    try:
        draw = None
        if not no_figures:
            draw = functools.partial(draw_figures, lang=lang, formats=formats, workers=count)
            warm_up("thermosim.figures", count)
        experiment, folder = run_and_write(
            loaded, out, reps, seed, count, progress, before_swap=draw
        )
    except KeyboardInterrupt as exc:
        if progress is not None:
            progress.close()
        stopped(exc, target)
    if progress is not None:
        progress.close()
    if quiet:
        return
    title = f"{loaded.name}: {experiment.replications} replications, seed {experiment.seed}"
    click.echo(click.style(title, bold=True) if use_color() else title)
    for line in summary_table(experiment.kpis, loaded.plant.kind):
        click.echo(line)
    click.echo(f"results: {folder}")
    if not no_figures:
        click.echo(f"figures: {folder / 'figures'}")


@main.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@LANG_OPTION
@FORMAT_OPTION
@click.option(
    "--size",
    type=click.Choice(["full", "half"]),
    default="full",
    show_default=True,
    help="Full slide body (12.7 x 5.9 in) or half a slide (6.2 x 5.9 in).",
)
@guarded
def figures(results_dir: Path, lang: str, formats: tuple[str, ...], size: str) -> None:
    """Redraw the figures of a results folder from its saved data, without re-running.

    \b
    Examples:
      thermosim figures results/lost-key-account --lang nl
      thermosim figures results/baseline --format png,pdf --size half
    """
    try:
        is_folder = results_dir.is_dir()
    except OSError:  # a name the system refuses (too long): not a results folder either
        is_folder = False
    if not is_folder:
        fail(
            f"{results_dir} is not a results folder; run `thermosim run SCENARIO` first",
            EXIT_BAD_INPUT,
        )
    try:
        written = draw_figures(results_dir, lang, formats, size, workers_for(None))
    except KeyboardInterrupt as exc:
        stopped(exc, results_dir / "figures", "figures")
    click.echo(f"{len(written)} figures in {results_dir / 'figures'}")
