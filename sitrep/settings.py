"""Every default, in one table: the command line, the library and the documentation all read them here.

This module imports nothing outside the standard library, so that anything (the CLI's ``--help`` above all)
can read it without loading what a build needs.
"""

from __future__ import annotations

import os

INPUTS = "inputs"
"""The folder of YAML files read when no PATH is given."""

OUTPUT = "out"
"""The folder outputs are written into (``-o``)."""

FORMATS = ("pdf", "md")
"""The outputs of a build when no ``-f`` is given."""

TEMPLATE = "sitrep"
"""The product built when no ``-t`` is given: the full situation report."""

STDIN_NAME = "report"
"""What the outputs of a file read from standard input are named (``--name``): report.pdf..."""

LANGUAGE = "en"
"""The language of a report whose file names none (``report.language``)."""

TIMEOUT_SECONDS = 120.0
"""How long one file's build may take (``--timeout``) before it is stopped."""

MEMORY_MIB = 2048
"""How much memory (MiB of address space) one file's build may use (``--memory``)."""

FILES_PER_WORKER = 100
"""How many files one worker process builds before it is replaced by a fresh one, so that whatever a long
batch leaves behind in a process (caches, fragmented memory) never adds up to a file's memory limit."""

HOST = "127.0.0.1"
"""The address `sitrep serve` listens at (``--host``): this machine only."""

PORT = 8000
"""The port `sitrep serve` listens at (``--port``)."""

DEBOUNCE_MS = 150
"""How long `watch` and `serve` wait after a change for others that belong with it (an editor's save)."""


def jobs() -> int:
    """How many files a batch builds at once (``-j``): as many as there are cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
