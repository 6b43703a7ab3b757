"""``deck`` and ``animate``: what a trainer shows, from a results folder or a scenario."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from thermosim.cli.app import LANG_OPTION, draw_figures, guarded, main
from thermosim.config import load_scenario
from thermosim.experiment import default_workers
from thermosim.results import run_and_write

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
    draw = functools.partial(draw_figures, lang=lang, formats=("png",))
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
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A .pptx whose master, layouts and slide size (16:9 or 4:3) the deck is built on; "
    "its own slides are left out. Default: a clean 16:9 deck.",
)
@guarded
def deck(
    sources: tuple[str, ...],
    output: str,
    lang: str,
    out: Path,
    reps: int | None,
    template: Path | None,
) -> None:
    """Write a PowerPoint talk: every slide's title states its finding, with speaker notes.

    Each source is a results folder or a scenario (name or file); a scenario that has no
    results in OUT yet is run first. The talk: the headline, an agenda (several scenarios), the
    control loop, per scenario the figures that differ most, an editable chart, the waterfall
    of `thermosim explain` where it was run, the scorecard, and a closing slide on "begin with
    insight". -o is a .pptx file, or a folder to write talk.pptx into (an existing folder, or a
    new one written with a trailing /); any other name is refused.

    \b
    Examples:
      thermosim deck lost-key-account baseline -o talk.pptx --lang nl
      thermosim deck results/lost-key-account results/raise-the-bar -o slides/
      thermosim deck lost-key-account --template company.pptx
    """
    from thermosim.deck import DEFAULT_NAME, SUFFIXES, build_deck
    from thermosim.deck_master import check_template
    from thermosim.outputs import output_file

    target = output_file(output, DEFAULT_NAME, SUFFIXES)  # refused before anything is run
    if template is not None:
        check_template(template)
    folders = [_results_for(source, out, lang, reps) for source in sources]
    written = build_deck(folders, target, lang, template)
    click.echo(f"wrote {written} ({len(folders)} scenario{'' if len(folders) == 1 else 's'})")


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
@guarded
def animate(
    source: str, fmt: str | None, output: str | None, lang: str, stride: int, out: Path
) -> None:
    """Animate revenue against target week by week, shocks appearing as they happen.

    Every frame is the revenue figure (its axes, ticks, bands and shock shading), drawn up to
    the week shown; the last frame states the figure's finding and stays up for a few seconds.
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
