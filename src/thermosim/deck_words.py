"""Every word the deck adds to the figures' own, in English and Dutch.

Owns the deck's catalogue ``WORDS`` (``{lang: {key: template}}``, the same keys and the same
``{placeholders}`` in both languages): the titles of the slides that are not a figure's (the
talk's headline, the agenda, the chart, the close), the three questions of "begin with insight"
(the source article's close, in its words where they fit), and the sentences of the speaker
notes. ``say`` fills a template. Figure words stay in ``figures.labels``.
"""

from __future__ import annotations

from typing import Any

from thermosim.numbers import check_lang

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "deck.question": "Firefighting or steering?",
        "deck.subtitle": "{question}\nA sales team as a control loop: {scenarios}",
        "deck.headline.all": "{best} does better in all {n} scenarios",
        "deck.headline.most": "{best} does better in {wins} of the {n} scenarios",
        "deck.headline.none": "No approach does better across these {n} scenarios",
        "deck.agenda.title": "The gap in attainment is largest in “{title}”: {amount}",
        "deck.agenda.title.swing": "The gap in swing is largest in “{title}”: {amount}",
        "deck.agenda.close": "Begin with insight: three questions",
        "deck.chart.shock": "Lowest 4-week revenue from {week} on: {list} a week (target {target})",
        "deck.chart.plain": (
            "Weekly revenue, 4-week average over {period}: {list} (target {target})"
        ),
        "deck.closing.title": "Begin with insight: three questions for your own team",
        "deck.closing.q1": "Where are we really?",
        "deck.closing.q2": "Where do we want to go?",
        "deck.closing.q3": "What keeps us stuck in the daily rush?",
        "deck.closing.a1": (
            "In the simulation {a} reaches {attainment} of target and spends {hours} firefighting"
        ),
        "deck.closing.a2": "{b} reaches {attainment}, at a fatigue of {fatigue} instead of "
        "{fatigue_a}",
        "deck.closing.a3.step": "The largest step out of it: {step} ({amount})",
        "deck.closing.a3.fixes": "{a} starts {fixes} quick fixes, {b} {fixes_b}",
        "notes.title": (
            "This talk compares ways of running the same sales team under the same luck: "
            "{approaches}. Scenarios: {scenarios}. Every number is the mean of {reps} "
            "simulated replications (seed {seed})."
        ),
        "notes.agenda": (
            "{n} scenarios, each with every approach on the same luck. For each: what happens, "
            "why, and the scorecard. The talk ends with three questions for your own team."
        ),
        "notes.scenario": "Scenario: {title}.",
        "notes.loop": (
            "Every team steers: it compares what it perceives with a goal and acts on the gap. "
            "{details}"
        ),
        "notes.loop.variant": (
            "{name}: sees results {delay} late, averaged over {window}; gain {gain}"
            "{memory}; uses {levers}."
        ),
        "notes.memory": ", with memory of past gaps ({weeks} weeks)",
        "notes.nomemory": ", no memory of past gaps",
        "notes.revenue": "Over {period}, {list}. Weekly revenue swings (CV): {swings}.",
        "notes.attainment": "{name} books {value} of target",
        "notes.recovery": "After the shock, {list}.",
        "notes.recovered": "{name} is back on target in {weeks} weeks",
        "notes.stayed": "{name} stays on target (0 weeks)",
        "notes.censored": "{name} is not back on target within the horizon (over {weeks} weeks)",
        "notes.firefighting": "Hours spent on quick fixes: {list}; quick fixes started: {fixes}.",
        "notes.health": "Average fatigue: {fatigue}. People who left: {left}.",
        "notes.time": "Share of paid hours spent selling: {selling}; firefighting: {fire}.",
        "notes.temperature": (
            "Average gap to the set point: {gap}; swing in the second half: {swing}."
        ),
        "notes.scorecard": "{title}: {list}.",
        "notes.marked": "The better value of each row is marked in its approach's colour.",
        "notes.money": (
            "Money here is operating profit (after salaries, hires, overtime and fees), over "
            "the whole run; gross profit is before those costs."
        ),
        "notes.score": (
            "{name} {profit} operating profit ({gross} gross), {attainment} of target, "
            "fatigue {fatigue}, {hours} firefighting"
        ),
        "notes.chart": (
            "An editable chart: the 4-week average of weekly revenue, median of {reps} "
            "replications, against the target, as in the figure. Operating profit (after "
            "salaries, hires, overtime and fees) over the whole run: {profit}."
        ),
        "notes.waterfall": (
            "The waterfall goes from {start} to {end} one change at a time, every step on the "
            "same luck ({reps} replications). {kpi}: {start} {start_value}; {steps}; {end} "
            "{end_value} (in total {total}). The largest step is {largest} ({amount}). Doing "
            "nothing (open loop) would give {open_loop}; investing without feedback "
            "{invest}. The order matters: what two steps do together counts in the later one."
        ),
        "notes.step": "{step} contributes {amount}",
        "notes.closing": (
            "Take the three questions one at a time and write the answers where everyone sees "
            "them. Where are we really? {now}. Ask for the team's own attainment and the hours "
            "that went to firefighting last quarter, and put them next to these. Where do we "
            "want to go? {goal}. Let the team put one target in its own words and say how it "
            "will see, every week, whether it is on its way. What keeps us stuck? {stuck}. List "
            "the quick fixes of the last month (extra calls, extra reports, another training) "
            "and ask of each whether it solved the real problem or only the symptom. Close by "
            "choosing one reflex to stop, not one more action to start."
        ),
        "notes.closing.plain": (
            "Turn the simulation into the team's own conversation, one question at a time: the "
            "team's own numbers for where it is, one shared target for where it goes, and the "
            "quick fixes of the last month for what keeps it stuck. Close by choosing one "
            "reflex to stop, not one more action to start."
        ),
        "and": "and",
        "uses.none": "no levers",
        "period.weeks": "{n} weeks",
    },
    "nl": {
        "deck.question": "Brandjes blussen of sturen?",
        "deck.subtitle": "{question}\nEen salesteam als regelkring: {scenarios}",
        "deck.headline.all": "{best} doet het beter in alle {n} scenario's",
        "deck.headline.most": "{best} doet het beter in {wins} van de {n} scenario's",
        "deck.headline.none": "Geen aanpak doet het beter in al deze {n} scenario's",
        "deck.agenda.title": (
            "Het verschil in target gehaald is het grootst bij “{title}”: {amount}"
        ),
        "deck.agenda.title.swing": (
            "Het verschil in schommeling is het grootst bij “{title}”: {amount}"
        ),
        "deck.agenda.close": "Begin met inzicht: drie vragen",
        "deck.chart.shock": (
            "Laagste omzet (gem. 4 weken) vanaf {week}: {list} per week (target {target})"
        ),
        "deck.chart.plain": "Omzet per week, gem. 4 weken over {period}: {list} (target {target})",
        "deck.closing.title": "Begin met inzicht: drie vragen voor je eigen team",
        "deck.closing.q1": "Waar staan we nu echt?",
        "deck.closing.q2": "Waar willen we heen?",
        "deck.closing.q3": "Wat houdt ons vast in de waan van de dag?",
        "deck.closing.a1": "In de simulatie haalt {a} {attainment} van het target, met {hours} "
        "brandjes blussen",
        "deck.closing.a2": "{b} haalt {attainment}, met een vermoeidheid van {fatigue} in plaats "
        "van {fatigue_a}",
        "deck.closing.a3.step": "De grootste stap eruit: {step} ({amount})",
        "deck.closing.a3.fixes": "{a} start {fixes} snelle acties, {b} {fixes_b}",
        "notes.title": (
            "Deze presentatie vergelijkt manieren om hetzelfde salesteam te leiden, met "
            "hetzelfde geluk: {approaches}. Scenario's: {scenarios}. Elk getal is het gemiddelde "
            "van {reps} gesimuleerde herhalingen (seed {seed})."
        ),
        "notes.agenda": (
            "{n} scenario's, elk met alle aanpakken op hetzelfde toeval. Per scenario: wat er "
            "gebeurt, waarom, en de scorekaart. We eindigen met drie vragen voor je eigen team."
        ),
        "notes.scenario": "Scenario: {title}.",
        "notes.loop": (
            "Elk team stuurt: het vergelijkt wat het waarneemt met een doel en handelt op het "
            "verschil. {details}"
        ),
        "notes.loop.variant": (
            "{name}: ziet resultaten {delay} later, gemiddeld over {window}; "
            "versterking {gain}{memory}; gebruikt {levers}."
        ),
        "notes.memory": ", met geheugen voor eerdere tekorten ({weeks} weken)",
        "notes.nomemory": ", zonder geheugen voor eerdere tekorten",
        "notes.revenue": "Over {period}: {list}. Schommeling van de weekomzet (CV): {swings}.",
        "notes.attainment": "{name} haalt {value} van het target",
        "notes.recovery": "Na de schok: {list}.",
        "notes.recovered": "{name} zit na {weeks} weken weer op target",
        "notes.stayed": "{name} blijft op target (0 weken)",
        "notes.censored": (
            "{name} zit binnen de looptijd niet weer op target (meer dan {weeks} weken)"
        ),
        "notes.firefighting": "Uren aan snelle acties: {list}; gestarte acties: {fixes}.",
        "notes.health": "Gemiddelde vermoeidheid: {fatigue}. Vertrokken mensen: {left}.",
        "notes.time": "Deel van de betaalde uren aan verkopen: {selling}; aan brandjes blussen: "
        "{fire}.",
        "notes.temperature": (
            "Gemiddeld verschil met de instelling: {gap}; schommeling in de tweede helft: {swing}."
        ),
        "notes.scorecard": "{title}: {list}.",
        "notes.marked": "De betere waarde van elke rij staat in de kleur van die aanpak.",
        "notes.money": (
            "Geld is hier het bedrijfsresultaat (na salarissen, werving, overwerk en fees), over "
            "de hele looptijd; de brutowinst is vóór die kosten."
        ),
        "notes.score": (
            "{name} {profit} bedrijfsresultaat ({gross} brutowinst), {attainment} van het "
            "target, vermoeidheid {fatigue}, {hours} brandjes blussen"
        ),
        "notes.chart": (
            "Een bewerkbare grafiek: de omzet per week, gemiddeld over 4 weken, mediaan van "
            "{reps} herhalingen, tegenover het target, zoals in de figuur. Bedrijfsresultaat (na "
            "salarissen, werving, overwerk en fees) over de hele looptijd: {profit}."
        ),
        "notes.waterfall": (
            "De waterval gaat stap voor stap van {start} naar {end}, elke stap met hetzelfde "
            "toeval ({reps} herhalingen). {kpi}: {start} {start_value}; {steps}; {end} "
            "{end_value} (samen {total}). De grootste stap is {largest} ({amount}). Niets doen "
            "(open lus) zou {open_loop} geven; investeren zonder bijsturen {invest}. De "
            "volgorde telt: wat twee stappen samen doen, telt bij de latere."
        ),
        "notes.step": "{step} draagt {amount} bij",
        "notes.closing": (
            "Neem de drie vragen één voor één en schrijf de antwoorden op waar iedereen ze "
            "ziet. Waar staan we nu echt? {now}. Vraag naar het eigen percentage van het target "
            "en de uren die vorig kwartaal naar brandjes blussen gingen, en zet die ernaast. "
            "Waar willen we heen? {goal}. Laat het team één doel in eigen woorden zeggen en hoe "
            "het elke week ziet of het op koers ligt. Wat houdt ons vast? {stuck}. Noem de "
            "snelle acties van de afgelopen maand (extra bellen, extra rapporteren, nog een "
            "training) en vraag bij elke of die het echte probleem oploste of alleen het "
            "symptoom. Sluit af met één reflex om mee te stoppen, niet met nog een actie erbij."
        ),
        "notes.closing.plain": (
            "Maak van de simulatie het gesprek van het team zelf, één vraag tegelijk: de eigen "
            "getallen voor waar het staat, één gedeeld doel voor waar het heen wil, en de "
            "snelle acties van de afgelopen maand voor wat het vasthoudt. Sluit af met één "
            "reflex om mee te stoppen, niet met nog een actie erbij."
        ),
        "and": "en",
        "uses.none": "geen hefbomen",
        "period.weeks": "{n} weken",
    },
}


def say(key: str, lang: str, **fields: Any) -> str:
    """The catalogue entry ``key`` in ``lang`` with its fields filled in."""
    template = WORDS[check_lang(lang)][key]
    return template.format(**fields) if fields else template


def listing(items: list[str], lang: str) -> str:
    """``a, b and c`` / ``a, b en c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {say('and', lang)} " + items[-1]
