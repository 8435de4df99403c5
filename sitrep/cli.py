"""The command line: parse options, call the library, turn SitrepError into messages and exit codes.

Exit codes: 0 all good, 1 invalid input or failed build, 2 usage error (click's own).
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import InputError, SitrepError

DEFAULT_INPUTS = "inputs"
DEFAULT_OUTPUT = "out"


def _inputs(paths: tuple[Path, ...]) -> list[Path]:
    """YAML files named, and the YAML files inside folders named (sorted), defaulting to inputs/."""
    files: list[Path] = []
    for path in paths or (Path(DEFAULT_INPUTS),):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise click.BadParameter(f"{path}: no such file or folder", param_hint="PATH")
    if not files:
        raise click.BadParameter("no .yaml or .yml files found", param_hint="PATH")
    return files


def _report(error: SitrepError, path: Path) -> None:
    if isinstance(error, InputError):
        for problem in error.problems:
            click.echo(str(problem), err=True)
    else:
        click.echo(f"{path}: {error}", err=True)


def _summary(failed: int, total: int, verb: str) -> None:
    if failed:
        click.echo(f"{failed} of {total} file{'s' if total != 1 else ''} failed to {verb}", err=True)


paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="sitrep")
def main() -> None:
    """Humanitarian situation reports from YAML files of sourced facts.

    Keep a crisis's facts in a YAML file, then build a PDF and Markdown
    situation report from it with `sitrep build`.
    """


@main.command()
@paths_argument
def validate(paths: tuple[Path, ...]) -> None:
    """Check YAML report files and list every problem, located.

    PATH is a YAML file or a folder of them (default: inputs/).
    """
    from .build import check_file

    files = _inputs(paths)
    failed = 0
    for path in files:
        try:
            checked = check_file(path)
        except SitrepError as error:
            failed += 1
            _report(error, path)
            continue
        for warning in checked.warnings:
            click.echo(str(warning), err=True)
        click.echo(f"{path}: ok")
    _summary(failed, len(files), "validate")
    raise SystemExit(1 if failed else 0)


@main.command()
@paths_argument
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUTPUT, show_default=True, help="Folder to write the reports into.")
@click.option("-f", "--format", "formats", type=click.Choice(["pdf", "html", "md"]), multiple=True,
              help="Output format; repeat for several. [default: pdf and md]")
def build(paths: tuple[Path, ...], output: Path, formats: tuple[str, ...]) -> None:
    """Build situation reports from YAML files.

    PATH is a YAML file or a folder of them (default: inputs/). Each input
    INPUT.yaml becomes OUTPUT/INPUT.pdf, .md or .html. A file with errors is
    not built and its earlier outputs are left untouched; the other files are
    still built.
    """
    from .build import DEFAULT_FORMATS, build_file

    files = _inputs(paths)
    chosen = tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS
    failed = 0
    for path in files:
        try:
            written, checked = build_file(path, output, chosen)
        except SitrepError as error:
            failed += 1
            _report(error, path)
            continue
        for warning in checked.warnings:
            click.echo(str(warning), err=True)
        for target in written:
            click.echo(f"wrote {target}")
    _summary(failed, len(files), "build")
    raise SystemExit(1 if failed else 0)
