"""What each page shows, worked out from the workshop: the templates' data, in one language.

Owns the bridge from the game's objects (``SeatView``, ``Status``, ``Debrief``) to the page
templates in ``templates/``: formatted numbers, the lever menu, charts as inline SVG, and the
conversion of the participant's form back into a decision (percentages to intensities; only
what changed from the standing course). No HTTP here: ``web`` renders and answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from thermosim.control.levers import FUNDAMENTAL, SYMPTOMATIC
from thermosim.play.charts import COLORS, PARTICIPANT_COLOR, Line, line_chart
from thermosim.play.debrief import TREND_LIMIT_SIGMA, WEEK_LIMIT_SIGMA, Debrief
from thermosim.play.decisions import Course, DecisionError, Decisions
from thermosim.play.report import Report
from thermosim.play.words import euros, hours, news_text, percent, word
from thermosim.play.workshop import SeatView, Status

FIX_STEPS = (25, 50, 75, 100)  # quick fix intensities offered, in percent
LEVEL_STEPS = tuple(range(0, 101, 10))  # lasting levels and overtime, in percent
CHART_WEEKS = 26  # the participant's chart shows at most the last half year of reports
FORM_FIELDS = frozenset(
    {"round", "action", "fix", "overtime"}
    | {f"fix_{lever}" for lever in SYMPTOMATIC}
    | {f"lasting_{lever}" for lever in FUNDAMENTAL}
)


@dataclass(frozen=True)
class LeverRow:
    """One lever in the menu: its form field, name, description and current level (%)."""

    lever: str
    name: str
    about: str
    level: int


def _pct(share: float) -> int:
    return round(100 * share)


def lever_menu(course: Course, lang: str) -> dict[str, list[LeverRow]]:
    """The quick fixes and the lasting levers, each with its words and current level."""
    return {
        "fixes": [
            LeverRow(lv, word(f"lever.{lv}", lang), word(f"about.{lv}", lang), 100)
            for lv in SYMPTOMATIC
        ],
        "lasting": [
            LeverRow(
                lv,
                word(f"lever.{lv}", lang),
                word(f"about.{lv}", lang),
                _pct(course.lasting.get(lv, 0.0)),
            )
            for lv in FUNDAMENTAL
        ],
    }


def report_page(report: Report, lang: str) -> dict[str, Any]:
    """The numbers of a report, formatted, with its chart."""
    gap = report.gap
    hours_paid = report.hours["paid"]
    shown = report.history[-CHART_WEEKS:]
    # Each report drawn at the week it covers (the review's week less the reporting delay).
    lag = report.week - report.report_week if report.report_week is not None else 0
    chart = line_chart(
        [Line([p.reported_eur for p in shown], COLORS["steered"], 3.0)],
        [p.target_eur for p in shown],
        shown[0].week - lag if shown else 0,
        lambda v: euros(v, lang),
        word("report.chart", lang),
        lambda week: _week(week, lang),
    )
    trend = report.trend_eur
    return {
        "round": report.round + 1,
        "rounds": report.rounds,
        "week": report.week,
        "has_report": report.reported_eur is not None,
        "number": euros(report.reported_eur or 0.0, lang),
        "report_week": None if report.report_week is None else _week(report.report_week, lang),
        "target": euros(report.target_eur, lang),
        "vs": None if gap is None else percent(1.0 - gap, lang),
        "below": gap is not None and gap > 0,
        "trend": None if trend is None else euros(trend, lang),
        "trend_vs": None if trend is None else percent(trend / report.target_eur, lang),
        "chart": Markup(chart) if len(shown) > 1 else None,
        "pipeline": euros(report.pipeline_eur, lang),
        "opportunities": round(report.opportunities),
        "headcount": round(report.headcount),
        "hours_paid": hours(hours_paid, lang),
        "hours": [
            (word(f"team.{use}", lang), hours(report.hours[use], lang), _share(report, use))
            for use in ("selling", "firefighting", "admin")
        ],
        "fatigue": _pct(report.fatigue),
        "motivation": _pct(report.motivation),
        "news": [news_text(n, lang) for n in report.news],
        "course": _course(report.course, lang),
    }


def _week(week: int, lang: str) -> str:
    """``week 3``, or "before the game" for the warm-up's weeks."""
    return word("chart.week", lang, week=week) if week >= 0 else word("before", lang)


def _share(report: Report, use: str) -> int:
    paid = report.hours["paid"]
    return _pct(report.hours[use] / paid) if paid > 0 else 0


def _course(course: Course, lang: str) -> list[str]:
    shown = [
        f"{word(f'lever.{lever}', lang)}: {_pct(level)}%"
        for lever, level in course.lasting.items()
        if level > 0
    ]
    if course.overtime > 0:
        shown.append(f"{word('course.overtime', lang)}: {_pct(course.overtime)}%")
    return shown


def decision_words(decisions: Decisions | None, lang: str) -> list[str]:
    """A decision in words (for "you decided")."""
    if decisions is None:
        return []
    if decisions.holds_course:
        return [word("last.hold", lang)]
    said = [f"{word(f'lever.{lv}', lang)} {_pct(x)}%" for lv, x in decisions.quick_fixes.items()]
    said += [f"{word(f'lever.{lv}', lang)} → {_pct(x)}%" for lv, x in decisions.lasting.items()]
    if decisions.overtime is not None:
        said.append(f"{word('course.overtime', lang)} → {_pct(decisions.overtime)}%")
    return said


def seat_page(view: SeatView, lang: str) -> dict[str, Any]:
    """Everything the participant's page shows."""
    data: dict[str, Any] = {
        "state": view.state,
        "name": view.seat.name,
        "round": view.round + 1,
        "rounds": view.rounds,
        "last": decision_words(view.last_decision, lang),
        "refresh": view.state in ("lobby", "waiting"),
    }
    if view.report is not None:
        data["report"] = report_page(view.report, lang)
        data["menu"] = lever_menu(view.report.course, lang)
        data["overtime"] = _pct(view.report.course.overtime)
        reported = [p.reported_eur for p in view.report.history if p.reported_eur is not None]
        targets = [p.target_eur for p in view.report.history if p.reported_eur is not None]
        data["attained"] = percent(sum(reported) / sum(targets), lang) if reported else None
    return data


def _percent_field(value: str, what: str, low: int) -> float:
    try:
        number = int(value)
    except ValueError:
        raise DecisionError(f"{what} must be a whole percentage, got {value!r}") from None
    if not low <= number <= 100:
        raise DecisionError(f"{what} must be from {low} to 100%, got {number}")
    return number / 100


def form_decision(form: Mapping[str, Sequence[str]], course: Course) -> dict[str, Any]:
    """The participant's form as a decision (JSON-like), or DecisionError.

    Quick fixes are the ticked ones at their intensities; lasting levers and overtime only
    where they differ from the standing course (so "Decide" with nothing changed holds it).
    """
    unknown = sorted(k for k in form if k not in FORM_FIELDS)
    if unknown:
        raise DecisionError(f"unknown field(s): {', '.join(unknown)}")
    if any(len(values) != 1 for key, values in form.items() if key != "fix"):
        raise DecisionError("each field may be sent once (except fix)")
    single = {key: values[0] for key, values in form.items() if key != "fix"}
    try:
        round_ = int(single.get("round", "")) - 1  # the page counts rounds from 1
    except ValueError:
        raise DecisionError("the form has no round number") from None
    if single.get("action", "decide") == "hold":
        return {"round": round_, "hold": True}
    fixes = {}
    for lever in form.get("fix", []):
        level = single.get(f"fix_{lever}", "100")
        fixes[lever] = _percent_field(level, f"the intensity of {lever}", 1)
    lasting = {}
    for lever in FUNDAMENTAL:
        if f"lasting_{lever}" in single:
            share = _percent_field(single[f"lasting_{lever}"], f"the level of {lever}", 0)
            if _pct(share) != _pct(course.lasting.get(lever, 0.0)):
                lasting[lever] = share
    decision: dict[str, Any] = {"round": round_}
    if fixes:
        decision["quick_fixes"] = fixes
    if lasting:
        decision["lasting"] = lasting
    if "overtime" in single:
        overtime = _percent_field(single["overtime"], "overtime", 0)
        if _pct(overtime) != _pct(course.overtime):
            decision["overtime"] = overtime
    if len(decision) == 1:
        decision["hold"] = True
    return decision


def status_page(status: Status, lang: str) -> dict[str, Any]:
    """The trainer's view of the room."""
    n = len(status.seats)
    decided = sum(1 for s in status.seats if s.decided_open_round)
    if status.phase == "lobby":
        headline = word("trainer.phase.lobby", lang, n=n)
    elif status.phase == "finished":
        headline = word("trainer.phase.finished", lang)
    elif status.self_paced:
        headline = word("trainer.phase.self_paced", lang, n=n)
    else:
        headline = word(
            "trainer.phase.playing",
            lang,
            round=status.opened,
            rounds=status.rounds,
            decided=decided,
            n=n,
        )
    people = []
    for s in status.seats:
        if s.round >= status.rounds:
            state = word("trainer.done", lang)
        elif status.phase == "playing" and not status.self_paced:
            state = word("trainer.decided" if s.decided_open_round else "trainer.deciding", lang)
        else:
            state = word("trainer.round_of", lang, round=s.round + 1)
        people.append({"name": s.seat.name, "state": state, "decided": s.decided_open_round})
    return {
        "phase": status.phase,
        "self_paced": status.self_paced,
        "headline": headline,
        "last_round": status.opened >= status.rounds,
        "refresh": status.phase != "finished",
        "people": people,
    }


def debrief_page(debrief: Debrief, lang: str) -> dict[str, Any]:
    """The debrief: the chart, the ranking and the rule for noise and signal."""
    lines = [
        Line(list(e.revenue_4w()), PARTICIPANT_COLOR, 1.6)
        for e in debrief.entries
        if e.kind == "participant"
    ]
    lines += [Line(list(debrief.policy(p).revenue_4w()), COLORS[p], 3.2) for p in COLORS]
    target = list(debrief.entries[0].target) if debrief.entries else []
    chart = line_chart(
        lines,
        target,
        0,
        lambda v: euros(v, lang),
        word("debrief.chart", lang),
        lambda week: _week(week, lang),
    )
    rows = []
    for e in debrief.entries:
        policy = e.kind == "policy"
        rows.append(
            {
                "rank": e.profit_rank,
                "name": word(f"policy.{e.key}", lang) if policy else e.name,
                "policy": policy,
                "key": e.key if policy else "participant",
                "profit": euros(e.kpis["operating_profit"], lang),
                "attainment": percent(e.kpis["attainment"], lang),
                "fatigue": f"{_pct(e.kpis['fatigue_mean'])}%",
                "leavers": round(e.kpis["attrition"]),
                "health": e.health_rank,
                "actions": e.reactions,
                "invest": e.investments,
                "noise": e.on_noise,
                "signal": e.on_signal,
            }
        )
    sigma = debrief.sigma_eur
    return {
        "title": (debrief.title_nl if lang == "nl" else "") or debrief.title_en or debrief.scenario,
        "chart": Markup(chart),
        "rows": rows,
        "rule": word(
            "debrief.noise_rule",
            lang,
            sigma=euros(sigma, lang),
            week_limit=euros(WEEK_LIMIT_SIGMA * sigma, lang),
            trend_limit=euros(TREND_LIMIT_SIGMA * sigma, lang),
        ),
        "legend": [(word(f"policy.{p}", lang), p) for p in COLORS]
        + [(word("debrief.you", lang), "participant")],
    }
