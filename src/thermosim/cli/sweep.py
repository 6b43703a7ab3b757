"""``sweep``: a grid of field values or a global sensitivity study, locally or on Dask."""

from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path
from typing import Any

import click

from thermosim.atomic import check_writable
from thermosim.cli.app import (
    DEBUG_OPTION,
    FORMAT_OPTION,
    LANG_OPTION,
    QUIET_OPTION,
    experiment_options,
    guarded,
    main,
    stopped,
    warm_up,
    workers_for,
)
from thermosim.console import Progress
from thermosim.metrics import KPIS

SWEEP_KPIS = tuple(KPIS)


@main.command("sweep")
@click.argument("scenario")
@experiment_options("Folder the sweep goes into: OUT/<scenario>/sweep/ (or sensitivity/).")
@click.option(
    "--vary",
    multiple=True,
    metavar="PATH=VALUES",
    help="A field to vary (repeatable): a list 1,2,4,8 or a range 0.05..0.4:8 (8 values, ends "
    "included); `*` for every list item, e.g. variants.*.perception.noise. Default: the "
    "scenario's sweep: section.",
)
@click.option(
    "--kpi", type=click.Choice(SWEEP_KPIS), help="KPI of the phase map (default: operating_profit)."
)
@click.option("--yes", is_flag=True, help="Run more than 10,000 cells.")
@click.option("--sensitivity", is_flag=True, help="Global sensitivity (SALib) instead of a grid.")
@click.option(
    "--samples",
    type=click.IntRange(2, 100_000),
    default=64,
    show_default=True,
    help="Base samples of the sensitivity study (Sobol: rounded up to a power of two).",
)
@click.option(
    "--method", type=click.Choice(["sobol", "morris"]), default="sobol", show_default=True
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT|local",
    help="Run the cells on a Dask cluster (pip install 'thermosim[dask]'); `local` starts one.",
)
@FORMAT_OPTION
@LANG_OPTION
@click.option("--no-figures", is_flag=True, help="Write data only.")
@QUIET_OPTION
@DEBUG_OPTION
@guarded
def sweep_command(
    scenario: str,
    reps: int | None,
    seed: int | None,
    workers: int | None,
    out: Path,
    overrides: tuple[str, ...],
    vary: tuple[str, ...],
    kpi: str | None,
    yes: bool,
    sensitivity: bool,
    samples: int,
    method: str,
    scheduler: str | None,
    formats: tuple[str, ...],
    lang: str,
    no_figures: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Run SCENARIO over a grid of field values (or a sensitivity study) and map the difference.

    Every cell runs every variant on common random numbers, with a seed made of the scenario
    seed and the cell's values (in sweep.csv: `thermosim run SCENARIO --set ... --seed N`
    repeats a cell). Writes sweep.csv, sweep.json, manifest.json and figures/ into
    OUT/<scenario>/sweep/, replaced as a whole only when complete.

    \b
    Examples:
      thermosim sweep when-to-react
      thermosim sweep baseline --vary variants.1.policy.gain=0.5,1,2,4 --reps 20
      thermosim sweep baseline --vary variants.*.perception.noise=0..0.4:5 \\
          --vary variants.*.perception.delay_weeks=0,1,2,4 --kpi attainment
      thermosim sweep when-to-react --sensitivity --samples 32
      thermosim sweep when-to-react --scheduler tcp://10.0.0.5:8786
    """
    from thermosim.sweep import plan_sweep
    from thermosim.sweep.run import local_mapper, run_sweep
    from thermosim.sweep.sensitivity import run_sensitivity

    plan = plan_sweep(scenario, overrides, vary, reps, seed, kpi, yes, sensitivity)
    check_writable(out)  # told before the simulations, not after
    count = workers_for(workers, quiet)
    progress = None
    if not quiet and sys.stderr.isatty():
        progress = Progress(sys.stderr, f"{plan.scenario.name} (sweep)")
    kind = "sensitivity" if sensitivity else "sweep"
    draw = None
    if not no_figures:
        draw = functools.partial(_draw_sweep, kind=kind, lang=lang, formats=formats)
        # On a cluster this process only waits, whatever the local workers.
        warm_up("thermosim.figures.sweep", 2 if scheduler else count)
    try:
        with contextlib.ExitStack() as stack:
            if scheduler:
                from thermosim.sweep.dask_backend import dask_mapper

                mapper = stack.enter_context(dask_mapper(scheduler, count))
            else:
                mapper = local_mapper(count)
            if sensitivity:
                folder, _ = run_sensitivity(plan, out, samples, method, mapper, progress, draw)
            else:
                folder, _ = run_sweep(plan, out, mapper, progress, draw)
    except KeyboardInterrupt as exc:
        if progress is not None:
            progress.close()
        stopped(exc, out / plan.scenario.name / kind, f"{kind} files")
    if progress is not None:
        progress.close()
    if not quiet:
        click.echo(f"{kind}: {folder}")
        if not no_figures:
            click.echo(f"figures: {folder / 'figures'}")


def _draw_sweep(
    folder: Path, data: dict[str, Any], kind: str, lang: str, formats: tuple[str, ...]
) -> list[Path]:
    # Imported here: matplotlib is slow to import and only needed when drawing.
    from thermosim.figures.sweep import write_sweep_figures

    return write_sweep_figures(folder, data, kind, lang, formats)
