"""Every word the workshop pages show, in English and Dutch, and the numbers that go with them.

Owns the pages' catalogue (``WORDS``: the same keys and ``{placeholders}`` in both languages),
the names and one-line descriptions of the levers as a manager reads them, the news sentences
of the shocks, and whole euro amounts per language (€ 108.500 in Dutch, €108,500 in English;
the rest of the number formats are ``thermosim.numbers``').
Dutch follows the article thermosim is built from: brandjes blussen, de waan van de dag.
"""

from __future__ import annotations

from typing import Any

from thermosim import numbers
from thermosim.numbers import MINUS, number
from thermosim.play.report import News

LANGS = ("en", "nl")
FACTOR_NEWS = ("lead_rate", "win_rate", "deal_size", "target_change")

EN: dict[str, str] = {
    "app": "thermosim workshop",
    "lang.other": "Nederlands",
    "join.title": "Join the game",
    "join.lead": "You are the sales manager. Each round you read the weekly report and decide.",
    "join.code": "Game code",
    "join.name": "Your name (shown to the trainer)",
    "join.lang": "Language",
    "join.button": "Join",
    "lobby.title": "You're in, {name}",
    "lobby.wait": "Waiting for the trainer to start the game. This page refreshes by itself.",
    "round.title": "Round {round} of {rounds} · week {week}",
    "report.title": "This week's report",
    "report.none": "No report yet: the first weekly figures arrive next week.",
    "report.number": "Revenue in the report ({week})",
    "before": "before the game",
    "report.target": "Target per week",
    "report.vs": "{pct} of target",
    "report.trend": "4-week trend",
    "report.chart": "Weekly reports (line) against the target (dashes)",
    "team.title": "Your team last week",
    "team.pipeline": "Pipeline",
    "team.opportunities": "Open opportunities",
    "chart.week": "week {week}",
    "team.people": "Salespeople",
    "team.hours": "Hours worked",
    "team.selling": "Selling",
    "team.firefighting": "Firefighting",
    "team.admin": "Admin & reporting",
    "team.fatigue": "Fatigue",
    "team.motivation": "Motivation",
    "news.title": "News",
    "course.title": "Your course now",
    "course.nothing": "Nothing set: the team works as usual.",
    "course.overtime": "Overtime asked",
    "decide.title": "Your decision for this round",
    "decide.fixes": "Quick fixes (start now, fade out)",
    "decide.lasting": "Lasting levers (held until you change them)",
    "decide.overtime": "Overtime (held until you change it)",
    "decide.intensity": "intensity",
    "decide.button": "Decide",
    "decide.hold": "Hold course",
    "decide.hold_hint": "Hold course changes nothing: no new fix, levers and overtime stay.",
    "waiting.title": "Decision recorded",
    "waiting.text": "Your decision for round {round} is in. Waiting for the trainer to open "
    "the next round. This page refreshes by itself.",
    "last.title": "You decided",
    "last.hold": "Hold course",
    "over.title": "Game over",
    "over.text": "Thank you, {name}. The trainer shows the debrief: how your team did beside "
    "reacting, steering and doing nothing, on the same market.",
    "over.attained": "Your reports over the game averaged {pct} of target.",
    "error.title": "That did not work",
    "trainer.title": "Trainer",
    "trainer.code": "Trainer code",
    "trainer.login": "Open the trainer page",
    "trainer.join": "Join at",
    "trainer.game_code": "Game code",
    "trainer.phase.lobby": "Waiting to start · {n} joined",
    "trainer.phase.playing": "Round {round} of {rounds} open · {decided} of {n} decided",
    "trainer.phase.self_paced": "Self-paced · {n} playing",
    "trainer.phase.finished": "Game over",
    "trainer.start": "Start the game",
    "trainer.next": "Close round and open the next",
    "trainer.last": "Close the last round",
    "trainer.self_paced.on": "Let everyone play at their own pace",
    "trainer.self_paced.off": "Back to rounds I open",
    "trainer.finish": "End the game (the rest hold course)",
    "trainer.debrief": "Show the debrief",
    "trainer.people": "Participants",
    "trainer.nobody": "Nobody has joined yet.",
    "trainer.round_of": "round {round}",
    "trainer.decided": "decided",
    "trainer.deciding": "deciding",
    "trainer.done": "done",
    "trainer.confirm_finish": "End the game now?",
    "debrief.title": "Debrief: {title}",
    "debrief.chart": "Revenue per week (4-week average) against the target",
    "debrief.rank": "Ranking",
    "debrief.col.rank": "#",
    "debrief.col.name": "Who",
    "debrief.col.profit": "Operating profit",
    "debrief.col.attainment": "Of target",
    "debrief.col.fatigue": "Fatigue",
    "debrief.col.leavers": "Left",
    "debrief.col.health": "Health #",
    "debrief.col.actions": "Reactions",
    "debrief.col.invest": "Lasting raised",
    "debrief.col.noise": "on noise",
    "debrief.col.signal": "on a signal",
    "debrief.noise_rule": "Reactions are quick fixes started and overtime raised. The normal "
    "weekly spread is {sigma} (one standard deviation, from the team that does nothing, on the "
    "same market). A reaction answered a signal when the report before it was more than "
    "{week_limit} below target, the 4-week trend more than {trend_limit} below, or the last 8 "
    "reports all below target; anything else answered noise.",
    "debrief.you": "participant",
    "policy.reactive": "Reacting (policy)",
    "policy.steered": "Steering (policy)",
    "policy.open-loop": "Doing nothing (policy)",
    "target": "Target",
    "lever.call_blitz": "Call blitz",
    "lever.extra_reporting": "Extra reporting",
    "lever.training_day": "Training day",
    "lever.urgent_meeting": "Urgent meeting",
    "lever.discount_push": "Discount push",
    "lever.cut_improvement": "Cut improvement time",
    "lever.coaching": "Coaching",
    "lever.pipeline_discipline": "Pipeline discipline",
    "lever.account_care": "Account care",
    "lever.capacity_planning": "Capacity planning",
    "about.call_blitz": "More calls now: more leads, weaker ones; follow-ups wait; tiring.",
    "about.extra_reporting": "Weekly status reports: stalled deals seen; admin hours stick.",
    "about.training_day": "A day out of selling: a skill bump that fades within weeks.",
    "about.urgent_meeting": "All hands on closing: deals pushed, hours lost, tiring.",
    "about.discount_push": "Wins now, lower margin; customers learn to wait for discounts.",
    "about.cut_improvement": "Improvement time spent selling: more now, less capability later.",
    "about.coaching": "Protected coaching hours: costs time now, lasting skill later.",
    "about.pipeline_discipline": "Qualify harder: fewer, better deals; no wins from nothing.",
    "about.account_care": "Hours for existing customers: satisfaction, repeat orders.",
    "about.capacity_planning": "At 100%: hire when short of people (slow, paid from day one).",
    "news.lost_account": "A key account has left us.",
    "news.lost_account.many": "{count} key accounts have left us.",
    "news.people_leave": "{count} salespeople have handed in their notice.",
    "news.people_leave.one": "A salesperson has handed in their notice.",
    "news.lead_rate.down": "The market is slowing down: fewer leads are coming in.",
    "news.lead_rate.up": "The market is picking up: more leads are coming in.",
    "news.win_rate.down": "A competitor has entered the market: deals are harder to win.",
    "news.win_rate.up": "A competitor has left the market: deals are easier to win.",
    "news.deal_size.down": "Price pressure: customers are buying smaller.",
    "news.deal_size.up": "Customers are buying bigger.",
    "news.target_change.up": "Management has raised the target.",
    "news.target_change.down": "Management has lowered the target.",
    "news.other": "Something has changed in the market.",
}

NL: dict[str, str] = {
    "app": "thermosim workshop",
    "lang.other": "English",
    "join.title": "Doe mee",
    "join.lead": "Jij bent de salesmanager. Elke ronde lees je het weekrapport en beslis je.",
    "join.code": "Spelcode",
    "join.name": "Je naam (de trainer ziet die)",
    "join.lang": "Taal",
    "join.button": "Meedoen",
    "lobby.title": "Je doet mee, {name}",
    "lobby.wait": "Wachten tot de trainer het spel start. Deze pagina ververst vanzelf.",
    "round.title": "Ronde {round} van {rounds} · week {week}",
    "report.title": "Het weekrapport",
    "report.none": "Nog geen rapport: de eerste weekcijfers komen volgende week.",
    "report.number": "Omzet in het rapport ({week})",
    "before": "voor het spel",
    "report.target": "Target per week",
    "report.vs": "{pct} van target",
    "report.trend": "Trend over 4 weken",
    "report.chart": "Weekrapporten (lijn) tegenover het target (streepjes)",
    "team.title": "Je team vorige week",
    "team.pipeline": "Pijplijn",
    "team.opportunities": "Open kansen",
    "chart.week": "week {week}",
    "team.people": "Verkopers",
    "team.hours": "Gewerkte uren",
    "team.selling": "Verkopen",
    "team.firefighting": "Brandjes blussen",
    "team.admin": "Administratie & rapportage",
    "team.fatigue": "Vermoeidheid",
    "team.motivation": "Motivatie",
    "news.title": "Nieuws",
    "course.title": "Je koers nu",
    "course.nothing": "Niets ingesteld: het team werkt zoals altijd.",
    "course.overtime": "Gevraagd overwerk",
    "decide.title": "Je besluit voor deze ronde",
    "decide.fixes": "Snelle pleisters (nu, ebben weg)",
    "decide.lasting": "Blijvende hefbomen (blijven staan tot je ze verandert)",
    "decide.overtime": "Overwerk (blijft staan tot je het verandert)",
    "decide.intensity": "sterkte",
    "decide.button": "Besluiten",
    "decide.hold": "Koers houden",
    "decide.hold_hint": "Koers houden verandert niets: geen nieuwe pleister, hefbomen en "
    "overwerk blijven staan.",
    "waiting.title": "Besluit genoteerd",
    "waiting.text": "Je besluit voor ronde {round} is binnen. Wachten tot de trainer de "
    "volgende ronde opent. Deze pagina ververst vanzelf.",
    "last.title": "Je besloot",
    "last.hold": "Koers houden",
    "over.title": "Einde spel",
    "over.text": "Dank je, {name}. De trainer laat de nabespreking zien: hoe jouw team het deed "
    "naast reageren, sturen en niets doen, in dezelfde markt.",
    "over.attained": "Je rapporten kwamen gemiddeld uit op {pct} van target.",
    "error.title": "Dat lukte niet",
    "trainer.title": "Trainer",
    "trainer.code": "Trainerscode",
    "trainer.login": "Open de trainerspagina",
    "trainer.join": "Meedoen via",
    "trainer.game_code": "Spelcode",
    "trainer.phase.lobby": "Wachten op de start · {n} deelnemers",
    "trainer.phase.playing": "Ronde {round} van {rounds} open · {decided} van {n} besloten",
    "trainer.phase.self_paced": "Eigen tempo · {n} spelers",
    "trainer.phase.finished": "Einde spel",
    "trainer.start": "Start het spel",
    "trainer.next": "Sluit de ronde en open de volgende",
    "trainer.last": "Sluit de laatste ronde",
    "trainer.self_paced.on": "Laat iedereen in eigen tempo spelen",
    "trainer.self_paced.off": "Terug naar rondes die ik open",
    "trainer.finish": "Beëindig het spel (de rest houdt koers)",
    "trainer.debrief": "Toon de nabespreking",
    "trainer.people": "Deelnemers",
    "trainer.nobody": "Nog niemand doet mee.",
    "trainer.round_of": "ronde {round}",
    "trainer.decided": "besloten",
    "trainer.deciding": "beslist nog",
    "trainer.done": "klaar",
    "trainer.confirm_finish": "Het spel nu beëindigen?",
    "debrief.title": "Nabespreking: {title}",
    "debrief.chart": "Omzet per week (gemiddelde over 4 weken) tegenover het target",
    "debrief.rank": "Ranglijst",
    "debrief.col.rank": "#",
    "debrief.col.name": "Wie",
    "debrief.col.profit": "Bedrijfsresultaat",
    "debrief.col.attainment": "Van target",
    "debrief.col.fatigue": "Vermoeidheid",
    "debrief.col.leavers": "Vertrokken",
    "debrief.col.health": "Gezondheid #",
    "debrief.col.actions": "Reacties",
    "debrief.col.invest": "Blijvend omhoog",
    "debrief.col.noise": "op ruis",
    "debrief.col.signal": "op een signaal",
    "debrief.noise_rule": "Reacties zijn gestarte pleisters en meer overwerk. De gewone "
    "spreiding per week is {sigma} (één standaardafwijking, van het team dat niets doet, in "
    "dezelfde markt). Een reactie volgde op een signaal als het rapport ervoor meer dan "
    "{week_limit} onder target lag, de trend over 4 weken meer dan {trend_limit}, of de laatste "
    "8 rapporten allemaal onder target; al het andere was reageren op ruis.",
    "debrief.you": "deelnemer",
    "policy.reactive": "Reageren (beleid)",
    "policy.steered": "Sturen (beleid)",
    "policy.open-loop": "Niets doen (beleid)",
    "target": "Target",
    "lever.call_blitz": "Belactie",
    "lever.extra_reporting": "Extra rapportage",
    "lever.training_day": "Trainingsdag",
    "lever.urgent_meeting": "Spoedoverleg",
    "lever.discount_push": "Kortingsactie",
    "lever.cut_improvement": "Verbetertijd schrappen",
    "lever.coaching": "Coaching",
    "lever.pipeline_discipline": "Pijplijndiscipline",
    "lever.account_care": "Klantzorg",
    "lever.capacity_planning": "Capaciteitsplanning",
    "about.call_blitz": "Nu meer bellen: meer leads, zwakkere; opvolging wacht; vermoeiend.",
    "about.extra_reporting": "Wekelijkse statusrapporten: vastgelopen deals in beeld; "
    "administratie blijft plakken.",
    "about.training_day": "Een dag niet verkopen: een kennisbump die binnen weken wegebt.",
    "about.urgent_meeting": "Iedereen op afsluiten: deals naar voren, uren kwijt, vermoeiend.",
    "about.discount_push": "Nu winnen, lagere marge; klanten leren op korting te wachten.",
    "about.cut_improvement": "Verbetertijd naar verkopen: nu meer, later minder vermogen.",
    "about.coaching": "Beschermde coachingsuren: kost nu tijd, levert blijvend vakmanschap.",
    "about.pipeline_discipline": "Strenger kwalificeren: minder, betere deals; geen winst uit "
    "niets.",
    "about.account_care": "Uren voor bestaande klanten: tevredenheid, herhaalorders.",
    "about.capacity_planning": "Op 100%: aannemen bij een tekort aan mensen (traag, betaald "
    "vanaf dag één).",
    "news.lost_account": "Een sleutelklant is vertrokken.",
    "news.lost_account.many": "{count} sleutelklanten zijn vertrokken.",
    "news.people_leave": "{count} verkopers hebben hun ontslag ingediend.",
    "news.people_leave.one": "Een verkoper heeft ontslag genomen.",
    "news.lead_rate.down": "De markt koelt af: er komen minder leads binnen.",
    "news.lead_rate.up": "De markt trekt aan: er komen meer leads binnen.",
    "news.win_rate.down": "Er is een concurrent bijgekomen: deals zijn moeilijker te winnen.",
    "news.win_rate.up": "Een concurrent is vertrokken: deals zijn makkelijker te winnen.",
    "news.deal_size.down": "Prijsdruk: klanten kopen kleiner.",
    "news.deal_size.up": "Klanten kopen groter.",
    "news.target_change.up": "De directie heeft het target verhoogd.",
    "news.target_change.down": "De directie heeft het target verlaagd.",
    "news.other": "Er is iets veranderd in de markt.",
}

WORDS: dict[str, dict[str, str]] = {"en": EN, "nl": NL}


def word(key: str, lang: str, **fields: Any) -> str:
    """The catalogue entry ``key`` in ``lang`` (English when the language is unknown)."""
    template = WORDS.get(lang, EN)[key]
    return template.format(**fields) if fields else template


def euros(value: float, lang: str) -> str:
    """A whole euro amount: ``€108,500`` (en) or ``€ 108.500`` (nl), a minus sign first."""
    text = number(abs(value), lang)
    sign = MINUS if value < 0 and text != "0" else ""
    return f"{sign}€{' ' if lang == 'nl' else ''}{text}"


def percent(share: float, lang: str) -> str:
    """A share as a whole percentage: ``94%``."""
    return numbers.percent(share, lang)


def hours(value: float, lang: str) -> str:
    """Whole hours: ``412 h`` (en) or ``412 uur`` (nl)."""
    return numbers.hours(value, lang)


def news_text(news: News, lang: str) -> str:
    """One sentence of news about a shock."""
    if news.kind == "lost_account":
        many = news.count is not None and news.count > 1
        return word(
            "news.lost_account.many" if many else "news.lost_account", lang, count=news.count
        )
    if news.kind == "people_leave":
        one = news.count == 1
        key = "news.people_leave.one" if one else "news.people_leave"
        return word(key, lang, count=news.count)
    if news.factor is not None and news.kind in (
        "lead_rate",
        "win_rate",
        "deal_size",
        "target_change",
    ):
        way = "up" if news.factor > 1 else "down"
        return word(f"news.{news.kind}.{way}", lang)
    return word("news.other", lang)
