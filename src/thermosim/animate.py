"""The animation: the revenue figure drawn week by week, shocks appearing as they happen.

Owns the frame loop (one frame per week, or per ``stride`` weeks), the two outputs (a GIF
written with Pillow from the frames, no ffmpeg needed; an MP4 piped to ffmpeg where it is
available, on the PATH or from the optional ``video`` extra), the hold on the last frame, and
which of them ``-o`` and ``--format`` ask for (``animation_output``). Every frame is the
revenue-vs-target figure itself (``stage``), so axes, ticks, bands and shock shading are the
figure's; drawn by blitting: what stays is drawn once, each frame reveals the lines, bands and
shading up to its week. The title names the scenario and the week, and states the figure's
finding on the last frame. Pixel sizes are even (video encoders need that).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox, TransformedBbox, blended_transform_factory
from PIL import Image

from thermosim.errors import ThermosimError
from thermosim.figures.data import Shock, Story
from thermosim.figures.labels import week_label
from thermosim.figures.numbers import check_lang
from thermosim.figures.style import slide_style
from thermosim.figures.timeline import draw_revenue_vs_target
from thermosim.outputs import output_file, write_whole
from thermosim.saved import SavedResults, read_results

DPI = 100  # the figure's 12.7 x 5.9 in: 1270 x 590 pixels, both even
FPS = 8
HOLD_LAST_S = 3.0  # the last frame stays up so the room can read it
FORMATS = ("gif", "mp4")
NO_FFMPEG = (
    "MP4 needs ffmpeg, which is not installed: install ffmpeg, or "
    "`pip install 'thermosim[video]'`; a GIF works without it (--format gif)"
)


class AnimationError(ThermosimError):
    """The animation cannot be made as asked (an unknown format, MP4 without ffmpeg)."""

    bad_input = True


def ffmpeg_path() -> str | None:
    """Ffmpeg on the PATH, or the one the optional ``imageio-ffmpeg`` package ships."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def default_name(fmt: str, lang: str) -> str:
    """The animation's file name in a folder: ``animation.<lang>.<format>``."""
    return f"animation.{lang}.{fmt}"


def animation_output(given: str | None, fmt: str | None, lang: str) -> tuple[Path | None, str]:
    """The file ``-o`` names (None: not given) and the format, from ``-o`` and ``--format``.

    Either may be left out: the format follows the file's suffix, and is ``gif`` when neither
    says; a folder gets ``animation.<lang>.<format>``.

    Raises
    ------
    thermosim.outputs.OutputError
        When ``given`` does not end in ``.gif`` or ``.mp4`` and is not a folder.
    AnimationError
        When ``--format`` and the suffix of ``-o`` disagree.
    """
    if given is None:
        return None, fmt or "gif"
    target = output_file(given, default_name(fmt or "gif", lang), [f".{f}" for f in FORMATS])
    suffix = target.suffix.lower().lstrip(".")
    if fmt is not None and suffix != fmt:
        raise AnimationError(
            f"--format {fmt} but -o {given} ends in .{suffix}: leave out --format, or make "
            "them agree"
        )
    return target, suffix


def check_format(fmt: str) -> None:
    """Raise AnimationError when ``fmt`` cannot be written here; nothing is drawn before."""
    if fmt not in FORMATS:
        raise AnimationError(f"unknown animation format {fmt!r}; use gif or mp4")
    if fmt == "mp4" and ffmpeg_path() is None:
        raise AnimationError(NO_FFMPEG)


@dataclass
class Stage:
    """The revenue figure set up for drawing week by week.

    ``figure`` is the stand-alone revenue-vs-target figure itself (its axes, ticks, bands,
    shock shading and labels, legend and footer), drawn at ``DPI``; ``moving`` are the artists
    revealed week by week (clipped at the week shown), ``labels`` the shock labels with the
    week they appear, ``finding`` the figure's title, shown on the last frame.
    """

    figure: Figure
    canvas: Any
    moving: list[Artist]
    labels: list[tuple[float, Artist]]
    title: Text | None
    finding: str
    heading: str
    weeks: int
    background: Any = None

    def frame(self, week: int, lang: str) -> np.ndarray:
        """The RGB frame of ``week`` (1-based; the last week shows the finding)."""
        with slide_style():
            return _draw_week(self, week, week >= self.weeks, lang)


def _week_of(label: Text, shocks: Sequence[Shock], lang: str) -> float:
    """The week a shock label belongs to: the shock it names (nearest, for equal names)."""
    x = float(label.get_position()[0])
    named = [s for s in shocks if s.label(lang) == label.get_text()] or list(shocks)
    return float(min(named, key=lambda s: abs(float(s.week) - x)).week)


def stage(results: SavedResults, lang: str = "en") -> Stage:
    """The revenue figure of ``results``, with what moves split from what stays.

    The figure is ``draw_revenue_vs_target`` unchanged, so every frame has its y limits, ticks,
    bands and shading; only its resolution is the video's.
    """
    check_lang(lang)
    story = Story.of(results)
    fig = draw_revenue_vs_target(results, lang, "full")
    fig.set_dpi(DPI)
    shock_names = {s.label(lang) for s in story.shocks}
    moving: list[Artist] = []
    labels: list[tuple[float, Artist]] = []
    for ax in fig.axes:
        moving += [*ax.lines, *ax.collections, *ax.patches]
        for item in ax.texts:
            if item.get_text() in shock_names:
                labels.append((_week_of(item, story.shocks, lang), item))
    title: Text | None = getattr(fig, "_suptitle", None)  # the finding, as the figure placed it
    for artist in [*moving, *(a for _, a in labels), *([title] if title else [])]:
        artist.set_animated(True)
    return Stage(
        figure=fig,
        canvas=fig.canvas,
        moving=sorted(moving, key=lambda a: a.get_zorder()),
        labels=labels,
        title=title,
        finding=title.get_text() if title is not None else "",
        heading=story.title(lang),
        weeks=story.weeks,
    )


def _draw_week(stage: Stage, week: int, last: bool, lang: str) -> np.ndarray:
    """One frame: the static figure, then what has happened by ``week`` (1-based)."""
    canvas, fig = stage.canvas, stage.figure
    if stage.background is None:
        canvas.draw()  # the layout and everything static, once
        fig.set_layout_engine("none")  # frozen: the frames blit onto this layout
        stage.background = canvas.copy_from_bbox(fig.bbox)
    canvas.restore_region(stage.background)
    # The figure's x is the week index (0 is week 1): show up to this week's index.
    shown = float(week - 1) if not last else float("inf")
    for artist in stage.moving:
        ax = artist.axes
        if ax is None:
            continue
        x0, x1 = ax.get_xlim()
        box = Bbox([[x0, 0.0], [min(shown, x1), 1.0]])
        artist.set_clip_box(
            TransformedBbox(box, blended_transform_factory(ax.transData, ax.transAxes))
        )
        ax.draw_artist(artist)
    for start, artist in stage.labels:
        if start <= shown and artist.axes is not None:
            artist.axes.draw_artist(artist)
    if stage.title is not None:
        # The question while the weeks run, the finding when the run is over.
        words = stage.finding if last else f"{stage.heading} · {week_label(week, lang)}"
        stage.title.set_text(words)
        fig.draw_artist(stage.title)
    canvas.blit(fig.bbox)
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()


def frames(results: SavedResults, lang: str = "en", stride: int = 1) -> Iterator[np.ndarray]:
    """RGB frames (height, width, 3) of the animation, one per ``stride`` weeks.

    Each frame is the revenue-vs-target figure (its axes, ticks, 10-90% bands, shock shading;
    for the thermostat, temperature and heater power) with the lines, bands and shading drawn
    up to the week shown, shock labels appearing in their week; the title names the scenario
    and the week, and on the last frame states the figure's finding.
    """
    shown = stage(results, lang)
    for week in [*range(stride, shown.weeks, stride), shown.weeks]:
        yield shown.frame(week, lang)


def write_gif(pictures: list[np.ndarray], out: Path, fps: int = FPS) -> None:
    """A GIF from RGB frames: one shared palette (from the last, fullest frame), looped."""
    images = [Image.fromarray(p) for p in pictures]
    palette = images[-1].quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    indexed = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    durations = [round(1000 / fps)] * len(indexed)
    durations[-1] = round(1000 * HOLD_LAST_S)
    indexed[0].save(
        out, save_all=True, append_images=indexed[1:], duration=durations, loop=0, optimize=False
    )


def write_mp4(pictures: list[np.ndarray], out: Path, fps: int = FPS) -> None:
    """An H.264 MP4 through ffmpeg (raises AnimationError where ffmpeg is missing)."""
    binary = ffmpeg_path()
    if binary is None:
        raise AnimationError(NO_FFMPEG)
    height, width = pictures[0].shape[:2]
    hold = [pictures[-1]] * round(HOLD_LAST_S * fps)
    command = [
        binary,
        "-y",
        "-loglevel",
        "error",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{width}x{height}",
        "-r",
        str(fps),
        "-i",
        "-",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        str(out),
    ]
    process = subprocess.run(
        command,
        input=b"".join(p.tobytes() for p in [*pictures, *hold]),
        capture_output=True,
        check=False,
    )
    if process.returncode != 0:
        raise ThermosimError(f"ffmpeg failed: {process.stderr.decode(errors='replace')[-300:]}")


def animate(
    results_dir: Path, out: str | Path, fmt: str = "gif", lang: str = "en", stride: int = 1
) -> Path:
    """Write the animation of a results folder and return the file written.

    ``out`` is the file (its suffix must be ``fmt``'s), or a folder (existing, or ending in
    ``/``) to write ``animation.<lang>.<fmt>`` into.

    Raises
    ------
    AnimationError
        For an unknown format, or MP4 without ffmpeg (before anything is read).
    thermosim.outputs.OutputError
        When ``out`` does not fit the format or cannot be written.
    thermosim.saved.DamagedResultsError
        When ``results_dir`` is not a complete, readable results folder.
    """
    check_format(fmt)
    target = output_file(out, default_name(fmt, lang), [f".{fmt}"])
    results = read_results(Path(results_dir))
    pictures = list(frames(results, lang, stride))
    return write_whole(
        target, lambda temporary: (write_gif if fmt == "gif" else write_mp4)(pictures, temporary)
    )
