"""The user's cache of compiled templates, so that a new process does not compile them again.

Jinja turns each template into Python code, which costs more than a Markdown build's own work; the code
of every template a build compiles is kept in the cache folder and read back by the next process. The
folder is ``$SITREP_CACHE`` if set, else ``sitrep`` in the user's cache folder (``$XDG_CACHE_HOME``,
by default ``~/.cache``: sitrep runs on Linux, where the XDG base directories are the standard). It
holds nothing else; deleting it is always safe, and it fills again as templates are compiled.

An entry is used only if it was compiled from the same template text (Jinja keeps a checksum of it),
by the same Jinja and Python, for an environment set up the same way (``fingerprint``): a template or
a Jinja upgrade never runs stale code. Entries are written to a temporary file and renamed, so that
processes writing at once never read half an entry. A folder that cannot be written (read-only, full)
or a damaged entry costs only the compiling, never the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache


def folder() -> Path:
    """The cache folder: ``$SITREP_CACHE``, else ``$XDG_CACHE_HOME/sitrep``, else ``~/.cache/sitrep``."""
    if os.environ.get("SITREP_CACHE"):
        return Path(os.environ["SITREP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "sitrep"


def fingerprint(environment: jinja2.Environment) -> str:
    """What the code Jinja compiles depends on besides a template's text: Jinja's and Python's versions and
    the environment's settings (delimiters, whitespace, autoescaping, finalize, extensions, filters, sandbox),
    as a short hash."""
    settings = sorted((k, v) for k, v in vars(environment).items() if isinstance(v, str | bool | int | None))
    parts = (
        jinja2.__version__,
        sys.implementation.cache_tag,
        type(environment).__qualname__,
        environment.undefined.__qualname__,
        getattr(environment.finalize, "__qualname__", None),
        sorted(environment.extensions),
        sorted(environment.filters),
        sorted(environment.tests),
        settings,
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates on disk, in a folder of its own for one environment's
    ``fingerprint``, made (for this user only) when first written to."""

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(str(folder() / "templates" / fingerprint(environment)), "%s.cache")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry (a full disk, a crash while copying the folder): compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a folder that cannot be written: the build goes on, uncached
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            super().dump_bytecode(bucket)
