"""The live preview: build every input once, then rebuild what an analyst saves, until stopped.

A saved YAML input rebuilds that file only; a change in a template folder (templates, CSS,
fonts) rebuilds every input. Builds run in a worker process under the same limits as a batch
(``sitrep.batch``), which lives from one rebuild to the next, so the libraries, templates and
fonts a build needs are loaded once and every rebuild after the first is quick; a change in a
template folder starts a fresh worker.

Bad input never ends the loop: its located problems are echoed and, because a failed build
writes nothing, the last good outputs stay in place. Editor swap, backup and lock files,
hidden files and the output folder are ignored.

File events come from ``watchfiles``. Folders are watched one level deep (a named file
through its folder, so that editors which save by renaming a new file over the old one are
seen); template folders with every subfolder present at the start. A change that comes with
no event (one made while the watcher was starting, or in a template subfolder made later)
is caught by comparing file stats whenever the watcher has been quiet for a second.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from . import settings
from .batch import DEFAULT_LIMITS, Limits, Outcome, Workers
from .build import DEFAULT_OPTIONS, Options
from .errors import InputError, Style, describe, messages, plain, printable

YAML_SUFFIXES = (".yaml", ".yml")
QUIET_CHECK_MS = 1000
SETTLE_MS = 10
"""How long the file events must pause before a rebuild starts. An editor's save (the file written, or a new
one renamed over it) comes within a millisecond or two; watchfiles' own 50 ms would be most of the time a
Markdown rebuild takes to reach the reader."""

# vim (.swp, 4913, ~), emacs (.#x, #x#), JetBrains (___jb_tmp___), office (~$x), our own atomic writes (.x.tmp).
_TEMPORARY_PREFIXES = (".", "#", "~")
_TEMPORARY_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".bak", "~", "___jb_tmp___", "___jb_old___")

BuildFile = Callable[[Path], Outcome]
Stats = dict[Path, tuple[int, int, int]]


def is_temporary(name: str) -> bool:
    """Whether a file named ``name`` is an editor's swap, backup or lock file, or hidden."""
    return name.startswith(_TEMPORARY_PREFIXES) or name.endswith(_TEMPORARY_SUFFIXES) or name.isdigit()


def watch(
    paths: list[Path],
    output: Path,
    formats: tuple[str, ...] = settings.FORMATS,
    *,
    options: Options = DEFAULT_OPTIONS,
    limits: Limits = DEFAULT_LIMITS,
    echo: Callable[[str], None] = print,
    style: Style = plain,
    verbose: bool = False,
    debounce_ms: int = settings.DEBOUNCE_MS,
    stop_event: threading.Event | None = None,
    built: Callable[[Outcome], None] | None = None,
    build: BuildFile | None = None,
) -> None:
    """Build every input in ``paths`` into ``output``, then rebuild on every change until stopped.

    ``paths`` are YAML files, or folders whose .yaml/.yml files (also those added later) are
    inputs; they and the template folders of ``options`` must exist. Each build runs under ``limits``.
    ``echo`` gets one line per build, or the located problems (``sitrep.errors.messages``, styled with
    ``style``, a bug's traceback with ``verbose``) and a line saying the last good output is kept;
    ``built`` is told the outcome of every build. Changes arriving within ``debounce_ms`` are handled
    together. Setting ``stop_event`` ends the loop within a few tens of milliseconds (or after the
    build under way); Ctrl-C raises KeyboardInterrupt. ``build`` (a path to its ``Outcome``) replaces
    the worker process, to build differently.
    """
    with contextlib.ExitStack() as stack:
        workers = None
        if build is None:
            workers = stack.enter_context(Workers(output, formats, options, limits=limits))
            build = workers.build
        scope = _Scope(paths, output, options.folders)
        run = _Builder(build, echo, style, verbose, stop_event, built)
        seen = scope.snapshot()
        run.each(seen.inputs, "built")
        scope.previous = set(run.followers)
        batches = watchfiles.watch(
            *scope.folders_to_watch(),
            watch_filter=lambda _change, path: scope.kind(Path(path)) is not None,
            debounce=debounce_ms,
            step=SETTLE_MS,
            stop_event=stop_event,
            rust_timeout=QUIET_CHECK_MS,
            yield_on_timeout=True,  # an empty batch: the moment to compare stats
            recursive=False,
        )
        for changes in batches:
            now = scope.snapshot()
            changed = {_key(Path(path)) for _change, path in changes}
            if now.templates != seen.templates or any(scope.kind(key) == "template" for key in changed):
                stale = now.inputs
                if workers is not None:
                    workers.restart()  # templates and fonts are loaded afresh
            else:
                stale = {
                    key: shown
                    for key, shown in now.inputs.items()
                    if key in changed or seen.stats.get(key) != now.stats.get(key)
                }
                previous = [key for key in changed if scope.kind(key) == "previous"]  # a named file's, say
                for key in [*stale, *previous]:  # an edition that names a changed one as `previous` shows its changes
                    stale |= {
                        follower: now.inputs[follower]
                        for follower in run.followers.get(key, ())
                        if follower in now.inputs
                    }
                if stale:  # an edition refused for its previous one's mistakes is tried again after any change
                    stale |= {key: now.inputs[key] for key in run.waiting if key in now.inputs}
            for key in sorted(seen.inputs.keys() - now.inputs.keys()):
                echo(f"{printable(str(seen.inputs[key]))}: removed, its last outputs are left as they are")
            seen = now
            run.each(stale, "rebuilt")
            scope.previous = set(run.followers)


@dataclass
class _Builder:
    """Builds inputs and echoes what came of each."""

    build: BuildFile
    echo: Callable[[str], None]
    style: Style
    verbose: bool
    stop_event: threading.Event | None
    built: Callable[[Outcome], None] | None
    followers: dict[Path, set[Path]] = field(default_factory=dict)
    """For each input, the inputs whose report names it as the `previous` edition."""
    waiting: set[Path] = field(default_factory=set)
    """The inputs refused because of their previous edition (missing, or not valid), whose path the parent does
    not know: it reads no input itself."""

    def each(self, inputs: dict[Path, Path], verb: str) -> None:
        for shown in inputs.values():
            if self.stop_event is not None and self.stop_event.is_set():
                return
            self.one(shown, verb)

    def one(self, path: Path, verb: str) -> None:
        outcome = self.build(path)
        if self.built is not None:
            self.built(outcome)
        problems = outcome.error.problems if isinstance(outcome.error, InputError) else ()
        if any(problem.field == "report.previous" for problem in problems):
            self.waiting.add(_key(path))
        else:
            self.waiting.discard(_key(path))
        if outcome.error is not None:
            for message in messages(path, outcome.error, verbose=self.verbose, style=self.style):
                self.echo(message)
            self.echo(f"{printable(str(path))}: not {verb}, the last good output is kept")
            return
        if outcome.previous:
            self.followers.setdefault(_key(path.parent / outcome.previous), set()).add(_key(path))
        for warning in outcome.warnings:
            self.echo(describe(warning, self.style))
        written = ", ".join(printable(str(target)) for target in outcome.written)
        self.echo(f"{verb} {printable(str(path))} -> {written} in {outcome.seconds:.2f} s")


def _key(path: Path) -> Path:
    """The absolute path by which a file is known: its folder resolved, its own name kept."""
    return path.parent.resolve() / path.name


class _Scope:
    """What is watched, and what a changed path means: an input, a template, or nothing."""

    def __init__(self, paths: list[Path], output: Path, template_folders: list[Path]) -> None:
        self.files: dict[Path, Path] = {}  # key -> the path as named
        self.folders: dict[Path, Path] = {}
        for path in paths:
            if path.is_dir():
                self.folders.setdefault(path.resolve(), path)
            else:
                self.files.setdefault(_key(path), path)
        self.output = output.resolve()
        self.templates = list(dict.fromkeys(folder.resolve() for folder in template_folders))
        self.previous: set[Path] = set()
        """The previous editions the inputs name, outside the inputs (a named file's), once built."""

    def kind(self, path: Path) -> str | None:
        """'input', 'previous', 'template' or None for the absolute ``path`` of a changed file."""
        key = _key(path)
        if key in self.files:
            return "input"
        if is_temporary(key.name):
            return None
        if key.parent in self.folders and key.suffix in YAML_SUFFIXES:
            return "input"
        if key in self.previous:
            return "previous"
        if key == self.output or key.is_relative_to(self.output):
            return None
        for root in self.templates:
            if key.is_relative_to(root) and not any(is_temporary(part) for part in key.relative_to(root).parts):
                return "template"
        return None

    def shown(self, key: Path) -> Path:
        """An input's path as the user would write it: as named, or inside a folder as named."""
        return self.files.get(key) or self.folders[key.parent] / key.name

    def inputs(self) -> dict[Path, Path]:
        """Every input present now, key -> path to show: named files, then each folder's, sorted."""
        found = {key: shown for key, shown in self.files.items() if key.is_file()}
        for folder in self.folders:
            with contextlib.suppress(OSError):
                for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
                    key = folder / entry.name
                    if self.kind(key) == "input" and entry.is_file():
                        found.setdefault(key, self.shown(key))
        return found

    def snapshot(self) -> _Snapshot:
        """The inputs present now, and the stats of every input and template file."""
        inputs = self.inputs()
        _folders, files = self.template_walk()
        return _Snapshot(inputs, _stats(inputs), _stats(files))

    def template_walk(self) -> tuple[list[Path], list[Path]]:
        """The template folders with their subfolders, and their files; hidden, temporary and output left out."""
        folders, files = [], []
        for root in self.templates:
            for folder, subfolders, names in os.walk(root):
                folders.append(Path(folder))
                subfolders[:] = sorted(name for name in subfolders if self.kind(Path(folder, name)) == "template")
                files.extend(
                    Path(folder, name) for name in sorted(names) if self.kind(Path(folder, name)) == "template"
                )
        return folders, files

    def folders_to_watch(self) -> list[Path]:
        """Input folders, the folders of named inputs, and the template folders with their subfolders."""
        named_in = [key.parent for key in self.files]
        return list(dict.fromkeys([*self.folders, *named_in, *self.template_walk()[0]]))


@dataclass(frozen=True)
class _Snapshot:
    inputs: dict[Path, Path]  # key -> path to show
    stats: Stats
    templates: Stats


def _stats(paths: Iterable[Path]) -> Stats:
    """Modification time, size and inode of each of ``paths`` that still exists."""
    stats: Stats = {}
    for path in paths:
        with contextlib.suppress(OSError):
            status = path.stat()
            stats[_key(path)] = (status.st_mtime_ns, status.st_size, status.st_ino)
    return stats
