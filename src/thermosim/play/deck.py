"""``thermosim debrief``: a game folder's debrief as slide figures and a deck with notes.

Owns what goes into ``GAME/debrief/``: ``debrief.json`` (every number of the debrief), the three
figures of ``figures.debrief`` (``figures/<name>.<lang>.png``) and ``debrief.<lang>.pptx``: a
title slide, the three figures, and questions for the room, each with speaker notes that tell
the trainer what the numbers say, in English or Dutch. The deck is a plain 16:9 one built with
python-pptx, in the layout of ``thermosim deck``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from thermosim.numbers import check_lang, euros, number, percent
from thermosim.outputs import write_whole
from thermosim.play.debrief import FILE, Debrief, Entry, debrief_folder

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
BODY_TOP, MARGIN = Inches(1.45), Inches(0.4)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY, LAYOUT_TEXT = 0, 5, 1

NOTES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Debrief: {title}",
        "subtitle": "{n} participants · {weeks} weeks · one market, the same luck for everyone",
        "title.notes": "Everyone played the same market: the same leads, deals and shocks, "
        "drawn from the same random numbers. The policies ran on those numbers too, so every "
        "difference you will see comes from decisions, not from luck.",
        "revenue.notes": "Grey: each participant's revenue (4-week average). Coloured: reacting "
        "(vermillion), steering (blue) and doing nothing (green), on the same market. Reacting "
        "earned {reactive}, steering {steered}, doing nothing {nothing}. {ahead} of {n} "
        "participants ended ahead of reacting and {beat} ahead of doing nothing. Ask: who "
        "recognises their own line, and what made it swing?",
        "ranking.notes": "Best operating profit: {top}. Team health (lowest mean fatigue) best: "
        "{healthiest}. The policies ranked: reacting {r_rank}, steering {s_rank}, doing "
        "nothing {o_rank} of {total}. Profit pays for what the team's hours and fatigue cost: "
        "salaries, overtime, fees and discounts.",
        "noise.notes": "Reactions are quick fixes started and overtime raised. The normal weekly "
        "spread of revenue is {sigma} (from the team that did nothing). A reaction answered a "
        "signal only when the report before it was more than {week_limit} below target, the "
        "4-week trend more than {trend_limit} below, or eight reports in a row below target. "
        "{noise} of the room's {total} reactions answered noise. By person: {people}.",
        "questions.title": "Questions for the room",
        "questions": "What did you look at when you decided?\n"
        "Which of your actions answered a real change, and which a bad week?\n"
        "What would you have needed to see to hold course?\n"
        "What did your team pay for your actions: hours, fatigue, margin?",
        "questions.notes": "Let the room answer before showing the policies' numbers again. "
        "The point is not who won, but what a weekly number can and cannot tell.",
    },
    "nl": {
        "title": "Nabespreking: {title}",
        "subtitle": "{n} deelnemers · {weeks} weken · één markt, voor iedereen hetzelfde geluk",
        "title.notes": "Iedereen speelde dezelfde markt: dezelfde leads, deals en schokken, uit "
        "dezelfde toevalsgetallen. Het beleid draaide op die getallen mee, dus elk verschil "
        "dat je ziet komt uit besluiten, niet uit geluk.",
        "revenue.notes": "Grijs: de omzet van elke deelnemer (gemiddelde over 4 weken). In "
        "kleur: reageren (vermiljoen), sturen (blauw) en niets doen (groen), in dezelfde markt. "
        "Reageren verdiende {reactive}, sturen {steered}, niets doen {nothing}. {ahead} van "
        "{n} deelnemers eindigden voor op reageren en {beat} voor op niets doen. Vraag: wie "
        "herkent zijn eigen lijn, en waardoor schommelde die?",
        "ranking.notes": "Hoogste bedrijfsresultaat: {top}. Gezondste team (laagste "
        "vermoeidheid): {healthiest}. Het beleid: reageren {r_rank}, sturen {s_rank}, niets "
        "doen {o_rank} van {total}. Het resultaat betaalt wat de uren en de vermoeidheid van "
        "het team kosten: salarissen, overwerk, kosten en kortingen.",
        "noise.notes": "Reacties zijn gestarte pleisters en meer overwerk. De gewone spreiding "
        "van de weekomzet is {sigma} (van het team dat niets deed). Een reactie volgde alleen "
        "op een signaal als het rapport ervoor meer dan {week_limit} onder target lag, de trend "
        "over 4 weken meer dan {trend_limit}, of acht rapporten op rij onder target. {noise} "
        "van de {total} reacties in de zaal was reageren op ruis. Per persoon: {people}.",
        "questions.title": "Vragen aan de zaal",
        "questions": "Waar keek je naar toen je besloot?\n"
        "Welke acties waren een antwoord op een echte verandering, en welke op een slechte "
        "week?\n"
        "Wat had je moeten zien om koers te houden?\n"
        "Wat betaalde je team voor je acties: uren, vermoeidheid, marge?",
        "questions.notes": "Laat de zaal eerst antwoorden voor je de cijfers van het beleid "
        "weer laat zien. Het gaat niet om wie won, maar om wat een weekcijfer wel en niet "
        "vertelt.",
    },
}


def _say(key: str, lang: str, **fields: Any) -> str:
    template = NOTES[lang][key]
    return template.format(**fields) if fields else template


def _title(debrief: Debrief, lang: str) -> str:
    return (debrief.title_nl if lang == "nl" else "") or debrief.title_en or debrief.scenario


def _name(entry: Entry, lang: str) -> str:
    from thermosim.figures.debrief import label

    return label(entry, lang)


def notes(debrief: Debrief, lang: str) -> dict[str, str]:
    """The speaker notes of the deck's slides, by figure name (and ``title``, ``questions``)."""
    from thermosim.play.debrief import TREND_LIMIT_SIGMA, WEEK_LIMIT_SIGMA

    people = debrief.participants
    everyone = debrief.entries
    reactive, steered = debrief.policy("reactive"), debrief.policy("steered")
    nothing = debrief.policy("open-loop")

    def profit(e: Entry) -> float:
        return e.kpis["operating_profit"]

    total = sum(p.reactions for p in people)
    noise = sum(p.on_noise for p in people)
    healthiest = min(everyone, key=lambda e: e.health_rank)
    by_person = "; ".join(f"{p.name} {p.on_noise}/{p.reactions}" for p in people) or "-"
    return {
        "title": _say("title.notes", lang),
        "debrief-revenue": _say(
            "revenue.notes",
            lang,
            reactive=euros(profit(reactive), lang),
            steered=euros(profit(steered), lang),
            nothing=euros(profit(nothing), lang),
            ahead=sum(1 for p in people if profit(p) > profit(reactive)),
            beat=sum(1 for p in people if profit(p) > profit(nothing)),
            n=len(people),
        ),
        "debrief-ranking": _say(
            "ranking.notes",
            lang,
            top=f"{_name(everyone[0], lang)} ({euros(profit(everyone[0]), lang)})",
            healthiest=_name(healthiest, lang),
            r_rank=reactive.profit_rank,
            s_rank=steered.profit_rank,
            o_rank=nothing.profit_rank,
            total=len(everyone),
        ),
        "debrief-noise": _say(
            "noise.notes",
            lang,
            sigma=euros(debrief.sigma_eur, lang),
            week_limit=euros(WEEK_LIMIT_SIGMA * debrief.sigma_eur, lang),
            trend_limit=euros(TREND_LIMIT_SIGMA * debrief.sigma_eur, lang),
            noise=percent(noise / total, lang) if total else number(0, lang),
            total=total,
            people=by_person,
        ),
        "questions": _say("questions.notes", lang),
    }


def build_deck(debrief: Debrief, figures: dict[str, Path], lang: str, target: Path) -> Path:
    """Write the deck to ``target``: title, the figures (as pictures), questions."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    said = notes(debrief, lang)
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    _fit(slide)
    slide.shapes.title.text = _say("title", lang, title=_title(debrief, lang))
    slide.placeholders[1].text = _say(
        "subtitle", lang, n=len(debrief.participants), weeks=debrief.weeks
    )
    _notes(slide, said["title"])
    for name, image in figures.items():
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        _fit(slide)
        slide.shapes.title.text = _say("title", lang, title=_title(debrief, lang))
        for paragraph in slide.shapes.title.text_frame.paragraphs:
            paragraph.font.size = Pt(28)
        _picture(slide, image)
        _notes(slide, said[name])
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TEXT])
    _fit(slide)
    slide.shapes.title.text = _say("questions.title", lang)
    slide.placeholders[1].text = _say("questions", lang)
    _notes(slide, said["questions"])
    return write_whole(target, lambda path: prs.save(str(path)))


def _fit(slide: Any) -> None:
    """Stretch the 4:3 template's placeholders across the 16:9 slide."""
    scale = SLIDE_WIDTH / Inches(10)
    for shape in slide.placeholders:
        if None in (shape.left, shape.top, shape.width, shape.height):
            continue
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        shape.left, shape.width = Emu(int(left * scale)), Emu(int(width * scale))
        shape.top, shape.height = Emu(int(top)), Emu(int(height))


def _picture(slide: Any, image: Path) -> None:
    """The figure in the body area, as large as fits, centred."""
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(image) as picture:
        width_px, height_px = picture.size
    box_w, box_h = SLIDE_WIDTH - 2 * MARGIN, SLIDE_HEIGHT - BODY_TOP - MARGIN
    scale = min(box_w / width_px, box_h / height_px)
    width, height = int(width_px * scale), int(height_px * scale)
    left, top = int((SLIDE_WIDTH - width) / 2), int(BODY_TOP + (box_h - height) / 2)
    slide.shapes.add_picture(str(image), Emu(left), Emu(top), Emu(width), Emu(height))


def _notes(slide: Any, words: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    if frame is not None:
        frame.text = words


def write_debrief(game: Path, lang: str = "en") -> list[Path]:
    """Write ``game``'s debrief into ``game/debrief/``; the files written."""
    from thermosim.figures.debrief import write_debrief_figures

    check_lang(lang)
    debrief = debrief_folder(game)
    folder = game / "debrief"
    data = json.dumps(debrief.to_json(), indent=1, ensure_ascii=False)
    written = [write_whole(folder / FILE, lambda path: path.write_text(data, encoding="utf-8"))]
    drawn = write_debrief_figures(debrief, folder / "figures", lang)
    written += drawn
    figures = {path.name.split(".")[0]: path for path in drawn}
    written.append(build_deck(debrief, figures, lang, folder / f"debrief.{lang}.pptx"))
    return written
