"""Commands on scenario files: ``list``, ``validate``, ``show``, ``schema`` and ``new``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thermosim.cli.app import EXIT_BAD_INPUT, LANG_OPTION, fail, guarded, main
from thermosim.config import load_scenario, shipped_names
from thermosim.config.dump import dump_scenario, new_scenario_text
from thermosim.config.schema import schema_text, write_schema
from thermosim.errors import ScenarioError


@main.command("list")
@LANG_OPTION
@guarded
def list_scenarios(lang: str) -> None:
    """List the shipped scenarios: name, title and what each shows.

    \b
    Examples:
      thermosim list
      thermosim list --lang nl
    """
    for name in shipped_names():
        scenario = load_scenario(name)
        title = getattr(scenario.title, lang) or scenario.title.en
        about = getattr(scenario.description, lang) or scenario.description.en
        click.echo(f"{name:22s} {title}")
        if about:
            click.echo(f"{'':22s} {about}")


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Check with a change.")
@guarded
def validate(scenarios: tuple[str, ...], overrides: tuple[str, ...]) -> None:
    """Check scenario files; list every problem with file, line, field and a hint.

    Exits 0 when every file is valid, 2 when any is not.

    \b
    Examples:
      thermosim validate my-team.yaml
      thermosim validate scenarios/*.yaml
    """
    failed = 0
    for name in scenarios:
        try:
            scenario = load_scenario(name, overrides)
        except ScenarioError as exc:
            failed += 1
            click.echo(str(exc), err=True)
        else:
            variants = ", ".join(v.name for v in scenario.variants)
            click.echo(f"{name}: ok ({scenario.name}; variants {variants})")
    if failed:
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("scenario")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Show with a change.")
@guarded
def show(scenario: str, overrides: tuple[str, ...]) -> None:
    """Print the fully resolved SCENARIO (after extends, presets and --set) as YAML.

    Every field is written, with a comment saying what it means; the output is itself a valid
    scenario file.

    \b
    Examples:
      thermosim show lost-key-account
      thermosim show baseline --set variants.1.policy.gain=0.5 > my-baseline.yaml
    """
    click.echo(dump_scenario(load_scenario(scenario, overrides)), nl=False)


@main.command()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to this file (default: print)."
)
@guarded
def schema(output: Path | None) -> None:
    """The JSON Schema of scenario files, for completion and checks in editors.

    Editors with the YAML language server pick it up from a file's first line:
    `# yaml-language-server: $schema=thermosim.schema.json`.

    \b
    Examples:
      thermosim schema -o thermosim.schema.json
      thermosim schema > thermosim.schema.json
    """
    if output is None:
        click.echo(schema_text(), nl=False)
        return
    try:
        write_schema(output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_BAD_INPUT)
    click.echo(f"wrote {output}")


@main.command()
@click.argument("name")
@click.option("--from", "base", metavar="BASE", help="Start from this scenario (name or path).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@guarded
def new(name: str, base: str | None, force: bool) -> None:
    """Write NAME.yaml: a commented scenario file to start from (valid as it is).

    \b
    Examples:
      thermosim new my-team
      thermosim new my-team --from lost-key-account
    """
    target = Path(f"{name}.yaml")
    if target.exists() and not force:
        fail(f"{target} exists; choose another name or add --force", EXIT_BAD_INPUT)
    text = new_scenario_text(name, base)
    target.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"wrote {target}; check it with: thermosim validate {target}")
