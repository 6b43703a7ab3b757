"""Damaged or foreign results folders: every reader refuses them with exit 2, the file and why.

A corpus of damaged copies of one real run (``small_results``): truncated, emptied, edited,
linked, replaced, foreign. Each goes through ``figures``, ``deck`` and ``animate``; each must end
in exit 2 with the file named, no traceback and nothing written.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from thermosim.cli import main
from thermosim.results import FILES, FORMAT, ResultsError
from thermosim.saved import DamagedResultsError, read_results

# One xdist worker runs the modules that share the one small run.
pytestmark = [pytest.mark.xdist_group("damaged")]

Damage = Callable[[Path], Path]  # damages a copy of the folder; returns what to give the command


class Kind:
    """One kind of damage: what it does, the file the message must name, and whether the
    folder is recognisably a results folder (then the message says how to re-run it)."""

    def __init__(self, damage: Damage, names: str, rerun: bool = True) -> None:
        self.damage, self.names, self.rerun = damage, names, rerun


KINDS: dict[str, Kind] = {}


def kind(names: str, rerun: bool = True) -> Callable[[Damage], Damage]:
    def register(damage: Damage) -> Damage:
        KINDS[damage.__name__] = Kind(damage, names, rerun)
        return damage

    return register


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines), encoding="utf-8")


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _set_cell(folder: Path, line: int, column: str, value: str) -> Path:
    """Set one cell of timeseries.csv (``line`` 1-based, 1 is the header)."""
    path = folder / "timeseries.csv"
    lines = _lines(path)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[line - 1].rstrip("\n").split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells) + "\n"
    _write_lines(path, lines)
    return folder


def _outside_copy(folder: Path, name: str) -> Path:
    """A copy of a file, in a folder beside the results folder (its own content, undamaged)."""
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    shutil.copy2(folder / name, elsewhere / name)
    return elsewhere / name


# -- the folder itself ------------------------------------------------------------------------


@kind("{given}", rerun=False)
def no_such_folder(folder: Path) -> Path:
    shutil.rmtree(folder)
    return folder


@kind("{given}", rerun=False)
def not_a_results_folder(folder: Path) -> Path:
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "notes.txt").write_text("my holiday photos\n", encoding="utf-8")
    return folder


@kind("timeseries.csv", rerun=False)
def a_file_instead_of_the_folder(folder: Path) -> Path:
    return folder / "timeseries.csv"


@kind("figures")
def figures_is_a_file(folder: Path) -> Path:
    (folder / "figures").write_text("not a folder\n", encoding="utf-8")
    return folder


@kind("figures")
def figures_is_a_link(folder: Path) -> Path:
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir()
    (folder / "figures").symlink_to(elsewhere, target_is_directory=True)
    return folder


def _missing(name: str) -> Damage:
    def damage(folder: Path) -> Path:
        (folder / name).unlink()
        return folder

    return damage


for _name in FILES:
    KINDS[f"missing_{_name}"] = Kind(_missing(_name), _name)


# -- manifest.json ----------------------------------------------------------------------------


@kind("manifest.json")
def manifest_empty(folder: Path) -> Path:
    (folder / "manifest.json").write_bytes(b"")
    return folder


@kind("manifest.json")
def manifest_not_json(folder: Path) -> Path:
    (folder / "manifest.json").write_text('{"thermosim_version": "0.1.0",', encoding="utf-8")
    return folder


@kind("manifest.json")
def manifest_a_list(folder: Path) -> Path:
    _write_json(folder / "manifest.json", [1, 2, 3])
    return folder


@kind("manifest.json")
def manifest_not_utf8(folder: Path) -> Path:
    (folder / "manifest.json").write_bytes(bytes(range(256)) * 4)
    return folder


@kind("manifest.json")
def manifest_nested_too_deep(folder: Path) -> Path:
    (folder / "manifest.json").write_text("[" * 100_000, encoding="utf-8")
    return folder


@kind("manifest.json")
def manifest_of_a_future_format(folder: Path) -> Path:
    data = _json(folder / "manifest.json")
    data["format"] = FORMAT + 1
    _write_json(folder / "manifest.json", data)
    return folder


@kind("manifest.json")
def manifest_of_a_future_version(folder: Path) -> Path:
    data = _json(folder / "manifest.json")
    data["thermosim_version"] = "99.0.0"
    data.pop("format", None)  # without the key, the version alone says it is newer
    _write_json(folder / "manifest.json", data)
    return folder


@kind("manifest.json")
def manifest_without_scenario(folder: Path) -> Path:
    data = _json(folder / "manifest.json")
    del data["resolved_scenario"]
    _write_json(folder / "manifest.json", data)
    return folder


@kind("manifest.json")
def manifest_scenario_invalid(folder: Path) -> Path:
    data = _json(folder / "manifest.json")
    data["resolved_scenario"]["horizon_weeks"] = "long"
    _write_json(folder / "manifest.json", data)
    return folder


@kind("manifest.json")
def manifest_unknown_plant(folder: Path) -> Path:
    data = _json(folder / "manifest.json")
    data["resolved_scenario"]["plant"]["kind"] = "submarine"
    _write_json(folder / "manifest.json", data)
    return folder


@kind("manifest.json")
def manifest_replications_as_text(folder: Path) -> Path:
    data = _json(folder / "manifest.json")
    data["replications"] = "two"
    _write_json(folder / "manifest.json", data)
    return folder


@kind("manifest.json")
def manifest_seed_nan(folder: Path) -> Path:
    path = folder / "manifest.json"
    text = path.read_text(encoding="utf-8")
    assert '"seed": 42,' in text
    path.write_text(text.replace('"seed": 42,', '"seed": NaN,', 1), encoding="utf-8")
    return folder


@kind("manifest.json")
def manifest_other_variants(folder: Path) -> Path:
    data = _json(folder / "manifest.json")
    data["variants"] = ["reactive"]
    _write_json(folder / "manifest.json", data)
    return folder


@kind("manifest.json")
def manifest_links_outside(folder: Path) -> Path:
    target = _outside_copy(folder, "manifest.json")
    (folder / "manifest.json").unlink()
    (folder / "manifest.json").symlink_to(target)
    return folder


@kind("kpis.json")
def kpis_json_links_to_a_device(folder: Path) -> Path:
    (folder / "kpis.json").unlink()
    (folder / "kpis.json").symlink_to("/dev/zero")
    return folder


# -- timeseries.csv ---------------------------------------------------------------------------


@kind("timeseries.csv")
def timeseries_empty(folder: Path) -> Path:
    (folder / "timeseries.csv").write_bytes(b"")
    return folder


@kind("timeseries.csv")
def timeseries_header_only(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    _write_lines(path, _lines(path)[:1])
    return folder


@kind("timeseries.csv")
def timeseries_cut_mid_line(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])
    return folder


@kind("timeseries.csv")
def timeseries_cut_at_a_line(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    _write_lines(path, _lines(path)[:-7])
    return folder


@kind("timeseries.csv")
def timeseries_without_revenue(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    lines = [line.rstrip("\n").split(",") for line in _lines(path)]
    at = lines[0].index("revenue")
    _write_lines(path, [",".join(c[:at] + c[at + 1 :]) + "\n" for c in lines])
    return folder


@kind("timeseries.csv")
def timeseries_without_a_variant(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    _write_lines(path, [line for line in _lines(path) if not line.startswith("steered,")])
    return folder


@kind("timeseries.csv")
def timeseries_without_a_replication(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    _write_lines(path, [line for line in _lines(path) if not line.startswith("reactive,1,")])
    return folder


@kind("timeseries.csv")
def timeseries_row_missing_midway(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    lines = _lines(path)
    _write_lines(path, lines[:10] + lines[11:])
    return folder


@kind("timeseries.csv")
def timeseries_row_repeated(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    lines = _lines(path)
    _write_lines(path, [*lines[:10], lines[9], *lines[10:]])
    return folder


@kind("timeseries.csv")
def timeseries_nan_replication(folder: Path) -> Path:
    return _set_cell(folder, 5, "replication", "nan")


@kind("timeseries.csv")
def timeseries_fractional_week(folder: Path) -> Path:
    return _set_cell(folder, 5, "week", "3.5")


@kind("timeseries.csv")
def timeseries_text_for_a_number(folder: Path) -> Path:
    return _set_cell(folder, 7, "margin", "abc")


@kind("timeseries.csv")
def timeseries_empty_revenue(folder: Path) -> Path:
    return _set_cell(folder, 7, "revenue", "")


@kind("timeseries.csv")
def timeseries_nan_target(folder: Path) -> Path:
    return _set_cell(folder, 30, "target", "nan")


@kind("timeseries.csv")
def timeseries_infinite_extra_series(folder: Path) -> Path:
    return _set_cell(folder, 30, "pipeline_value", "inf")


@kind("timeseries.csv")
def timeseries_unknown_variant(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    lines = _lines(path)
    _write_lines(path, [line.replace("steered,", "bogus,", 1) for line in lines])
    return folder


@kind("timeseries.csv")
def timeseries_extra_cell(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    lines = _lines(path)
    lines[12] = lines[12].rstrip("\n") + ",1.0\n"
    _write_lines(path, lines)
    return folder


@kind("timeseries.csv")
def timeseries_foreign_header(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    lines = _lines(path)
    lines[0] = lines[0].replace("variant,replication,week", "scenario,run,day", 1)
    _write_lines(path, lines)
    return folder


@kind("timeseries.csv")
def timeseries_repeated_column(folder: Path) -> Path:
    path = folder / "timeseries.csv"
    lines = _lines(path)
    lines[0] = lines[0].replace(",margin,", ",revenue,", 1)
    _write_lines(path, lines)
    return folder


@kind("timeseries.csv")
def timeseries_huge(folder: Path) -> Path:
    # A sparse file: 600 MB to the system, nothing on the disk, and it must not be read.
    os.truncate(folder / "timeseries.csv", 600 * 2**20)
    return folder


@kind("timeseries.csv")
def timeseries_is_a_folder(folder: Path) -> Path:
    (folder / "timeseries.csv").unlink()
    (folder / "timeseries.csv").mkdir()
    return folder


@kind("timeseries.csv")
def timeseries_links_outside(folder: Path) -> Path:
    target = _outside_copy(folder, "timeseries.csv")
    (folder / "timeseries.csv").unlink()
    (folder / "timeseries.csv").symlink_to(target)
    return folder


# -- kpis.json, interventions.csv, kpis.csv ---------------------------------------------------


@kind("kpis.json")
def kpis_a_list(folder: Path) -> Path:
    _write_json(folder / "kpis.json", [])
    return folder


@kind("kpis.json")
def kpis_without_a_variant(folder: Path) -> Path:
    data = _json(folder / "kpis.json")
    del data["steered"]
    _write_json(folder / "kpis.json", data)
    return folder


@kind("kpis.json")
def kpis_of_an_unknown_variant(folder: Path) -> Path:
    data = _json(folder / "kpis.json")
    data["bogus"] = data["reactive"]
    _write_json(folder / "kpis.json", data)
    return folder


@kind("kpis.json")
def kpis_text_for_a_number(folder: Path) -> Path:
    data = _json(folder / "kpis.json")
    data["reactive"]["attainment"]["mean"] = "high"
    _write_json(folder / "kpis.json", data)
    return folder


@kind("kpis.json")
def kpis_nan(folder: Path) -> Path:
    data = _json(folder / "kpis.json")
    data["steered"]["fatigue_mean"]["p50"] = float("nan")
    _write_json(folder / "kpis.json", data)  # json.dumps writes NaN
    return folder


@kind("kpis.json")
def kpis_without_a_kpi(folder: Path) -> Path:
    data = _json(folder / "kpis.json")
    del data["reactive"]["operating_profit"]
    _write_json(folder / "kpis.json", data)
    return folder


@kind("kpis.json")
def kpis_null_stats(folder: Path) -> Path:
    data = _json(folder / "kpis.json")
    data["reactive"]["attainment"] = None
    _write_json(folder / "kpis.json", data)
    return folder


@kind("interventions.csv")
def interventions_foreign_header(folder: Path) -> Path:
    path = folder / "interventions.csv"
    lines = _lines(path)
    lines[0] = "who,what,when\n"
    _write_lines(path, lines)
    return folder


@kind("interventions.csv")
def interventions_nan_week(folder: Path) -> Path:
    path = folder / "interventions.csv"
    lines = _lines(path)
    cells = lines[3].split(",")
    cells[2] = "nan"
    lines[3] = ",".join(cells)
    _write_lines(path, lines)
    return folder


@kind("interventions.csv")
def interventions_cut_mid_line(folder: Path) -> Path:
    path = folder / "interventions.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 3])
    return folder


@kind("kpis.csv")
def kpis_csv_not_a_table(folder: Path) -> Path:
    (folder / "kpis.csv").write_text("hello, world\n", encoding="utf-8")
    return folder


# -- summary.json (what the figures draw; the manifest lists it) -------------------------------


@kind("summary.json")
def summary_not_json(folder: Path) -> Path:
    (folder / "summary.json").write_text('{"format": 1, "weeks": ', encoding="utf-8")
    return folder


@kind("summary.json")
def summary_a_week_short(folder: Path) -> Path:
    data = _json(folder / "summary.json")
    data["variants"]["steered"]["weekly"]["revenue"]["p50"].pop()
    _write_json(folder / "summary.json", data)
    return folder


@kind("summary.json")
def summary_listed_but_missing(folder: Path) -> Path:
    (folder / "summary.json").unlink()
    return folder


@pytest.mark.parametrize(
    ("content", "problem"),
    [("{}", "does not hold what `thermosim explain` writes"), ("[1]", "is not an explain.json")],
)
def test_a_damaged_explain_json_is_exit_2_in_the_deck(
    small_results: Path, tmp_path: Path, content: str, problem: str
) -> None:
    folder = tmp_path / "results" / small_results.name
    shutil.copytree(small_results, folder)
    (folder / "explain.json").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["deck", str(folder), "-o", str(tmp_path / "t.pptx")])
    assert result.exit_code == 2, result.output
    assert "explain.json" in result.output and problem in result.output
    assert "Traceback" not in result.output and not (tmp_path / "t.pptx").exists()


COMMANDS = {
    "figures": lambda given, out: ["figures", str(given)],
    # --out: should anything be run instead of refused, it lands in `out` and fails the test.
    "deck": lambda given, out: ["deck", str(given), "-o", f"{out}/talk.pptx", "--out", str(out)],
    "animate": lambda given, out: ["animate", str(given), "-o", f"{out}/a.gif", "--out", str(out)],
}


def test_the_corpus_has_at_least_25_kinds() -> None:
    assert len(KINDS) >= 25


def _damaged_copy(small_results: Path, tmp_path: Path, name: str) -> tuple[Path, Kind]:
    folder = tmp_path / "results" / small_results.name
    # Without the figures: no kind needs them, and each test copies.
    shutil.copytree(small_results, folder, ignore=shutil.ignore_patterns("figures"))
    return KINDS[name].damage(folder), KINDS[name]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("name", list(KINDS))
def test_a_damaged_folder_exits_2_naming_the_file(
    small_results: Path, tmp_path: Path, name: str, command: str
) -> None:
    given, damage = _damaged_copy(small_results, tmp_path, name)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, COMMANDS[command](given, out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    expected = str(given) if damage.names == "{given}" else damage.names
    assert expected in result.output, result.output
    if damage.rerun:
        assert "thermosim run baseline" in result.output, result.output
    assert not out.exists(), "nothing is written for a damaged folder"
    assert len(result.output.strip().splitlines()) <= 2, "one message, not a dump"


def test_read_results_raises_a_results_error_with_the_parts(
    small_results: Path, tmp_path: Path
) -> None:
    folder, _ = _damaged_copy(small_results, tmp_path, "timeseries_empty_revenue")
    with pytest.raises(DamagedResultsError) as caught:
        read_results(folder)
    error = caught.value
    assert isinstance(error, ResultsError) and error.bad_input
    assert error.file == folder / "timeseries.csv"
    assert "line 7, column revenue" in error.problem
    assert error.hint.startswith("re-run it: thermosim run baseline --out ")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.file == error.file


def test_a_newer_thermosim_of_the_same_format_is_read(small_results: Path, tmp_path: Path) -> None:
    folder, _ = _damaged_copy(small_results, tmp_path, "manifest_of_a_future_version")
    data = _json(folder / "manifest.json")
    data["format"] = FORMAT  # the format, not the version, decides once it is written
    _write_json(folder / "manifest.json", data)
    assert read_results(folder).reps == 2


def test_the_future_format_message_says_what_this_one_reads(
    small_results: Path, tmp_path: Path
) -> None:
    folder, _ = _damaged_copy(small_results, tmp_path, "manifest_of_a_future_format")
    with pytest.raises(DamagedResultsError, match=rf"newer thermosim .*format {FORMAT + 1}\); "):
        read_results(folder)
    with pytest.raises(DamagedResultsError, match=rf"reads up to format {FORMAT}; upgrade"):
        read_results(folder)


def test_a_spreadsheet_resave_with_bom_and_crlf_reads_the_same_numbers(
    small_results: Path, tmp_path: Path
) -> None:
    folder, _ = _damaged_copy(small_results, tmp_path, "figures_is_a_file")
    (folder / "figures").unlink()
    path = folder / "timeseries.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    again, before = read_results(folder), read_results(small_results)
    for variant in before.variants:
        for name, values in before.series[variant].items():
            assert np.array_equal(again.series[variant][name], values, equal_nan=True)


def test_a_series_a_figure_needs_beyond_the_plant_s_own_exits_2(
    small_results: Path, tmp_path: Path
) -> None:
    # hours_admin is not among the plant's required series; only the time-allocation figure
    # draws it, so the reader lets it pass and the figure's request is refused.
    folder = tmp_path / "results" / small_results.name
    shutil.copytree(small_results, folder, ignore=shutil.ignore_patterns("figures"))
    path = folder / "timeseries.csv"
    rows = [line.rstrip("\n").split(",") for line in _lines(path)]
    at = rows[0].index("hours_admin")
    _write_lines(path, [",".join(r[:at] + r[at + 1 :]) + "\n" for r in rows])
    result = CliRunner().invoke(main, ["figures", str(folder)])
    assert result.exit_code == 2, result.output
    assert "timeseries.csv: has no column 'hours_admin'" in result.output
    assert "Traceback" not in result.output


def test_the_deck_redraws_a_figure_that_is_not_a_png(small_results: Path, tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "results" / small_results.name
    shutil.copytree(small_results, folder)
    broken = folder / "figures" / "revenue-vs-target.en.png"
    broken.write_bytes(broken.read_bytes()[:500])  # cut short, as by a full disk
    result = CliRunner().invoke(main, ["deck", str(folder), "-o", str(tmp_path / "t.pptx")])
    assert result.exit_code == 0, result.output
    with Image.open(broken) as picture:
        picture.load()
        assert picture.size[0] > 1000
