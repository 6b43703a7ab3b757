"""The command line through click's CliRunner: output, exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from thermosim.cli import main


def test_list_names_every_shipped_scenario() -> None:
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0
    assert "lost-key-account" in result.output and "Losing a key account" in result.output


def test_run_prints_the_kpi_table_per_variant(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "run",
            "baseline",
            "--reps",
            "2",
            "--workers",
            "1",
            "--no-figures",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[1]
    assert "reactive" in header and "steered" in header
    assert any(line.startswith("attainment") for line in result.output.splitlines())


def test_bad_scenario_exits_2_with_field_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nvariants:\n  - {name: a, preset: stered}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 2
    assert "variants.0.preset" in result.output and "did you mean 'steered'" in result.output
    assert "Traceback" not in result.output


def test_bad_option_exits_2() -> None:
    result = CliRunner().invoke(main, ["run", "baseline", "--reps", "0"])
    assert result.exit_code == 2
    assert "--reps" in result.output


def test_every_command_has_help_with_an_example() -> None:
    commands = ("list", "run", "validate", "show", "schema", "new")
    for command in (["--help"], *([name, "--help"] for name in commands)):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0
        assert "Example" in result.output
        # Examples keep their own lines (click's \b marker worked, no literal "\b" left).
        assert "\\b" not in result.output
        assert "\n    thermosim " in result.output


def test_validate_reports_ok_and_exits_0_for_good_files() -> None:
    result = CliRunner().invoke(main, ["validate", "baseline", "lost-key-account"])
    assert result.exit_code == 0
    assert "baseline: ok" in result.output and "lost-key-account: ok" in result.output


def test_validate_lists_every_problem_with_position_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "name: two\nhorizon_weeks: 2\nvariants:\n  - {name: a, preset: steerd}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["validate", str(path), "baseline"])
    assert result.exit_code == 2
    assert f"{path}:2:" in result.output and "horizon_weeks" in result.output
    assert f"{path}:4:" in result.output and "did you mean 'steered'" in result.output
    assert "baseline: ok" in result.output  # the good file is still checked
    assert "Traceback" not in result.output


def test_show_output_loads_back_to_the_same_scenario(tmp_path: Path) -> None:
    import thermosim

    result = CliRunner().invoke(main, ["show", "lost-key-account", "--set", "seed=7"])
    assert result.exit_code == 0
    path = tmp_path / "shown.yaml"
    path.write_text(result.output, encoding="utf-8")
    again = thermosim.load_scenario(path)
    assert again == thermosim.load_scenario("lost-key-account", ["seed=7"])
    assert again.seed == 7


def test_schema_writes_json_schema(tmp_path: Path) -> None:
    import json

    target = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert "variants" in schema["properties"]


def test_new_writes_a_file_that_validates_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["new", "my-team", "--from", "lost-key-account"])
    assert first.exit_code == 0, first.output
    assert runner.invoke(main, ["validate", "my-team.yaml"]).exit_code == 0
    again = runner.invoke(main, ["new", "my-team"])
    assert again.exit_code == 2 and "exists" in again.output
    plain = runner.invoke(main, ["new", "blank"])
    assert plain.exit_code == 0
    assert runner.invoke(main, ["validate", "blank.yaml"]).exit_code == 0
    bad = runner.invoke(main, ["new", "bad name"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_list_in_dutch_shows_dutch_titles() -> None:
    result = CliRunner().invoke(main, ["list", "--lang", "nl"])
    assert result.exit_code == 0
    assert "Een sleutelklant valt weg" in result.output


def test_explain_checks_out_before_simulating(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", "baseline", "--out", str(not_a_folder)])
    assert result.exit_code == 2
    assert "is not a folder" in result.output and "Traceback" not in result.output


def test_figures_of_a_name_too_long_for_the_system_is_exit_2() -> None:
    result = CliRunner().invoke(main, ["figures", "x" * 5000])
    assert result.exit_code == 2
    assert "is not a results folder" in result.output


def test_the_manifest_names_its_format_so_newer_folders_are_refused(tmp_path: Path) -> None:
    import json

    from thermosim.results import FORMAT

    args = ["run", "baseline", "--reps", "1", "--no-figures", "-q", "--out", str(tmp_path)]
    assert CliRunner().invoke(main, [*args, "--set", "horizon_weeks=8"]).exit_code == 0
    manifest = json.loads((tmp_path / "baseline" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == FORMAT
    manifest["format"] = FORMAT + 1
    (tmp_path / "baseline" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    redraw = CliRunner().invoke(main, ["figures", str(tmp_path / "baseline")])
    assert redraw.exit_code == 2 and "newer thermosim" in redraw.output
