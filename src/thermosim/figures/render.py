"""Which figures a results folder gets, and writing them to ``<results>/figures/``.

Owns the stable figure names (``FIGURES``), which families apply to which plant
(``families_for``), the draw function of each family (``DRAW``), ``write_figures`` (every
figure in every asked format), ``draw_untitled`` and ``without_title`` (a figure for a slide
whose own title states the finding: drawn without one, nothing written) and
``replace_figures``, through which every figure is written: into a hidden staging folder,
swapped in as a whole set only when all succeeded, so a failure or a stop leaves the previous
figures as they were, and no write goes through a symbolic link. File names:
``<name>.<lang>.<format>`` for full-slide figures and ``<name>.half.<lang>.<format>`` for
half-slide ones, so both languages and both sizes live side by side
(``revenue-vs-target.nl.png``, ``scorecard.half.en.pdf``).
"""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from thermosim.atomic import discard, staging_name, swap_in
from thermosim.config.shocks import Shock as ShockSpec
from thermosim.errors import ResultsError
from thermosim.figures.labels import check_lang
from thermosim.figures.loop import draw_control_loop
from thermosim.figures.scorecard import draw_scorecard
from thermosim.figures.style import DPI, SIZES, TITLE_TAKEN, check_size, slide_style
from thermosim.figures.team import draw_firefighting, draw_team_health, draw_time_allocation
from thermosim.figures.timeline import draw_cumulative_gap, draw_recovery, draw_revenue_vs_target
from thermosim.plant.registry import plant_spec
from thermosim.saved import SavedResults, read_results
from thermosim.workers import Workers

FIGURES: tuple[str, ...] = (
    "revenue-vs-target",
    "cumulative-gap",
    "firefighting",
    "team-health",
    "time-allocation",
    "scorecard",
    "control-loop",
    "recovery",
)
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
# A spawned worker's start (Python, then matplotlib and the results) costs about as much as
# drawing this many figures: measured 1.5 s against 0.54 s a figure (median of 7) on 2 cores.
COLD_START_FIGURES = 3

DrawFunction = Callable[[SavedResults, str, str], Figure]
DRAW: Mapping[str, DrawFunction] = {
    "revenue-vs-target": draw_revenue_vs_target,
    "cumulative-gap": draw_cumulative_gap,
    "firefighting": draw_firefighting,
    "team-health": draw_team_health,
    "time-allocation": draw_time_allocation,
    "scorecard": draw_scorecard,
    "control-loop": draw_control_loop,
    "recovery": draw_recovery,
}


def families_for(plant_kind: str, shocks: Iterable[ShockSpec] | None = None) -> tuple[str, ...]:
    """The figure families that mean something for a plant, in ``FIGURES`` order.

    The plant's spec says which (``PlantSpec.figure_families``): the thermostat has no revenue,
    people or hours, so it gets ``revenue-vs-target`` (temperature against the set point, with
    heater power), ``scorecard``, ``control-loop`` and ``recovery``. Given the scenario's
    ``shocks``, ``recovery`` is left out when no shock has a recovery time (none, or only
    seasonality). An unknown kind is a ValueError naming it.
    """
    # None: every family the figures draw means something for the plant.
    offered = plant_spec(plant_kind).figure_families
    names = [f for f in FIGURES if offered is None or f in offered]
    if shocks is not None and not any(s.kind != "seasonality" for s in shocks):
        names.remove("recovery")
    return tuple(names)


def figure_path(results_dir: Path, name: str, lang: str, fmt: str, size: str = "full") -> Path:
    """Where ``write_figures`` puts one figure."""
    middle = "" if size == "full" else f".{size}"
    return Path(results_dir) / "figures" / f"{name}{middle}.{lang}.{fmt}"


def save(fig: Figure, path: Path, fmt: str) -> None:
    """Save one figure atomically: to a hidden temporary name, then renamed into place."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    # No timestamps in PDF or SVG: the same results give the same files.
    metadata: dict[str, Any] = {"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[
        fmt
    ]
    try:
        with slide_style():
            fig.savefig(temporary, format=fmt, dpi=DPI, metadata=metadata)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_figures(
    results_dir: Path,
    lang: str = "en",
    formats: Sequence[str] = ("png",),
    size: str = "full",
    workers: int = 1,
) -> list[Path]:
    """Draw every figure that applies to a results folder and write it in every format.

    Parameters
    ----------
    results_dir
        A folder written by ``results.write_results``.
    lang
        ``en`` or ``nl``.
    formats
        Any of ``png`` (200 dpi), ``svg`` (text as paths) and ``pdf`` (fonts embedded).
    size
        ``full`` (12.7 x 5.9 in, the body of a 16:9 slide) or ``half`` (6.2 x 5.9 in).
    workers
        Processes drawing at once: this one draws its share while ``workers - 1`` spawn
        workers draw theirs (the same files, byte for byte, for any number).

    Returns
    -------
    list of Path
        The files written, figure by figure in ``FIGURES`` order, formats in the order given.

    Raises
    ------
    ValueError
        For an unknown language, size or format (before anything is drawn).
    thermosim.errors.ResultsError
        When the folder is not a complete results folder (``DamagedResultsError``), its
        ``figures`` is a symbolic link, or the figures cannot be written; the previous figures
        are then as they were.
    """
    check_lang(lang)
    check_size(size)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(
            f"unknown figure format {', '.join(unknown) or '(none)'}; use {', '.join(FORMATS)}"
        )
    results = read_results(Path(results_dir))
    names = [n for n in families_for(results.plant, results.scenario.shocks) if n in DRAW]

    chosen = tuple(dict.fromkeys(formats))
    parts = split_figures(names, workers)

    def draw(staging: Path) -> list[str]:
        drawn: dict[str, list[str]] = {}
        if len(parts) == 1:
            drawn.update(_draw_names(results, staging, names, lang, chosen, size))
        else:
            # Worker k draws part k + 1; this process, already warm, draws part 0 meanwhile.
            job = functools.partial(
                _draw_share, Path(results_dir), staging, parts, lang, chosen, size
            )
            with Workers(job, len(parts) - 1) as pool:
                pool.start(len(parts) - 1)
                drawn.update(_draw_names(results, staging, parts[0], lang, chosen, size))
                pool.finish(lambda _index, files: drawn.update(files))
        return [file for name in names for file in drawn[name]]

    return replace_figures(Path(results_dir), draw)


def _draw_names(
    results: SavedResults,
    staging: Path,
    names: Sequence[str],
    lang: str,
    formats: Sequence[str],
    size: str,
) -> dict[str, list[str]]:
    """Draw ``names`` into ``staging``; the files of each, in ``formats`` order."""
    drawn: dict[str, list[str]] = {}
    for name in names:
        fig = DRAW[name](results, lang, size)
        drawn[name] = []
        for fmt in formats:
            file = figure_path(Path(), name, lang, fmt, size).name
            save(fig, staging / file, fmt)
            drawn[name].append(file)
    return drawn


def split_figures(names: Sequence[str], workers: int) -> tuple[tuple[str, ...], ...]:
    """The figures each process draws: this one's part first, then one part per worker.

    A spawned worker starts cold: starting Python and importing matplotlib costs about what
    drawing ``COLD_START_FIGURES`` figures does, while this process has them imported already.
    So a worker is started only when it has more than that to draw, and this process takes
    that many more figures than each worker (the parts then end at about the same time).
    Which process draws a figure does not change its file.
    """
    n = len(names)
    cold = COLD_START_FIGURES
    count = max(1, min(workers, (n + cold) // (cold + 1)))
    if count == 1:
        return (tuple(names),)
    own = min(n - (count - 1), -(-(n + cold * (count - 1)) // count))  # ceil, a figure each
    rest = tuple(names[own:])
    return (tuple(names[:own]), *(rest[k :: count - 1] for k in range(count - 1)))


def _draw_share(
    results_dir: Path,
    staging: Path,
    parts: tuple[tuple[str, ...], ...],
    lang: str,
    formats: tuple[str, ...],
    size: str,
    worker: int,
) -> dict[str, list[str]]:
    """In a worker process: read the results and draw part ``worker + 1`` of ``parts``."""
    results = read_results(results_dir)
    return _draw_names(results, staging, parts[worker + 1], lang, formats, size)


@dataclass(frozen=True)
class Untitled:
    """A figure drawn without its title, and the finding that title would have stated."""

    figure: Figure
    title: str


def without_title(draw: Callable[[], Figure]) -> Untitled:
    """Call ``draw`` (any figure function) with the figure's title left out.

    The legend row and the axes move up into the title's place; everything else is drawn as in
    the stand-alone figure. Returns the figure and the title (the finding) it would have had,
    ``""`` when the figure has none.
    """
    titles: list[str] = []
    token = TITLE_TAKEN.set(titles)
    try:
        fig = draw()
    finally:
        TITLE_TAKEN.reset(token)
    return Untitled(fig, titles[-1] if titles else "")


def draw_untitled(results: SavedResults, name: str, lang: str = "en") -> Untitled:
    """One full-slide figure without its title, and the finding its title would state.

    For a slide that carries the finding as its own title (the deck): the picture is the
    stand-alone figure with the legend row moved up into the title's place. Nothing is written.

    Raises
    ------
    KeyError
        For a name that is not a figure family (``FIGURES``).
    ValueError
        For an unknown language, or a family that does not apply to the results' plant.
    """
    check_lang(lang)
    draw = DRAW[name]
    return without_title(lambda: draw(results, lang, "full"))


def _carry(old: Path, new: Path, drawn: set[str]) -> None:
    """Bring what ``old`` holds besides the newly drawn files into ``new``, unchanged.

    Hard links where the file system allows (no copying; a figure is only ever replaced, never
    written in place, so sharing one is safe), copies elsewhere; a link stays a link.
    """
    for entry in old.iterdir():
        if entry.name in drawn or (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue  # replaced, or a temporary of an older, interrupted save
        copy = new / entry.name
        if entry.is_symlink():
            shutil.copy2(entry, copy, follow_symlinks=False)
        elif entry.is_dir():
            shutil.copytree(entry, copy, symlinks=True)
        else:
            try:
                os.link(entry, copy)
            except OSError:
                shutil.copy2(entry, copy)


def replace_figures(results_dir: Path, draw: Callable[[Path], Sequence[str]]) -> list[Path]:
    """Swap in a new ``figures/`` folder: what ``draw`` writes, plus the old folder's other files.

    ``draw`` writes its files into the fresh hidden staging folder it is given and returns
    their names; the files it did not write (the other language or size, the waterfall) are
    carried over. Only when all are there is the set swapped in (``atomic.swap_in``: locked,
    with rollback), so a failure or a stop at any point leaves the previous figures as they
    were. A link in place of a figure is replaced by the new file; ``figures`` itself being a
    link is refused, as replacing it would quietly cut off what it leads to.

    Returns
    -------
    list of Path
        The files ``draw`` wrote, in its order, under ``results_dir/figures``.

    Raises
    ------
    thermosim.errors.ResultsError
        When ``figures`` is a symbolic link or not a folder (bad input), or the figures cannot
        be written (the previous ones are untouched).
    """
    folder = results_dir / "figures"
    if folder.is_symlink():
        raise ResultsError(
            f"{folder} is a symbolic link (to {os.readlink(folder)}); thermosim does not write "
            "through links: remove the link and draw again",
            bad_input=True,
        )
    if folder.exists() and not folder.is_dir():
        raise ResultsError(f"{folder} exists and is not a folder: move it away", bad_input=True)
    staging = staging_name(folder, "partial")
    try:
        staging.mkdir()
        files = list(draw(staging))
        if folder.is_dir():
            _carry(folder, staging, set(files))
        swap_in(staging, folder)
    except ResultsError:
        discard(staging)
        raise
    except OSError as exc:
        discard(staging)
        kept = "; the previous figures are untouched" if folder.exists() else ""
        raise ResultsError(
            f"could not write the figures to {folder}: {exc.strerror or exc}{kept}"
        ) from None
    except BaseException:
        discard(staging)
        raise
    return [folder / file for file in files]


__all__ = [
    "DRAW",
    "FIGURES",
    "FORMATS",
    "SIZES",
    "Untitled",
    "draw_untitled",
    "families_for",
    "figure_path",
    "replace_figures",
    "without_title",
    "write_figures",
]
