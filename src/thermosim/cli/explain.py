"""``explain``: the ladder from reacting to steering, one group of settings at a time."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

import click

from thermosim.atomic import check_writable
from thermosim.cli.app import (
    DEBUG_OPTION,
    EXIT_BAD_INPUT,
    FORMAT_OPTION,
    LANG_OPTION,
    QUIET_OPTION,
    experiment_options,
    fail,
    guarded,
    main,
    stopped,
    use_color,
    workers_for,
)
from thermosim.config import load_scenario
from thermosim.console import Progress
from thermosim.explain import HEADLINE, WATERFALL_KPI, contributions_table, write_explanation

EXPLAIN_KPIS = tuple(dict.fromkeys(k for kpis in HEADLINE.values() for k in kpis))


@main.command("explain")
@click.argument("scenario")
@experiment_options("Folder the results folder <scenario>/ is in (the one `run` writes).")
@click.option(
    "--from", "start", metavar="VARIANT", help="Variant to start from (default: the first)."
)
@click.option("--to", "end", metavar="VARIANT", help="Variant to end at (default: the second).")
@click.option(
    "--kpi",
    type=click.Choice(EXPLAIN_KPIS),
    default=None,
    help="KPI the waterfall shows (default: operating_profit; thermostat: mean_abs_error_c).",
)
@FORMAT_OPTION
@LANG_OPTION
@QUIET_OPTION
@DEBUG_OPTION
@guarded
def explain_command(
    scenario: str,
    reps: int | None,
    seed: int | None,
    workers: int | None,
    out: Path,
    overrides: tuple[str, ...],
    start: str | None,
    end: str | None,
    kpi: str | None,
    formats: tuple[str, ...],
    lang: str,
    quiet: bool,
    debug: bool,
) -> None:
    """Walk from reacting to steering one group of settings at a time, on the same luck.

    The ladder changes perception, then the decision rule, the lever menu, overtime and the
    shared goal (and any other setting that differs), each step on top of the ones before;
    open-loop and "invest without feedback" (the end's levers, gain 0) run beside it. Writes
    explain.json and figures/waterfall.<lang>.<format> into OUT/<scenario name>/, next to
    what `run` wrote there (nothing else in the folder is touched).

    \b
    Examples:
      thermosim explain lost-key-account
      thermosim explain baseline --reps 100 --lang nl --format png,pdf
      thermosim explain my-team.yaml --from reactive --to steered --kpi attainment
    """
    from thermosim.explain import explain

    loaded = load_scenario(scenario, overrides)
    plant = loaded.plant.kind
    if kpi is not None and kpi not in HEADLINE[plant]:
        fail(
            f"--kpi {kpi} is not shown for the {plant} plant; use one of "
            + ", ".join(HEADLINE[plant]),
            EXIT_BAD_INPUT,
        )
    check_writable(out)  # told before the simulations, not after
    progress = None
    if not quiet and sys.stderr.isatty():
        progress = Progress(sys.stderr, f"{loaded.name} (explain)")
    target = out / loaded.name
    try:
        explanation = explain(loaded, reps, seed, workers_for(workers, quiet), start, end, progress)
        draw = functools.partial(_draw_waterfall, lang=lang, formats=formats, kpi=kpi)
        path = write_explanation(explanation, out, before_write=draw, figure_kpi=kpi)
    except KeyboardInterrupt as exc:
        if progress is not None:
            progress.close()
        stopped(exc, target, "explanation files")
    if progress is not None:
        progress.close()
    if quiet:
        return
    title = (
        f"{loaded.name}: {explanation.start} -> {explanation.end}, one step at a time; "
        f"{explanation.replications} replications, seed {explanation.seed}"
    )
    click.echo(click.style(title, bold=True) if use_color() else title)
    for line in contributions_table(explanation):
        click.echo(line)
    click.echo(f"explain: {path}")
    click.echo(f"figures: {path.parent / 'figures'}")


def _draw_waterfall(
    folder: Path, data: dict[str, Any], lang: str, formats: tuple[str, ...], kpi: str | None
) -> list[Path]:
    # Imported here: matplotlib is slow to import and only needed when drawing.
    from thermosim.figures.waterfall import write_waterfall

    return write_waterfall(folder, lang, formats, kpi or WATERFALL_KPI[data["plant"]], data)
