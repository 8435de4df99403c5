"""The command line: parse options, call the library, turn errors into messages and exit codes.

Every command reports what went wrong the same way, through ``_Tally`` (per file: its messages, a count and
the exit code) or ``_reporting`` (a command's one error), both with ``sitrep.errors.messages``; `watch` and
`serve` print with the same style. Defaults come from ``sitrep.settings``.

Exit codes: 0 all good, 1 invalid input or failed build, 2 usage error (click's own).
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, settings
from .errors import Bug, InputError, Problem, SitrepError, describe, messages, printable
from .products import FORMATS, PRODUCTS, VARIANTS

if TYPE_CHECKING:  # what a command needs is imported in it: `sitrep --help` loads no model, no template
    from .build import Options, Piped


def _inputs(paths: tuple[Path, ...], name: str = settings.STDIN_NAME) -> list[Path | Piped]:
    """YAML files named, and the YAML files inside folders named (sorted), defaulting to ``settings.INPUTS``;
    `-` is what comes through standard input (outputs named ``name``)."""
    import sys

    from .build import Piped
    from .load import MAX_BYTES

    files: list[Path | Piped] = []
    if [str(path) for path in paths].count("-") > 1:
        raise click.BadParameter("standard input (-) can be read once", param_hint="PATH")
    for path in paths or (Path(settings.INPUTS),):
        if str(path) == "-":
            files.append(Piped(sys.stdin.buffer.read(MAX_BYTES + 1), name))
        elif path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise click.BadParameter(f"{printable(str(path))}: no such file or folder", param_hint="PATH")
    if not files:
        raise click.BadParameter("no .yaml or .yml files found", param_hint="PATH")
    return files


def _outputs_apart(files: list[Path | Piped]) -> list[Path | Piped]:
    """``files``, each once; a usage error if two files' outputs would have one name (a 'sitrep.yaml' in two
    folders built into one): each would overwrite the other's, a format at a time."""
    from .build import Piped

    unique: dict[object, Path | Piped] = {}
    for file in files:
        unique.setdefault(id(file) if isinstance(file, Piped) else file.resolve(), file)
    kept = list(unique.values())
    by_stem: dict[str, list[Path | Piped]] = {}
    for file in kept:
        by_stem.setdefault(file.stem, []).append(file)
    for stem, same in by_stem.items():
        if len(same) > 1:
            named = " and ".join(printable(str(file)) if isinstance(file, Path) else "-" for file in same)
            raise click.BadParameter(
                f"{named} would both write {stem}.* into one folder: build them with separate -o, or rename one",
                param_hint="PATH",
            )
    return kept


def _color() -> bool | None:
    """Colour only on a terminal (click's default), never when NO_COLOR is set (no-color.org)."""
    return False if os.environ.get("NO_COLOR") else None


def _style(kind: str, text: str) -> str:
    """How the CLI styles a message (``sitrep.errors.Style``): place in bold, error in red, warning in yellow."""
    if kind == "where":
        return click.style(text, bold=True)
    if kind == "error":
        return click.style(text, fg="red")
    return click.style(text, fg="yellow", bold=True)


def _say(line: str) -> None:
    click.echo(line, err=True, color=_color())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class _Tally:
    """Prints the problems of each file as they come, then the summary (unless ``quiet``); knows the exit
    code. With ``verbose``, a bug's traceback is printed too."""

    def __init__(self, failed_label: str = "failed", *, quiet: bool = False, verbose: bool = False) -> None:
        self.errors = self.warnings = self.files = 0
        self.failed: list[Path | Piped] = []
        self.failed_label = failed_label
        self.quiet, self.verbose = quiet, verbose

    def file(self, path: Path | Piped, error: Exception | None = None, warnings: list[Problem] = ()) -> None:
        self.files += 1
        if error is not None:
            for line in messages(path, error, verbose=self.verbose, style=_style):
                _say(line)
            problems = error.problems if isinstance(error, InputError) else ()
            self.errors += sum(problem.is_error for problem in problems) or 1
            self.warnings += sum(not problem.is_error for problem in problems)
            self.failed.append(path)
        for warning in warnings:
            _say(describe(warning, _style))
            self.warnings += 1

    def finish(self) -> None:
        if self.failed and self.files > 1:  # in a batch, name the files to look at again
            _say(f"{self.failed_label}: {', '.join(printable(str(path)) for path in self.failed)}")
        summary = (
            f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')} in {_plural(self.files, 'file')}"
        )
        if not self.quiet:
            _say(summary)
        raise SystemExit(1 if self.failed else 0)


@contextlib.contextmanager
def _terminable() -> Iterator[None]:
    """A request to terminate (SIGTERM: `kill`, a service manager) stops a command as Ctrl-C does, so that its
    workers are stopped and their temporary folders removed on the way out."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may handle signals
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _reporting(path: Path | None = None, *, code: int = 1, verbose: bool = False) -> Iterator[None]:
    """Run a command's work: its error (about ``path``, if it is about one file), or a bug, becomes its
    messages and exit ``code``."""
    try:
        yield
    except click.ClickException:
        raise
    except Exception as error:
        failure = error if isinstance(error, SitrepError) else Bug.caught(error)
        for line in messages(path, failure, verbose=verbose, style=_style):
            _say(line)
        raise SystemExit(code) from None


def _defaults_told(command):
    """A command whose help names a default as ``{inputs}``, with the default of sitrep.settings written in."""
    command.__doc__ = command.__doc__.replace("{inputs}", settings.INPUTS)
    return command


paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


def _formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(formats)) or settings.FORMATS


def _options(
    template: str, templates: tuple[Path, ...], pdf_variant: str | None, strict: bool, languages: tuple[str, ...]
) -> Options:
    from .build import Options

    return Options(template=template, templates=templates, pdf_variant=pdf_variant, strict=strict, languages=languages)


def _languages(context: click.Context, parameter: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """The --lang tags as given, once each; a tag that is not one is a usage error."""
    from .model import LANGUAGE_PATTERN

    for tag in value:
        if not re.fullmatch(LANGUAGE_PATTERN, tag):
            raise click.BadParameter(f"'{tag}' is not a language tag such as en, fr or ar")
    return tuple(dict.fromkeys(value))


strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def chattiness(command):
    """--quiet and --verbose, which commands that work through files share."""
    command = click.option(
        "-v", "--verbose", is_flag=True, help="Also say how long each file took, and the details of a bug in sitrep."
    )(command)
    return click.option(
        "-q", "--quiet", is_flag=True, help="Print only the problems found: no 'ok' or 'wrote' lines, no summary."
    )(command)


verbosity = click.option("-v", "--verbose", is_flag=True, help="Also print the details of a bug in sitrep.")
"""--verbose for `watch` and `serve`, which always say how long each build took."""


def limits_options(command):
    """--timeout and --memory: the limits every build runs under (`build`, `watch`, `serve`)."""
    command = click.option(
        "--memory",
        type=click.IntRange(min=256),
        default=settings.MEMORY_MIB,
        show_default=True,
        help="Memory (MiB of address space) one file's build may use.",
    )(command)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=1),
        default=settings.TIMEOUT_SECONDS,
        show_default=True,
        help="Seconds one file's build may take before it is stopped.",
    )(command)


def _limits(timeout: float, memory: int):
    from .batch import Limits

    return Limits(timeout, memory)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="sitrep")
def main() -> None:
    """Humanitarian situation reports from YAML files of sourced facts.

    Keep a crisis's facts in a YAML file, then build a PDF and Markdown
    situation report from it with `sitrep build`.
    """
    # A build makes many objects that live until it ends (the model, the view, WeasyPrint's boxes), which
    # Python's collector, run after every 700 new objects by default, walks again and again: every 50,000
    # still collects cycles, at a fraction of the cost (-18 % CPU for a Markdown build of 10,000 events and
    # figures, -22 % for the PDF of 1,000; the same peak memory).
    gc.set_threshold(50_000, 20, 100)


def run() -> None:
    """The `sitrep` command (and `python -m sitrep`): ``main``, then the process ends at once.

    By the time ``main`` ends, a command has written, flushed and closed its files, stopped its workers and
    removed their temporary folders. What Python would do next, freeing every object one by one, costs a
    cold command more than much of its own work: 0.03 s of `validate`'s 0.18 s of CPU, 0.1 s of a PDF's
    (WeasyPrint's modules). So once standard output and error are flushed, the process exits (``os._exit``)
    with ``main``'s exit code, as the workers already do; functions registered with ``atexit`` do not run,
    and the command line registers none it needs. An exception other than the exit itself, or a flush that
    fails (a closed pipe), leaves Python to end the process as usual.
    """
    try:
        main(prog_name="sitrep")
        code = 0
    except SystemExit as stop:
        if stop.code is not None and not isinstance(stop.code, int):
            raise  # a message as the exit code: Python prints it
        code = stop.code or 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code)


@main.command()
@paths_argument
@strict_option
@chattiness
@_defaults_told
def validate(paths: tuple[Path, ...], strict: bool, quiet: bool, verbose: bool) -> None:
    """Check YAML report files and list every problem, located.

    PATH is a YAML file or a folder of them (default: {inputs}/), or - for
    standard input. Errors and warnings are listed by line, then a summary.
    """
    import time

    from .build import check_file

    tally = _Tally("invalid", quiet=quiet, verbose=verbose)
    for path in _inputs(paths):
        started = time.perf_counter()
        try:
            checked = check_file(path, strict=strict)
        except SitrepError as error:
            tally.file(path, error)
            continue
        except Exception as error:  # a bug in sitrep fails this file only
            tally.file(path, Bug.caught(error))
            continue
        tally.file(path, warnings=checked.warnings)
        if not quiet:
            took = f" ({time.perf_counter() - started:.2f} s)" if verbose else ""
            click.echo(f"{printable(str(path))}: ok{took}")
    tally.finish()


def build_options(command):
    """The options `build` and `watch` share: output folder, formats, product, templates, PDF variant."""
    options = [
        click.option(
            "-o",
            "--output",
            "output",
            type=click.Path(file_okay=False, path_type=Path),
            default=settings.OUTPUT,
            show_default=True,
            help="Folder to write the reports into.",
        ),
        click.option(
            "-f",
            "--format",
            "formats",
            type=click.Choice(FORMATS),
            multiple=True,
            help="Output format; repeat for several: pdf, html, md, docx (Word, to restyle with "
            "an organisation's template), hxl (CSV with HXL hashtags "
            "for the Humanitarian Data Exchange), json (the validated report and what sitrep derives "
            f"from it). [default: {' and '.join(settings.FORMATS)}]",
        ),
        click.option(
            "-t",
            "--template",
            "template",
            type=click.Choice(list(PRODUCTS)),
            default=settings.TEMPLATE,
            show_default=True,
            help="Product: sitrep (full report), flash (one-page Flash Update), brief (analytical briefing note).",
        ),
        click.option(
            "--templates",
            "templates",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            multiple=True,
            help="Folder of templates or CSS that override the built-in ones by name, "
            "or with a reference.docx whose styles the Word output takes; searched first. Repeat for "
            "several.",
        ),
        click.option(
            "--pdf-variant",
            "pdf_variant",
            type=click.Choice(VARIANTS),
            help="pdf/a-3b: the default PDF with the source YAML attached; pdf/ua-1: claims PDF/UA-1 "
            "(accessible) only, not PDF/A. [default: archival PDF/A-3b and accessible PDF/UA-1 at once]",
        ),
        click.option(
            "--lang",
            "languages",
            multiple=True,
            callback=_languages,
            metavar="TAG",
            help="Build the edition in this language (en, fr, ar...); repeat for several. "
            "[default: one in each of the file's languages, `report.language`]",
        ),
        strict_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@paths_argument
@build_options
@chattiness
@click.option(
    "--name",
    default=settings.STDIN_NAME,
    show_default=True,
    help="What the outputs of a file read from standard input (PATH -) are named: NAME.pdf...",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Files to build at once. [default: the number of cores]")
@limits_options
@_defaults_told
def build(
    paths: tuple[Path, ...],
    output: Path,
    formats: tuple[str, ...],
    jobs: int | None,
    timeout: float,
    memory: int,
    quiet: bool,
    verbose: bool,
    name: str,
    **choices,
) -> None:
    """Build situation reports from YAML files.

    PATH is a YAML file or a folder of them (default: {inputs}/), or - for
    standard input (outputs named with --name). Each input INPUT.yaml
    becomes OUTPUT/INPUT.pdf, .md, .html (the flash update and the briefing
    note add -flash or -brief to the name). Files are built in parallel,
    each under a time and memory limit. A file with errors is not built and
    its earlier outputs are left untouched; the other files are still built.
    """
    from .batch import Outcome, build_all

    if not re.fullmatch(r"[\w.-]+", name) or name.startswith("."):
        raise click.BadParameter(
            f"'{name}' cannot name a file: use letters, digits, '-', '_' or '.'", param_hint="--name"
        )
    files = _outputs_apart(_inputs(paths, name))
    outcomes = build_all(
        files,
        output,
        _formats(formats),
        _options(**choices),
        jobs=jobs or settings.jobs(),
        limits=_limits(timeout, memory),
    )
    tally = _Tally("not built", quiet=quiet, verbose=verbose)
    finished: dict[Path | Piped, Outcome] = {}
    with _terminable(), contextlib.closing(outcomes), _progress(len(files)) as progress:
        for outcome in outcomes:  # they finish in any order; report them in the order given, as soon as we can
            progress.update(1)
            finished[outcome.path] = outcome
            while files and files[0] in finished:
                done = finished.pop(files.pop(0))
                tally.file(done.path, done.error, list(done.warnings))
                for target in () if quiet else done.written:
                    click.echo(f"wrote {printable(str(target))}")
                if verbose and not done.error:
                    click.echo(f"built {printable(str(done.path))} in {done.seconds:.2f} s", err=True)
    tally.finish()


def _progress(total: int):
    """A progress bar on a terminal, for more than one file; nothing otherwise."""
    import contextlib
    import sys

    if total > 1 and sys.stderr.isatty():
        return click.progressbar(length=total, label="building", file=sys.stderr, color=_color())
    return contextlib.nullcontext(_NoProgress())


class _NoProgress:
    def update(self, steps: int) -> None:
        pass


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@build_options
@limits_options
@verbosity
@_defaults_told
def watch(
    paths: tuple[Path, ...],
    output: Path,
    formats: tuple[str, ...],
    timeout: float,
    memory: int,
    verbose: bool,
    **choices,
) -> None:
    """Build, then rebuild whenever a YAML file or a template changes.

    PATH is a YAML file or a folder of them (default: {inputs}/). On a mistake
    the located messages are shown and the last good output is kept. Each
    build runs under the same limits as in `sitrep build`. Stop with Ctrl-C.
    """
    from .watch import watch as watch_files

    _outputs_apart(_inputs(paths))  # refuses, as build does, paths with no YAML files, or whose outputs collide
    targets = list(paths) or [Path(settings.INPUTS)]
    click.echo(f"watching {', '.join(printable(str(target)) for target in targets)} and the templates (Ctrl-C to stop)")
    try:
        with _terminable(), _reporting(verbose=verbose):
            watch_files(
                targets,
                output,
                _formats(formats),
                options=_options(**choices),
                limits=_limits(timeout, memory),
                echo=_echo,
                style=_style,
                verbose=verbose,
            )
    except KeyboardInterrupt:
        click.echo("stopped")


def _echo(line: str) -> None:
    click.echo(line, color=_color())


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@build_options
@limits_options
@verbosity
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=settings.PORT,
    show_default=True,
    help="Port to serve at; 0 for any free one.",
)
@click.option(
    "--host", default=settings.HOST, show_default=True, help="Address to serve at: by default this machine only."
)
@_defaults_told
def serve(
    paths: tuple[Path, ...],
    output: Path,
    formats: tuple[str, ...],
    port: int,
    host: str,
    timeout: float,
    memory: int,
    verbose: bool,
    **choices,
) -> None:
    """Preview the reports in a browser, rebuilt and reloaded on every save.

    Builds the HTML of PATH (a YAML file or a folder of them; default:
    {inputs}/) into the output folder, with any formats asked for by -f,
    serves it at http://HOST:PORT/, and rebuilds as `watch` does. An open
    page reloads when its report is rebuilt; while a file has mistakes its
    pages show the located messages, with the last good report one click
    away. Stop with Ctrl-C.
    """
    from .serve import serve as serve_files

    _outputs_apart(_inputs(paths))  # refuses, as build does, paths with no YAML files, or whose outputs collide
    try:
        with _terminable(), _reporting(verbose=verbose):
            serve_files(
                list(paths) or [Path(settings.INPUTS)],
                output,
                formats,
                options=_options(**choices),
                limits=_limits(timeout, memory),
                host=host,
                port=port,
                echo=_echo,
                style=_style,
                verbose=verbose,
            )
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--from",
    "previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start the next edition of this report: number + 1, period and as-of moved on, "
    "sources, locations and figures carried over (estimates marked for review).",
)
@click.option("--crisis", help="Id shared by every edition of the series, such as syria-coast-2025.")
@click.option("--title", help='Report title, country first: "Syria: Violence on the western coast".')
@click.option("--country", help="The affected country's ISO 3166-1 alpha-3 code, such as SYR.")
def new(path: Path, previous: Path | None, crisis: str | None, title: str | None, country: str | None) -> None:
    """Start a report file at PATH: a commented starter, or the next edition.

    Never overwrites a file. Also writes the JSON Schema (sitrep.schema.json)
    beside it, if absent, for editor completion and inline validation.
    """
    from .new import create

    if previous is not None and (crisis or title or country):
        raise click.UsageError("--from carries the crisis, title and country over: give either --from or those")
    with _reporting():
        written = create(path, previous=previous, crisis=crisis, title=title, country=country)
    for target in written:
        click.echo(f"wrote {printable(str(target))}")


@main.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="File to write the schema to; - or none for standard output.",
)
def schema(output: Path | None) -> None:
    """Print or write the JSON Schema (draft 2020-12) of report files.

    Point an editor at it for completion and inline validation: put
    `# yaml-language-server: $schema=sitrep.schema.json` on the first line.
    """
    from .output import write_atomic
    from .schema import schema_text

    if output is None or str(output) == "-":
        click.echo(schema_text(), nl=False)
        return
    with _reporting():
        write_atomic(output, schema_text().encode("utf-8"))
    click.echo(f"wrote {printable(str(output))}")


@main.command()
@click.option("--clear", is_flag=True, help="Remove everything the cache holds.")
def cache(clear: bool) -> None:
    """Say where sitrep keeps its compiled templates and catalogs, or clear it.

    The cache spares each command compiling them again; removing it is
    always safe (it fills again as they are compiled). The folder is
    $SITREP_CACHE if set, else sitrep in $XDG_CACHE_HOME (by default
    ~/.cache).
    """
    from . import cache

    where, held = printable(str(cache.folder())), cache.entries()
    size = f"{_plural(len(held), 'file')} ({sum(path.stat().st_size for path in held) / 1024:,.0f} KiB)"
    if clear:
        cache.clear()
        click.echo(f"removed {size} from {where}")
    else:
        click.echo(f"{where}: {size}")


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def diff(old: Path, new: Path, as_json: bool) -> None:
    """List the fact-level changes from edition OLD to edition NEW.

    New, dropped and revised estimates (with each source's change for a
    figure), new and dropped events, services cut or restored, new statements.
    Exits as diff(1) does: 0 when nothing changed, 1 when something did, 2
    when an edition cannot be read.
    """
    import json

    from .build import read_report
    from .diff import compare

    reports = []
    for path in (old, new):
        with _reporting(path, code=2):
            reports.append(read_report(path))
    changes = compare(*reports)
    if as_json:
        click.echo(json.dumps(changes.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(changes.describe(), nl=False)
    raise SystemExit(1 if changes.figures or changes.changes else 0)
