"""Building many files: each in a child process, under time and memory limits, several at a time.

A hostile or broken input or template must not hang or exhaust the machine, and one bad
file must never stop the others. So every file is built in a forked child process:

- its address space is capped (``resource.RLIMIT_AS``), so a stylesheet or template that
  tries to allocate without bound fails that build with a clear message;
- the parent kills it when it runs past its time limit;
- the parent has loaded the libraries the build needs before forking, so children start
  warm, and up to ``jobs`` of them run at once.

Outputs are written by the child with the same atomic writes as a single build, so a child
killed mid-way leaves every earlier output as it was.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path

import jinja2

from .build import DEFAULT_FORMATS, DEFAULT_OPTIONS, Options, Piped, build_file
from .errors import BuildError, InputError, Problem, SitrepError


@dataclass(frozen=True)
class Limits:
    """How long, and with how much memory, one file's build may run."""

    seconds: float = 120.0
    memory_mib: int = 2048


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Outcome:
    """What became of one input: the files written and warnings, or the error."""

    path: Path | Piped
    written: tuple[Path, ...] = ()
    warnings: tuple[Problem, ...] = ()
    error: SitrepError | None = None
    seconds: float = 0.0
    """How long its build took, wall time."""


def default_jobs() -> int:
    """As many builds at once as there are cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def warm_up(formats: tuple[str, ...], options: Options) -> None:
    """Load and compile, in this process, what the children will need, so that each starts warm.

    A template that fails to compile is left for the child to report, with the file it was building.
    """
    from . import charts, view  # noqa: F401  (imported for their side effect: loaded once, shared by fork)
    from .render import TEMPLATE_SUFFIX, environment

    kinds = {"html" if fmt == "pdf" else fmt for fmt in formats if fmt in ("md", "html", "pdf")}
    for kind in kinds:
        with contextlib.suppress(SitrepError, jinja2.TemplateError):
            environment(kind, options.folders).get_template(options.template + TEMPLATE_SUFFIX[kind])
    if "pdf" in formats:
        import weasyprint  # noqa: F401


def build_all(
    paths: list[Path | Piped],
    output: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    options: Options = DEFAULT_OPTIONS,
    *,
    jobs: int = 1,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Outcome]:
    """Build every path, ``jobs`` at a time, yielding each outcome as it finishes."""
    warm_up(formats, options)
    context = multiprocessing.get_context("fork")
    waiting = list(paths)
    running: dict[Connection, tuple[Path | Piped, multiprocessing.Process, float]] = {}
    while waiting or running:
        while waiting and len(running) < max(1, jobs):
            path = waiting.pop(0)
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(send, path, output, formats, options, limits), daemon=True)
            child.start()
            send.close()
            running[receive] = (path, child, time.monotonic() + limits.seconds)
        deadline = min(end for _, _, end in running.values())
        for receive in wait(list(running), timeout=max(0.0, deadline - time.monotonic())):
            path, child, end = running.pop(receive)
            outcome = _receive(receive, path, child, limits)
            yield replace(outcome, seconds=time.monotonic() - (end - limits.seconds))
        for receive, (path, child, end) in list(running.items()):
            if time.monotonic() >= end:
                child.kill()
                child.join()
                del running[receive]
                receive.close()
                yield Outcome(
                    path,
                    error=BuildError(
                        f"stopped after {limits.seconds:g} s, the time limit for one "
                        "file; its earlier outputs are untouched (raise it with "
                        "--timeout)"
                    ),
                )


def _child(
    send: Connection, path: Path | Piped, output: Path, formats: tuple[str, ...], options: Options, limits: Limits
) -> None:
    memory = limits.memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        written, checked = build_file(path, output, formats, options)
        result: tuple = ("ok", tuple(written), tuple(checked.warnings))
    except InputError as error:
        result = ("input", error.problems)
    except SitrepError as error:
        result = ("build", str(error))
    except MemoryError:
        result = (
            "build",
            f"ran out of memory: the limit for one file is {limits.memory_mib} MiB (raise it with "
            "--memory); its earlier outputs are untouched",
        )
    except Exception:  # a bug in sitrep: report it with its traceback rather than lose it
        result = ("bug", traceback.format_exc())
    send.send(result)
    send.close()


def _receive(receive: Connection, path: Path | Piped, child: multiprocessing.Process, limits: Limits) -> Outcome:
    try:
        kind, *payload = receive.recv()
    except EOFError:  # the child died without a word: killed, or out of memory outside Python
        child.join()
        return Outcome(
            path,
            error=BuildError(
                f"the build stopped unexpectedly (exit code {child.exitcode}); its earlier outputs are untouched"
            ),
        )
    finally:
        receive.close()
    child.join()
    if kind == "ok":
        return Outcome(path, written=payload[0], warnings=payload[1])
    if kind == "input":
        return Outcome(path, error=InputError(payload[0]))
    if kind == "build":
        return Outcome(path, error=BuildError(payload[0]))
    raise RuntimeError(f"sitrep failed on {path} (this is a bug in sitrep):\n{payload[0]}")
