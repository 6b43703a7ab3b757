"""``calibrate``: a real team's weekly results in, its calibrated scenario and fit report out."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from thermosim.cli.app import (
    DEBUG_OPTION,
    EXIT_BAD_INPUT,
    FORMAT_OPTION,
    LANG_OPTION,
    QUIET_OPTION,
    fail,
    guarded,
    main,
    stopped,
    use_color,
)


@main.command("calibrate")
@click.argument("data", required=False, type=click.Path(path_type=Path))
@click.option(
    "--team-size",
    type=click.IntRange(1, 10_000),
    help="People in the team at the start (default: the headcount/fte column's largest value "
    "in the first 13 weeks, "
    "else 10).",
)
@click.option(
    "--target",
    type=click.FloatRange(min=1, max=1e12),
    metavar="EUR_PER_WEEK",
    help="Weekly revenue target (default: the target column, else the mean weekly revenue).",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    help="Name the column of a field: --column revenue=Bookings (repeatable). Fields: week, "
    "revenue, deals_won, new_leads, headcount, target, actions.",
)
@click.option(
    "-o",
    "--out",
    "output",
    type=click.Path(path_type=Path),
    help="Scenario file to write (default: <DATA name>.yaml here); its name is the scenario's.",
)
@click.option(
    "--allow-gaps",
    is_flag=True,
    help="Fit on the weeks present when some are missing (listed in the report, not filled in).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing scenario file.")
@click.option(
    "--example",
    is_flag=True,
    help="Print the path of the shipped synthetic example data and stop.",
)
@FORMAT_OPTION
@LANG_OPTION
@click.option("--no-figures", is_flag=True, help="Write the scenario file only.")
@QUIET_OPTION
@DEBUG_OPTION
@guarded
def calibrate_command(
    data: Path | None,
    team_size: int | None,
    target: float | None,
    columns: tuple[str, ...],
    output: Path | None,
    allow_gaps: bool,
    force: bool,
    example: bool,
    formats: tuple[str, ...],
    lang: str,
    no_figures: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Calibrate the model to a team's weekly results in DATA (CSV or Excel) and diagnose it.

    DATA has one row per week: the week (a date or a week number) and the revenue booked, and
    optionally deals won, new leads, headcount, target and what management did (actions).
    English or Dutch headers (omzet, gewonnen, leads, fte, target, acties); comma or semicolon
    separated; 1,234.56 or 1.234,56; dd-mm-yyyy or yyyy-mm-dd dates.

    Writes a scenario file that extends the defaults with the fitted values (each with its 95%
    interval) and two variants, as-is (the team's own loop) and steered, and a fit report
    (figures) in <file>.calibration/. Nothing is written when the data cannot be read or fitted.

    \b
    Examples:
      thermosim calibrate --example
      thermosim calibrate $(thermosim calibrate --example) -o my-team.yaml
      thermosim calibrate weeks.xlsx --team-size 8 --column revenue=Bookings -o my-team.yaml
      thermosim run my-team.yaml
    """
    from thermosim.calibrate import calibrate, read_weekly
    from thermosim.calibrate.example import example_path
    from thermosim.calibrate.write import diagnosis_lines, scenario_text
    from thermosim.outputs import OutputError, output_file, write_whole

    if example:
        click.echo(str(example_path()))
        return
    if data is None:
        fail("give the DATA file (or --example to see the shipped one)", EXIT_BAD_INPUT)
    target_file = output_file(output or Path(f"{data.stem}.yaml"), f"{data.stem}.yaml", (".yaml",))
    if target_file.exists() and not force:
        raise OutputError(f"{target_file} exists; choose another -o or add --force")
    command = "thermosim calibrate " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    weeks = read_weekly(data, columns, allow_gaps=allow_gaps)
    if not quiet:
        click.echo(f"read {weeks.weeks} weeks from {data}; fitting (about a minute)...", err=True)
    try:
        result = calibrate(weeks, team_size=team_size, target=target)
        text = scenario_text(result, target_file.stem, command)
        report = target_file.with_name(f"{target_file.stem}.calibration")
        written = []
        if not no_figures:
            from thermosim.figures.calibration import write_calibration_figures

            written = write_calibration_figures(result, report, lang, formats)
        write_whole(target_file, lambda path: path.write_text(text, encoding="utf-8", newline="\n"))
    except KeyboardInterrupt as exc:
        stopped(exc, None, "files")
    if quiet:
        return
    _report(result, target_file, report if written else None, lang)
    click.echo("\n".join(diagnosis_lines(result)))


def _report(result: object, scenario: Path, figures: Path | None, lang: str) -> None:
    from thermosim.calibrate import Calibration
    from thermosim.calibrate.summary import fitted_rows

    assert isinstance(result, Calibration)
    title = f"{scenario.stem}: fitted on {result.data.weeks} weeks in {result.seconds:.0f} s"
    click.echo(click.style(title, bold=True) if use_color() else title)
    rows = fitted_rows(result, lang)
    width = max(len(r.label) for r in rows)
    for row in rows:
        click.echo(f"  {row.label:<{width}}  {row.value:>14}   95%: {row.interval}")
    click.echo(f"  team: {result.team_size} ({result.team_size_from})")
    click.echo(f"  target: {result.target:,.0f} a week ({result.target_from})")
    for note in (*result.data.notes, *result.fit.notes):
        click.echo(f"  note: {note}")
    click.echo(f"scenario: {scenario}  (run it: thermosim run {scenario})")
    if figures is not None:
        click.echo(f"report: {figures}")
