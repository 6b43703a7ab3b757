"""A scenario file cannot make thermosim read elsewhere, echo other files, or run away.

The YAML reader (ruamel's composer plus `thermosim.config.yaml_tree`) and the ``extends``
resolution of the loader, tried the way a hostile or unlucky file would.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

import thermosim
from thermosim import ScenarioError
from thermosim.config.yaml_io import parse_yaml

VARIANTS = "variants:\n  - {name: reactive, preset: reactive}\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        thermosim.load_scenario(path)
    return str(info.value)


def test_extends_may_not_name_an_absolute_path(tmp_path: Path) -> None:
    secret = write(tmp_path / "elsewhere", "secret.yaml", f"name: secret\n{VARIANTS}")
    child = write(tmp_path / "mine", "child.yaml", f"name: child\nextends: {secret}\n")
    text = refused(child)
    assert "is outside this scenario's folder" in text
    assert "child.yaml:2:10: extends:" in text


def test_extends_may_not_climb_out_of_the_scenario_folder(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", f"name: base\n{VARIANTS}")
    child = write(tmp_path / "sub", "child.yaml", "name: child\nextends: ../base.yaml\n")
    assert "'../base.yaml' is outside this scenario's folder" in refused(child)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_extends_through_a_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere", "base.yaml", f"name: base\n{VARIANTS}")
    (tmp_path / "mine").mkdir()
    os.symlink(outside, tmp_path / "mine" / "base.yaml")
    child = write(tmp_path / "mine", "child.yaml", "name: child\nextends: base.yaml\n")
    assert "is outside this scenario's folder" in refused(child)


def test_extends_inside_the_folder_tree_and_shipped_bases_still_work(tmp_path: Path) -> None:
    write(tmp_path / "bases", "team.yaml", "name: team\nextends: lost-key-account\n")
    child = write(tmp_path, "child.yaml", "name: child\nextends: bases/team.yaml\n")
    scenario = thermosim.load_scenario(child)
    # The shipped lost-key-account extends the shipped baseline: that chain is allowed.
    assert scenario.name == "child"
    assert [s.kind for s in scenario.shocks] == ["lost_account"]


def test_a_base_that_is_not_a_scenario_is_not_echoed(tmp_path: Path) -> None:
    line = "root:x:0:0:root:/root:/bin/bash " + "and the rest of a private file " * 20
    write(tmp_path, "notes.yaml", line + "\n")
    child = write(tmp_path, "child.yaml", "name: child\nextends: notes\n")
    text = refused(child)
    assert "a scenario must be a mapping" in text
    assert "private file and the rest" not in text  # cut after its start
    assert len(text) < 400


@pytest.mark.parametrize("prefix, digit", [("0x", "f"), ("0o", "7"), ("0b", "1"), ("", "9")])
def test_an_integer_of_thousands_of_digits_is_refused_with_a_short_message(
    tmp_path: Path, prefix: str, digit: str
) -> None:
    huge = prefix + digit * 5000
    path = write(tmp_path, "s.yaml", f"name: s\nseed: {huge}\n{VARIANTS}")
    text = refused(path)
    assert "s.yaml:2:7: seed: expected a whole number" in text
    assert len(text) < 500


def test_an_alias_inside_its_own_anchor_is_unknown_there() -> None:
    for text in ("a: &x [1, *x]\n", "a: &x {b: 1, <<: *x}\n"):
        with pytest.raises(ScenarioError, match=r"unknown alias '\*x'"):
            parse_yaml(text, "s.yaml")


def test_aliases_cannot_build_nesting_deeper_than_the_limit() -> None:
    deep = "[" * 30 + "1" + "]" * 30
    text = f"a: &a {deep}\nb: &b [[[*a]]]\nc: [[[*b]]]\n"
    with pytest.raises(ScenarioError, match="aliases nest deeper than 32 levels") as info:
        parse_yaml(text, "s.yaml")
    assert info.value.issues[0].line == 2  # the alias that went too deep, where it was written


def test_nesting_thousands_deep_is_refused_quickly_at_the_limit() -> None:
    text = "a: " + "[" * 20_000 + "]" * 20_000 + "\n"
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match="nested deeper than 32 levels") as info:
        parse_yaml(text, "s.yaml")
    # The composer stops at the limit instead of recursing into Python's own limit.
    assert (info.value.issues[0].line, info.value.issues[0].column) == (1, 35)
    assert time.perf_counter() - started < 30  # generous: a guard against a hang, not a timing


def test_scalars_are_typed_by_ruamels_yaml_1_2_resolver() -> None:
    parsed = parse_yaml(
        "a: 0x1F\nb: 0o17\nc: 1_000\nd: .5\ne: yes\nf: ~\ng: TRUE\nh: 2024-01-01\ni: '5'\n", "s"
    )
    assert parsed.value == {
        "a": 31,
        "b": 15,
        "c": 1000,
        "d": 0.5,
        "e": "yes",  # YAML 1.2: only true/false are switches
        "f": None,
        "g": True,
        "h": "2024-01-01",  # no field takes a date: it stays text
        "i": "5",
    }
    assert parsed.values[("h",)].line == 8


def test_a_scenario_name_too_long_for_the_system_is_a_short_scenario_error() -> None:
    with pytest.raises(ScenarioError) as info:
        thermosim.load_scenario("a" * 5000)
    # The system refuses the name (or finds nothing): either way a problem, not an OSError,
    # and the name is not echoed in full.
    assert len(str(info.value)) < 1000
