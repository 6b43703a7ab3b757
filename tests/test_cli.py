"""The command line through click's CliRunner: output, exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from thermosim.cli import main


def test_list_names_every_shipped_scenario() -> None:
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0
    assert "lost-key-account" in result.output and "Losing a key account" in result.output


def test_run_prints_the_kpi_table_per_variant() -> None:
    result = CliRunner().invoke(main, ["run", "baseline", "--reps", "2", "--workers", "1"])
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
    for command in (["--help"], ["list", "--help"], ["run", "--help"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0
        assert "Example" in result.output
