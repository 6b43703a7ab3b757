"""The PowerPoint deck: a talk built from results folders, one command away.

Owns the order of the talk and ``build_deck``: a title slide with the talk's headline, an agenda
for several scenarios, the control loop, then per scenario the two or three figures that differ
most (``deck_choice``), the one native chart (the first sales scenario), the waterfall of
``explain`` where the folder has one and the scorecard table, and a closing slide on "begin with
insight". Every slide's one title states its finding, computed from the KPIs in the deck's
language; the pictures are the figures drawn without their own title (``deck_pictures``). Slides
are laid out by ``deck_layout`` on a clean 16:9 default or the trainer's ``--template``
(``deck_master``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from thermosim.deck_chart import chart_title, revenue_chart
from thermosim.deck_choice import (
    TALK_ORDER,
    agenda_title,
    headline,
    key_figures,
    scenario_finding,
)
from thermosim.deck_closing import closing
from thermosim.deck_layout import HEADLINE_PT, Canvas, fit_text, notes
from thermosim.deck_master import neutral, open_template
from thermosim.deck_notes import (
    chart_notes,
    figure_notes,
    loop_notes,
    scorecard_notes,
    title_notes,
    waterfall_notes,
)
from thermosim.deck_pictures import Picture, figure_picture, waterfall_picture
from thermosim.deck_table import scorecard_table
from thermosim.deck_text import Para, body_frame, write
from thermosim.deck_words import say
from thermosim.explain import FILE as EXPLAIN_FILE
from thermosim.explain import read_explanation
from thermosim.figures import write_figures
from thermosim.figures.data import Story
from thermosim.figures.numbers import check_lang
from thermosim.figures.render import families_for, figure_path
from thermosim.figures.scorecard import score_finding, score_rows
from thermosim.figures.waterfall import NAME as WATERFALL
from thermosim.figures.waterfall import write_waterfall
from thermosim.outputs import output_file, write_whole
from thermosim.saved import DamagedResultsError, SavedResults, read_results

DEFAULT_NAME = "talk.pptx"  # the file -o gets in a folder (and without -o)
SUFFIXES = (".pptx",)
SUBTITLE_PT = 24.0


def _readable_png(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            picture.verify()
            return picture.format == "PNG"
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        # Pillow reports a broken file through any of these.
        return False


def _ensure_figures(talk: SavedResults, lang: str) -> None:
    """Draw the folder's stand-alone figures where any is missing or not a readable PNG.

    The slides draw their own pictures; the folder keeps the figures the talk was cut from,
    so a trainer finds each slide's figure, with its title, next to the results.
    """
    names = families_for(talk.plant, talk.scenario.shocks)
    if not all(_readable_png(figure_path(talk.path, n, lang, "png")) for n in names):
        write_figures(talk.path, lang=lang, formats=("png",))


class _Waterfall:
    """A folder's ``explain.json`` drawn for a slide, with its notes (checked when read)."""

    def __init__(self, talk: SavedResults, lang: str) -> None:
        self.data = read_explanation(talk.path)
        try:
            self.picture = waterfall_picture(self.data, lang)
            self.notes = waterfall_notes(self.data, lang)
            if not figure_path(talk.path, WATERFALL, lang, "png").is_file():
                write_waterfall(talk.path, lang, ("png",), data=self.data)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            # read_explanation checks only that the file is a JSON object; what the waterfall
            # needs shows here, so a hand-edited or foreign file is bad input, not a crash.
            out = "" if talk.path.parent == Path("results") else f" --out {talk.path.parent}"
            raise DamagedResultsError(
                talk.path / EXPLAIN_FILE,
                f"does not hold what `thermosim explain` writes ({type(exc).__name__}: {exc})",
                f"re-run it: thermosim explain {talk.name}{out}",
            ) from None


class _Talk:
    """The deck being built: the canvas, the language, the scenarios."""

    def __init__(self, canvas: Canvas, stories: Sequence[Story], lang: str) -> None:
        self.canvas, self.stories, self.lang = canvas, stories, lang
        self.several = len(stories) > 1

    def _slide(self, title: str, words: str, story: Story | None = None) -> Any:
        slide = self.canvas.slide(title)
        self.canvas.unused(slide)
        if story is not None:
            self.canvas.kicker(slide, story.title(self.lang))
        if story is not None and self.several:
            words = f"{say('notes.scenario', self.lang, title=story.title(self.lang))} {words}"
        notes(slide, words)
        return slide

    def picture(self, picture: Picture, words: str, story: Story | None) -> None:
        slide = self._slide(picture.finding, words, story)
        self.canvas.picture(slide, picture.png)

    def opening(self, talks: Sequence[SavedResults]) -> None:
        lang = self.lang
        layout = self.canvas.layouts.opening
        slide = self.canvas.slide(headline(self.stories, lang), layout, HEADLINE_PT)
        subtitle = say(
            "deck.subtitle",
            lang,
            question=say("deck.question", lang),
            scenarios=" · ".join(s.title(lang) for s in self.stories),
        )
        shape = next(
            (p for p in slide.placeholders if p.placeholder_format.idx != 0),
            None,
        )
        if shape is None:
            shape = body_frame(self.canvas, slide)
        fit_text(shape, subtitle, SUBTITLE_PT, max_lines=4, bold=False)
        self.canvas.unused(slide)
        notes(slide, title_notes(list(talks), lang))

    def agenda(self) -> None:
        lang = self.lang
        slide = self.canvas.slide(agenda_title(self.stories, lang), self.canvas.layouts.text)
        paras = []
        for story in self.stories:
            paras += [Para(story.title(lang), 0, True), Para(scenario_finding(story, lang), 1)]
        paras.append(Para(say("deck.agenda.close", lang), 0, True))
        write(body_frame(self.canvas, slide), paras)
        self.canvas.unused(slide)
        notes(slide, say("notes.agenda", lang, n=len(self.stories)))

    def scenario(self, story: Story, chart: bool, waterfall: _Waterfall | None) -> None:
        lang, results = self.lang, story.results
        available = [
            n for n in families_for(story.plant, results.scenario.shocks) if n in TALK_ORDER
        ]
        drawn: dict[str, Picture] = {}
        for name in key_figures(story, available):
            drawn[name] = figure_picture(results, name, lang)
            self.picture(drawn[name], figure_notes(results, name, lang), story)
        if chart:
            revenue = drawn.get("revenue-vs-target") or figure_picture(
                results, "revenue-vs-target", lang
            )
            title = chart_title(story, lang)
            slide = self._slide(title, chart_notes(results, lang), story)
            box = self.canvas.body_for(slide)
            revenue_chart(slide, story, lang, box, revenue.figure.axes[0])
        if waterfall is not None:
            self.picture(waterfall.picture, waterfall.notes, story)
        rows = score_rows(story, lang)
        slide = self._slide(
            score_finding(story, rows, lang), scorecard_notes([results], lang), story
        )
        scorecard_table(slide, story, lang, self.canvas.body_for(slide))

    def close(self, explained: Mapping[str, Mapping[str, Any]]) -> None:
        end = closing(self.stories, self.lang, explained)
        slide = self.canvas.slide(end.title, self.canvas.layouts.text)
        write(body_frame(self.canvas, slide), end.paras)
        self.canvas.unused(slide)
        notes(slide, end.notes)


def build_deck(
    folders: Sequence[Path],
    out: str | Path,
    lang: str = "en",
    template: Path | None = None,
) -> Path:
    """Write the deck for the results folders and return the file written.

    ``out`` is the ``.pptx`` file, or a folder (existing, or ending in ``/``) to write
    ``talk.pptx`` into (``outputs.output_file``). ``template`` is a ``.pptx`` whose master,
    layouts and slide size the deck is built on (its own slides are left out); without it the
    deck is a clean 16:9 one. A folder whose stand-alone figures are missing or broken gets them
    drawn.

    Raises
    ------
    thermosim.outputs.OutputError
        When ``out`` is not a ``.pptx`` file or a folder, or cannot be written (checked first).
    thermosim.deck_master.TemplateError
        When ``template`` cannot be read or has no layout with a title.
    thermosim.saved.DamagedResultsError
        When a folder is not a complete, readable results folder, or its ``explain.json`` is not
        what ``thermosim explain`` writes.
    """
    check_lang(lang)
    target = output_file(out, DEFAULT_NAME, SUFFIXES)
    canvas = Canvas(open_template(Path(template)) if template is not None else neutral())
    talks = [read_results(Path(f)) for f in folders]
    waterfalls = {t.name: _Waterfall(t, lang) for t in talks if (t.path / EXPLAIN_FILE).is_file()}
    for results in talks:
        _ensure_figures(results, lang)
    stories = [Story.of(t) for t in talks]
    deck = _Talk(canvas, stories, lang)
    deck.opening(talks)
    if len(stories) > 1:
        deck.agenda()
    loop = figure_picture(talks[0], "control-loop", lang)
    deck.picture(loop, loop_notes(talks[0], lang), stories[0] if len(stories) > 1 else None)
    charted = next((s for s in stories if s.sales), None)
    for story in stories:
        deck.scenario(story, story is charted, waterfalls.get(story.results.name))
    deck.close({name: w.data for name, w in waterfalls.items()})
    return write_whole(target, lambda temporary: canvas.save(temporary))
