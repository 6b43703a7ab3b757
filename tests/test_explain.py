"""`thermosim explain`: the ladder, its contributions, explain.json, the waterfall and the deck."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

import thermosim
from conftest import ScenarioFactory
from figure_checks import check_all, decimal_style_problems, draw_and_collect
from thermosim.cli import main
from thermosim.config.scenario import Scenario, Variant
from thermosim.explain import (
    HEADLINE,
    STEPS,
    Explanation,
    contributions_table,
    explain,
    json_text,
    ladder,
    read_explanation,
    write_explanation,
)

# One xdist worker runs this module, so its shared fixtures/caches are computed once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain")]

REPS = 6
WEEKS = 52


def short(name: str) -> Scenario:
    """A shipped scenario over a year, so a ladder of seven variants runs in seconds."""
    return thermosim.load_scenario(name, [f"horizon_weeks={WEEKS}"])


@pytest.fixture(scope="module")
def explained() -> Explanation:
    return explain(short("lost-key-account"), replications=REPS, workers=1)


@pytest.fixture(scope="module")
def explained_on_two_workers() -> Explanation:
    return explain(short("lost-key-account"), replications=REPS, workers=2)


def test_the_steps_add_up_to_the_total(explained: Explanation) -> None:
    assert explained.kpis == HEADLINE["sales"]
    assert explained.steps, "reacting and steering differ in more than a name"
    for kpi in explained.kpis:
        total = explained.total[kpi]["mean"]
        added = sum(step.contribution[kpi]["mean"] for step in explained.steps)
        assert abs(added - total) <= 0.01 * abs(total) + 1e-9, kpi
        # and the total is the end's mean minus the start's
        start, end = explained.rungs[0][2][kpi], explained.rungs[-1][2][kpi]
        assert total == pytest.approx(end - start, rel=1e-9, abs=1e-12)
        for step in explained.steps:
            stats = step.contribution[kpi]
            assert stats["p10"] <= stats["p50"] <= stats["p90"]


def test_steps_keep_the_ladder_order_and_stable_names(explained: Explanation) -> None:
    order = [s.name for s in STEPS]
    names = [step.name for step in explained.steps]
    assert names == sorted(names, key=order.index)
    for step in explained.steps:
        number = order.index(step.name) + 1
        assert step.variant.startswith(f"step-{number}-")
        assert step.fields, "a step that changes nothing is not taken"
    perception = next(s for s in explained.steps if s.name == "perception")
    changed = {c.field: (c.before, c.after) for c in perception.fields}
    assert changed["perception.window_weeks"] == (1.0, 8.0)


def test_the_same_explain_json_on_one_and_two_workers(
    explained: Explanation, explained_on_two_workers: Explanation, tmp_path: Path
) -> None:
    one = write_explanation(explained, tmp_path / "one")
    two = write_explanation(explained_on_two_workers, tmp_path / "two")
    assert one.read_bytes() == two.read_bytes()
    assert one.read_text(encoding="utf-8") == json_text(read_explanation(one.parent))


def test_the_last_rung_is_the_end_variant_and_the_first_the_start(
    explained: Explanation,
) -> None:
    scenario = short("lost-key-account")
    plain = thermosim.run_experiment(scenario, replications=REPS, workers=1)
    ladder_runs = explained.experiment.per_replication
    first, last = explained.rungs[0][0], explained.rungs[-1][0]
    for kpi in explained.kpis:
        assert [r[kpi] for r in ladder_runs[last]] == [
            r[kpi] for r in plain.per_replication["steered"]
        ]
        assert [r[kpi] for r in ladder_runs[first]] == [
            r[kpi] for r in plain.per_replication["reactive"]
        ]
        assert explained.rungs[-1][2][kpi] == plain.kpis["steered"][kpi]["mean"]


def test_the_ladder_ends_on_the_end_variants_fields() -> None:
    reactive = Variant.model_validate({"name": "a", "preset": "reactive"})
    steered = Variant.model_validate({"name": "b", "preset": "steered"})
    rungs, changes = ladder(reactive, steered)
    wanted = {
        k: v for k, v in steered.model_dump(mode="json").items() if k not in ("name", "preset")
    }
    assert rungs[-1].fields == wanted
    assert rungs[0].fields["policy"]["gain"] == reactive.policy.gain
    # one group at a time: after the perception step only perception has changed
    after_perception = rungs[1].fields
    assert after_perception["perception"] == wanted["perception"]
    assert after_perception["policy"] == rungs[0].fields["policy"]
    # overtime is its own step, not part of the decision rule
    assert all(c.field != "policy.overtime_share" for c in changes["decision rule"])
    assert [c.field for c in changes.get("overtime", [])] in ([], ["policy.overtime_share"])


def test_other_settings_get_their_own_last_step() -> None:
    steered = Variant.model_validate({"name": "a", "preset": "steered"})
    fragmented = Variant.model_validate({"name": "b", "preset": "fragmented"})
    rungs, changes = ladder(steered, fragmented)
    assert rungs[-1].step == "other"
    sections = ("reference", "perception", "policy", "levers", "name", "preset")
    a, b = steered.model_dump(mode="json"), fragmented.model_dump(mode="json")
    differing = {k for k in a if k not in sections and a[k] != b[k]}
    assert differing and {c.field for c in changes["other"]} == differing


def test_a_step_whose_group_does_not_differ_is_skipped(small_scenario: ScenarioFactory) -> None:
    scenario = small_scenario(
        "reactive",
        {
            "name": "calmer",
            "preset": "reactive",
            "perception": {"window_weeks": 8},
            "reference": {"shared": True},
        },
    )
    result = explain(scenario, replications=3, workers=1)
    assert [s.name for s in result.steps] == ["perception", "shared goal"]
    assert [s.variant for s in result.steps] == ["step-1-perception", "step-5-shared-goal"]
    for kpi in result.kpis:
        added = sum(s.contribution[kpi]["mean"] for s in result.steps)
        assert (
            abs(added - result.total[kpi]["mean"]) <= 0.01 * abs(result.total[kpi]["mean"]) + 1e-9
        )


def test_references_run_on_the_same_numbers(explained: Explanation) -> None:
    names = [r.name for r in explained.references]
    assert names == ["open-loop", "invest-without-feedback"]
    start = explained.rungs[0][2]
    for ref in explained.references:
        for kpi in explained.kpis:
            assert ref.vs_start[kpi]["mean"] == pytest.approx(ref.kpis[kpi] - start[kpi], abs=1e-6)


def test_unknown_or_equal_variants_are_bad_input() -> None:
    scenario = short("baseline")
    with pytest.raises(thermosim.ScenarioError, match="known: reactive, steered"):
        explain(scenario, replications=1, start="reactiv")
    with pytest.raises(thermosim.ScenarioError, match="nothing to explain"):
        explain(scenario, replications=1, start="steered", end="steered")


def test_the_console_table_lists_every_step_and_the_total(explained: Explanation) -> None:
    lines = contributions_table(explained)
    assert lines[0].split()[:3] == ["step", "(mean)", "attainment"]
    for step in explained.steps:
        assert any(line.startswith(f"+ {step.name}") for line in lines)
    assert any(line.startswith("total (end - start)") for line in lines)
    assert any(line.startswith("open-loop vs start") for line in lines)


# --- the command line -------------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_cli_writes_explain_json_and_the_waterfall_next_to_a_run(tmp_path: Path) -> None:
    common = ["--set", "horizon_weeks=26", "--workers", "1", "--out", str(tmp_path)]
    code, output = invoke("run", "baseline", "--reps", "2", "--no-figures", *common)
    assert code == 0, output
    folder = tmp_path / "baseline"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    code, output = invoke("explain", "baseline", "--reps", "3", *common)
    assert code == 0, output
    assert (folder / "explain.json").is_file()
    assert (folder / "figures" / "waterfall.en.png").is_file()
    for name, content in before.items():  # what `run` wrote is untouched
        assert (folder / name).read_bytes() == content, name
    leftovers = [p.name for p in folder.rglob("*") if p.name.startswith(".")]
    assert not leftovers, leftovers
    data = json.loads((folder / "explain.json").read_text(encoding="utf-8"))
    assert data["start"] == "reactive" and data["end"] == "steered"
    assert data["replications"] == 3 and data["scenario"] == "baseline"
    assert "+ perception" in output and "total (end - start)" in output
    assert f"explain: {folder / 'explain.json'}" in output


def test_a_rerun_keeps_the_explanation_of_the_same_scenario_only(tmp_path: Path) -> None:
    # Nothing lost: `run` replaces the whole folder, but the slower ladder of `explain` still
    # explains the same scenario and is carried over; for a changed scenario it is stale.
    common = ["--set", "horizon_weeks=26", "--workers", "1", "--out", str(tmp_path)]
    code, output = invoke("explain", "baseline", "--reps", "2", *common)
    assert code == 0, output
    folder = tmp_path / "baseline"
    explained = (folder / "explain.json").read_bytes()
    picture = (folder / "figures" / "waterfall.en.png").read_bytes()
    code, output = invoke("run", "baseline", "--reps", "2", "--no-figures", *common)
    assert code == 0, output
    assert (folder / "explain.json").read_bytes() == explained
    assert (folder / "figures" / "waterfall.en.png").read_bytes() == picture
    assert (folder / "kpis.json").is_file()
    changed = [*common, "--set", "plant.people.team_size=8"]
    code, output = invoke("run", "baseline", "--reps", "2", "--no-figures", *changed)
    assert code == 0, output
    assert not (folder / "explain.json").exists()
    assert not (folder / "figures").exists()


def test_cli_explain_creates_the_results_folder_when_run_has_not(tmp_path: Path) -> None:
    code, output = invoke(
        "explain",
        "thermostat",
        "--reps",
        "2",
        "--workers",
        "1",
        "--out",
        str(tmp_path),
        "--lang",
        "nl",
        "--quiet",
    )
    assert code == 0 and output == ""
    folder = tmp_path / "thermostat"
    assert (folder / "figures" / "waterfall.nl.png").is_file()
    assert read_explanation(folder)["kpis"] == list(HEADLINE["thermostat"])


def test_cli_bad_from_is_exit_2_with_the_known_names(tmp_path: Path) -> None:
    code, output = invoke("explain", "baseline", "--from", "reactiv", "--out", str(tmp_path))
    assert code == 2
    assert "reactive, steered" in output and "Traceback" not in output
    assert not (tmp_path / "baseline").exists()


def test_cli_kpi_of_the_other_plant_is_exit_2(tmp_path: Path) -> None:
    code, output = invoke("explain", "thermostat", "--kpi", "operating_profit")
    assert code == 2 and "mean_abs_error_c" in output


# --- the figure and the deck ------------------------------------------------------------------


@pytest.fixture(scope="module")
def explain_data(explained: Explanation) -> dict[str, object]:
    data = explained.to_json()
    data["waterfall_kpi"] = "operating_profit"
    return data


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("kpi", ["operating_profit", "attainment"])
def test_the_waterfall_passes_the_slide_checks(
    explain_data: dict[str, object], lang: str, kpi: str
) -> None:
    from thermosim.figures import SIZES
    from thermosim.figures.waterfall import draw_waterfall

    fig = draw_waterfall(explain_data, lang, kpi)
    drawing = draw_and_collect(fig)
    problems = check_all(drawing, SIZES["full"])
    problems["decimals"] = decimal_style_problems(drawing.texts, lang)
    assert not any(problems.values()), problems


@pytest.mark.parametrize(("lang", "words"), [("en", "the lever menu"), ("nl", "het hefboommenu")])
def test_the_waterfall_title_names_the_largest_step(
    explain_data: dict[str, object], lang: str, words: str
) -> None:
    from thermosim.figures.waterfall import change_text, title

    steps = explain_data["steps"]
    assert isinstance(steps, list)
    largest = max(steps, key=lambda s: abs(s["contribution"]["operating_profit"]["mean"]))
    found = title(explain_data, "operating_profit", lang)
    amount = change_text(
        "operating_profit", largest["contribution"]["operating_profit"]["mean"], lang
    )
    assert amount in found
    if largest["name"] == "lever menu":
        assert words in found


def test_waterfall_titles_say_how_the_largest_step_relates_to_the_total() -> None:
    from thermosim.figures.findings import waterfall

    def show(x: float) -> str:
        return f"{x:+.0f}"

    steps = ["perception", "the lever menu"]
    most = waterfall(steps, [1, 4], 5, 10, "en", kpi_words="profit", show=show)
    assert most == "Most of the difference comes from the lever menu (+4)"
    part = waterfall(steps, [2, 3], 8, 10, "en", kpi_words="profit", show=show)
    assert part.startswith("The largest part of the difference comes from the lever menu")
    three = ["de waarneming", "het hefboommenu", "het overwerk"]
    against = waterfall(three, [3, -4, 2], 1, 10, "nl", kpi_words="de winst", show=show)
    assert against == ("Het hefboommenu verandert de winst het meest (-4); het hele verschil is +1")
    none = waterfall(steps, [0, 0], 0, 10, "en", kpi_words="profit", show=show)
    assert none == "No step changes profit"


@pytest.mark.parametrize(
    ("value", "en", "nl"),
    [
        (152_286.0, "+€152k", "€ +152.000"),
        (-348_465.0, "−€348k", "€ −348.000"),
        (0.094, "+9.4 pts", "+9,4 ptn"),
        (-1.41, "−1.4 °C", "−1,4 °C"),
    ],
)
def test_changes_are_signed_in_each_languages_style(value: float, en: str, nl: str) -> None:
    from thermosim.figures.waterfall import change_text

    kpi = "operating_profit" if abs(value) > 100 else "attainment" if value > -1 else "swing_c"
    assert change_text(kpi, value, "en") == en
    assert change_text(kpi, value, "nl") == nl


def test_the_deck_gains_the_waterfall_slide_with_its_notes(
    explained: Explanation, tmp_path: Path
) -> None:
    from thermosim.deck import build_deck
    from thermosim.results import write_results

    experiment = thermosim.run_experiment(short("lost-key-account"), replications=2)
    folder = write_results(experiment, tmp_path)
    write_explanation(explained, tmp_path)  # no figure yet: the deck draws it
    deck = build_deck([folder], tmp_path / "talk.pptx", "en")
    assert (folder / "figures" / "waterfall.en.png").is_file()
    notes = [s.notes_slide.notes_text_frame.text for s in Presentation(str(deck)).slides]
    waterfall = [n for n in notes if "waterfall" in n]
    assert len(waterfall) == 1
    assert "the lever menu contributes" in waterfall[0] or "perception contributes" in waterfall[0]
    assert "open loop" in waterfall[0]


def test_explain_keeps_kpis_not_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Memory of explain grows with weeks, not replications x rungs: the runs are dropped.
    import thermosim.explain as explain_module
    from thermosim.experiment import Experiment, run_experiment

    made: list[Experiment] = []

    def spy(*args: object, **kwargs: object) -> Experiment:
        made.append(run_experiment(*args, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(explain_module, "run_experiment", spy)
    explanation = explain(short("baseline"), replications=2, workers=1)
    assert len(made) == 1 and made[0].runs == {}
    assert all(len(kpis) == 2 for kpis in made[0].per_replication.values())
    assert explanation.replications == 2
