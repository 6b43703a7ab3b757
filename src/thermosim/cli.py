"""The command line: click commands, and the only place that turns errors into messages.

Owns the commands of interface.md, their options and help texts, and the exit codes: 0 done,
1 an internal error (one line; the traceback only with --debug), 2 bad input (a message naming
the file, line, field and a suggestion), 128 + the signal when stopped (130 Ctrl-C, 143 SIGTERM,
129 SIGHUP), after the same clean-up and a one-line message. No bad input gives a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from thermosim import __version__
from thermosim.atomic import check_writable
from thermosim.config import load_scenario, shipped_names
from thermosim.config.dump import dump_scenario, new_scenario_text
from thermosim.config.schema import schema_text, write_schema
from thermosim.console import Progress, summary_table
from thermosim.errors import ScenarioError, ThermosimError
from thermosim.experiment import default_workers
from thermosim.explain import HEADLINE, WATERFALL_KPI, contributions_table, write_explanation
from thermosim.interrupts import Interrupted, stop_on_signals
from thermosim.metrics import KPIS
from thermosim.results import run_and_write

EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 1, 2, 130
FORMATS = ("png", "svg", "pdf")
F = TypeVar("F", bound=Callable[..., Any])


def _use_color() -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _fail(message: str, code: int) -> NoReturn:
    # No terminal left to tell (SIGHUP): the exit code still says it.
    with contextlib.suppress(OSError):
        click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _stopped(exc: KeyboardInterrupt, folder: Path | None = None, what: str = "results") -> NoReturn:
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
    _fail(text, stop.exit_code)


def _guarded(command: F) -> F:
    """Turn library errors into messages and exit codes; tracebacks only with --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            # SIGTERM and SIGHUP stop a command as Ctrl-C does: the same clean-up on the way out.
            with stop_on_signals():
                return command(*args, **kwargs)
        except ThermosimError as exc:
            _fail(str(exc), EXIT_BAD_INPUT if exc.bad_input else EXIT_INTERNAL)
        except KeyboardInterrupt as exc:
            _stopped(exc)
        except BrokenPipeError:
            # The reader (e.g. `| head`) has gone: stop quietly, as command-line tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
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


@main.command("list")
@LANG_OPTION
@_guarded
def list_scenarios(lang: str) -> None:
    """List the shipped scenarios: name, title and what each shows.

    \b
    Examples:
      thermosim list
      thermosim list --lang nl
    """
    for name in shipped_names():
        scenario = load_scenario(name)
        title = getattr(scenario.title, lang) or scenario.title.en
        about = getattr(scenario.description, lang) or scenario.description.en
        click.echo(f"{name:22s} {title}")
        if about:
            click.echo(f"{'':22s} {about}")


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Check with a change.")
@_guarded
def validate(scenarios: tuple[str, ...], overrides: tuple[str, ...]) -> None:
    """Check scenario files; list every problem with file, line, field and a hint.

    Exits 0 when every file is valid, 2 when any is not.

    \b
    Examples:
      thermosim validate my-team.yaml
      thermosim validate scenarios/*.yaml
    """
    failed = 0
    for name in scenarios:
        try:
            scenario = load_scenario(name, overrides)
        except ScenarioError as exc:
            failed += 1
            click.echo(str(exc), err=True)
        else:
            variants = ", ".join(v.name for v in scenario.variants)
            click.echo(f"{name}: ok ({scenario.name}; variants {variants})")
    if failed:
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("scenario")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Show with a change.")
@_guarded
def show(scenario: str, overrides: tuple[str, ...]) -> None:
    """Print the fully resolved SCENARIO (after extends, presets and --set) as YAML.

    Every field is written, with a comment saying what it means; the output is itself a valid
    scenario file.

    \b
    Examples:
      thermosim show lost-key-account
      thermosim show baseline --set variants.1.policy.gain=0.5 > my-baseline.yaml
    """
    click.echo(dump_scenario(load_scenario(scenario, overrides)), nl=False)


@main.command()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to this file (default: print)."
)
@_guarded
def schema(output: Path | None) -> None:
    """The JSON Schema of scenario files, for completion and checks in editors.

    Editors with the YAML language server pick it up from a file's first line:
    `# yaml-language-server: $schema=thermosim.schema.json`.

    \b
    Examples:
      thermosim schema -o thermosim.schema.json
      thermosim schema > thermosim.schema.json
    """
    if output is None:
        click.echo(schema_text(), nl=False)
        return
    try:
        write_schema(output)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_BAD_INPUT)
    click.echo(f"wrote {output}")


@main.command()
@click.argument("name")
@click.option("--from", "base", metavar="BASE", help="Start from this scenario (name or path).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@_guarded
def new(name: str, base: str | None, force: bool) -> None:
    """Write NAME.yaml: a commented scenario file to start from (valid as it is).

    \b
    Examples:
      thermosim new my-team
      thermosim new my-team --from lost-key-account
    """
    target = Path(f"{name}.yaml")
    if target.exists() and not force:
        _fail(f"{target} exists; choose another name or add --force", EXIT_BAD_INPUT)
    text = new_scenario_text(name, base)
    target.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"wrote {target}; check it with: thermosim validate {target}")


@main.command()
@click.argument("scenario")
@experiment_options("Folder the results folder <scenario>/ is written into.")
@FORMAT_OPTION
@LANG_OPTION
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
    try:
        draw = None if no_figures else functools.partial(_draw, lang=lang, formats=formats)
        experiment, folder = run_and_write(
            loaded, out, reps, seed, _workers(workers, quiet), progress, before_swap=draw
        )
    except KeyboardInterrupt as exc:
        if progress is not None:
            progress.close()
        _stopped(exc, target)
    if progress is not None:
        progress.close()
    if quiet:
        return
    title = f"{loaded.name}: {experiment.replications} replications, seed {experiment.seed}"
    click.echo(click.style(title, bold=True) if _use_color() else title)
    for line in summary_table(experiment.kpis, loaded.plant.kind):
        click.echo(line)
    click.echo(f"results: {folder}")
    if not no_figures:
        click.echo(f"figures: {folder / 'figures'}")


def _workers(asked: int | None, quiet: bool = False) -> int:
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


def _draw(folder: Path, lang: str, formats: tuple[str, ...], size: str = "full") -> list[Path]:
    # Imported here: matplotlib is slow to import and only needed when drawing.
    from thermosim.figures import write_figures

    return write_figures(folder, lang=lang, formats=formats, size=size)


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
@_guarded
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
        _fail(
            f"{results_dir} is not a results folder; run `thermosim run SCENARIO` first",
            EXIT_BAD_INPUT,
        )
    try:
        written = _draw(results_dir, lang, formats, size)
    except KeyboardInterrupt as exc:
        _stopped(exc, results_dir / "figures", "figures")
    click.echo(f"{len(written)} figures in {results_dir / 'figures'}")


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
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@_guarded
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
        _fail(
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
        explanation = explain(loaded, reps, seed, _workers(workers, quiet), start, end, progress)
        draw = functools.partial(_draw_waterfall, lang=lang, formats=formats, kpi=kpi)
        path = write_explanation(explanation, out, before_write=draw, figure_kpi=kpi)
    except KeyboardInterrupt as exc:
        if progress is not None:
            progress.close()
        _stopped(exc, target, "explanation files")
    if progress is not None:
        progress.close()
    if quiet:
        return
    title = (
        f"{loaded.name}: {explanation.start} -> {explanation.end}, one step at a time; "
        f"{explanation.replications} replications, seed {explanation.seed}"
    )
    click.echo(click.style(title, bold=True) if _use_color() else title)
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
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@_guarded
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
    count = _workers(workers, quiet)
    progress = None
    if not quiet and sys.stderr.isatty():
        progress = Progress(sys.stderr, f"{plan.scenario.name} (sweep)")
    kind = "sensitivity" if sensitivity else "sweep"
    draw = functools.partial(_draw_sweep, kind=kind, lang=lang, formats=formats)
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
        _stopped(exc, out / plan.scenario.name / kind, f"{kind} files")
    if progress is not None:
        progress.close()
    if not quiet:
        click.echo(f"{kind}: {folder}")
        click.echo(f"figures: {folder / 'figures'}")


def _draw_sweep(
    folder: Path, data: dict[str, Any], kind: str, lang: str, formats: tuple[str, ...]
) -> list[Path]:
    # Imported here: matplotlib is slow to import and only needed when drawing.
    from thermosim.figures.sweep import write_sweep_figures

    return write_sweep_figures(folder, data, kind, lang, formats)


RUN_INTO_OPTION = click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Where a scenario that has not been run yet is run to (its results folder).",
)


def _results_for(source: str, out: Path, lang: str, reps: int | None) -> Path:
    """A results folder for SOURCE: the folder itself, an earlier run, or a run made now.

    The folder is read (and checked) by the command; a file of a results folder is refused
    here, naming the folder to give instead of reading the file as a scenario.
    """
    from thermosim.outputs import check_names
    from thermosim.results import FILES
    from thermosim.saved import DamagedResultsError

    check_names(out, "--out")
    given = Path(source)
    try:
        is_dir, is_file = given.is_dir(), given.is_file()
    except OSError as exc:  # a name too long for the file system, say
        raise DamagedResultsError(
            given, f"cannot be read ({exc.strerror})", "give a results folder or a scenario"
        ) from None
    if is_dir:
        return given
    if is_file and (given.name in FILES or (given.parent / "manifest.json").is_file()):
        raise DamagedResultsError(
            given, "is a file of a results folder, not the folder", f"give {given.parent}"
        )
    if not is_file and len(given.parts) > 1 and given.suffix not in (".yaml", ".yml"):
        # A path, not a name: a results folder that is gone must not run the shipped scenario
        # of the same name into OUT instead.
        raise DamagedResultsError(
            given,
            "does not exist",
            "give a results folder, a scenario file or a shipped scenario (thermosim list)",
        )
    scenario = load_scenario(source)
    folder = out / scenario.name
    if (folder / "manifest.json").is_file():
        return folder
    click.echo(f"running {scenario.name} first ...", err=True)
    draw = functools.partial(_draw, lang=lang, formats=("png",))
    return run_and_write(scenario, out, reps, None, default_workers(), before_swap=draw)[1]


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="SCENARIO_OR_RESULTS...")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default="talk.pptx",
    show_default=True,
    help="The .pptx file to write; a folder (existing, or ending in /) gets talk.pptx in it.",
)
@LANG_OPTION
@RUN_INTO_OPTION
@click.option("--reps", type=click.IntRange(1, 100_000), help="Replications for runs made now.")
@_guarded
def deck(sources: tuple[str, ...], output: str, lang: str, out: Path, reps: int | None) -> None:
    """Write a 16:9 PowerPoint deck with figures, a scorecard and speaker notes.

    Each source is a results folder or a scenario (name or file); a scenario that has no
    results in OUT yet is run first. -o is a .pptx file, or a folder to write talk.pptx into
    (an existing folder, or a new one written with a trailing /); any other name is refused.

    \b
    Examples:
      thermosim deck lost-key-account baseline -o talk.pptx --lang nl
      thermosim deck results/lost-key-account results/raise-the-bar -o slides/
    """
    from thermosim.deck import DEFAULT_NAME, SUFFIXES, build_deck
    from thermosim.outputs import output_file

    target = output_file(output, DEFAULT_NAME, SUFFIXES)  # refused before anything is run
    folders = [_results_for(source, out, lang, reps) for source in sources]
    written = build_deck(folders, target, lang)
    click.echo(f"wrote {written} ({len(folders)} scenarios)")


@main.command()
@click.argument("source", metavar="SCENARIO_OR_RESULTS")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gif", "mp4"]),
    default=None,
    help="gif or mp4 (default: the suffix of -o, else gif).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="The .gif or .mp4 file to write; a folder (existing, or ending in /) gets "
    "animation.<lang>.<format> in it. Default: in the results folder.",
)
@LANG_OPTION
@click.option(
    "--stride", type=click.IntRange(1, 52), default=1, show_default=True, help="Weeks per frame."
)
@RUN_INTO_OPTION
@_guarded
def animate(
    source: str, fmt: str | None, output: str | None, lang: str, stride: int, out: Path
) -> None:
    """Animate revenue against target week by week, shocks appearing as they happen.

    GIF needs nothing extra; MP4 needs ffmpeg (on the PATH, or `pip install 'thermosim[video]'`).
    -o is a .gif or .mp4 file (the format follows its suffix), or a folder to write
    animation.<lang>.<format> into (an existing folder, or a new one written with a trailing /);
    any other name is refused.

    \b
    Examples:
      thermosim animate lost-key-account
      thermosim animate results/baseline --format mp4 --lang nl
      thermosim animate lost-key-account -o talk/loop.gif
    """
    from thermosim.animate import animate as make_animation
    from thermosim.animate import animation_output, check_format, default_name

    # -o and the format are settled (MP4 without ffmpeg too) before a scenario is run for nothing.
    target, chosen = animation_output(output, fmt, lang)
    check_format(chosen)
    folder = _results_for(source, out, lang, None)
    target = target or folder / default_name(chosen, lang)
    written = make_animation(folder, target, chosen, lang, stride)
    click.echo(f"wrote {written}")


if __name__ == "__main__":
    main()
