"""Building files under limits, in warm worker processes, several at a time.

A hostile or broken input or template must not hang or exhaust the machine, and one bad file must never
stop the others. So no input file and no template is ever read by the process that runs a batch (nor by
`watch` or `serve`): every file is built by a worker process, forked once the libraries a build needs are
loaded, which then builds file after file (compiling the templates and loading the fonts once):

- its address space is capped (``resource.RLIMIT_AS``), so a template or stylesheet that tries to allocate
  without bound fails that file with a clear message; a worker that has grown past half its limit is
  replaced, so that each file has its budget;
- the parent stops a file's build when it runs past its time limit; the worker also keeps its own clock (an
  alarm and a CPU-time limit, set again for each file) and dies with its parent (Linux's parent-death
  signal), so that it never outlives its budget, even if the parent is killed;
- a worker that fails (out of time or memory, killed, or meeting a bug in sitrep) is replaced by a fresh one,
  and only the file it was building fails;
- each worker's temporary folder (where WeasyPrint writes fonts) is inside one folder the parent removes
  when the workers stop; one left by a parent that was killed is removed by the next run.

Outputs are written by the worker with the same atomic writes as a single build. Just before the outputs of
a file are renamed into place the worker says which they are, so that a worker killed among the renames
is reported with exactly the outputs it replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from . import settings
from .build import DEFAULT_OPTIONS, Options, Piped, build_file
from .errors import Bug, BuildError, InputError, Problem, SitrepError
from .output import remove_temporaries, replacement_note


@dataclass(frozen=True)
class Limits:
    """How long, and with how much memory, one file's build may run."""

    seconds: float = settings.TIMEOUT_SECONDS
    memory_mib: int = settings.MEMORY_MIB


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Outcome:
    """What became of one input: the files written and warnings, or the error (a ``SitrepError``, or a
    ``Bug`` in sitrep)."""

    path: Path | Piped
    written: tuple[Path, ...] = ()
    warnings: tuple[Problem, ...] = ()
    error: Exception | None = None
    seconds: float = 0.0
    """How long its build took, wall time."""
    previous: str | None = None
    """The previous edition its report names (`report.previous`), as written."""


GRACE_SECONDS = 2
"""How long past its time limit a worker whose parent has not stopped it (killed, or suspended) runs on."""

PREFIX = "sitrep-"
"""How the temporary folders of the workers begin: sitrep-PID-..., PID being the process that made them."""

_PR_SET_PDEATHSIG = 1


def build_all(
    paths: list[Path | Piped],
    output: Path,
    formats: tuple[str, ...] = settings.FORMATS,
    options: Options = DEFAULT_OPTIONS,
    *,
    jobs: int = 1,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Outcome]:
    """Build every path, ``jobs`` at a time, yielding each outcome as it finishes."""
    with Workers(output, formats, options, jobs=jobs, limits=limits) as workers:
        yield from workers.build_all(paths)


@dataclass
class _Worker:
    process: multiprocessing.Process
    connection: Connection
    folder: Path
    """Its temporary folder."""


@dataclass
class _Task:
    worker: _Worker
    path: Path | Piped
    started: float
    renaming: list[tuple[Path, int]] = field(default_factory=list)
    """The outputs it is renaming into place and the inodes of their new contents, once it has begun."""


class Workers:
    """Warm worker processes that build files into ``output`` under ``limits``, at most ``jobs`` at once.

    Use it as a context manager (or call ``close``): the workers are stopped and their temporary folders
    removed at the end.
    """

    def __init__(
        self,
        output: Path,
        formats: tuple[str, ...] = settings.FORMATS,
        options: Options = DEFAULT_OPTIONS,
        *,
        jobs: int = 1,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.output, self.formats, self.options, self.limits, self.jobs = output, formats, options, limits, jobs
        _preload(formats)
        _remove_abandoned_folders()
        self._folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        self._idle: list[_Worker] = []
        self._ours: set[Connection] = set()  # this process's end of each worker's connection: a new worker closes them
        self._context = multiprocessing.get_context("fork")

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exception) -> None:
        self.close()

    def build(self, path: Path | Piped) -> Outcome:
        """Build one file (in a worker) and say what came of it."""
        [outcome] = self.build_all([path])
        return outcome

    def build_all(self, paths: Iterable[Path | Piped]) -> Iterator[Outcome]:
        """Build every path, ``jobs`` at a time, yielding each outcome as it finishes."""
        waiting = list(paths)
        running: dict[Connection, _Task] = {}
        try:
            while waiting or running:
                while waiting and len(running) < max(1, self.jobs):
                    path = waiting.pop(0)
                    try:
                        task = self._start(path)
                    except OSError as error:  # no process can be started now (the system's limit on processes)
                        yield Outcome(path, error=BuildError(f"cannot start a process to build it: {error.strerror}"))
                        continue
                    running[task.worker.connection] = task
                if not running:
                    continue
                deadline = min(task.started for task in running.values()) + self.limits.seconds
                for connection in wait(list(running), timeout=max(0.0, deadline - time.monotonic())):
                    outcome = self._receive(running[connection])
                    if outcome is not None:
                        del running[connection]
                        yield outcome
                for connection, task in list(running.items()):
                    if time.monotonic() >= task.started + self.limits.seconds:
                        del running[connection]
                        self._retire(task.worker)
                        yield self._failed(
                            task,
                            f"stopped after {self.limits.seconds:g} s, the time limit for one file (raise it "
                            "with --timeout)",
                        )
        finally:
            for task in running.values():  # the caller stopped listening: builds under way are stopped
                self._retire(task.worker)

    def restart(self) -> None:
        """Replace the idle workers by fresh ones (when the templates or fonts they loaded have changed)."""
        while self._idle:
            self._retire(self._idle.pop())

    def close(self) -> None:
        """Stop every worker and remove their temporary folders."""
        self.restart()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _start(self, path: Path | Piped) -> _Task:
        """``path`` handed to an idle worker, or to a new one."""
        while self._idle:
            worker = self._idle.pop()
            try:
                worker.connection.send(path)
                return _Task(worker, path, time.monotonic())
            except OSError:  # it died while idle (killed from outside): a fresh one takes the file
                self._retire(worker)
        ours, theirs = self._context.Pipe()
        self._ours.add(ours)
        folder = Path(tempfile.mkdtemp(dir=self._folder))
        process = self._context.Process(
            target=_work,
            args=(theirs, tuple(self._ours), folder, os.getpid(), self.output, self.formats, self.options, self.limits),
            daemon=True,
        )
        try:
            process.start()
        except OSError:
            self._ours.discard(ours)
            ours.close()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            theirs.close()
        worker = _Worker(process, ours, folder)
        ours.send(path)
        return _Task(worker, path, time.monotonic())

    def _receive(self, task: _Task) -> Outcome | None:
        """What the worker of ``task`` says: the outcome of its file, or None while it is still at work."""
        try:
            kind, *payload = task.worker.connection.recv()
        except (EOFError, OSError):  # it died without a word: killed, or out of memory outside Python
            self._retire(task.worker)
            return self._failed(task, _death(task.worker.process.exitcode, self.limits))
        if kind == "renaming":
            task.renaming = payload[0]
            return None
        *result, fresh = payload
        if fresh:
            self._idle.append(task.worker)
        else:
            self._retire(task.worker)
        seconds = time.monotonic() - task.started
        if kind == "ok":
            written, warnings, previous = result
            return Outcome(task.path, tuple(written), tuple(warnings), seconds=seconds, previous=previous)
        errors = {"input": InputError, "build": BuildError, "bug": lambda details: Bug(*details)}
        return Outcome(task.path, error=errors[kind](result[0]), seconds=seconds)

    def _failed(self, task: _Task, reason: str) -> Outcome:
        """A file whose worker was stopped, or died: why, and which of its outputs it had replaced."""
        replaced = [path for path, inode in task.renaming if _inode(path) == inode]
        note = replacement_note(replaced, [path for path, _inode in task.renaming])
        return Outcome(task.path, error=BuildError(f"{reason}; {note}"), seconds=time.monotonic() - task.started)

    def _retire(self, worker: _Worker) -> None:
        """Stop ``worker`` (it may be gone already) and remove what it left: its temporary folder and files."""
        worker.connection.close()
        self._ours.discard(worker.connection)
        worker.process.kill()  # nothing of it needs to outlive it: what it wrote is in place, or is removed below
        worker.process.join()
        shutil.rmtree(worker.folder, ignore_errors=True)
        remove_temporaries(self.output, worker.process.pid)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _death(exitcode: int | None, limits: Limits) -> str:
    """Why a worker ended without a word, from its exit code."""
    if exitcode in (-signal.SIGALRM, -signal.SIGXCPU):
        return f"stopped after {limits.seconds:g} s, the time limit for one file (raise it with --timeout)"
    if exitcode is not None and -exitcode in signal.valid_signals():
        return f"the build stopped unexpectedly (killed by {signal.Signals(-exitcode).name})"
    return f"the build stopped unexpectedly (exit code {exitcode})"


def _preload(formats: tuple[str, ...]) -> None:
    """Load, in this process, the libraries the workers will need (never a template nor an input), so that
    every worker starts warm."""
    from . import charts, view  # noqa: F401  (loaded once, shared by every worker through fork)

    if "pdf" in formats:
        import weasyprint  # noqa: F401

        from . import pdf  # noqa: F401
    if "docx" in formats:
        from . import word  # noqa: F401
    if "hxl" in formats or "json" in formats:
        from . import export  # noqa: F401


def _remove_abandoned_folders() -> None:
    """The temporary folders of workers whose parent was killed (so could not remove them)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*"):
        pid = folder.name.removeprefix(PREFIX).split("-")[0]
        with contextlib.suppress(OSError, ValueError):
            if folder.is_dir() and folder.stat().st_uid == os.getuid() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def _work(
    connection: Connection,
    not_ours: tuple[Connection, ...],
    folder: Path,
    parent: int,
    output: Path,
    formats: tuple[str, ...],
    options: Options,
    limits: Limits,
) -> None:
    """A worker: build each file it is handed until its connection closes or it should be replaced."""
    for end in not_ours:  # inherited through fork: kept open, they would hide from a worker that its parent is gone
        end.close()
    _confine(folder, parent, limits)
    for built in range(1, settings.FILES_PER_WORKER + 1):
        try:
            path = connection.recv()
        except EOFError:
            return
        _start_clock(limits)
        result, healthy = _build(path, connection, output, formats, options, limits)
        signal.alarm(0)
        fresh = healthy and built < settings.FILES_PER_WORKER and not _grown(limits)
        connection.send((*result, fresh))
        if not fresh:
            return


def _confine(folder: Path, parent: int, limits: Limits) -> None:
    """Put this worker under its limits: memory, death with its parent, its own temporary folder."""
    memory = limits.memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    with contextlib.suppress(OSError, AttributeError):  # Linux only; elsewhere the clocks below still hold
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's way of stopping cleanly is its own
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder)
    gc.freeze()  # what was loaded before the fork is never collected: it stays shared with the parent


def _start_clock(limits: Limits) -> None:
    """The worker's own limits for the next file: an alarm after its time, and as much CPU time more, each with
    a grace, after which the kernel ends it (SIGALRM, SIGXCPU) if nobody else has."""
    budget = math.ceil(limits.seconds) + GRACE_SECONDS
    signal.alarm(budget)
    used = resource.getrusage(resource.RUSAGE_SELF)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    cpu = math.ceil(used.ru_utime + used.ru_stime) + budget
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY else min(cpu, hard), hard))


def _grown(limits: Limits) -> bool:
    """Whether this worker's address space has grown past half its limit (Linux; elsewhere never said)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    return pages * os.sysconf("SC_PAGE_SIZE") > limits.memory_mib * 1024 * 1024 / 2


def _build(
    path: Path | Piped, connection: Connection, output: Path, formats: tuple[str, ...], options: Options, limits
) -> tuple[tuple, bool]:
    """Build one file: what came of it as a message for the parent, and whether this worker may go on (not
    after it ran out of memory or met a bug: what it holds may be amiss)."""

    def announce(renaming: list[tuple[Path, int]]) -> None:
        connection.send(("renaming", renaming))

    try:
        written, checked = build_file(path, output, formats, options, announce=announce)
        return ("ok", tuple(written), tuple(checked.warnings), checked.report.report.previous), True
    except InputError as error:
        return ("input", error.problems), True
    except SitrepError as error:
        return ("build", str(error)), True
    except MemoryError:
        message = (
            f"ran out of memory: the limit for one file is {limits.memory_mib} MiB (raise it with --memory); "
            "its earlier outputs are untouched"
        )
        return ("build", message), False
    except Exception as error:  # a bug in sitrep: that file's failure, told with its traceback
        bug = Bug.caught(error)
        return ("bug", (bug.summary, bug.details)), False
