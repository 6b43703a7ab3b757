"""Every mistake a trainer can make in a scenario file comes back as a message at the line.

The corpus in ``tests/bad_scenarios/`` holds one broken file per mistake. Each file says in its
first comment lines what the message must contain (``# expect:``), where it must point
(``# at: LINE:COL``, or ``# at: FILE:LINE:COL`` for a problem in a base file), the field path
(``# field:``) and, where it matters, how many problems there are (``# problems:``). Files that
must not be committed (binary, huge, a directory) are made at test time.
"""

from __future__ import annotations

import pickle
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import thermosim
from thermosim import ScenarioError
from thermosim.cli import main
from thermosim.config.presets import PRESETS
from thermosim.config.yaml_io import MAX_FILE_TEXT
from thermosim.errors import MAX_SHOWN, Problem

CORPUS = Path(__file__).parent / "bad_scenarios"
CASES = sorted(CORPUS.glob("*.yaml"))
HEADER = re.compile(r"^# (expect|at|field|problems): ?(.*)$", re.MULTILINE)
VARIANTS = (
    "variants:\n  - {name: reactive, preset: reactive}\n  - {name: steered, preset: steered}\n"
)


def refused(path: str | Path, overrides: tuple[str, ...] = ()) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        thermosim.load_scenario(path, overrides)
    error = info.value
    text = str(error)
    assert "Traceback" not in text and 'File "' not in text
    # Nothing of the library's insides is chained to what a trainer sees.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    return error


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_corpus_covers_at_least_35_mistakes() -> None:
    assert len(CASES) >= 35


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_broken_file_gets_its_message_at_its_line(path: Path) -> None:
    spec = dict(HEADER.findall(path.read_bytes().decode("latin-1")))
    assert "expect" in spec and "at" in spec, f"{path.name} lacks '# expect:' or '# at:'"
    error = refused(path)
    assert spec["expect"] in str(error)
    assert str(error).startswith(f"{path}: ")  # the summary names the file the user gave
    where = spec["at"]
    file = path.name
    if where.count(":") == 2:
        file, where = where.split(":", 1)
    line, column = (int(n) for n in where.split(":"))
    matching = [
        p
        for p in error.issues
        if Path(p.source).name == file
        and (p.line, p.column) == (line, column)
        and spec["expect"] in str(p)
    ]
    assert matching, f"no problem at {file}:{line}:{column} saying {spec['expect']!r}:\n{error}"
    assert str(matching[0]).startswith(f"{CORPUS / file}:{line}:{column}: ")
    if "field" in spec:
        assert matching[0].field == spec["field"]
        assert f":{line}:{column}: {spec['field']}: " in str(error)
    if "problems" in spec:
        assert len(error.problems) == int(spec["problems"]), str(error)


def test_problems_of_a_file_are_ordered_by_line() -> None:
    error = refused(CORPUS / "41-several-problems.yaml")
    lines = [p.line or 0 for p in error.issues]
    assert lines == sorted(lines) and len(set(lines)) == 4


def test_a_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = write(
        tmp_path,
        f'name: t\nseed: !!python/object/apply:os.system ["touch {marker}"]\n' + VARIANTS,
    )
    error = refused(path)
    assert "tags like '!!python/object/apply:os.system' are not allowed" in str(error)
    assert not marker.exists()


def test_a_local_tag_is_refused(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "name: !secret t\n" + VARIANTS))
    assert f"{tmp_path / 's.yaml'}:1:7: tags like '!secret' are not allowed" in str(error)


def test_binary_content_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "picture.yaml"
    path.write_bytes(b"name: t\nlogo: \x89PNG\x00\x00\x00\rIHDR\n")
    error = refused(path)
    assert f"{path}:2:11: not a scenario file: binary content (a NUL byte at byte 18)" in str(error)


def test_utf16_is_named(tmp_path: Path) -> None:
    path = tmp_path / "wide.yaml"
    path.write_bytes(("name: t\n" + VARIANTS).encode("utf-16"))
    assert "saved as UTF-16" in str(refused(path))


def test_a_directory_is_not_a_scenario(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    error = refused(folder)
    assert f"{folder}: is a directory, not a scenario file" in str(error)


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * (5 * 1024 * 1024))  # 50 MiB of text
    started = time.perf_counter()
    error = refused(path)
    elapsed = time.perf_counter() - started
    assert "not a scenario file: 52.4 MB" in str(error)
    assert f"at most {MAX_FILE_TEXT}" in str(error)
    assert elapsed < 5  # generous: the size is checked before a single byte is read


def test_an_alias_bomb_stops_at_the_node_limit_quickly() -> None:
    started = time.perf_counter()
    error = refused(CORPUS / "30-alias-bomb.yaml")
    elapsed = time.perf_counter() - started
    assert "aliases expand to more than 100,000 values" in str(error)
    assert elapsed < 5  # generous: 9**9 values would take minutes and gigabytes


def test_anchors_aliases_and_merge_keys_still_work(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name: t\n"
        "variants:\n"
        "  - &first {name: a, preset: steered, policy: &calm {gain: 0.5, deadband: 0.05}}\n"
        "  - <<: *first\n"
        "    name: b\n"
        "  - {name: c, preset: reactive, policy: *calm}\n",
    )
    scenario = thermosim.load_scenario(path)
    assert [v.name for v in scenario.variants] == ["a", "b", "c"]
    assert scenario.variants[1].levers.mode == "continuous"  # merged from a: steered
    assert scenario.variants[2].policy.deadband == 0.05  # the aliased mapping


def test_yaml_1_2_numbers_and_words(tmp_path: Path) -> None:
    path = write(tmp_path, "name: t\nhorizon_weeks: 1_040\nseed: 0x2A\n" + VARIANTS)
    scenario = thermosim.load_scenario(path)
    assert (scenario.horizon_weeks, scenario.seed) == (1040, 42)


def test_an_inherited_mistake_points_at_the_base_and_an_overridden_one_is_gone(
    tmp_path: Path,
) -> None:
    write(tmp_path, "name: base\nplant:\n  people: {team_size: 0}\n" + VARIANTS, "base.yaml")
    child = write(tmp_path, "name: child\nextends: base.yaml\nhorizon_weeks: 2\n")
    error = refused(child)
    # The child's own mistake first (the file the user named), then the inherited one.
    assert [(Path(p.source).name, p.line, p.field) for p in error.issues] == [
        ("s.yaml", 3, "horizon_weeks"),
        ("base.yaml", 2, "plant"),
    ]
    fixed = write(
        tmp_path,
        "name: child\nextends: base.yaml\nplant: {kind: sales, people: {team_size: 5}}\n",
    )
    assert thermosim.load_scenario(fixed).plant.people.team_size == 5


def test_extends_chain_is_limited(tmp_path: Path) -> None:
    for i in range(10):
        write(tmp_path, f"name: s{i}\nextends: s{i + 1}.yaml\n", f"s{i}.yaml")
    write(tmp_path, "name: s10\n" + VARIANTS, "s10.yaml")
    error = refused(tmp_path / "s0.yaml")
    assert "extends is nested deeper than 8 files" in str(error)


def test_error_survives_pickling_with_its_problems() -> None:
    error = refused(CORPUS / "41-several-problems.yaml")
    copy = pickle.loads(pickle.dumps(error))
    assert copy.issues == error.issues and str(copy) == str(error)
    assert isinstance(copy.issues[0], Problem)


# --- overrides ---------------------------------------------------------------------------------


def test_overrides_change_values_after_extends() -> None:
    scenario = thermosim.load_scenario(
        "lost-key-account",
        [
            "horizon_weeks=52",
            "shocks.0.week=30",
            "variants.1.policy.gain=0.3",
            "variants.0.levers.repertoire=[coaching, call_blitz]",
            "variants.1.policy.integral_time_weeks=null",
            "mechanisms.noise=false",
            "plant.people.team_size=7",
            "title.en=Losing: a key account",
        ],
    )
    assert scenario.horizon_weeks == 52
    assert scenario.shocks[0].week == 30
    steered = scenario.variant("steered")
    assert steered.policy.gain == 0.3
    assert steered.policy.integral_time_weeks is None
    # Fields not overridden still come from the preset.
    assert steered.perception.window_weeks == PRESETS["steered"]["perception"]["window_weeks"]
    assert scenario.variants[0].levers.repertoire == ("coaching", "call_blitz")
    assert scenario.mechanisms.noise is False
    assert scenario.plant.people.team_size == 7  # type: ignore[union-attr]
    assert scenario.title.en == "Losing: a key account"


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "variants.5.policy.gain=0.3",
            "--set variants.5.policy.gain=0.3: no variant 5 (there are 2",
        ),
        (
            "horizon_weeks=abc",
            "--set horizon_weeks=abc: horizon_weeks: expected a whole number, got 'abc'; "
            "weeks simulated: a whole number from 4 to 1040",
        ),
        (
            "horizon_weks=52",
            "--set horizon_weks=52: horizon_weks: unknown key 'horizon_weks': "
            "did you mean 'horizon_weeks'?",
        ),
        (
            "plant.peple.team_size=3",
            "--set plant.peple.team_size=3: plant.peple: unknown key 'peple': "
            "did you mean 'people'?",
        ),
        ("shocks.0.week=-2", "--set shocks.0.week=-2: shocks.0.week: must be at least 0, got -2"),
        ("variants.1.policy.gain=0,3", "use a decimal point: 0.3"),
        ("horizon_weeks", "--set horizon_weeks: expected KEY=VALUE"),
        ("variants..gain=1", "has an empty part"),
        (
            "variants.steered.policy.gain=1",
            "variants is a list: use the number of the variant, e.g. variants.0 "
            "(0 is 'reactive'; 1 is 'steered')",
        ),
        ("horizon_weeks.x=1", "horizon_weeks is 104, not a mapping: it has no x"),
        ("seed=!!python/object:os.system", "tags like '!!python/object:os.system'"),
        ("variants.0.levers.repertoire=[coaching", "never closed"),
        ("shocks.3.week=1", "no shock 3 (there are 1, numbered from 0)"),
    ],
)
def test_bad_overrides_name_the_override(override: str, expected: str) -> None:
    error = refused("lost-key-account", (override,))
    assert expected in str(error)


def test_file_and_override_problems_are_reported_together(tmp_path: Path) -> None:
    path = write(tmp_path, "name: t\nhorizon_weeks: 2\n" + VARIANTS)
    error = refused(path, ("seed=x", "variants.9.name=z"))
    assert [p.source for p in error.issues] == [
        str(path),
        "--set seed=x",
        "--set variants.9.name=z",
    ]
    assert [p.line for p in error.issues] == [2, None, None]


# --- scale -------------------------------------------------------------------------------------


def test_a_thousand_mistakes_are_all_counted_and_shown_with_a_cap(tmp_path: Path) -> None:
    shocks = "".join(f"  - {{kind: lead_rate, week: -{i + 1}, factor: 0.5}}\n" for i in range(1000))
    path = write(tmp_path, "name: many\nshocks:\n" + shocks + VARIANTS)
    error = refused(path)
    assert len(error.problems) == len(error.issues) == 1000
    assert str(error).startswith(f"{path}: 1000 problems\n")
    lines = str(error).splitlines()
    assert len(lines) == 1 + MAX_SHOWN + 1
    assert lines[-1] == f"  ... and {1000 - MAX_SHOWN} more problems"
    assert error.issues[-1].line == 1002 and error.issues[-1].field == "shocks.999.week"


def test_a_thousand_unknown_keys_each_get_a_suggestion(tmp_path: Path) -> None:
    keys = "".join(f"    team_size{i}: 1\n" for i in range(1000))
    path = write(tmp_path, "name: many\nplant:\n  kind: sales\n  people:\n" + keys + VARIANTS)
    error = refused(path)
    assert len(error.issues) == 1000
    assert all("did you mean 'team_size'?" in p for p in error.problems)


# --- refused before a run, not during it -------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["validate"], ["run", "--reps", "1", "--no-figures", "--out", "OUT"]]
)
def test_a_loop_on_a_metric_the_plant_lacks_exits_2_before_running(
    tmp_path: Path, command: list[str]
) -> None:
    # A sales team reading the thermometer would find nothing to read in the run (a KeyError).
    path = write(
        tmp_path,
        "name: t\nvariants:\n  - {name: a, perception: {metric: temperature}}\n"
        "  - {name: b, members: [{metric: temperature, reference: 20}]}\n",
    )
    args = [str(tmp_path) if arg == "OUT" else arg for arg in command]
    result = CliRunner().invoke(main, [*args, str(path)])
    assert result.exit_code == 2, result.output
    assert "variants.0.perception.metric: the sales plant does not measure 'temperature'" in (
        result.output
    )
    assert "variants.1.members.0.metric: the sales plant does not measure" in result.output
    assert not (tmp_path / "t").exists()
