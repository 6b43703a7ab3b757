"""Packaging: every package under src/ is listed in pyproject.toml, scenarios ship as data."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT / "src").parts)
        for init in (ROOT / "src").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert "thermosim.scenarios" in listed
    # Folders of data files (templates, the example team) are importable namespace packages
    # to Python: setuptools warns unless they are listed, and ships their files by that name.
    bases = {ROOT / "src" / "thermosim": "thermosim", ROOT / "scenarios": "thermosim.scenarios"}
    data_folders = {
        ".".join((prefix, *folder.relative_to(base).parts))
        for base, prefix in bases.items()
        for folder in base.rglob("*")
        if folder.is_dir()
        and not folder.name.startswith((".", "__"))
        and any(f.is_file() and f.suffix != ".py" for f in folder.iterdir())
    }
    assert {"thermosim.scenarios.data", "thermosim.play.templates"} <= data_folders
    assert data_folders <= listed, f"list as packages: {sorted(data_folders - listed)}"


def test_shipped_scenarios_are_installed_with_the_package() -> None:
    import thermosim
    from thermosim.config.loader import shipped_dir

    on_disk = {p.name for p in (ROOT / "scenarios").glob("*.yaml")}
    installed = {p.name for p in shipped_dir().glob("*.yaml")}
    assert on_disk == installed
    assert "baseline" in thermosim.shipped_names()
