"""The animation: revenue against target drawn week by week, shocks appearing as they happen.

Owns the frame loop (one frame per week, or per ``stride`` weeks), the two outputs (a GIF
written with Pillow from the frames, no ffmpeg needed; an MP4 piped to ffmpeg where it is
available, on the PATH or from the optional ``video`` extra) and which of them ``-o`` and
``--format`` ask for (``animation_output``). Frames are drawn by blitting:
the axes, labels and title are drawn once; each frame only redraws the lines and shock shades.
Pixel sizes are even (video encoders need that).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from thermosim.errors import ThermosimError
from thermosim.figures.data import Story
from thermosim.figures.labels import text as label
from thermosim.figures.labels import week_label
from thermosim.figures.numbers import check_lang
from thermosim.figures.style import TARGET_LOOK, slide_style
from thermosim.outputs import output_file, write_whole
from thermosim.saved import SavedResults, read_results

WIDTH_PX, HEIGHT_PX = 1280, 720  # 16:9, even sides
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
        import imageio_ffmpeg  # type: ignore[import-not-found]
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


def frames(results: SavedResults, lang: str = "en", stride: int = 1) -> Iterator[np.ndarray]:
    """RGB frames (height, width, 3) of the animation, one per ``stride`` weeks.

    The lines are what the revenue-vs-target figure shows: per variant the median over
    replications of the 4-week revenue (the thermostat: weekly temperature), and the target.
    """
    check_lang(lang)
    story = Story.of(results)
    metric = "revenue" if story.sales else "temperature"
    kind = "rolling" if story.sales else "weekly"
    curves = {v: story.median(v, metric, kind) for v in story.variants}
    target = story.median(story.variants[0], "target", kind)
    weeks = story.weeks
    x = np.arange(1, weeks + 1)
    scale = 1000.0 if story.sales else 1.0
    everything = np.concatenate([*curves.values(), target]) / scale
    low, high = float(np.nanmin(everything)), float(np.nanmax(everything))
    with slide_style():
        fig = Figure(figsize=(WIDTH_PX / 100, HEIGHT_PX / 100), dpi=100)
        # Agg's blitting methods carry no type hints.
        canvas: Any = FigureCanvasAgg(fig)
        ax = fig.add_axes((0.1, 0.14, 0.87, 0.72))
        ax.set_xlim(1, weeks)
        ax.set_ylim(low - 0.1 * (high - low), high + 0.12 * (high - low))
        ylabel = label("axis.revenue" if story.sales else "axis.temperature", lang)
        ax.set_ylabel(ylabel.replace("\n", " ") + (" (k€)" if story.sales else " (°C)"))
        ax.set_xlabel(label("axis.week", lang))
        fig.suptitle(story.title(lang), fontsize=24)
        lines = {
            v: ax.plot(
                [], [], lw=3.5, label=story.label(v, lang), animated=True, **story.looks[v].line()
            )[0]
            for v in story.variants
        }
        target_line = ax.plot(
            [], [], lw=2.5, label=label("legend.target", lang), animated=True, **TARGET_LOOK.line()
        )[0]
        counter = ax.text(
            0.01, 0.97, "", transform=ax.transAxes, fontsize=18, va="top", animated=True
        )
        ax.legend(loc="lower left", fontsize=16, frameon=False)
        canvas.draw()
        background = canvas.copy_from_bbox(fig.bbox)
        # Each shock appears (shaded, labelled) in the frame of the week it happens.
        marks: list[tuple[float, list[Any]]] = []
        for shock in story.shocks:
            start = shock.week + 1
            end = weeks if shock.end is None else shock.end + 1
            span = ax.axvspan(start, end, color="black", alpha=0.07, animated=True)
            note = ax.text(
                start + 0.5,
                0.97,
                shock.label(lang),
                transform=ax.get_xaxis_transform(),
                fontsize=16,
                va="top",
                animated=True,
            )
            marks.append((start, [span, note]))
        for week in [*range(stride, weeks, stride), weeks]:
            canvas.restore_region(background)
            for start, artists in marks:
                if start <= week:
                    for artist in artists:
                        ax.draw_artist(artist)
            for v, curve in curves.items():
                lines[v].set_data(x[:week], curve[:week] / scale)
                ax.draw_artist(lines[v])
            target_line.set_data(x[:week], target[:week] / scale)
            ax.draw_artist(target_line)
            counter.set_text(week_label(week, lang))
            ax.draw_artist(counter)
            canvas.blit(fig.bbox)
            rgba = np.asarray(canvas.buffer_rgba())
            yield rgba[:, :, :3].copy()


def write_gif(pictures: list[np.ndarray], out: Path, fps: int = FPS) -> None:
    """A GIF from RGB frames: one shared palette (from the last, fullest frame), looped."""
    images = [Image.fromarray(p) for p in pictures]
    palette = images[-1].quantize(colors=64, method=Image.Quantize.MEDIANCUT)
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
